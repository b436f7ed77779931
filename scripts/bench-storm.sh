#!/usr/bin/env bash
# A connect storm, the reference Pushpin 1.36 and ours one after the other on the same pushpin.conf + routes
# ('* 127.0.0.1:ORIGIN', an origin that holds each request as a GRIP SSE stream): N clients connect with up to
# IN_FLIGHT connects in flight at once, each asking to be held; figures: held, failed (refused, reset, 5xx or
# cut before the first event), connect seconds. Run twice per server: a storm on an idle server, then a second
# storm of N while the first N are still held. Appends a table to docs/benchmarks.md.
#
#   scripts/bench-storm.sh [N] [IN_FLIGHT]       # defaults 2000 2000
#
# Environment: BENCH_REFERENCE [1 if /usr/bin/pushpin exists], BENCH_DOC [docs/benchmarks.md] ("" = do not append)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

N=${1:-2000}
IN_FLIGHT=${2:-2000}
default_ref=0; [ -x /usr/bin/pushpin ] && default_ref=1
WITH_REF=${BENCH_REFERENCE:-$default_ref}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18791 REF_PORT=18780 REF_OFFSET=2600 OURS_PORT=18781 OURS_OFFSET=2700
if [ $((2 * N)) -gt 19000 ]; then echo "2 × N=$((2 * N)): at most ~19000 (each process may open 20,000 files)" >&2; exit 2; fi

bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ]; then (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package); fi
if [ ! -f "$server_jar" ] || [ -n "$(find "$repo/server/src/main" -newer "$server_jar" -name '*.java' | head -1)" ]; then
  (cd "$repo" && mvn -B -q -DskipTests -pl server -am package)
fi
export PP_OURS_CMD="java -Xmx1g -XX:+UseG1GC -jar $server_jar"

work=$(mktemp -d -t pp-bench-storm.XXXXXX)
results=$work/results.txt; : > "$results"
trap stop_all EXIT
trap 'exit 130' INT TERM
pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT 10
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/sse/0" && break; sleep 0.1; done
routes="* 127.0.0.1:$ORIGIN_PORT"

storm() {  # storm NAME PORT OFFSET
  local name=$1 port=$2 offset=$3
  pp_log "$name: phase 1/2: $N SSE clients connecting, up to $IN_FLIGHT at once"
  # the load generator holds its N while the second one storms
  java -Xmx1g -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name-first" --ports "$port" \
    --control $((5561 + offset)) --pid 0 --n "$N" --rooms 10 --result "$results" --phases memory,cpu \
    --curve-points 0 --max-in-flight "$IN_FLIGHT" --idle-cpu-s 40 > "$work/$name-first.log" 2>&1 &
  local first=$!
  for _ in $(seq 600); do grep -q 'FIGURE .* connect_s' "$work/$name-first.log" 2>/dev/null && break; sleep 0.1; done
  pp_log "$name: phase 1/2 done: $(grep -h 'FIGURE' "$work/$name-first.log" | tr '\n' ' ' | cut -c1-200)"
  pp_log "$name: phase 2/2: $N more connecting while the first $N are held"
  java -Xmx1g -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name-second" --ports "$port" \
    --control $((5561 + offset)) --pid 0 --n "$N" --rooms 10 --result "$results" --phases memory \
    --curve-points 0 --max-in-flight "$IN_FLIGHT" > "$work/$name-second.log" 2>&1 || true
  pp_log "$name: phase 2/2 done: $(grep -h '^RESULT.*name='"$name"'-second' "$results" | cut -c1-200)"
  kill "$first" 2>/dev/null || true; wait "$first" 2>/dev/null || true
}

if [ "$WITH_REF" = 1 ]; then
  if ref_start "$work/ref" $REF_PORT $REF_OFFSET "$routes"; then
    storm reference $REF_PORT $REF_OFFSET
    pp_stop_pid "$(cat "$work/ref/pushpin.pid")"
  fi
fi
if ours_start "$work/ours" $OURS_PORT $OURS_OFFSET "$routes"; then
  storm ours $OURS_PORT $OURS_OFFSET
  pp_stop_pid "$(cat "$work/ours/pushpin.pid")"
fi

table=$(/usr/bin/python3 - "$results" <<'PY'
import sys
print('| server | storm | held | failed | connect s |')
print('|---|---|---|---|---|')
for l in open(sys.argv[1]):
    if not l.startswith('RESULT'):
        continue
    r = dict(kv.split('=', 1) for kv in l.split()[1:])
    server, which = r['name'].rsplit('-', 1)
    label = 'on an idle server' if which == 'first' else 'while the first N are held'
    print('| %s | %s | %s/%s | %s | %s |' % ('reference 1.36' if server == 'reference' else server, label,
          r.get('held', '?'), r.get('n', '?'), r.get('failed', '?'), r.get('connect_s', '?')))
PY
)
echo "$table"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" "## Connect storms" \
    "\`scripts/bench-storm.sh [N] [IN_FLIGHT]\`: N SSE clients with up to IN_FLIGHT connects in flight, then N more while the first are held." \
    "### $(date -u '+%Y-%m-%d %H:%M') UTC, N=$N, $IN_FLIGHT in flight (command: \`scripts/bench-storm.sh $N $IN_FLIGHT\`)

$table"
fi
