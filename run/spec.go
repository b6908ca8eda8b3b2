package run

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// defaultPath is Docker's PATH for images that do not set one.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// defaultCaps is Docker's default capability set without NET_RAW and MKNOD.
var defaultCaps = []string{
	"CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
	"CAP_SETUID", "CAP_SYS_CHROOT",
}

// runc's defaults (runc spec).
var (
	maskedPaths = []string{
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
	}
	readonlyPaths = []string{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}
)

// process computes args, env and cwd from the image config and the options.
func process(cfg v1.Config, o *options) (args, env []string, cwd string, err error) {
	entry, cmd := cfg.Entrypoint, cfg.Cmd
	if o.entrySet {
		entry, cmd = o.entrypoint, nil
	}
	if o.argsSet {
		cmd = o.args
	}
	args = append(append([]string{}, entry...), cmd...)
	if len(args) == 0 {
		return nil, nil, "", errors.New("the image has no entrypoint or cmd: give a command to run")
	}
	env = mergeEnv(cfg.Env, o.env)
	cwd = cfg.WorkingDir
	if cwd == "" {
		cwd = "/"
	}
	if !path.IsAbs(cwd) {
		cwd = "/" + cwd
	}
	return args, env, path.Clean(cwd), nil
}

// mergeEnv returns base with extra applied (a later KEY wins) and PATH set.
func mergeEnv(base, extra []string) []string {
	var out []string
	idx := map[string]int{}
	for _, kv := range append(append([]string{}, base...), extra...) {
		k, _, _ := strings.Cut(kv, "=")
		if i, ok := idx[k]; ok {
			out[i] = kv
			continue
		}
		idx[k] = len(out)
		out = append(out, kv)
	}
	if _, ok := idx["PATH"]; !ok {
		out = append([]string{defaultPath}, out...)
	}
	return out
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			return true
		}
	}
	return false
}

// CheckNetwork returns an error unless network is a valid WithNetwork value:
// "none", "host" or the absolute path of an existing network namespace.
// Unpack and Run check it themselves before unpacking anything; call it to
// fail even earlier (a CLI, before fetching the image).
func CheckNetwork(network string) error {
	switch network {
	case NetworkNone, NetworkHost, "":
		return nil
	}
	if !path.IsAbs(network) {
		return fmt.Errorf("network %q: want %q, %q or the absolute path of a network namespace (e.g. /var/run/netns/NAME)", network, NetworkNone, NetworkHost)
	}
	if _, err := os.Stat(network); err != nil {
		return fmt.Errorf("network namespace %s: %w; create it first (ip netns add NAME) or choose %q or %q", network, err, NetworkNone, NetworkHost)
	}
	return nil
}

// buildSpec returns the runtime configuration for running cfg as acc.
func buildSpec(cfg v1.Config, acc account, o *options) (*specs.Spec, error) {
	args, env, cwd, err := process(cfg, o)
	if err != nil {
		return nil, err
	}
	if !hasEnv(env, "HOME") {
		home := acc.Home
		if home == "" {
			home = "/"
		}
		env = append(env, "HOME="+home)
	}
	caps := &specs.LinuxCapabilities{Bounding: defaultCaps}
	if acc.UID == 0 {
		caps.Effective, caps.Permitted = defaultCaps, defaultCaps
	}

	namespaces := []specs.LinuxNamespace{
		{Type: specs.PIDNamespace}, {Type: specs.IPCNamespace}, {Type: specs.UTSNamespace},
		{Type: specs.MountNamespace}, {Type: specs.CgroupNamespace},
	}
	mounts := []specs.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc"},
		{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
		{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
		{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
		{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
	}
	sys := specs.Mount{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}}
	switch o.network {
	case NetworkNone, "":
		namespaces = append(namespaces, specs.LinuxNamespace{Type: specs.NetworkNamespace})
	case NetworkHost:
		// sysfs can only be mounted by the owner of the network namespace.
		sys = specs.Mount{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev", "ro"}}
		for _, f := range []string{"/etc/resolv.conf", "/etc/hosts"} {
			if _, err := os.Stat(f); err == nil {
				mounts = append(mounts, specs.Mount{Destination: f, Type: "bind", Source: f, Options: []string{"rbind", "ro"}})
			}
		}
	default:
		if err := CheckNetwork(o.network); err != nil {
			return nil, err
		}
		namespaces = append(namespaces, specs.LinuxNamespace{Type: specs.NetworkNamespace, Path: o.network})
		sys = specs.Mount{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev", "ro"}}
	}
	mounts = append(mounts, sys,
		specs.Mount{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup", Options: []string{"nosuid", "noexec", "nodev", "relatime", "ro"}})

	return &specs.Spec{
		Version: specs.Version,
		Process: &specs.Process{
			Terminal: false,
			User: specs.User{
				UID: acc.UID, GID: acc.GID, AdditionalGids: acc.Groups,
			},
			Args:            args,
			Env:             env,
			Cwd:             cwd,
			Capabilities:    caps,
			Rlimits:         []specs.POSIXRlimit{{Type: "RLIMIT_NOFILE", Hard: 1024, Soft: 1024}},
			NoNewPrivileges: true,
		},
		Root:     &specs.Root{Path: "rootfs", Readonly: false},
		Hostname: o.hostname,
		Mounts:   mounts,
		Linux: &specs.Linux{
			Namespaces: namespaces,
			Resources: &specs.LinuxResources{
				Devices: []specs.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
			},
			MaskedPaths:   maskedPaths,
			ReadonlyPaths: readonlyPaths,
		},
	}, nil
}
