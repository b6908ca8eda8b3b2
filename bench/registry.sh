# bench/registry.sh: sourced by the bench scripts that need a registry.
#
# registry_root NAME WORK prints where a registry stores its blobs: $REGDIR
# when set, else a fresh directory on tmpfs (/dev/shm/ingot-bench-NAME.*,
# when /dev/shm is writable) so that the tools are measured against the
# registry's CPU rather than the disk, else WORK/registry.
#
# start_registry NAME WORK ROOT starts Debian's docker-registry on a free
# port of 127.0.0.1, configured as its package configures it (in-memory blob
# descriptor cache), without access logs, storing into ROOT; its config and
# log go to WORK. It sets reg (host:port), reg_pid and reg_root. NAME is the
# calling script, for its error message.
#
# stop_registry kills the registry and waits for it, and removes its storage
# when registry_root made it on tmpfs. It does nothing when no registry was
# started, so a script calls it from its EXIT trap.
reg_pid=
reg_root=

registry_root() {
	if [ -n "${REGDIR:-}" ]; then
		echo "$REGDIR"
	elif [ -d /dev/shm ] && [ -w /dev/shm ] && _d=$(mktemp -d "/dev/shm/ingot-bench-$1.XXXXXX"); then
		echo "$_d"
	else
		echo "$2/registry"
	fi
}

stop_registry() {
	if [ -n "$reg_pid" ]; then
		kill "$reg_pid" 2>/dev/null || true
		wait "$reg_pid" 2>/dev/null || true
		reg_pid=
	fi
	case $reg_root in /dev/shm/ingot-bench-*) rm -rf "$reg_root" ;; esac
	reg_root=
}

start_registry() {
	_name=$1 _work=$2 _root=$3
	reg_root=$_root
	command -v docker-registry >/dev/null || { echo "$_name: docker-registry missing: run scripts/install-test-deps.sh" >&2; exit 1; }
	command -v python3 >/dev/null || { echo "$_name: python3 missing (it picks a free port)" >&2; exit 1; }
	_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	reg="127.0.0.1:$_port"
	mkdir -p "$_root"
	cat >"$_work/registry.yml" <<EOC
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $_root
http:
  addr: $reg
EOC
	docker-registry serve "$_work/registry.yml" >"$_work/registry.log" 2>&1 &
	reg_pid=$!
	_i=0
	until curl -fs "http://$reg/v2/" >/dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "$_name: the registry did not start:" >&2; cat "$_work/registry.log" >&2; exit 1; }
		sleep 0.1
	done
}
