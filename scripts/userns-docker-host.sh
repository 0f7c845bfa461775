#!/usr/bin/env bash
# Starts (or stops) a Docker daemon with user-namespace remapping (--userns-remap=default) beside
# the main one, so the tests can prove that Sandbar's containers work under it and that container
# root is not host root there. Idempotent; needs root. Prints the daemon's socket.
#
#   scripts/userns-docker-host.sh          start it (if not running) and print its socket
#   scripts/userns-docker-host.sh stop     stop it (its data root is kept for the next start)
#
# Own data root, exec root, socket, pid file and bridge; iptables and masquerading left alone, so
# the main daemon (docker0, its rules, its containers) is untouched. Never --bridge=none: that makes
# dockerd delete docker0. dockerd creates the user dockremap and its /etc/subuid and /etc/subgid
# ranges on first start. No registry is reachable, so the base image comes from the main daemon.
set -euo pipefail

NAME=sandbar-userns
BRIDGE="${SANDBAR_USERNS_BRIDGE:-sbtestbr0}"
BRIDGE_CIDR="${SANDBAR_USERNS_BRIDGE_CIDR:-172.31.251.1/24}"
IMAGE="${SANDBAR_IMAGE:-sandbar-base:latest}"
SOCKET="/run/$NAME.sock"
PIDFILE="/run/$NAME.pid"
LOG="/var/log/$NAME-dockerd.log"

say() { echo "[userns-docker-host] $*" >&2; }
fail() {
  say "$*"
  exit 1
}
userns() { docker -H "unix://$SOCKET" "$@"; }
running_pid() {
  [[ -f "$PIDFILE" ]] || return 1
  local pid
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
answers() { userns version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
  [[ "$(id -u)" == 0 ]] || fail "must run as root (it creates a bridge and starts dockerd)"
  command -v dockerd >/dev/null 2>&1 || fail "dockerd is not installed (scripts/setup.sh installs it)"
  docker image inspect "$IMAGE" >/dev/null 2>&1 \
    || fail "$IMAGE is missing on the main daemon: source scripts/setup.sh first"
  if ! answers; then
    if ! running_pid >/dev/null; then
      ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
      ip -4 addr show dev "$BRIDGE" | grep -q "inet ${BRIDGE_CIDR%/*}/" \
        || ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
      ip link set "$BRIDGE" up
      mkdir -p "/var/lib/$NAME" "/run/$NAME"
      say "starting dockerd --userns-remap=default on $SOCKET (bridge $BRIDGE, log $LOG)"
      # setsid: the daemon outlives the shell (and the test JVM) that started it.
      setsid nohup dockerd --userns-remap=default \
        --data-root "/var/lib/$NAME" --exec-root "/run/$NAME" -H "unix://$SOCKET" \
        --pidfile "$PIDFILE" -b "$BRIDGE" --iptables=false --ip-masq=false \
        >>"$LOG" 2>&1 </dev/null &
    fi
    for _ in $(seq 1 60); do
      answers && break
      sleep 1
    done
    answers || fail "dockerd did not answer on $SOCKET within 60 s; last lines of $LOG:
$(tail -n 20 "$LOG" 2>/dev/null)"
  fi
  userns info --format '{{.SecurityOptions}}' | grep -q 'name=userns' \
    || fail "the daemon on $SOCKET runs without user namespaces"
  local wanted have
  wanted="$(docker image inspect --format '{{.Id}}' "$IMAGE")"
  have="$(userns image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
  if [[ "$wanted" != "$have" ]]; then
    say "loading $IMAGE into the userns daemon"
    docker save "$IMAGE" | userns load >/dev/null
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
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link delete "$BRIDGE"; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 [start|stop]" ;;
esac
