package static

import (
	"fmt"
	"strings"
)

// maxDirectives bounds what parseConf returns.
const maxDirectives = 100000

// parseConf splits an nginx configuration into its directives (the words
// before each ";" or "{"), in order, without their block structure: enough
// to find where a base serves files from. Comments and quotes are honoured;
// included files are not read.
func parseConf(b []byte) ([][]string, error) {
	var (
		dirs  [][]string
		words []string
		cur   strings.Builder
		in    bool
		depth int
	)
	end := func() {
		if in {
			words = append(words, cur.String())
			cur.Reset()
			in = false
		}
	}
	s := string(b)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '#' && !in:
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			end()
		case c == '"' || c == '\'':
			end()
			j := i + 1
			for ; j < len(s) && s[j] != c; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated quote at byte %d", i)
			}
			words = append(words, s[i+1:j])
			i = j
		case c == ';' || c == '{':
			end()
			if len(words) == 0 {
				return nil, fmt.Errorf("empty directive at byte %d", i)
			}
			if len(dirs) >= maxDirectives {
				return nil, fmt.Errorf("over %d directives", maxDirectives)
			}
			dirs = append(dirs, words)
			words = nil
			if c == '{' {
				depth++
			}
		case c == '}':
			end()
			if len(words) > 0 || depth == 0 {
				return nil, fmt.Errorf("unexpected } at byte %d", i)
			}
			depth--
		default:
			in = true
			cur.WriteByte(c)
		}
	}
	end()
	if len(words) > 0 || depth != 0 {
		return nil, fmt.Errorf("unexpected end of the configuration")
	}
	return dirs, nil
}
