package resolve

import (
	"slices"
	"strings"
)

// closest returns up to n of names nearest to want: names that start with
// want (shortest first), then by edit distance within a third of want's
// length, ties by name.
func closest(names []string, want string, n int) []string {
	type cand struct {
		name  string
		score int
	}
	limit := max(2, len(want)/3)
	var cs []cand
	for _, name := range names {
		switch {
		case name == want:
		case strings.HasPrefix(name, want):
			cs = append(cs, cand{name, -1000 + len(name)})
		default:
			if d := len(name) - len(want); d > limit || -d > limit {
				continue
			}
			if d := editDistance(name, want, limit); d <= limit {
				cs = append(cs, cand{name, d})
			}
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.score != b.score {
			return a.score - b.score
		}
		return strings.Compare(a.name, b.name)
	})
	out := make([]string, 0, n)
	for _, c := range cs {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// editDistance is the Levenshtein distance of a and b, or limit+1 once it
// is known to exceed limit.
func editDistance(a, b string, limit int) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
