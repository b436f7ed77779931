#!/usr/bin/env bash
# A million held SSE connections in one JVM (docs/benchmarks.md#a-million-connections-in-one-jvm): server, origin and
# clients in one process over Netty's in-JVM transport (org.pushpin.bench.million.MillionSimulation).
#
#   scripts/bench-million.sh [N] [ROOMS]     # default 1000000 connections in 10000 rooms (100 per room)
#   BENCH_MODE=ws BENCH_JAVA_OPTS="-Xmx16g -XX:+UseParallelGC" scripts/bench-million.sh   # a million WebSockets (passthrough,
#     subscribed by the in-JVM origin; ~7.3 GB live with the clients and the origin, so more heap than SSE)
#
# Environment (defaults in brackets):
#   BENCH_MODE [sse]: sse, or ws (WebSocket passthrough: the origin accepts with the GRIP extension and subscribes
#     each with c:{"type":"subscribe"}; ws-message publishes)
#   BENCH_JAVA [java]: the java binary (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BENCH_JAVA_OPTS [-Xmx12g -XX:+UseParallelGC]: JVM options (add -XX:+UseCompactObjectHeaders on JDK 25)
#   BENCH_SIM_OPTS []: e.g. -Dmillion.inFlight=2000 -Dmillion.rounds=3 -Dmillion.handler=history_size=10 ([handler]
#     keys, ';'-separated, to measure a feature on) -Dmillion.clientThreads=1 (clients on a loop of
#     their own instead of the server's in-JVM loops)
#   BENCH_DOC [docs/benchmarks.md]: where the report is appended ("" = do not append)
#   BENCH_NOTE: a line added to the report
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib/report.sh"
N=${1:-1000000}
ROOMS=${2:-$((N >= 100 ? N / 100 : 1))}
JAVA=${BENCH_JAVA:-java}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx12g -XX:+UseParallelGC}
SIM_OPTS="${BENCH_SIM_OPTS:-} -Dmillion.mode=${BENCH_MODE:-sse}"
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
jar=$repo/bench/target/pushpin-bench.jar

if [ ! -f "$jar" ] || [ -n "$(find "$repo/bench/src" "$repo/server/src/main" -newer "$jar" -name '*.java' | head -1)" ]; then
  echo "building $jar" >&2
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
log=$(mktemp -t pp-million.XXXXXX.log)
# shellcheck disable=SC2086  # options are word lists on purpose; native access: Netty loads its epoll library (JDK 22+ warns otherwise)
"$JAVA" --enable-native-access=ALL-UNNAMED $JAVA_OPTS $SIM_OPTS -cp "$jar" org.pushpin.bench.million.MillionSimulation "$N" "$ROOMS" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
result=$(grep '^RESULT' "$log" | tail -1 || true)
[ -n "$result" ] || { echo "no RESULT line (see $log)" >&2; exit 1; }

cmd="scripts/bench-million.sh $N $ROOMS"
for v in BENCH_MODE BENCH_JAVA BENCH_JAVA_OPTS BENCH_SIM_OPTS; do
  [ -n "${!v+x}" ] && cmd="$v='${!v}' $cmd"
done
note_line=""; [ -n "${BENCH_NOTE:-}" ] && note_line="- note: $BENCH_NOTE
"
[ "${BENCH_MODE:-sse}" = ws ] && note_line="- connections: WebSockets, passthrough (\`GET /ws/i\` upgraded; the in-JVM origin accepts with \`Sec-WebSocket-Extensions: grip\` and sends \`c:{\"type\":\"subscribe\",\"channel\":\"room-(i % ROOMS)\"}\` then \`m:ready\`); publishes are \`ws-message\` items; \"client / conn\" adds the in-JVM origin's share (its channel and frame codecs per WebSocket, measured apart: 20,000 clients upgraded straight at the origin), which is not ours
$note_line"
row=$(/usr/bin/python3 - "$result" "$JAVA_OPTS" <<'PY'
import sys
r = dict(kv.split('=', 1) for kv in sys.argv[1].split()[1:])
# WebSockets: the in-JVM origin keeps a channel and codecs per WebSocket, measured apart and not counted as ours
origin = float(r.get('origin_per_conn_b', '0'))
client = r['client_per_conn_b'] + ' B' + (' + origin %s B' % r['origin_per_conn_b'] if origin > 0 else '')
print('| %s | %s | %s/%s | %s s (%s/s) | %s → %s | %s B | %s | %s B | %s s | %s s | %s | %s ms |' % (
    r['jdk'], sys.argv[2], r['held'], r['n'], r['connect_s'], r['conn_per_s'], r['heap_before_mb'],
    r['heap_after_mb'], r['heap_per_conn_b'], client, r['server_per_conn_b'],
    r['fanout_first_s'], r['fanout_best_s'], r['lost'], r['gc_ms_max']))
PY
)
report=$(cat <<MD
### $(date -u '+%Y-%m-%d %H:%M UTC')

- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)
- JDK: $("$JAVA" -version 2>&1 | head -1)
- command: \`$cmd\`
${note_line}
| JDK | JVM options | held | connect | live heap MB before → after | heap / conn | client / conn | server / conn | fanout, 1st publish | fanout, best of 3 | lost | max GC ms in a fanout |
|---|---|---|---|---|---|---|---|---|---|---|---|
$row
MD
)
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## A million connections in one JVM' '`scripts/bench-million.sh [N] [ROOMS]` (see the script header).' "$report"
fi
exit "$rc"
