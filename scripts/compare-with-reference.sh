#!/usr/bin/env bash
# Differential test of our server against the reference Pushpin 1.36: the same requests through both, on the same
# pushpin.conf + routes, compared field by field (what the origin saw, what the client got).
#
#   scripts/compare-with-reference.sh [-k SUBSTR]... [-v] [--log] [--ref-only]
#
#   -k SUBSTR   only cases whose name contains SUBSTR (repeatable)
#   -v          print the full normalized views of every case
#   --log       also compare the request log lines ("GET http://h/p -> target code=200 17", prefix ignored)
#   --ref-only  do not start ours (every case is then a DIFF; useful to look at the reference's behaviour with -v)
#
# Ports: origin 18391, WebSocket origin 18392, reference 18300 (port_offset 1300), ours 18310 (port_offset 1400),
# 18399 stays unbound. The WebSocket cases (scripts/compare_ws.py) need Debian's python3-websockets.
# Work files (configs, logs, results JSON) go to $PP_WORK (default: a new temp dir, printed at the end).
# Exit status: 0 if every case matched, 1 otherwise. Cases and profiles live in scripts/compare_reference.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
py=/usr/bin/python3
helper="$here/compare_reference.py"

REF_PORT=18300 REF_OFFSET=1300 OURS_PORT=18310 OURS_OFFSET=1400 ORIGIN_PORT=18391
kargs=() verbose=() ref_only=0 log=0
while [ $# -gt 0 ]; do
  case $1 in
    -k) kargs+=(-k "$2"); shift 2 ;;
    -v) verbose=(-v); shift ;;
    --ref-only) ref_only=1; shift ;;
    --log) log=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

pp_need pushpin pushpin
pp_need curl curl
work=${PP_WORK:-$(mktemp -d -t pp-compare.XXXXXX)}
mkdir -p "$work"
trap stop_all EXIT
trap 'exit 130' INT TERM

"$py" -c 'import websockets' 2>/dev/null ||
  pp_log "warning: python3-websockets missing (apt-get install python3-websockets): WebSocket cases will fail"
for p in $REF_PORT $OURS_PORT $ORIGIN_PORT 18392 18399; do
  if pp_port_busy "$p"; then echo "port $p is already in use" >&2; exit 2; fi
done

# Our server: build the jar if it is missing (bin/pushpin would, but within the start-up timeout).
ours_down=""
if [ "$ref_only" = 1 ]; then
  ours_down="not started (--ref-only)"
elif [ -z "${PP_OURS_CMD:-}" ] && [ ! -f "$repo/server/target/pushpin-server.jar" ]; then
  pp_log "building the server jar (mvn -B -q -DskipTests package)"
  (cd "$repo" && mvn -B -q -DskipTests package) > "$work/build.log" 2>&1 ||
    { ours_down="build failed (see $work/build.log)"; pp_log "ours: $ours_down"; }
fi

pp_spawn "$work/origin.log" "$py" "$helper" origin --port $ORIGIN_PORT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/__pp/count" && break; sleep 0.1; done

results=()
for profile in $("$py" "$helper" profiles "${kargs[@]}"); do
  pp_log "profile $profile"
  routes=$("$py" "$helper" routes "$profile")
  export PP_CONF_SET; PP_CONF_SET=$("$py" "$helper" conf "$profile")
  ref_start "$work/$profile/ref" $REF_PORT $REF_OFFSET "$routes"
  ref_pid=$(cat "$work/$profile/ref/pushpin.pid")
  down=$ours_down ours_pid=""
  if [ -z "$down" ]; then
    if ours_start "$work/$profile/ours" $OURS_PORT $OURS_OFFSET "$routes"; then
      ours_pid=$(cat "$work/$profile/ours/pushpin.pid")
    else
      down="failed to start (see $work/$profile/ours/pushpin.log)"
    fi
  fi
  logargs=(--ref-server-log "$work/$profile/ref/pushpin.log" --ours-server-log "$work/$profile/ours/pushpin.log")
  if [ "$log" = 1 ]; then
    logargs+=(--ref-log "$work/$profile/ref/pushpin.log" --ours-log "$work/$profile/ours/pushpin.log")
  fi
  "$py" "$helper" run --profile "$profile" --ref $REF_PORT --ours $OURS_PORT --ours-down "$down" \
    --ref-publish $((5561 + REF_OFFSET)) --ours-publish $((5561 + OURS_OFFSET)) \
    --out "$work/results-$profile.json" "${kargs[@]}" "${logargs[@]}"
  results+=("$work/results-$profile.json")
  pp_stop_pid "$ref_pid"
  if [ -n "$ours_pid" ]; then pp_stop_pid "$ours_pid"; fi
done

[ ${#results[@]} -gt 0 ] || { echo "no case matches ${kargs[*]}" >&2; exit 2; }
rc=0
"$py" "$helper" report "${verbose[@]}" "${results[@]}" || rc=$?
echo "work files: $work"
exit $rc
