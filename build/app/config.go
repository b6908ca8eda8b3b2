package app

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// DefaultUser is the user an application runs as when the base sets none:
// the golden bases' nonroot account.
const DefaultUser = "65532:65532"

// imageConfig is the base's configuration with the application's on top.
func imageConfig(base v1.Config, app Config, opts Options) (image.Config, error) {
	cfg := image.Config{
		User:       base.User,
		Env:        mergeEnv(base.Env, app.Env),
		Entrypoint: base.Entrypoint,
		Cmd:        base.Cmd,
		WorkingDir: base.WorkingDir,
		Labels:     maps.Clone(base.Labels),
	}
	delete(cfg.Labels, image.LabelLineage) // the base's lineage; Assemble writes the new one
	if app.Entrypoint != nil || app.Cmd != nil {
		cfg.Entrypoint, cfg.Cmd = app.Entrypoint, app.Cmd
	}
	if len(opts.Cmd) > 0 {
		cfg.Entrypoint, cfg.Cmd = opts.Cmd, nil
	}
	if app.WorkingDir != "" {
		cfg.WorkingDir = app.WorkingDir
	}
	if app.User != "" {
		cfg.User = app.User
	}
	if cfg.User == "" {
		cfg.User = DefaultUser
	}
	if isRoot(cfg.User) {
		return image.Config{}, fmt.Errorf("the application would run as root (user %q); application images run as an unprivileged user: use a base that runs as nonroot", cfg.User)
	}
	ports := map[string]bool{}
	for p := range base.ExposedPorts {
		ports[p] = true
	}
	for _, p := range app.ExposedPorts {
		ports[p] = true
	}
	cfg.ExposedPorts = slices.Sorted(maps.Keys(ports))
	return cfg, nil
}

// mergeEnv keeps base's order, replaces values the application sets and
// appends the application's other variables in its order.
func mergeEnv(base, app []string) []string {
	out := slices.Clone(base)
	at := map[string]int{}
	for i, kv := range out {
		k, _, _ := strings.Cut(kv, "=")
		at[k] = i
	}
	for _, kv := range app {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := at[k]; ok {
			out[i] = kv
			continue
		}
		at[k] = len(out)
		out = append(out, kv)
	}
	return out
}

func isRoot(user string) bool {
	u, _, _ := strings.Cut(user, ":")
	return u == "root" || u == "0"
}
