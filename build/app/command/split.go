package command

import (
	"fmt"
	"strings"
)

// MaxCommandLine bounds what Split accepts.
const MaxCommandLine = 64 << 10

// Split splits a command line into words the way a POSIX shell does, without
// running one: words are separated by blanks; single quotes keep everything
// up to the next single quote; double quotes keep everything but \" \\ \$
// and \` (and a backslash before a newline, which is removed); outside
// quotes a backslash keeps the next character. There is no expansion of any
// kind: $HOME, *, ~ and ; are ordinary characters, so the image runs exactly
// the words given.
func Split(s string) ([]string, error) {
	if len(s) > MaxCommandLine {
		return nil, fmt.Errorf("the command is %d bytes, over %d: put it in a script in the directory and run that", len(s), MaxCommandLine)
	}
	var (
		words  []string
		cur    strings.Builder
		inWord bool
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 == len(s) {
				return nil, fmt.Errorf("the command %q ends with a backslash: remove it or escape it (\\\\)", s)
			}
			i++
			if s[i] != '\n' {
				cur.WriteByte(s[i])
			}
		case c == '\'':
			inWord = true
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("the command %q has an unterminated single quote at byte %d: close it", s, i)
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			inWord = true
			start := i
			for i++; ; i++ {
				if i >= len(s) {
					return nil, fmt.Errorf("the command %q has an unterminated double quote at byte %d: close it", s, start)
				}
				if s[i] == '"' {
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`\n", s[i+1]) >= 0 {
					i++
					if s[i] != '\n' {
						cur.WriteByte(s[i])
					}
					continue
				}
				cur.WriteByte(s[i])
			}
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("the command %q is empty: give the program to run and its arguments", s)
	}
	return words, nil
}
