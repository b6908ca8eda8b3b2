package app

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestImageConfig(t *testing.T) {
	base := v1.Config{
		User: "65532:65532", Env: []string{"PATH=/usr/bin", "TZ=UTC"},
		Entrypoint: []string{"/bin/base"}, Cmd: []string{"--help"}, WorkingDir: "/",
		ExposedPorts: map[string]struct{}{"9090/tcp": {}},
		Labels:       map[string]string{"tier": "gold", "dev.ingot.lineage": "{}"},
	}
	tests := []struct {
		desc              string
		base              v1.Config
		app               Config
		opts              Options
		entry, user, wdir string
		env, ports        string
		err               string
	}{
		{"base kept", base, Config{}, Options{}, "/bin/base --help", "65532:65532", "/", "PATH=/usr/bin TZ=UTC", "9090/tcp", ""},
		{"app on top", base, Config{Entrypoint: []string{"/app/web"}, Env: []string{"PORT=8080", "PATH=/app:/usr/bin"}, WorkingDir: "/app", ExposedPorts: []string{"8080/tcp"}},
			Options{}, "/app/web", "65532:65532", "/app", "PATH=/app:/usr/bin TZ=UTC PORT=8080", "8080/tcp 9090/tcp", ""},
		{"--cmd wins", base, Config{Entrypoint: []string{"/app/web"}, Cmd: []string{"serve"}}, Options{Cmd: []string{"/app/run.sh", "-v"}}, "/app/run.sh -v", "65532:65532", "/", "PATH=/usr/bin TZ=UTC", "9090/tcp", ""},
		{"no user: nonroot", v1.Config{}, Config{}, Options{}, "", DefaultUser, "", "", "", ""},
		{"root base", v1.Config{User: "root"}, Config{}, Options{}, "", "", "", "", "", "would run as root"},
		{"root app", base, Config{User: "0:0"}, Options{}, "", "", "", "", "", "would run as root"},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := imageConfig(tt.base, tt.app, tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			entry := strings.Join(append(append([]string{}, got.Entrypoint...), got.Cmd...), " ")
			if entry != tt.entry || got.User != tt.user || got.WorkingDir != tt.wdir ||
				strings.Join(got.Env, " ") != tt.env || strings.Join(got.ExposedPorts, " ") != tt.ports {
				t.Errorf("got entry %q user %q wdir %q env %q ports %q", entry, got.User, got.WorkingDir, got.Env, got.ExposedPorts)
			}
			if _, ok := got.Labels["dev.ingot.lineage"]; ok {
				t.Error("the base's lineage label was carried over")
			}
		})
	}
	if base.Labels["dev.ingot.lineage"] == "" || len(base.Env) != 2 {
		t.Error("imageConfig changed the base config")
	}
}
