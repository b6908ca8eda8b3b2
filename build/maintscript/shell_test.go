package maintscript

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCommands(t *testing.T) {
	tests := []struct {
		desc   string
		script string
		want   []command
	}{
		{
			desc:   "continuations and indentation",
			script: "#!/bin/sh\nset -e\n  update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\\n    --slave /usr/bin/nawk nawk /usr/bin/mawk\n",
			want: []command{
				{Line: 2, Args: []string{"set", "-e"}},
				{Line: 3, Args: []string{"update-alternatives", "--install", "/usr/bin/awk", "awk", "/usr/bin/mawk", "5", "--slave", "/usr/bin/nawk", "nawk", "/usr/bin/mawk"}},
			},
		},
		{
			desc:   "keywords, negation and separators",
			script: "if ! getent passwd foo >/dev/null; then adduser --system foo; fi\n",
			want: []command{
				{Line: 1, Args: []string{"getent", "passwd", "foo"}},
				{Line: 1, Args: []string{"adduser", "--system", "foo"}},
			},
		},
		{
			desc:   "quotes and escapes",
			script: `adduser --gecos "Foo Bar,,," --home '/var/lib/a b' x\ y` + "\n",
			want:   []command{{Line: 1, Args: []string{"adduser", "--gecos", "Foo Bar,,,", "--home", "/var/lib/a b", "x y"}}},
		},
		{
			desc:   "variables make a command dynamic",
			script: "update-alternatives --install /usr/bin/x x \"/usr/lib/$VER/x\" 10\n",
			want:   []command{{Line: 1, Args: []string{"update-alternatives", "--install", "/usr/bin/x", "x", "/usr/lib/$VER/x", "10"}, Dynamic: "/usr/lib/$VER/x"}},
		},
		{
			desc:   "single quotes keep dollars literal",
			script: "echo '$HOME'\n",
			want:   []command{{Line: 1, Args: []string{"echo", "$HOME"}}},
		},
		{
			desc:   "command substitution",
			script: "useradd -r -u `id -u` foo\n",
			want:   []command{{Line: 1, Args: []string{"useradd", "-r", "-u", "`id", "-u`", "foo"}, Dynamic: "`id"}},
		},
		{
			desc:   "redirections are dropped, fd digits too",
			script: "adduser --system foo 2>/dev/null >&2 || true\nx 2> /dev/null y\n",
			want: []command{
				{Line: 1, Args: []string{"adduser", "--system", "foo"}},
				{Line: 1, Args: []string{"true"}},
				{Line: 2, Args: []string{"x", "y"}},
			},
		},
		{
			desc:   "comments, also after words",
			script: "# adduser --system bad\nfoo # adduser --system bad\nbar a#b\n",
			want: []command{
				{Line: 2, Args: []string{"foo"}},
				{Line: 3, Args: []string{"bar", "a#b"}},
			},
		},
		{
			desc:   "here-documents are not commands",
			script: "cat > /etc/x <<EOF\nupdate-alternatives --install /a a /b 1\nEOF\ncat <<-'END'\n\tadduser --system bad\n\tEND\nafter\n",
			want: []command{
				{Line: 1, Args: []string{"cat"}},
				{Line: 4, Args: []string{"cat"}},
				{Line: 7, Args: []string{"after"}},
			},
		},
		{
			desc:   "assignments before a command",
			script: "LC_ALL=C DEBIAN_FRONTEND=noninteractive adduser --system foo\n",
			want:   []command{{Line: 1, Args: []string{"adduser", "--system", "foo"}}},
		},
		{
			desc:   "variables with one literal value are resolved",
			script: "set -e\nUSER=messagebus\nadduser --system \"$USER\" ${USER}x\n",
			want: []command{
				{Line: 1, Args: []string{"set", "-e"}},
				{Line: 3, Args: []string{"adduser", "--system", "messagebus", "messagebusx"}},
			},
		},
		{
			desc:   "variables assigned twice, in loops or from the shell are not",
			script: "A=1\nA=2\nB=$A\nfor C in x y; do :; done\nC=z\nx $A $B $C '$A'\n",
			want: []command{
				{Line: 4, Args: []string{"for", "C", "in", "x", "y"}},
				{Line: 4, Args: []string{":"}},
				{Line: 6, Args: []string{"x", "$A", "$B", "$C", "$A"}, Dynamic: "$A"},
			},
		},
		{
			desc:   "calls through the script's own functions",
			script: "in_sysroot () {\n  \"$@\"\n}\nin_sysroot adduser --system foo\n",
			want: []command{
				{Line: 1, Args: []string{"in_sysroot"}},
				{Line: 2, Args: []string{"$@"}, Dynamic: "$@"},
				{Line: 4, Args: []string{"adduser", "--system", "foo"}},
			},
		},
		{
			desc:   "case arms",
			script: "case \"$1\" in\n configure)\n  adduser --system foo\n ;;\nesac\n",
			want: []command{
				{Line: 1, Args: []string{"case", "$1", "in"}, Dynamic: "$1"},
				{Line: 2, Args: []string{"configure"}},
				{Line: 3, Args: []string{"adduser", "--system", "foo"}},
				{Line: 5, Args: []string{"esac"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got := parseCommands([]byte(tt.script))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseCommands:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func FuzzParseCommands(f *testing.F) {
	for _, s := range []string{
		"update-alternatives --install /usr/bin/awk awk /usr/bin/mawk 5 \\\n --slave /a b /c\n",
		"adduser --system --group --home /var/lib/x --quiet x\n",
		"useradd -rM -s /bin/false -g 0 foo; usermod -aG a,b foo\n",
		"cat <<EOF\nx\nEOF\n'unterminated",
		"\"a\\\n$b\" `c` 2>&1 <<",
		"groupadd -r -g 500 g && gpasswd -a u g\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cmds := parseCommands(b)
		lines := strings.Count(string(b), "\n") + 1
		for _, c := range cmds {
			if len(c.Args) == 0 {
				t.Fatal("empty command")
			}
			if c.Line < 1 || c.Line > lines {
				t.Fatalf("line %d outside 1..%d", c.Line, lines)
			}
			if c.Dynamic != "" && !contains(c.Args, c.Dynamic) {
				t.Fatalf("dynamic word %q not among args %q", c.Dynamic, c.Args)
			}
		}
		// Everything that reads the commands must not panic either.
		a := newAccounts()
		for _, c := range cmds {
			a.apply(c, "fuzz")
			if c.name() == "update-alternatives" {
				parseAlternatives(c.Args)
			}
		}
		for _, u := range a.users {
			if !safeName(u.name) || !safeField(u.home) || !safeField(u.shell) || !safeField(u.gecos) {
				t.Fatalf("unsafe account %+v", *u)
			}
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
