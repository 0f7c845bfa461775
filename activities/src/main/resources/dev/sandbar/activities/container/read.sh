# shellcheck shell=sh
# A slice of a task's log, run as sh -c READ sandbar <taskDir> <offset> <limit>. Prints the log's
# size (or - when there is none), then bytes [offset, offset+limit) of it, bounded by that size so
# the answer is one consistent snapshot.
f=$1/output.log; o=$2; n=$3
[ -f "$f" ] || { echo -; exit 0; }
s=$($_B stat -c %s "$f")
echo "$s"
k=$((s - o)); [ "$k" -gt "$n" ] && k=$n
[ "$k" -gt 0 ] && $_B tail -c +$((o + 1)) "$f" | $_B head -c "$k"
exit 0
