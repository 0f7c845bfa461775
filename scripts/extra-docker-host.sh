#!/usr/bin/env bash
# Starts (or stops) an extra Docker daemon beside the main one; the tests' second host
# (scripts/second-docker-host.sh) and user-namespace host (scripts/userns-docker-host.sh) are this
# script with their own names. Idempotent; needs root. Prints the daemon's socket.
#
#   EXTRA_HOST_NAME=N EXTRA_HOST_BRIDGE=B EXTRA_HOST_BRIDGE_CIDR=C [EXTRA_HOST_USERNS=1] \
#     scripts/extra-docker-host.sh [start|stop]
#
# start: starts it if not running and prints its socket; stop: stops it and deletes its bridge
# (its data root is kept for the next start). EXTRA_HOST_USERNS=1 adds --userns-remap=default
# (dockerd creates the user dockremap and its /etc/subuid and /etc/subgid ranges on first start)
# and refuses a daemon that answers without user namespaces.
#
# The daemon has its own data root, exec root, socket, pid file and bridge, and leaves iptables
# and masquerading alone, so the first daemon (docker0, its rules, its containers) is untouched.
# It must never run with --bridge=none: that makes dockerd delete docker0, the first daemon's
# bridge. No registry is reachable here, so the base image is copied from the first daemon.
set -euo pipefail

NAME="${EXTRA_HOST_NAME:?names the daemon: data root, socket, pid file and log}"
BRIDGE="${EXTRA_HOST_BRIDGE:?names the bridge of the daemon}"
BRIDGE_CIDR="${EXTRA_HOST_BRIDGE_CIDR:?the address of the bridge}"
USERNS="${EXTRA_HOST_USERNS:-0}"
IMAGE="${SANDBAR_IMAGE:-sandbar-base:latest}"
DATA_ROOT="/var/lib/$NAME"
EXEC_ROOT="/run/$NAME"
SOCKET="/run/$NAME.sock"
PIDFILE="/run/$NAME.pid"
LOG="/var/log/$NAME-dockerd.log"

say() { echo "[$NAME] $*" >&2; }
fail() {
  say "$*"
  exit 1
}

extra() { docker -H "unix://$SOCKET" "$@"; }

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { extra version --format '{{.Server.Version}}' >/dev/null 2>&1; }

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  if ! ip -4 addr show dev "$BRIDGE" | grep -q "inet ${BRIDGE_CIDR%/*}/"; then
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
}

start() {
  [[ "$(id -u)" == 0 ]] || fail "must run as root (it creates a bridge and starts dockerd)"
  command -v dockerd >/dev/null 2>&1 || fail "dockerd is not installed (scripts/setup.sh installs docker.io on Debian)"
  docker image inspect "$IMAGE" >/dev/null 2>&1 \
    || fail "$IMAGE is missing on the main daemon: source scripts/setup.sh first"
  if ! running_pid >/dev/null || ! answers; then
    if pid="$(running_pid)"; then
      say "dockerd $pid does not answer on $SOCKET yet; waiting for it"
    else
      ensure_bridge
      mkdir -p "$DATA_ROOT" "$EXEC_ROOT"
      local remap=()
      [[ "$USERNS" == 1 ]] && remap=(--userns-remap=default)
      say "starting dockerd ${remap[*]} on $SOCKET (bridge $BRIDGE $BRIDGE_CIDR, log $LOG)"
      # setsid: the daemon outlives the shell (and the test JVM) that started it.
      setsid nohup dockerd "${remap[@]}" \
        --data-root "$DATA_ROOT" \
        --exec-root "$EXEC_ROOT" \
        -H "unix://$SOCKET" \
        --pidfile "$PIDFILE" \
        -b "$BRIDGE" \
        --iptables=false \
        --ip-masq=false \
        >>"$LOG" 2>&1 </dev/null &
    fi
    for _ in $(seq 1 60); do
      answers && break
      sleep 1
    done
    answers || fail "dockerd did not answer on $SOCKET within 60 s; last lines of $LOG:
$(tail -n 20 "$LOG" 2>/dev/null)"
  fi
  if [[ "$USERNS" == 1 ]]; then
    extra info --format '{{.SecurityOptions}}' | grep -q 'name=userns' \
      || fail "the daemon on $SOCKET runs without user namespaces"
  fi
  # Compare image ids: a rebuilt base image on the first daemon is copied again.
  local wanted have
  wanted="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
  have="$(extra image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
  if [[ "$wanted" != "$have" ]]; then
    say "loading $IMAGE into $NAME"
    docker save "$IMAGE" | extra load >/dev/null
  fi
  echo "unix://$SOCKET"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    say "stopping dockerd $pid"
    kill "$pid"
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && fail "dockerd $pid did not stop within 30 s"
  else
    say "not running"
  fi
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link delete "$BRIDGE"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 [start|stop]" ;;
esac
