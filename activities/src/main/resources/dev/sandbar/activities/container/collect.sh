# shellcheck shell=sh
# A finished task's output, run as sh -c COLLECT sandbar <taskDir> <streamBytes> <tailBytes>.
# Prints "<stdoutSize> <stderrSize> <logSize> <logCapped>" (logCapped 1 when the wrapper stopped
# storing output at the task's cap), then the first <streamBytes> bytes of stdout and of
# stderr and the last <tailBytes> bytes of the log. Sizes are taken once and every read is bounded
# by them, so output still arriving (from a process the command left behind) cannot shift the
# boundaries.
d=$1; n=$2; t=$3
# An empty or missing file is size 0 without a stat (most commands leave stderr, many stdout empty).
a=0; [ -s "$d/stdout" ] && { a=$($_B stat -c %s "$d/stdout" 2>/dev/null) || a=0; }
b=0; [ -s "$d/stderr" ] && { b=$($_B stat -c %s "$d/stderr" 2>/dev/null) || b=0; }
c=0; [ -s "$d/output.log" ] && { c=$($_B stat -c %s "$d/output.log" 2>/dev/null) || c=0; }
k=0; [ -e "$d/truncated" ] && k=1
echo "$a $b $c $k"
x=$a; [ "$x" -gt "$n" ] && x=$n
[ "$x" -gt 0 ] && $_B head -c "$x" "$d/stdout"
x=$b; [ "$x" -gt "$n" ] && x=$n
[ "$x" -gt 0 ] && $_B head -c "$x" "$d/stderr"
x=$c; [ "$x" -gt "$t" ] && x=$t
# The trusted busybox reads the tail with one program; a container's own tools (which may lack
# dd's byte flags) with two.
if [ "$x" -gt 0 ] && [ -n "$_B" ]; then
  $_B dd if="$d/output.log" bs=65536 skip=$((c - x)) count="$x" iflag=skip_bytes,count_bytes \
    status=none
elif [ "$x" -gt 0 ]; then
  $_B tail -c +$((c - x + 1)) "$d/output.log" | $_B head -c "$x"
fi
exit 0
