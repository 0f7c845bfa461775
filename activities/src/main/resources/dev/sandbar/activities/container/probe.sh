# shellcheck shell=sh
# One poll of a task, run (after task-processes.sh) as sh -c PROBE sandbar <taskDir> <deep|shallow>
# <tailBytes>. Prints "<exit|-> <outputBytes> <groupAlive> <wrapperAlive> <taskKnown>
# <readingStdin>" on one line; when deep, also the last <tailBytes> bytes of the log after it. The
# liveness checks come before the exit file is read, so a process that ended between the two is
# always seen with its exit code.
#
# readingStdin: a process of the group that sleeps in a pipe read or a poll with its stdin on the
# task's stdin fifo. Nothing can ever be written to that fifo, so such a process waits for input
# that will not come, exactly like one sitting at a prompt; `read x` prints nothing, so this is the
# only way to see it. Where the kernel hides wchan this reports 0 and only prompt-looking output
# counts.
d=$1; deep=$2; n=$3
p=$($_B head -c 64 "$d/pid" 2>/dev/null)
w=$($_B head -c 64 "$d/wrapper" 2>/dev/null)
g=0; alive && g=1
r=0; [ -n "$w" ] && kill -0 "$w" 2>/dev/null && same_boot && r=1
e=$($_B head -c 64 "$d/exit" 2>/dev/null); [ -n "$e" ] || e=-
s=$($_B stat -c %s "$d/output.log" 2>/dev/null) || s=0
k=0; [ -d "$d" ] && k=1
b=0
if [ "$deep" = deep ] && [ $g = 1 ]; then
  for f in /proc/[0-9]*/stat; do
    read -r l 2>/dev/null < "$f" || continue
    # shellcheck disable=SC2086
    set -- ${l##*) }
    # Skip the process unless it is in the group and sleeping (SC2015: both cases continue).
    # shellcheck disable=SC2015
    [ "$3" = "$p" ] && [ "$1" = S ] || continue
    q=${f%/stat}
    [ "$($_B readlink "$q/fd/0" 2>/dev/null)" = "$d/stdin" ] || continue
    case "$($_B head -c 64 "$q/wchan" 2>/dev/null)" in
      *pipe_read*|pipe_wait|poll_schedule_timeout*|do_select|core_sys_select) b=1 ;;
    esac
  done
fi
echo "$e $s $g $r $k $b"
if [ "$deep" = deep ]; then $_B tail -c "$n" "$d/output.log" 2>/dev/null; fi
