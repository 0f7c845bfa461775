# shellcheck shell=sh
# The files API's look at a sandbox's file system, run as sh -c FILES sandbar <op> <path>, where
# <path> is absolute and normalised (the API checked it). Ops:
#   stat   prints "link" and the path's real path on a second line when a component of the path is
#          a symbolic link (the files API never follows one); else "<kind> <uid> <gid> <mode>" of
#          the path when it exists (kind file, dir or other), or "none <uid> <gid> <mode>" of its
#          nearest existing ancestor, or "notdir" when that ancestor is not a directory.
#   list   one line per entry of the directory: "<type> <size> <mode> <mtime> <base64 name>"
#          (names may hold any byte but / and NUL, so they travel encoded).
#   remove removes the path and everything under it.
#   mkdir  makes the directory and its missing parents.
#   move   renames the path to the path given as a third argument (checked as the first), replacing
#          a file there.
# Globbing is off for the path's split; busybox stat does not follow links unless asked.
op=$1; p=$2; d=$3
case $op in
  stat)
    set -f
    q=; a=/; o=$IFS; IFS=/
    for c in $p; do
      [ -z "$c" ] && continue
      q="$q/$c"
      if [ -L "$q" ]; then IFS=$o; echo link; $_B readlink -f "$p"; exit 0; fi
      [ -e "$q" ] || break
      a=$q
    done
    IFS=$o
    if [ "$a" = "$p" ]; then
      k=other; [ -f "$p" ] && k=file; [ -d "$p" ] && k=dir
      echo "$k $($_B stat -c '%u %g %a' "$p")"
    elif [ -d "$a" ]; then
      echo "none $($_B stat -c '%u %g %a' "$a")"
    else
      echo notdir
    fi
    ;;
  list)
    b=${p%/}
    for f in "$b"/* "$b"/.[!.]* "$b"/..?*; do
      [ -e "$f" ] || [ -L "$f" ] || continue
      if [ -L "$f" ]; then t=symlink; elif [ -d "$f" ]; then t=directory
      elif [ -f "$f" ]; then t=file; else t=other; fi
      echo "$t $($_B stat -c '%s %a %Y' "$f") $(printf %s "${f##*/}" | $_B base64 -w 0)"
    done
    ;;
  remove) $_B rm -rf -- "$p" ;;
  mkdir) $_B mkdir -p -- "$p" ;;
  move) $_B mv -f -- "$p" "$d" ;;
  *) exit 2 ;;
esac
