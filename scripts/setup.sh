#!/usr/bin/env bash
# Prepares this machine for Sandbar: picks a JDK >= 21, makes Docker reachable and builds the
# local busybox base image. Sourced by bin/sandbar and bin/test so both share one set-up path.
# Sourced by the bin/ scripts: remember the caller's shell options and give them back at the end.
_sandbar_caller_opts="$(set +o)"
set -euo pipefail

SANDBAR_IMAGE="${SANDBAR_IMAGE:-sandbar-base:latest}"

say() { echo "[sandbar setup] $*" >&2; }

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

pick_jdk() {
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in /usr/lib/jvm/*; do [[ -x "$d/bin/java" ]] && candidates+=("$d"); done
  for home in "${candidates[@]}"; do
    if [[ -x "$home/bin/java" && -x "$home/bin/javac" ]]; then
      local major
      major="$(java_major "$home/bin/java")"
      if [[ -n "$major" && "$major" -ge 21 ]]; then
        export JAVA_HOME="$home"
        export PATH="$JAVA_HOME/bin:$PATH"
        say "using JDK $major at $JAVA_HOME"
        return 0
      fi
    fi
  done
  say "no JDK >= 21 found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one (for example Temurin 21+) and set JAVA_HOME."
  exit 1
}

docker_ok() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# A daemon started here remaps container root to an unprivileged host range (dockerd creates the
# user dockremap and its /etc/subuid range). SANDBAR_USERNS_REMAP=off starts it without.
SANDBAR_USERNS_REMAP="${SANDBAR_USERNS_REMAP:-default}"

docker_has_userns() { docker info --format '{{.SecurityOptions}}' 2>/dev/null | grep -q 'name=userns'; }

warn_without_userns() {
  docker_has_userns && return 0
  say "WARNING: the running Docker daemon does not use user namespaces: root in a sandbox is root"
  say "WARNING: on this host. Sandbar does not restart a daemon it did not just start (containers"
  say "WARNING: of others may run on it). To switch: stop dockerd while no container runs, then"
  say "WARNING: source scripts/setup.sh again (it starts dockerd --userns-remap=default)."
}

start_dockerd() {
  nohup dockerd "$@" >>/var/log/sandbar-dockerd.log 2>&1 &
  _sandbar_dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker_ok && return 0
    kill -0 "$_sandbar_dockerd_pid" 2>/dev/null || return 1
    sleep 1
  done
  return 1
}

# With --userns-remap every container's root is one host uid (dockremap), and each container start
# and docker exec takes a session keyring counted against that uid's kernel key quota: the default
# (kernel.keys.maxkeys 200) fails execs past 200 at once on the whole host ("unable to create
# session key: disk quota exceeded"). Raised when lower and we may (root); harmless otherwise.
raise_key_quota() {
  [[ "$(id -u)" == 0 && -w /proc/sys/kernel/keys/maxkeys ]] || return 0
  if (($(cat /proc/sys/kernel/keys/maxkeys) < 20000)); then
    echo 20000 >/proc/sys/kernel/keys/maxkeys 2>/dev/null || true
  fi
  if (($(cat /proc/sys/kernel/keys/maxbytes) < 2000000)); then
    echo 2000000 >/proc/sys/kernel/keys/maxbytes 2>/dev/null || true
  fi
}

ensure_docker() {
  raise_key_quota
  if docker_ok; then
    warn_without_userns
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    if [[ -f /etc/debian_version && "$(id -u)" == 0 ]]; then
      say "Docker is not installed: installing docker.io with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    else
      say "Docker is not reachable and cannot be installed here (needs Debian and root). Start a Docker daemon and retry."
      exit 1
    fi
  fi
  if [[ "$(id -u)" != 0 ]]; then
    say "Docker is installed but no daemon answers, and only root may start one here. Start dockerd and retry."
    exit 1
  fi
  : >/var/log/sandbar-dockerd.log
  if [[ "$SANDBAR_USERNS_REMAP" != off ]]; then
    say "starting dockerd --userns-remap=$SANDBAR_USERNS_REMAP in the background (log: /var/log/sandbar-dockerd.log)"
    if start_dockerd --userns-remap="$SANDBAR_USERNS_REMAP"; then
      say "dockerd is up, container root remapped ($(grep '^dockremap:' /etc/subuid 2>/dev/null || echo 'see /etc/subuid'))"
      return 0
    fi
    # A kernel that refuses user namespaces for containers: say why, then run without them.
    say "WARNING: dockerd with --userns-remap did not come up; last lines of its log:"
    tail -n 5 /var/log/sandbar-dockerd.log >&2 || true
    kill "$_sandbar_dockerd_pid" 2>/dev/null || true
    sleep 2
  fi
  say "starting dockerd WITHOUT user namespaces in the background (log: /var/log/sandbar-dockerd.log)"
  if start_dockerd; then
    say "dockerd is up"
    warn_without_userns
    return 0
  fi
  say "dockerd did not answer within 60 s; see /var/log/sandbar-dockerd.log"
  exit 1
}

ensure_base_image() {
  if docker image inspect "$SANDBAR_IMAGE" >/dev/null 2>&1; then return 0; fi
  local busybox
  busybox="$(command -v busybox || true)"
  if [[ -z "$busybox" ]] || ldd "$busybox" >/dev/null 2>&1; then
    if [[ -f /etc/debian_version && "$(id -u)" == 0 ]]; then
      say "installing busybox-static to build the base image"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
      busybox=/bin/busybox
    else
      say "a statically linked busybox is needed to build $SANDBAR_IMAGE; install busybox-static"
      exit 1
    fi
  fi
  say "building base image $SANDBAR_IMAGE from $busybox (no registry needed)"
  local rootfs
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs"/{bin,tmp,data,etc,root,proc,sys,dev}
  chmod 1777 "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$SANDBAR_IMAGE" >/dev/null
  rm -rf "$rootfs"
  say "built $SANDBAR_IMAGE"
}

pick_jdk
ensure_docker
ensure_base_image
if [[ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]]; then
  # gRPC and protobuf use sun.misc.Unsafe and native access; JDK 24+ warns about both.
  export JDK_EXTRA_OPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
  export MAVEN_OPTS="${MAVEN_OPTS:-} $JDK_EXTRA_OPTS"
fi
eval "$_sandbar_caller_opts"
unset _sandbar_caller_opts
