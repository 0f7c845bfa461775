#!/usr/bin/env bash
# Starts (or stops) a second Docker daemon on this machine, so Sandbar's multi-host tests can run
# two host workers against two real daemons. Idempotent; needs root. Prints the daemon's socket.
#
#   scripts/second-docker-host.sh          start it (if not running) and print its socket
#   scripts/second-docker-host.sh stop     stop it (its data root is kept for the next start)
#
# See scripts/extra-docker-host.sh: own data root, exec root, socket, pid file and bridge; iptables
# and masquerading left alone, so the first daemon (docker0, its rules, its containers) is
# untouched.
set -euo pipefail
export EXTRA_HOST_NAME="${SANDBAR_HOST2_NAME:-sandbar-host2}"
export EXTRA_HOST_BRIDGE="${SANDBAR_HOST2_BRIDGE:-sbhost2br0}"
export EXTRA_HOST_BRIDGE_CIDR="${SANDBAR_HOST2_BRIDGE_CIDR:-172.31.250.1/24}"
exec "$(dirname "$0")/extra-docker-host.sh" "$@"
