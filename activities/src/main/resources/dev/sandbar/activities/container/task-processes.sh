# shellcheck shell=sh disable=SC2154,SC2317
# Every script Sandbar runs in a container writes each program it starts as $_B name: ScriptShell
# sets _B to the trusted busybox mounted at /.sandbar/bin/busybox (empty only in containers created
# before it existed), so nothing from the sandbox's own file system runs. Shell builtins (echo,
# read, kill, test) belong to that same trusted shell.
#
# Functions shared by the scripts that look at a task's processes. ContainerScripts puts this file
# in front of wrapper.sh, probe.sh and kill.sh; each sets d (the task directory) first, and p (the
# command's process group) before calling alive.
#
# boot prints the start time of the container's pid 1, which changes when the container restarts:
# a task recorded under another boot has no live processes, whatever pids now exist, and its
# recorded pids may belong to someone else.
#
# alive is true when a process of group $p exists that is not a zombie (a zombie cannot run again,
# and without an init it would never go away).
#
# The fields of /proc/<pid>/stat after the command name are split on purpose (SC2086): state is
# $1, process group $3, start time $20. None of them can hold a glob character. Not every script
# calls every function (SC2317), and d and p are set by the script that follows (SC2154).
# shellcheck disable=SC2086
boot() { read -r l < /proc/1/stat && set -- ${l##*) } && echo "${20}"; }
same_boot() {
  b0=$($_B head -c 64 "$d/boot" 2>/dev/null)
  [ -z "$b0" ] || [ "$b0" = "$(boot)" ]
}
alive() {
  [ -n "$p" ] && kill -0 -"$p" 2>/dev/null && same_boot || return 1
  for f in /proc/[0-9]*/stat; do
    read -r l 2>/dev/null < "$f" || continue
    # shellcheck disable=SC2086
    set -- ${l##*) }
    [ "$3" = "$p" ] && [ "$1" != Z ] && return 0
  done
  return 1
}
