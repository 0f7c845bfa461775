# shellcheck shell=sh
# Removes ended tasks' directories, run as sh -c REMOVE sandbar <taskDir>...: what the task pruner
# does in the container before it deletes the tasks' rows. Idempotent: a directory already gone is
# fine.
for d in "$@"; do
  $_B rm -rf "$d" || exit 1
done
exit 0
