#!/usr/bin/env bash
# Memory per held SSE connection: N clients held as GRIP streams (SSE) through the reference Pushpin 1.36 and
# through ours, on the same pushpin.conf + routes ('* 127.0.0.1:ORIGIN'); RSS of every server process before and
# after, live heap after a full GC for ours, then one publish to every room (every connection must get it).
#
#   scripts/bench-memory.sh [N]            # N held connections, default 10000 (at most ~19000: 20,000 files/process)
#
# Environment (defaults in brackets):
#   BENCH_REFERENCE [1 if /usr/bin/pushpin exists]: also measure the reference
#   BENCH_OURS [1]: measure ours
#   BENCH_ROOMS [100]: channels room-0..room-(R-1); connection i subscribes to room-(i % R)
#   BENCH_JAVA_OPTS [-Xmx2g -XX:+UseG1GC]: JVM options for ours (java $BENCH_JAVA_OPTS -jar server/target/pushpin-server.jar)
#   BENCH_DOC [docs/benchmarks.md]: where the table is appended ("" = do not append)
#   BENCH_NOTE: a line added to the report
#   PP_OURS_CMD: start ours with this command instead (see scripts/lib/reference.sh)
# The measuring client is org.pushpin.bench.load.LoadGen with its memory and fanout phases only (see LoadRun for
# what is measured how); the origin is org.pushpin.bench.memory.SseHoldOrigin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

N=${1:-10000}
ROOMS=${BENCH_ROOMS:-100}
default_ref=0; [ -x /usr/bin/pushpin ] && default_ref=1
WITH_REF=${BENCH_REFERENCE:-$default_ref}
WITH_OURS=${BENCH_OURS:-1}
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx2g -XX:+UseG1GC}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18591 REF_PORT=18580 REF_OFFSET=1800 OURS_PORT=18581 OURS_OFFSET=1900
if [ "$N" -gt 19000 ]; then echo "N=$N: at most ~19000 (each process may open 20,000 files)" >&2; exit 2; fi

pp_need curl curl
bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find "$repo/bench/src" -newer "$bench_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $bench_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
fi
if [ "$WITH_OURS" = 1 ] && [ ! -f "$server_jar" ]; then
  pp_log "building $server_jar"
  (cd "$repo" && mvn -B -q -DskipTests -pl server -am package) || pp_log "WARNING: server build failed"
fi
[ -z "${PP_OURS_CMD:-}" ] && export PP_OURS_CMD="java $OURS_JAVA_OPTS -jar $server_jar"

work=$(mktemp -d -t pp-bench-mem.XXXXXX)
results=$work/results.txt; : > "$results"
trap stop_all EXIT
trap 'exit 130' INT TERM
for p in $ORIGIN_PORT $REF_PORT $OURS_PORT $((5561 + REF_OFFSET)) $((5561 + OURS_OFFSET)); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is already in use" >&2; exit 2; fi
done

pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT "$ROOMS"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/sse/0" && break; sleep 0.1; done
routes="* 127.0.0.1:$ORIGIN_PORT"

rc=0
run_bench() {  # run_bench NAME HTTP_PORT OFFSET PID [--jvm]
  local name=$1 port=$2 offset=$3 pid=$4; shift 4
  java -Xmx1g -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name" --ports "$port" \
    --control $((5561 + offset)) --pid "$pid" --n "$N" --rooms "$ROOMS" --result "$results" \
    --phases memory,fanout --fanout-rounds 1 --fanout-interval-s 0 --curve-points 0 --max-in-flight 100 "$@" \
    2>&1 | tee "$work/bench-$name.log" || rc=1
}

if [ "$WITH_REF" = 1 ]; then
  if ref_start "$work/ref" $REF_PORT $REF_OFFSET "$routes"; then
    run_bench reference $REF_PORT $REF_OFFSET "$(cat "$work/ref/pushpin.pid")"
    pp_stop_pid "$(cat "$work/ref/pushpin.pid")"
  else
    echo "RESULT name=reference failed_to_start=1" >> "$results"; rc=1
  fi
fi
if [ "$WITH_OURS" = 1 ]; then
  if ours_start "$work/ours" $OURS_PORT $OURS_OFFSET "$routes" &&
     curl -s -o /dev/null -m 2 "http://127.0.0.1:$((5561 + OURS_OFFSET))/"; then
    run_bench ours $OURS_PORT $OURS_OFFSET "$(cat "$work/ours/pushpin.pid")" --jvm
    pp_stop_pid "$(cat "$work/ours/pushpin.pid")"
  else
    pp_log "ours did not start with a control API (push_in_http_port); see $work/ours/pushpin.log"
    echo "RESULT name=ours failed_to_start=1" >> "$results"; rc=1
  fi
fi

cmd="scripts/bench-memory.sh $N"
for v in BENCH_REFERENCE BENCH_OURS BENCH_ROOMS BENCH_JAVA_OPTS; do
  [ -n "${!v+x}" ] && cmd="$v='${!v}' $cmd"
done
note_line=""; [ -n "${BENCH_NOTE:-}" ] && note_line="- note: $BENCH_NOTE
"
table=$(/usr/bin/python3 - "$results" <<'PY'
import sys
rows = [dict(kv.split('=', 1) for kv in l.split()[1:]) for l in open(sys.argv[1]) if l.startswith('RESULT')]
print('| server | N held | RSS before MB | RSS after MB | ΔRSS / conn | live heap before → after MB | heap / conn | lost | connect s | deliver s | processes |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
ref = None
for r in rows:
    name = {'reference': 'reference 1.36', 'ours': 'ours'}.get(r['name'], r['name'])
    if r.get('failed_to_start'):
        print('| %s | _did not start; rerun_ | | | | | | | | | |' % name); continue
    held = '%s/%s' % (r['held'], r['n'])
    per = float(r['rss_per_conn_b'])
    if r['name'] == 'reference': ref = per
    ratio = ' (%.1f%% of ref)' % (100 * per / ref) if ref and r['name'] != 'reference' else ''
    heap = '-' if 'heap_before_kb' not in r else '%.1f → %.1f' % (int(r['heap_before_kb']) / 1024, int(r['heap_after_kb']) / 1024)
    hpc = '-' if 'heap_per_conn_b' not in r else '%.0f B' % float(r['heap_per_conn_b'])
    print('| %s | %s | %.1f | %.1f | %.0f B%s | %s | %s | %s | %s | %.2f | %s |' % (
        name, held, int(r['rss_before_kb']) / 1024, int(r['rss_after_kb']) / 1024, per, ratio, heap, hpc,
        r['lost'], r['connect_s'], float(r['fanout_max_ms']) / 1000, r['processes'].replace(',', ', ')))
PY
)
report=$(cat <<MD
### $(date -u '+%Y-%m-%d %H:%M UTC')

- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)
- JDK: $(java -version 2>&1 | head -1); ours: \`${PP_OURS_CMD//$repo\//}\`; reference: Debian pushpin $(pushpin --version 2>/dev/null | awk '{print $2}'), stock config (message_rate 2500, log_level 2)
- N=$N SSE clients (\`GET /sse/i\`, one origin answer each: \`Grip-Hold: stream\`, \`Grip-Channel: room-(i % $ROOMS)\`, \`text/event-stream\`, 7-byte initial body), source addresses 127.0.0.1-16; RSS = sum of VmRSS over the server's whole process tree, measured 2 s after a 200-connection warm-up and 2 s after all N got their initial body; live heap (ours) = \`jcmd PID GC.run\` then \`GC.heap_info\` "used", ours' RSS read after that full GC; then one publish of one item per room, lost = deliveries that did not arrive; deliver s = the last delivery's latency
- command: \`$cmd\`
${note_line}
$table
MD
)
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## Memory per held SSE connection' '`scripts/bench-memory.sh [N]` (default 10000; see the script header for its variables).' "$report"
fi
exit $rc
