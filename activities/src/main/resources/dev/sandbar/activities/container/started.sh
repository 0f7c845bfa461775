# shellcheck shell=sh
# Run as sh -c STARTED sandbar <taskDir>: prints ready once the command's pid (or, after a failed
# set-up, its exit) exists, else waiting.
if [ -e "$1/pid" ] || [ -e "$1/exit" ]; then echo ready; else echo waiting; fi
