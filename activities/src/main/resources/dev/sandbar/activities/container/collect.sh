# shellcheck shell=sh
# A finished task's output, run as sh -c COLLECT sandbar <taskDir> <streamBytes> <tailBytes>.
# Prints "<stdoutSize> <stderrSize> <logSize> <logCapped>" (logCapped 1 when the wrapper stopped
# storing output at the task's cap), then the first <streamBytes> bytes of stdout and of
# stderr and the last <tailBytes> bytes of the log. Sizes are taken once and every read is bounded
# by them, so output still arriving (from a process the command left behind) cannot shift the
# boundaries.
d=$1; n=$2; t=$3
a=$($_B stat -c %s "$d/stdout" 2>/dev/null) || a=0
b=$($_B stat -c %s "$d/stderr" 2>/dev/null) || b=0
c=$($_B stat -c %s "$d/output.log" 2>/dev/null) || c=0
k=0; [ -e "$d/truncated" ] && k=1
echo "$a $b $c $k"
x=$a; [ "$x" -gt "$n" ] && x=$n
[ "$x" -gt 0 ] && $_B head -c "$x" "$d/stdout"
x=$b; [ "$x" -gt "$n" ] && x=$n
[ "$x" -gt 0 ] && $_B head -c "$x" "$d/stderr"
x=$c; [ "$x" -gt "$t" ] && x=$t
[ "$x" -gt 0 ] && $_B tail -c +$((c - x + 1)) "$d/output.log" | $_B head -c "$x"
exit 0
