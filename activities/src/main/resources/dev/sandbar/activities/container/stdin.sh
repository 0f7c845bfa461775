# shellcheck shell=sh
# Writes to or closes a task's stdin, run (after task-processes.sh) as
#   sh -c STDIN sandbar <taskDir> <writeId> <write|close> <base64Data>
# Prints one word: ok, notstarted (see below), nostdin (the command was not started with stdin
# kept open), ended (it has ended) or closed (its stdin was closed before this write). mkdir of stdin.ids/<writeId> makes each
# write happen at most once: a retried activity finds it and answers ok without writing again.
# A close marks stdin.closed, then kills the holder (see wrapper.sh), checking that the recorded
# pid is still the holder of this task's fifo so a reused pid is never signalled.
#
# A write can overtake the command's start (the API answers a background exec once its task is
# recorded): it waits up to 5 s for the wrapper to record the pid or an exit, else prints
# notstarted and the activity is retried.
d=$1; w=$2; m=$3
i=0
while [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ] && [ $i -lt 100 ]; do
  $_B sleep 0.05
  i=$((i + 1))
done
[ -e "$d/pid" ] || [ -e "$d/exit" ] || { echo notstarted; exit 0; }
[ -e "$d/stdin.keep" ] || { echo nostdin; exit 0; }
$_B mkdir -p "$d/stdin.ids" || exit 1
if [ "$m" = close ]; then
  : > "$d/stdin.closed"
  h=$($_B head -c 64 "$d/stdin.holder" 2>/dev/null)
  if [ -n "$h" ] && same_boot && [ "$($_B readlink "/proc/$h/fd/0" 2>/dev/null)" = "$d/stdin" ]; then
    kill "$h" 2>/dev/null
  fi
  echo ok
  exit 0
fi
[ -e "$d/exit" ] && { echo ended; exit 0; }
[ -e "$d/stdin.closed" ] && { echo closed; exit 0; }
$_B mkdir "$d/stdin.ids/$w" 2>/dev/null || { echo ok; exit 0; }
printf %s "$4" | $_B base64 -d 1<> "$d/stdin" || exit 1
echo ok
exit 0
