# shellcheck shell=sh
# New bytes of a task's stdout and stderr, run as
#   sh -c STREAMS sandbar <taskDir> <stdoutOffset> <stderrOffset> <limit> <polls>
# Waits up to <polls> polls 100 ms apart for either file to grow past its offset or the exit code
# to appear, then prints "<exit|-> <stdoutSize> <stderrSize> <stdoutBytes> <stderrBytes>
# <truncated> <known>" and <stdoutBytes> bytes of stdout from its offset, then <stderrBytes> of
# stderr. The exit code is read before the sizes: the wrapper writes it only after the tees are
# done, so sizes read after it are final and a reader that reached them has everything.
d=$1; o=$2; r=$3; n=$4; w=$5
i=0
while :; do
  [ -d "$d" ] || { echo "- 0 0 0 0 0 0"; exit 0; }
  e=$($_B head -c 64 "$d/exit" 2>/dev/null); [ -n "$e" ] || e=-
  a=$($_B stat -c %s "$d/stdout" 2>/dev/null) || a=0
  b=$($_B stat -c %s "$d/stderr" 2>/dev/null) || b=0
  if [ "$e" != - ] || [ "$a" -gt "$o" ] || [ "$b" -gt "$r" ] || [ $i -ge "$w" ]; then break; fi
  $_B sleep 0.1
  i=$((i + 1))
done
x=$((a - o)); [ "$x" -gt "$n" ] && x=$n; [ "$x" -lt 0 ] && x=0
y=$((b - r)); [ "$y" -gt "$n" ] && y=$n; [ "$y" -lt 0 ] && y=0
k=0; [ -e "$d/truncated" ] && k=1
echo "$e $a $b $x $y $k 1"
[ "$x" -gt 0 ] && $_B tail -c +$((o + 1)) "$d/stdout" | $_B head -c "$x"
[ "$y" -gt 0 ] && $_B tail -c +$((r + 1)) "$d/stderr" | $_B head -c "$y"
exit 0
