# shellcheck shell=sh
# Starts a command under the wrapper and waits for it inside the container, so that a short command
# costs one docker exec: run (with the command's environment and working directory) as
#   sh -c RUN sandbar <wrapper> <taskDir> <command> <logCap> <streamCap> <keepStdin> <waitMs>
#     <streamBytes> <tailBytes>
# where <wrapper> is wrapper.sh's text. Prints one of
#   failed <code>   the wrapper could not set the task up (nothing runs)
#   nopid           no pid within about three seconds (the caller retries; the retry re-attaches)
#   running         the command runs on past <waitMs>: the caller waits for it as usual
#   ended <exit> <stdoutSize> <stderrSize> <logSize> <logCapped>
# the last followed by what collect.sh prints after its header (ContainerScripts appends it).
#
# - The wrapper runs in the background with its stdio on /dev/null, so this exec's stream closes as
#   soon as this script ends, whatever the command leaves behind; it is not a child Docker waits
#   for, and goes on after this exec (or the worker that started it) is gone.
# - Retrying is safe: the wrapper's mkdir guard makes a second start exit 0 at once without running
#   anything, and this script then waits for the first one's pid and exit like any other attempt.
# - Waiting is a loop of short pauses here in the container, not polls from the worker, so an exit
#   is seen within a few milliseconds; the pauses and the read of the exit code start no program.
w=$1; d=$2; m=$7; n=$8; t=$9
$_B sh -c "_B=$_B
$w" sandbar-exec "$d" "$3" "$4" "$5" "$6" < /dev/null > /dev/null 2>&1 &
j=$!
# Deadlines are on the clock of /proc/uptime in hundredths of a second, read with a builtin: the
# exec must end well inside the waiting activity's heartbeat timeout however slowly the loop runs.
now() { read -r u _ < /proc/uptime; u=${u%.*}${u#*.}; }
# nap: a pause of $1 seconds without starting a program (a fork and an exec cost milliseconds on a
# busy host): the trusted shell's read with a timeout on the tasks directory's fifo .nap (see
# wrapper.sh); sleep before the container's first task has made it, or under a container's own sh.
q=${d%/*}/.nap
nap() {
  if [ -n "$_B" ] && [ -p "$q" ] && [ -w "$q" ]; then read -r -t "$1" _ <> "$q"; else $_B sleep "$1"; fi
}
now; dl=$((u + 300))
i=0; o=
while [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ]; do
  if [ -z "$o" ] && ! kill -0 "$j" 2>/dev/null; then
    wait "$j"; o=$?
    # 0: another attempt's wrapper owns the task, so its pid is still to come.
    [ "$o" = 0 ] || { echo "failed $o"; exit 0; }
  fi
  now; [ "$u" -ge "$dl" ] && { echo nopid; exit 0; }
  if [ $i -lt 20 ]; then nap 0.001; else nap 0.01; fi
  i=$((i + 1))
done
# 1 ms pauses for the first 50 rounds, then 10 ms, until <waitMs> have passed.
now; dl=$((u + m / 10))
i=0
while [ ! -e "$d/exit" ]; do
  now; [ "$u" -ge "$dl" ] && break
  if [ $i -lt 50 ]; then nap 0.001; else nap 0.01; fi
  i=$((i + 1))
done
[ -e "$d/exit" ] || { echo running; exit 0; }
if [ -n "$_B" ]; then read -r -n 64 e < "$d/exit"; else e=$($_B head -c 64 "$d/exit"); fi
# The exit file is renamed into place whole: anything but a number is foreign, left to the wait.
case $e in ''|*[!0-9]*) echo running; exit 0 ;; esac
printf 'ended %s ' "$e"
set -- "$d" "$n" "$t"
