# shellcheck shell=bash disable=SC2034  # sourced: the callers use these names
# Shared by shell/run and shell/cluster (sourced; the caller has cd'ed to the repository root).
# serve_prepare [shell/setup flags...]: install what is missing and build (shell/setup, then
#   shell/build); with IMCHAT_NO_BUILD=1 neither, only a check that the server binary exists.
# lan_address: the first non-loopback IPv4 address (what a phone on the same network can
#   reach; the server picks the same for its own default public URL), else 127.0.0.1.
# The server binary and the site: the builds, unless IMCHAT_SERVER_BIN / IMCHAT_WEB_ROOT say
# otherwise (the names the tests and the server use).
IMCHAT_SERVER=${IMCHAT_SERVER_BIN:-build/src/server/imchat-server}
IMCHAT_WEB_ROOT=${IMCHAT_WEB_ROOT:-build-web/site}

serve_prepare() {
  if [ "${IMCHAT_NO_BUILD:-0}" = 1 ]; then
    [ -x "$IMCHAT_SERVER" ] || { echo "IMCHAT_NO_BUILD=1 but $IMCHAT_SERVER is not built (shell/build)" >&2; return 1; }
    return 0
  fi
  shell/setup "$@"
  shell/build
}

lan_address() {
  python3 - <<'PY' 2>/dev/null || echo 127.0.0.1
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    s.connect(("192.0.2.1", 9))   # no packet is sent: only picks the outgoing interface
    print(s.getsockname()[0])
except OSError:
    print("127.0.0.1")
PY
}
