package maintscript

import (
	"regexp"
	"strings"
)

// command is one simple command found in a shell script.
type command struct {
	Line    int      // 1-based line of the first word
	Args    []string // words with quotes and escapes removed, keywords and redirections dropped
	Dynamic string   // first word that needs expansion ($var, `cmd`, glob), "" if all literal
	assigns []string // NAME=value words of a command that only assigns
}

// expand marks, inside a word, a '$', '`' or glob character that the shell
// would expand. Single-quoted and escaped ones are not marked.
const expand = '\x00'

// Limits for scripts read from untrusted packages.
const (
	maxScript   = 4 << 20 // bytes of one script that are looked at
	maxCommands = 1 << 16 // commands kept from one script
)

// shellKeywords are dropped from the front of a command, so that
// "if ! getent passwd x; then adduser ..." yields "adduser ...".
var shellKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true,
	"do": true, "done": true, "while": true, "until": true, "!": true,
	"{": true, "}": true, "exec": true, "command": true, "time": true,
}

// parseCommands splits a POSIX shell script into simple commands, best
// effort: it knows quotes, escapes, line continuations, comments, command
// separators, redirections and here-documents. It evaluates only what is
// certain: "$NAME" and "${NAME}" of a variable the script assigns exactly
// one literal value, and calls through a function the script defines
// ("in_sysroot adduser ...", as dbus does) are taken as the call itself. A
// word that would still need expansion marks its command Dynamic.
func parseCommands(script []byte) []command {
	if len(script) > maxScript {
		script = script[:maxScript]
	}
	// The shell cannot hold NUL bytes; dropping them frees NUL to mark expansions.
	p := &shellParser{s: strings.ReplaceAll(string(script), "\x00", ""), line: 1}
	p.run()
	return resolve(p.out, functionNames(p.s))
}

type shellParser struct {
	s    string
	i    int
	line int

	out      []command
	cur      command
	word     strings.Builder
	inWord   bool
	redirect bool     // the next word is a redirection target
	heredocs []string // delimiters whose bodies start at the next newline
	heredoc  bool     // the next word is a here-document delimiter
	strip    []bool   // for each pending here-document: "<<-"
	nextTabs bool
}

func (p *shellParser) run() {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\\':
			if p.i+1 < len(p.s) && p.s[p.i+1] == '\n' { // continuation
				p.i += 2
				p.line++
				continue
			}
			p.startWord()
			if p.i+1 < len(p.s) {
				p.word.WriteByte(p.s[p.i+1])
				p.i += 2
			} else {
				p.i++
			}
		case c == '\'':
			p.startWord()
			end := strings.IndexByte(p.s[p.i+1:], '\'')
			if end < 0 {
				end = len(p.s) - p.i - 1
			}
			lit := p.s[p.i+1 : p.i+1+end]
			p.line += strings.Count(lit, "\n")
			p.word.WriteString(lit)
			p.i += end + 2
		case c == '"':
			p.startWord()
			p.i++
			p.doubleQuoted()
		case c == '$' || c == '`' || c == '*' || c == '?' || (c == '[' && p.inWord):
			p.startWord()
			p.word.WriteByte(expand)
			p.word.WriteByte(c)
			p.i++
		case c == '#' && !p.inWord:
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		case c == ' ' || c == '\t' || c == '\r':
			p.endWord()
			p.i++
		case c == '\n':
			p.endWord()
			p.endCommand()
			p.i++
			p.line++
			if len(p.heredocs) > 0 {
				p.skipHeredocs()
			}
		case c == ';' || c == '&' || c == '|' || c == '(' || c == ')':
			p.endWord()
			p.endCommand()
			p.i++
		case c == '>' || c == '<':
			// "2>" and "2>&1": a word of digits before is the fd, not an argument.
			if p.inWord && isDigits(p.word.String()) {
				p.word.Reset()
				p.inWord = false
			} else {
				p.endWord()
			}
			if c == '<' && strings.HasPrefix(p.s[p.i:], "<<") {
				p.i += 2
				tabs := false
				if p.i < len(p.s) && p.s[p.i] == '-' {
					tabs = true
					p.i++
				}
				p.heredoc = true
				p.nextTabs = tabs
				continue
			}
			p.i++
			for p.i < len(p.s) && (p.s[p.i] == '>' || p.s[p.i] == '&' || p.s[p.i] == '|') {
				p.i++
			}
			p.redirect = true
		default:
			p.startWord()
			p.word.WriteByte(c)
			p.i++
		}
	}
	p.endWord()
	p.endCommand()
}

// doubleQuoted reads up to the closing quote; p.i is just after the opening one.
func (p *shellParser) doubleQuoted() {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return
		case '\\':
			if p.i+1 < len(p.s) {
				n := p.s[p.i+1]
				switch n {
				case '\n':
					p.line++
				case '$', '`', '"', '\\':
					p.word.WriteByte(n)
				default:
					p.word.WriteByte('\\')
					p.word.WriteByte(n)
				}
				p.i += 2
				continue
			}
		case '$', '`':
			p.word.WriteByte(expand)
		case '\n':
			p.line++
		}
		p.word.WriteByte(c)
		p.i++
	}
}

func (p *shellParser) startWord() {
	if !p.inWord {
		p.inWord = true
		if len(p.cur.Args) == 0 && p.cur.Line == 0 {
			p.cur.Line = p.line
		}
	}
}

func (p *shellParser) endWord() {
	if !p.inWord {
		return
	}
	w := p.word.String()
	p.word.Reset()
	p.inWord = false
	dyn := strings.IndexByte(w, expand) >= 0
	switch {
	case p.heredoc:
		p.heredoc = false
		p.heredocs = append(p.heredocs, strings.NewReplacer("'", "", "\"", "", "\\", "").Replace(w))
		p.strip = append(p.strip, p.nextTabs)
		return
	case p.redirect:
		p.redirect = false
		return
	}
	if len(p.cur.Args) == 0 && !dyn && shellKeywords[w] {
		p.cur.Line = 0
		return
	}
	if len(p.cur.Args) == 0 && isAssignment(w) {
		if len(p.cur.assigns) < 64 {
			p.cur.assigns = append(p.cur.assigns, w)
		}
		return
	}
	if len(p.cur.Args) < 4096 {
		p.cur.Args = append(p.cur.Args, w)
	}
}

func (p *shellParser) endCommand() {
	p.redirect = false
	if len(p.cur.Args) > 0 {
		p.cur.assigns = nil
	}
	if (len(p.cur.Args) > 0 || len(p.cur.assigns) > 0) && len(p.out) < maxCommands {
		p.out = append(p.out, p.cur)
	}
	p.cur = command{}
}

// skipHeredocs skips the bodies of pending here-documents; p.i is at the
// start of the line after the one that opened them.
func (p *shellParser) skipHeredocs() {
	for k, delim := range p.heredocs {
		for p.i < len(p.s) {
			end := strings.IndexByte(p.s[p.i:], '\n')
			var l string
			if end < 0 {
				l = p.s[p.i:]
				p.i = len(p.s)
			} else {
				l = p.s[p.i : p.i+end]
				p.i += end + 1
				p.line++
			}
			if p.strip[k] {
				l = strings.TrimLeft(l, "\t")
			}
			if strings.TrimSuffix(l, "\r") == delim {
				break
			}
		}
	}
	p.heredocs = p.heredocs[:0]
	p.strip = p.strip[:0]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isAssignment reports whether w is "NAME=value", a variable assignment
// prefix of a command.
func isAssignment(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shorten renders a command for messages.
func (c command) String() string {
	s := strings.Join(c.Args, " ")
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

// name is the command's program without its directory.
func (c command) name() string {
	if len(c.Args) == 0 {
		return ""
	}
	a := c.Args[0]
	if i := strings.LastIndexByte(a, '/'); i >= 0 {
		a = a[i+1:]
	}
	return a
}

var funcDef = regexp.MustCompile(`(?m)^[ \t]*(?:function[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\([ \t]*\)`)

// functionNames lists the shell functions a script defines.
func functionNames(s string) map[string]bool {
	out := map[string]bool{}
	for _, m := range funcDef.FindAllStringSubmatch(s, 1024) {
		out[m[1]] = true
	}
	return out
}

var varRef = regexp.MustCompile("\x00\\$(?:([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)\\})")

// resolve substitutes variables that have exactly one literal value in the
// whole script, unwraps calls through the script's own functions, and sets
// Dynamic on commands that still need expansion. Assignment-only commands
// are dropped from the result.
func resolve(cmds []command, funcs map[string]bool) []command {
	vars := map[string]string{}
	ambiguous := map[string]bool{}
	assign := func(w string) {
		name, val, _ := strings.Cut(w, "=")
		if old, ok := vars[name]; (ok && old != val) || strings.IndexByte(val, expand) >= 0 {
			ambiguous[name] = true
		}
		vars[name] = val
	}
	for _, c := range cmds {
		for _, w := range c.assigns {
			assign(w)
		}
		if len(c.Args) < 2 {
			continue
		}
		switch c.Args[0] {
		case "export", "local", "readonly", "declare", "typeset":
			for _, w := range c.Args[1:] {
				if isAssignment(w) {
					assign(w)
				} else {
					ambiguous[w] = true
				}
			}
		case "for", "read", "getopts", "unset":
			for _, w := range c.Args[1:] {
				ambiguous[w] = true
			}
		}
	}
	out := cmds[:0]
	for _, c := range cmds {
		if len(c.Args) == 0 {
			continue
		}
		for len(c.Args) > 1 && funcs[c.Args[0]] {
			c.Args = c.Args[1:]
		}
		args := make([]string, len(c.Args))
		for i, w := range c.Args {
			if strings.IndexByte(w, expand) >= 0 {
				w = varRef.ReplaceAllStringFunc(w, func(ref string) string {
					m := varRef.FindStringSubmatch(ref)
					name := m[1] + m[2]
					if v, ok := vars[name]; ok && !ambiguous[name] {
						return v
					}
					return ref
				})
			}
			if strings.IndexByte(w, expand) >= 0 {
				w = strings.ReplaceAll(w, string(rune(expand)), "")
				if c.Dynamic == "" {
					c.Dynamic = w
				}
			}
			args[i] = w
		}
		c.Args = args
		out = append(out, c)
	}
	return out
}
