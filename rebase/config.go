package rebase

import (
	"maps"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/ingot-dev/ingot/image"
)

// newConfig returns the rebased config (see the package doc) and records
// the Env and user changes in c.change.
func (c *checked) newConfig(lin *image.Lineage) *v1.ConfigFile {
	cf := c.origCF.DeepCopy()
	var oldCfg *v1.Config
	if c.oldCF != nil {
		oldCfg = &c.oldCF.Config
	}
	newCfg := c.newCF.Config

	var oldEnv map[string]string
	if oldCfg != nil {
		oldEnv = envMap(oldCfg.Env)
	}
	env, changes := mergeEnv(c.origCF.Config.Env, oldEnv, oldCfg != nil, newCfg.Env)
	cf.Config.Env = env
	c.change.Env = changes

	if u, ok := inherited(c.origCF.Config.User, oldCfg, func(x *v1.Config) string { return x.User }); ok && u != newCfg.User {
		c.change.User = &EnvChange{Key: "user", Old: u, New: newCfg.User}
		cf.Config.User = newCfg.User
	}

	cf.Config.Labels = mergeLabels(c.origCF.Config.Labels, oldCfg, newCfg.Labels)
	delete(cf.Config.Labels, image.LabelLineage)
	if lin != nil {
		cf.Config.Labels[image.LabelLineage] = encode(lin)
	} else if len(cf.Config.Labels) == 0 {
		cf.Config.Labels = nil
	}

	cf.OSVersion, cf.OSFeatures = c.newCF.OSVersion, c.newCF.OSFeatures
	if cf.Variant == "" {
		cf.Variant = c.newCF.Variant
	}
	cf.History = append(slices.Clone(c.newCF.History), c.origCF.History[c.oldHistory:]...)
	cf.RootFS.DiffIDs = append(slices.Clone(c.newCF.RootFS.DiffIDs), c.origCF.RootFS.DiffIDs[c.change.OldBase.Layers:]...)
	cf.Created = v1.Time{Time: laterOf(c.origCF.Created.Time, c.newCF.Created.Time)}
	if !cf.Created.IsZero() {
		c.change.Created = cf.Created.UTC().Format(time.RFC3339)
	}
	return cf
}

// inherited returns the app's value and whether the app inherited it from
// the old base (equal to the old base's value, or unset when the old base is
// unknown).
func inherited(app string, old *v1.Config, get func(*v1.Config) string) (string, bool) {
	if old == nil {
		return app, app == ""
	}
	return app, app == get(old)
}

// mergeEnv merges Env lists by key: see the package doc.
func mergeEnv(app []string, old map[string]string, oldKnown bool, nw []string) ([]string, []EnvChange) {
	appMap := envMap(app)
	newMap := envMap(nw)
	var out []string
	var changes []EnvChange
	done := map[string]bool{}
	for _, kv := range nw {
		k, nv := splitEnv(kv)
		if done[k] {
			continue
		}
		done[k] = true
		av, inApp := appMap[k]
		switch {
		case !inApp:
			out = append(out, k+"="+nv)
			changes = append(changes, EnvChange{Key: k, New: nv})
		case appOwns(k, av, old, oldKnown):
			out = append(out, k+"="+av)
		default:
			out = append(out, k+"="+nv)
			if av != nv {
				changes = append(changes, EnvChange{Key: k, Old: av, New: nv})
			}
		}
	}
	for _, kv := range app {
		k, av := splitEnv(kv)
		if done[k] {
			continue
		}
		done[k] = true
		if _, inNew := newMap[k]; !inNew && oldKnown && !appOwns(k, av, old, oldKnown) {
			changes = append(changes, EnvChange{Key: k, Old: av}) // the old base's, dropped by the new one
			continue
		}
		out = append(out, kv)
	}
	return out, changes
}

// appOwns reports whether the app set key to its own value rather than
// inheriting it from the old base.
func appOwns(key, value string, old map[string]string, oldKnown bool) bool {
	if !oldKnown {
		return true
	}
	ov, ok := old[key]
	return !ok || ov != value
}

func mergeLabels(app map[string]string, old *v1.Config, nw map[string]string) map[string]string {
	out := maps.Clone(nw)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range app {
		if old != nil {
			if ov, ok := old.Labels[k]; ok && ov == v {
				continue // inherited: the new base's value (or none) wins
			}
		}
		out[k] = v
	}
	return out
}

func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		k, v := splitEnv(kv)
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return m
}

func splitEnv(kv string) (string, string) {
	k, v, _ := strings.Cut(kv, "=")
	return k, v
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b.UTC()
	}
	return a.UTC()
}
