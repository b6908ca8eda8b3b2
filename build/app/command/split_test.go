package command

import (
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		desc, in string
		want     []string
		err      string
	}{
		{"words", "/app/run --port 8080", []string{"/app/run", "--port", "8080"}, ""},
		{"blanks", " \t a  b\n", []string{"a", "b"}, ""},
		{"single quotes keep everything", `echo 'a  "b" \n $x'`, []string{"echo", `a  "b" \n $x`}, ""},
		{"double quotes", `echo "a 'b' \"c\" \$d \\ \n"`, []string{"echo", `a 'b' "c" $d \ \n`}, ""},
		{"backslash outside quotes", `a\ b c\"d`, []string{"a b", `c"d`}, ""},
		{"adjacent parts join", `--name='my app'"!"x`, []string{"--name=my app!x"}, ""},
		{"empty quoted word", `a '' ""`, []string{"a", "", ""}, ""},
		{"no expansion", `sh -c $HOME; *`, []string{"sh", "-c", "$HOME;", "*"}, ""},
		{"line continuation", "a \\\nb", []string{"a", "b"}, ""},
		{"unterminated single quote", `a 'b`, nil, "unterminated single quote"},
		{"unterminated double quote", `a "b`, nil, "unterminated double quote"},
		{"trailing backslash", `a \`, nil, "ends with a backslash"},
		{"empty", "   ", nil, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := Split(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Split(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("Split(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	if _, err := Split(strings.Repeat("a", MaxCommandLine+1)); err == nil {
		t.Error("an over-long command line was accepted")
	}
}

// quote is the inverse of Split for one word.
func quote(w string) string { return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'" }

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"a b", `'a b' "c\"d" e\ f`, `x"`, `\`, "", "a\\\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := Split(s)
		if err != nil {
			return
		}
		if len(words) == 0 {
			t.Fatal("no words and no error")
		}
		// Quoting the words and splitting again gives them back.
		var q []string
		for _, w := range words {
			q = append(q, quote(w))
		}
		again, err := Split(strings.Join(q, " "))
		if err != nil || !slices.Equal(again, words) {
			t.Fatalf("round trip of %q: %q, %v", words, again, err)
		}
	})
}
