# bench/registry.sh: sourced by the bench scripts that need a registry.
# start_registry NAME WORK ROOT starts Debian's docker-registry on a free
# port of 127.0.0.1, configured as its package configures it (in-memory blob
# descriptor cache), without access logs, storing into ROOT; its config and
# log go to WORK. It sets reg (host:port) and reg_pid; the caller kills
# reg_pid. NAME is the calling script, for its error message.
start_registry() {
	_name=$1 _work=$2 _root=$3
	command -v docker-registry >/dev/null || { echo "$_name: docker-registry missing: run scripts/install-test-deps.sh" >&2; exit 1; }
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
