# shellcheck shell=sh
# The command wrapper, run (after task-processes.sh) as
#   sh -c WRAPPER sandbar-exec <taskDir> <command> <logCap> <streamCap> <keepStdin>
# The user's command only ever travels as $2 and runs as sh -c "$2", so no quoting in it can reach
# this text.
#
# - mkdir of the task directory is the idempotency guard: a retried start finds it and exits at
#   once, so a command never runs twice.
# - setsid gives the command its own process group (the wrapper's background job is never a group
#   leader, so busybox setsid does not fork and $! is the command), which is what kill signals; the
#   wrapper and the tees stay outside it so the exit code is still written after a kill.
# - The command runs under the sandbox's own sh, found on its PATH: it is the user's code, in the
#   user's environment. Everything else here is the trusted busybox ($_B). Busybox prefers its own
#   applets to PATH lookups, so the sandbox's sh is named by its full path.
# - stdin is a fifo opened read-write: the command holds a writer itself, so a read blocks instead
#   of seeing EOF. That is what makes a command waiting for input visible as a stall rather than
#   failing on an empty stdin.
# - With <keepStdin> 1 (exec with "stdin": true) the command reads the fifo read-only instead, and a
#   holder (a trusted sleep, outside the command's group, pid in stdin.holder) keeps it open for
#   writing: input written to the fifo by stdin.sh reaches the command, and killing the holder
#   (stdin.sh close) is the command's EOF. The wrapper kills the holder once the command ends.
# - Output is capped (TaskOutputCap): stdout and stderr keep their first <streamCap> bytes each,
#   output.log (both, interleaved, through log.pipe) its first <logCap> bytes. Past a cap the
#   output is still read, so the command never blocks or dies of SIGPIPE, but dropped; a log that
#   reached its cap is marked by the file truncated. The wrapper holds log.pipe open (fd 3) until
#   both tees are done, so the log's reader sees the end only once, whichever tee ends first.
# - /.sandbar-env, where present, is sourced just before the command: the environment of a sandbox
#   claimed from the warm pool, whose container's own environment was fixed before it was claimed
#   (see SandboxEnvFile; it leaves alone what the exec request set).
# - boot records which start of the container the pids belong to (see task-processes.sh).
# - After the command ends the wrapper gives the tees a bounded moment (about 2 s) to drain (a background
#   process the command left behind may hold the pipes open for ever), then renames the exit code
#   into place.
#
# Exit codes of its own: 125 when the tasks directory cannot be created (nothing was started), 126
# (written as the task's exit code) when the pipes cannot be created.
d=$1; c=$2; L=$3; S=$4; K=$5
[ -d "${d%/*}" ] || $_B mkdir -p "${d%/*}" || exit 125
[ -p "${d%/*}/.nap" ] || $_B mkfifo "${d%/*}/.nap" 2>/dev/null
$_B mkdir "$d" 2>/dev/null || exit 0
boot > "$d/boot"
echo $$ > "$d/wrapper"
: > "$d/stdout"; : > "$d/stderr"; : > "$d/output.log"
finish() { echo "$1" > "$d/exit.tmp" && $_B mv -f "$d/exit.tmp" "$d/exit"; exit 0; }
# nap: the pause of the drain loops' $1-th round, 1 ms for the first twenty (the tees end together
# with the command in nearly every case, and a short command's answer waits for them), then 20 ms;
# a builtin read under the trusted busybox, sleep under a container's own sh (whose read may have
# no timeout).
q=${d%/*}/.nap
nap() {
  x=0.02; [ "$1" -lt 20 ] && x=0.001
  if [ -n "$_B" ] && [ -p "$q" ] && [ -w "$q" ]; then read -r -t $x _ <> "$q"; else $_B sleep $x; fi
}
if ! $_B mkfifo "$d/stdin" "$d/stdout.pipe" "$d/stderr.pipe" "$d/log.pipe"; then
  echo "sandbar-exec: cannot create the task's pipes" >> "$d/output.log"
  echo "sandbar-exec: cannot create the task's pipes" >> "$d/stderr"
  finish 126
fi
u=sh
if [ -n "$_B" ]; then
  u=/bin/sh; o=$IFS; IFS=:
  for x in $PATH; do [ -x "${x:-.}/sh" ] && { u=${x:-.}/sh; break; }; done
  IFS=$o
fi
# keep: the first $1 bytes of stdin into file $2 as they come (dd, unlike head, does not buffer
# them), then read the rest and drop it. dd reads on through short reads until $1 bytes or the
# end, so a file below $1 (an empty one needs no stat) holds everything; dd may read past $1 and
# drop the excess, so a file that reached $1 counts as cut.
keep() {
  $_B dd bs=65536 count="$1" iflag=count_bytes status=none > "$2"
  if [ "$1" -gt 0 ] && { [ ! -s "$2" ] || [ "$($_B stat -c %s "$2")" -lt "$1" ]; }; then
    return 0
  fi
  : > "$d/truncated"
  $_B wc -c > /dev/null
}
exec 3<> "$d/log.pipe"
{ keep "$L" "$d/output.log" < "$d/log.pipe"; : > "$d/log.done"; } 3>&- &
{ $_B tee "$d/log.pipe" < "$d/stdout.pipe" | keep "$S" "$d/stdout"; : > "$d/stdout.done"; } 3>&- &
{ $_B tee "$d/log.pipe" < "$d/stderr.pipe" | keep "$S" "$d/stderr"; : > "$d/stderr.done"; } 3>&- &
# The command's stdin is opened as fd 4 first and handed over explicitly: a background job of a
# non-interactive shell gets /dev/null as stdin unless its own redirection says otherwise. The
# wrapper closes its copy at once, so only the command (and the holder) keep the fifo.
h=
if [ "$K" = 1 ]; then
  $_B sleep 2147483647 <> "$d/stdin" > /dev/null 2>&1 3>&- &
  h=$!
  echo "$h" > "$d/stdin.holder"
  : > "$d/stdin.keep"
  exec 4< "$d/stdin"
else
  exec 4<> "$d/stdin"
fi
# The inner script's $$ is the command's group; single quotes keep it for that shell.
# shellcheck disable=SC2016
$_B setsid $_B sh -c 'echo $$ > "$1/pid.tmp" && $3 mv -f "$1/pid.tmp" "$1/pid" && { [ ! -r /.sandbar-env ] || . /.sandbar-env; } && exec "$4" -c "$2"' \
  sandbar-command "$d" "$c" "$_B" "$u" <&4 4<&- > "$d/stdout.pipe" 2> "$d/stderr.pipe" 3>&- &
exec 4<&-
wait $!
code=$?
[ -n "$h" ] && kill "$h" 2>/dev/null
i=0
while [ ! -e "$d/stdout.done" ] || [ ! -e "$d/stderr.done" ]; do
  [ $i -ge 120 ] && break
  nap $i
  i=$((i + 1))
done
exec 3>&-
i=0
while [ ! -e "$d/log.done" ]; do
  [ $i -ge 120 ] && break
  nap $i
  i=$((i + 1))
done
finish $code
