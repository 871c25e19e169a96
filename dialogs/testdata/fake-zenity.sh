#!/bin/sh
# A stand-in for zenity in tests. State lives in $FAKE_ZENITY_DIR:
#   argv.N   the arguments of call N, NUL-separated (written)
#   env.N    its environment (written)
#   hang     if present, the call blocks (exec, so a kill reaches it)
#   out.N    printed on stdout by call N, if present
#   rc.N/rc  exit status of call N, else of every call, else 0
[ -n "$FAKE_ZENITY_DIR" ] || exit 99
d=$FAKE_ZENITY_DIR
n=$(cat "$d/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$d/count"
printf '%s\0' "$@" > "$d/argv.$n"
env > "$d/env.$n"
[ -f "$d/hang" ] && exec sleep 60
[ -f "$d/out.$n" ] && cat "$d/out.$n"
if [ -f "$d/rc.$n" ]; then exit "$(cat "$d/rc.$n")"; fi
if [ -f "$d/rc" ]; then exit "$(cat "$d/rc")"; fi
exit 0
