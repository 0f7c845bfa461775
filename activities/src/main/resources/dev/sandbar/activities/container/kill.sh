# shellcheck shell=sh
# Kills a task's process group, run (after task-processes.sh) as sh -c KILL sandbar <taskDir>
# <polls>. TERM to the group, up to <polls> polls 50 ms apart for it to go, then KILL, then up to
# the same again for the kernel to finish. Exit 3 means something in the group survived even KILL
# (a process in uninterruptible sleep); the caller retries.
#
# A kill can overtake its start (the workflow gives up on a start activity that is still in
# flight): with no task directory yet, it creates one recording exit 137 so the start, finding the
# directory, never runs the command; with a directory but no pid yet, it waits for the pid.
d=$1; n=$2
if [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ]; then
  $_B mkdir -p "${d%/*}" 2>/dev/null
  if $_B mkdir "$d" 2>/dev/null; then
    : > "$d/stdout"
    echo "sandbar-exec: killed before it started" > "$d/stderr"
    $_B cp "$d/stderr" "$d/output.log"
    echo 137 > "$d/exit.tmp" && $_B mv -f "$d/exit.tmp" "$d/exit"
    exit 0
  fi
  i=0
  while [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ] && [ $i -lt "$n" ]; do
    $_B sleep 0.05
    i=$((i + 1))
  done
fi
p=$($_B head -c 64 "$d/pid" 2>/dev/null)
alive || exit 0
kill -TERM -"$p" 2>/dev/null
i=0
while alive; do
  [ $i -ge "$n" ] && break
  $_B sleep 0.05
  i=$((i + 1))
done
alive || exit 0
kill -KILL -"$p" 2>/dev/null
i=0
while alive; do
  [ $i -ge "$n" ] && exit 3
  $_B sleep 0.05
  i=$((i + 1))
done
exit 0
