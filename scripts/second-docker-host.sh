#!/usr/bin/env bash
# Starts (or stops) a second Docker daemon on this machine, so Sandbar's multi-host tests can run
# two host workers against two real daemons. Idempotent; needs root. Prints the daemon's socket.
#
#   scripts/second-docker-host.sh          start it (if not running) and print its socket
#   scripts/second-docker-host.sh stop     stop it (its data root is kept for the next start)
#
# The daemon has its own data root, exec root, socket, pid file and bridge, and leaves iptables
# and masquerading alone, so the first daemon (docker0, its rules, its containers) is untouched.
# It must never run with --bridge=none: that makes dockerd delete docker0, the first daemon's
# bridge. No registry is reachable here, so the base image is copied from the first daemon.
set -euo pipefail

NAME="${SANDBAR_HOST2_NAME:-sandbar-host2}"
BRIDGE="${SANDBAR_HOST2_BRIDGE:-sbhost2br0}"
BRIDGE_CIDR="${SANDBAR_HOST2_BRIDGE_CIDR:-172.31.250.1/24}"
IMAGE="${SANDBAR_IMAGE:-sandbar-base:latest}"
DATA_ROOT="/var/lib/$NAME"
EXEC_ROOT="/run/$NAME"
SOCKET="/run/$NAME.sock"
PIDFILE="/run/$NAME.pid"
LOG="/var/log/$NAME-dockerd.log"

say() { echo "[second-docker-host] $*" >&2; }
fail() {
  say "$*"
  exit 1
}

host2() { docker -H "unix://$SOCKET" "$@"; }

running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

answers() { host2 version --format '{{.Server.Version}}' >/dev/null 2>&1; }

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
    || fail "$IMAGE is missing on the first daemon: source scripts/setup.sh first"
  if ! running_pid >/dev/null || ! answers; then
    if pid="$(running_pid)"; then
      say "dockerd $pid does not answer on $SOCKET yet; waiting for it"
    else
      ensure_bridge
      mkdir -p "$DATA_ROOT" "$EXEC_ROOT"
      say "starting dockerd on $SOCKET (bridge $BRIDGE $BRIDGE_CIDR, log $LOG)"
      # setsid: the daemon outlives the shell (and the test JVM) that started it.
      setsid nohup dockerd \
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
  # Compare image ids: a rebuilt base image on the first daemon is copied again.
  local wanted have
  wanted="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
  have="$(host2 image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
  if [[ "$wanted" != "$have" ]]; then
    say "loading $IMAGE into the second daemon"
    docker save "$IMAGE" | host2 load >/dev/null
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
