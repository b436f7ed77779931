#!/usr/bin/env bash
# Publish overload, the reference Pushpin 1.36 and ours one after the other on the same stock pushpin.conf
# (message_rate=2500, message_hwm=25000 as shipped) + routes ('* 127.0.0.1:ORIGIN', SSE holds): N clients held
# on R rooms, then publishes for a few seconds at RATE deliveries/s to all rooms (above what message_rate lets
# through), then the same to one room. Figures per server: deliveries owed (publishes answered 200 × subscribers),
# received, lost, the drops the server counted itself (ours: pushpin_dropped_total from Prometheus; 1.36 counts
# none), and the deliveries lost without a word (lost minus counted). Appends a table to docs/benchmarks.md.
#
#   scripts/bench-overload.sh [N] [RATE]          # defaults 5000 200000
#
# Environment: BENCH_REFERENCE [1 if /usr/bin/pushpin exists], BENCH_ROOMS [50], BENCH_STEP_S [4], BENCH_GRACE_MS [15000],
#   BENCH_DOC [docs/benchmarks.md] ("" = do not append)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

N=${1:-5000}
RATE=${2:-200000}
ROOMS=${BENCH_ROOMS:-50}
STEP_S=${BENCH_STEP_S:-4}
# a delivery queued within message_hwm arrives late, not never: at message_rate=2500 a full queue of 25,000 drains
# in 10 s, so the count waits that long (and more) after each step before calling a delivery lost
GRACE_MS=${BENCH_GRACE_MS:-15000}
default_ref=0; [ -x /usr/bin/pushpin ] && default_ref=1
WITH_REF=${BENCH_REFERENCE:-$default_ref}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18891 REF_PORT=18880 REF_OFFSET=2800 OURS_PORT=18881 OURS_OFFSET=2900 PROM_PORT=18899
if [ "$N" -gt 19000 ]; then echo "N=$N: at most ~19000 (the load generator opens N sockets)" >&2; exit 2; fi

bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ]; then (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package); fi
if [ ! -f "$server_jar" ] || [ -n "$(find "$repo/server/src/main" -newer "$server_jar" -name '*.java' | head -1)" ]; then
  (cd "$repo" && mvn -B -q -DskipTests -pl server -am package)
fi
export PP_OURS_CMD="java -Xmx1g -XX:+UseG1GC -jar $server_jar"

work=$(mktemp -d -t pp-bench-overload.XXXXXX)
results=$work/results.txt; : > "$results"
trap stop_all EXIT
trap 'exit 130' INT TERM
pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT "$ROOMS"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/sse/0" && break; sleep 0.1; done
routes="* 127.0.0.1:$ORIGIN_PORT"

dropped_total() {  # the sum of pushpin_dropped_total over its reasons, from ours' Prometheus endpoint
  # (the port as written, or with the port offset added, whichever answers)
  { curl -sf "http://127.0.0.1:$PROM_PORT/metrics" || curl -sf "http://127.0.0.1:$((PROM_PORT + OURS_OFFSET))/metrics"; } | awk '/^pushpin_dropped_total/ {s += $NF} END {printf "%d", s}'
}

overload() {  # overload NAME PORT OFFSET
  local name=$1 port=$2 offset=$3 before=0 after=0
  pp_log "$name: $N SSE clients in $ROOMS rooms, then publishing at up to $RATE/s for $STEP_S s (log: $work/$name.log)"
  [ "$name" = ours ] && before=$(dropped_total)
  java -Xmx1g -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name" --ports "$port" \
    --control $((5561 + offset)) --pid 0 --n "$N" --rooms "$ROOMS" --phases throughput --curve-points 0 \
    --max-in-flight 200 --rate-all "$RATE" --rate-one "$RATE" --max-steps 1 --step-s "$STEP_S" \
    --grace-ms "$GRACE_MS" \
    > "$work/$name.log" 2>&1 || true
  [ "$name" = ours ] && after=$(dropped_total)
  # the two step lines: "  all rooms: target R/s, published P/s, X/Y delivered by the grace, ..."
  /usr/bin/python3 - "$work/$name.log" "$name" $((after - before)) >> "$results" <<'PY'
import re, sys
log, name, counted = sys.argv[1], sys.argv[2], int(sys.argv[3])
owed = got = 0
for l in open(log):
    m = re.search(r'(all rooms|one room): target \d+/s, published [\d.]+/s, (\d+)/(\d+) delivered', l)
    if m:
        got += int(m.group(2)); owed += int(m.group(3))
held = re.findall(r'FIGURE \S+ held = (\d+)', open(log).read())
print('RESULT name=%s held=%s owed=%d received=%d counted=%s' % (name, held[-1] if held else '?', owed, got,
      counted if name == 'ours' else 'none'))
PY
  tail -1 "$results"
}

conf=$'handler.prometheus_port='$PROM_PORT
if [ "$WITH_REF" = 1 ]; then
  if ref_start "$work/ref" $REF_PORT $REF_OFFSET "$routes"; then
    overload reference $REF_PORT $REF_OFFSET
    pp_stop_pid "$(cat "$work/ref/pushpin.pid")"
  fi
fi
if PP_CONF_SET=$conf ours_start "$work/ours" $OURS_PORT $OURS_OFFSET "$routes"; then
  overload ours $OURS_PORT $OURS_OFFSET
  pp_stop_pid "$(cat "$work/ours/pushpin.pid")"
fi

table=$(/usr/bin/python3 - "$results" <<'PY'
import sys
print('| server | held | deliveries owed | received | lost | counted as dropped by the server | lost without a word |')
print('|---|---|---|---|---|---|---|')
for l in open(sys.argv[1]):
    if not l.startswith('RESULT'):
        continue
    r = dict(kv.split('=', 1) for kv in l.split()[1:])
    owed, got = int(r['owed']), int(r['received'])
    lost = owed - got
    counted = r['counted']
    silent = lost if counted == 'none' else max(0, lost - int(counted))
    print('| %s | %s | %d | %d | %d (%.1f %%) | %s | %d |' % ('reference 1.36' if r['name'] == 'reference' else 'ours',
          r['held'], owed, got, lost, 100.0 * lost / owed if owed else 0, counted, silent))
PY
)
echo "$table"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" "## Publish overload" \
    "\`scripts/bench-overload.sh [N] [RATE]\`: stock message_rate/message_hwm, publishes above them; lost deliveries and whether the server said so." \
    "### $(date -u '+%Y-%m-%d %H:%M') UTC, N=$N, $ROOMS rooms, ${RATE}/s for ${STEP_S} s to all rooms then to one (command: \`scripts/bench-overload.sh $N $RATE\`), load average $(cut -d' ' -f1 /proc/loadavg)

$table"
fi
pp_log "work files: $work"
