#!/usr/bin/env bash
# Starts (or stops) a Docker daemon with user-namespace remapping (--userns-remap=default) beside
# the main one, so the tests can prove that Sandbar's containers work under it and that container
# root is not host root there. Idempotent; needs root. Prints the daemon's socket.
#
#   scripts/userns-docker-host.sh          start it (if not running) and print its socket
#   scripts/userns-docker-host.sh stop     stop it (its data root is kept for the next start)
#
# See scripts/extra-docker-host.sh for what it leaves alone.
set -euo pipefail
export EXTRA_HOST_NAME=sandbar-userns
export EXTRA_HOST_BRIDGE="${SANDBAR_USERNS_BRIDGE:-sbtestbr0}"
export EXTRA_HOST_BRIDGE_CIDR="${SANDBAR_USERNS_BRIDGE_CIDR:-172.31.251.1/24}"
export EXTRA_HOST_USERNS=1
exec "$(dirname "$0")/extra-docker-host.sh" "$@"
