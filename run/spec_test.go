package run

import (
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

func TestProcess(t *testing.T) {
	cfg := v1.Config{Entrypoint: []string{"/ep"}, Cmd: []string{"c1"}, Env: []string{"A=1", "PATH=/x"}, WorkingDir: "rel/dir"}
	tests := []struct {
		desc     string
		cfg      v1.Config
		opts     []Option
		wantArgs []string
		wantEnv  []string
		wantCwd  string
	}{
		{desc: "entrypoint + cmd", cfg: cfg, wantArgs: []string{"/ep", "c1"}, wantEnv: []string{"A=1", "PATH=/x"}, wantCwd: "/rel/dir"},
		{desc: "args replace cmd", cfg: cfg, opts: []Option{WithArgs([]string{"x"})}, wantArgs: []string{"/ep", "x"}, wantEnv: []string{"A=1", "PATH=/x"}, wantCwd: "/rel/dir"},
		{desc: "entrypoint drops cmd", cfg: cfg, opts: []Option{WithEntrypoint([]string{"/other"})}, wantArgs: []string{"/other"}, wantEnv: []string{"A=1", "PATH=/x"}, wantCwd: "/rel/dir"},
		{desc: "entrypoint and args", cfg: cfg, opts: []Option{WithEntrypoint([]string{"/other"}), WithArgs([]string{"y"})}, wantArgs: []string{"/other", "y"}, wantEnv: []string{"A=1", "PATH=/x"}, wantCwd: "/rel/dir"},
		{desc: "env override keeps order, adds new", cfg: cfg, opts: []Option{WithEnv([]string{"A=2", "B=3"})}, wantArgs: []string{"/ep", "c1"}, wantEnv: []string{"A=2", "PATH=/x", "B=3"}, wantCwd: "/rel/dir"},
		{desc: "default PATH and cwd", cfg: v1.Config{Cmd: []string{"/c"}}, wantArgs: []string{"/c"}, wantEnv: []string{defaultPath}, wantCwd: "/"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			o := makeOptions(tc.opts)
			args, env, cwd, err := process(tc.cfg, &o)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(args, tc.wantArgs) || !slices.Equal(env, tc.wantEnv) || cwd != tc.wantCwd {
				t.Errorf("got %q %q %q, want %q %q %q", args, env, cwd, tc.wantArgs, tc.wantEnv, tc.wantCwd)
			}
		})
	}
}

func TestBuildSpec(t *testing.T) {
	cfg := v1.Config{Cmd: []string{"/c"}}
	netns := func(s *specs.Spec) *specs.LinuxNamespace {
		for i, n := range s.Linux.Namespaces {
			if n.Type == specs.NetworkNamespace {
				return &s.Linux.Namespaces[i]
			}
		}
		return nil
	}
	t.Run("root gets effective capabilities, no NET_RAW", func(t *testing.T) {
		o := makeOptions(nil)
		s, err := buildSpec(cfg, account{}, &o)
		if err != nil {
			t.Fatal(err)
		}
		p := s.Process
		if !p.NoNewPrivileges || p.Terminal || s.Root.Readonly || s.Root.Path != "rootfs" {
			t.Errorf("process/root flags wrong: %+v %+v", p, s.Root)
		}
		if !slices.Contains(p.Capabilities.Effective, "CAP_CHOWN") || slices.Contains(p.Capabilities.Bounding, "CAP_NET_RAW") || slices.Contains(p.Capabilities.Bounding, "CAP_SYS_ADMIN") {
			t.Errorf("capabilities = %+v", p.Capabilities)
		}
		if n := netns(s); n == nil || n.Path != "" {
			t.Errorf("network namespace = %+v, want a new one", n)
		}
		if !slices.Contains(s.Linux.MaskedPaths, "/proc/kcore") || !slices.Contains(s.Linux.ReadonlyPaths, "/proc/sys") {
			t.Errorf("masked/readonly paths missing")
		}
		if !slices.Contains(p.Env, "HOME=/") {
			t.Errorf("env %q lacks HOME=/", p.Env)
		}
	})
	t.Run("non-root has only a bounding set", func(t *testing.T) {
		o := makeOptions(nil)
		s, err := buildSpec(cfg, account{UID: 1000, GID: 1000, Groups: []uint32{50}, Home: "/home/a"}, &o)
		if err != nil {
			t.Fatal(err)
		}
		c := s.Process.Capabilities
		if len(c.Effective) != 0 || len(c.Permitted) != 0 || len(c.Bounding) == 0 {
			t.Errorf("capabilities = %+v", c)
		}
		if u := s.Process.User; u.UID != 1000 || u.GID != 1000 || !slices.Equal(u.AdditionalGids, []uint32{50}) {
			t.Errorf("user = %+v", u)
		}
		if !slices.Contains(s.Process.Env, "HOME=/home/a") {
			t.Errorf("env %q lacks HOME=/home/a", s.Process.Env)
		}
	})
	t.Run("host network has no netns and binds /sys", func(t *testing.T) {
		o := makeOptions([]Option{WithNetwork(NetworkHost)})
		s, err := buildSpec(cfg, account{}, &o)
		if err != nil {
			t.Fatal(err)
		}
		if n := netns(s); n != nil {
			t.Errorf("network namespace %+v with host networking", n)
		}
		for _, m := range s.Mounts {
			if m.Destination == "/sys" && m.Type != "bind" {
				t.Errorf("/sys mounted as %s with host networking", m.Type)
			}
		}
	})
	t.Run("netns path", func(t *testing.T) {
		o := makeOptions([]Option{WithNetwork("/proc/self/ns/net")})
		s, err := buildSpec(cfg, account{}, &o)
		if err != nil {
			t.Fatal(err)
		}
		if n := netns(s); n == nil || n.Path != "/proc/self/ns/net" {
			t.Errorf("network namespace = %+v", n)
		}
	})
	t.Run("missing netns path", func(t *testing.T) {
		o := makeOptions([]Option{WithNetwork("/var/run/netns/ingot-nope")})
		if _, err := buildSpec(cfg, account{}, &o); err == nil || !strings.Contains(err.Error(), "ingot-nope") {
			t.Errorf("err = %v", err)
		}
	})
}
