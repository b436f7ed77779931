#!/usr/bin/env bash
# HTTP/2 against HTTP/1.1 on one server in one run: N SSE streams over C HTTP/2 connections (h2c, prior knowledge),
# then N SSE streams on N HTTP/1.1 connections; prints, per protocol, the server's live heap per held stream and the
# fanout latency (p50/p99/max) of a few publish rounds (one item per room, every stream gets each).
#
#   scripts/bench-http2.sh [N] [C]          # default N=10000 streams, C=100 HTTP/2 connections
#
# Environment: BENCH_ROOMS [100], BENCH_ROUNDS [5], BENCH_JAVA_OPTS [-Xmx2g -XX:+UseG1GC],
# BENCH_DOC [docs/benchmarks.md] ("" = do not append), BENCH_NOTE (a line added to the report).
# The client is org.pushpin.bench.http2.Http2Fanout; the origin org.pushpin.bench.memory.SseHoldOrigin. The server
# runs with the stock pushpin.conf but message_rate lifted (a rate limit would be what is measured) and HTTP/2 on
# ([runner] http2=true: it is off by default).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

N=${1:-10000}
C=${2:-100}
ROOMS=${BENCH_ROOMS:-100}
ROUNDS=${BENCH_ROUNDS:-5}
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx2g -XX:+UseG1GC}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18691 OURS_PORT=18681 OURS_OFFSET=2000
if [ "$N" -gt 19000 ]; then echo "N=$N: at most ~19000 (each process may open 20,000 files)" >&2; exit 2; fi

bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find "$repo/bench/src" -newer "$bench_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $bench_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
fi
[ -f "$server_jar" ] || { pp_log "building $server_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl server -am package); }
export PP_OURS_CMD=${PP_OURS_CMD:-java $OURS_JAVA_OPTS -jar $server_jar}
export PP_CONF_SET="handler.message_rate=1000000000
runner.http2=true"

work=$(mktemp -d -t pp-bench-h2.XXXXXX)
trap stop_all EXIT
trap 'exit 130' INT TERM
pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT "$ROOMS"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/sse/0" && break; sleep 0.1; done
ours_start "$work/ours" $OURS_PORT $OURS_OFFSET "* 127.0.0.1:$ORIGIN_PORT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
java -Xmx1g -cp "$bench_jar" org.pushpin.bench.http2.Http2Fanout $OURS_PORT $((5561 + OURS_OFFSET)) \
  "$(cat "$work/ours/pushpin.pid")" "$N" "$C" "$ROOMS" "$ROUNDS" | tee "$work/results.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

table=$(/usr/bin/python3 - "$work/results.txt" <<'PY'
import sys
print('| protocol | streams / connections | live heap per held stream | fanout p50 | fanout p99 | fanout max | received |')
print('|---|---|---|---|---|---|---|')
for line in open(sys.argv[1]):
    if not line.startswith('RESULT '): continue
    r = dict(kv.split('=', 1) for kv in line.split()[1:])
    print('| %s | %s / %s | %s B | %s ms | %s ms | %s ms | %s |' % ({'http2': 'HTTP/2 (h2c)', 'http1': 'HTTP/1.1'}[r['protocol']],
        r['streams'], r['connections'], r['heap_per_stream_b'], r['fanout_p50_ms'], r['fanout_p99_ms'],
        r['fanout_max_ms'], r['received']))
PY
)
note_line=${BENCH_NOTE:+- note: $BENCH_NOTE}
report=$(cat <<MD
### $(date -u '+%Y-%m-%d %H:%M UTC') (preliminary)

- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; load average before/after: $load_before / $load_after
- ours: \`${PP_OURS_CMD//$repo\//}\`, stock pushpin.conf with message_rate lifted; N=$N SSE streams (\`GET /sse/i\`, room-(i % $ROOMS)) over $C HTTP/2 connections, then N HTTP/1.1 connections; $ROUNDS publish rounds of one item per room
- live heap per held stream = (\`jcmd GC.run\` + \`GC.heap_info\` used after all are held − before) / N; fanout latency = receipt − publish sent, over every stream of every round
- command: \`scripts/bench-http2.sh $N $C\`
${note_line}

$table
MD
)
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## HTTP/2 against HTTP/1.1 (SSE fanout, heap per stream)' \
    '`scripts/bench-http2.sh [N] [C]` (default 10000 streams over 100 HTTP/2 connections, then 10000 HTTP/1.1 connections).' "$report"
fi
