# shellcheck shell=sh
# The command wrapper, run (after task-processes.sh) as
#   sh -c WRAPPER sandbar-exec <taskDir> <command>
# The user's command only ever travels as $2 and runs as sh -c "$2", so no quoting in it can reach
# this text.
#
# - mkdir of the task directory is the idempotency guard: a retried start finds it and exits at
#   once, so a command never runs twice.
# - setsid gives the command its own process group (the wrapper's background job is never a group
#   leader, so busybox setsid does not fork and $! is the command), which is what kill signals; the
#   wrapper and the tees stay outside it so the exit code is still written after a kill.
# - stdin is a fifo opened read-write: the command holds a writer itself, so a read blocks instead
#   of seeing EOF. That is what makes a command waiting for input visible as a stall rather than
#   failing on an empty stdin.
# - boot records which start of the container the pids belong to (see task-processes.sh).
# - After the command ends the wrapper gives the tees a bounded moment to drain (a background
#   process the command left behind may hold the pipes open for ever), then renames the exit code
#   into place.
#
# Exit codes of its own: 125 when the tasks directory cannot be created (nothing was started), 126
# (written as the task's exit code) when the pipes cannot be created.
d=$1
mkdir -p "${d%/*}" || exit 125
mkdir "$d" 2>/dev/null || exit 0
boot > "$d/boot"
echo $$ > "$d/wrapper"
: > "$d/stdout"; : > "$d/stderr"; : > "$d/output.log"
finish() { echo "$1" > "$d/exit.tmp" && mv -f "$d/exit.tmp" "$d/exit"; exit 0; }
if ! mkfifo "$d/stdin" "$d/stdout.pipe" "$d/stderr.pipe"; then
  echo "sandbar-exec: cannot create the task's pipes" | tee -a "$d/output.log" >> "$d/stderr"
  finish 126
fi
{ tee -a "$d/output.log" < "$d/stdout.pipe" > "$d/stdout"; : > "$d/stdout.done"; } &
{ tee -a "$d/output.log" < "$d/stderr.pipe" > "$d/stderr"; : > "$d/stderr.done"; } &
# The inner script's $$ is the command's group; single quotes keep it for that shell.
# shellcheck disable=SC2016
setsid sh -c 'echo $$ > "$1/pid.tmp" && mv -f "$1/pid.tmp" "$1/pid" && exec sh -c "$2"' \
  sandbar-command "$d" "$2" <> "$d/stdin" > "$d/stdout.pipe" 2> "$d/stderr.pipe" &
wait $!
code=$?
i=0
while [ ! -e "$d/stdout.done" ] || [ ! -e "$d/stderr.done" ]; do
  [ $i -ge 100 ] && break
  sleep 0.02
  i=$((i + 1))
done
finish $code
