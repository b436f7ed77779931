#!/usr/bin/env bash
# Soak over real sockets: our server in its own process (leak detection on), an origin with faults
# (org.pushpin.bench.soak.SoakOrigin) and the soak tool (org.pushpin.bench.soak.SocketSoak) in a third process,
# which for MINUTES keeps N clients held (10 % long-polls, the rest SSE streams, N/100 rooms) with 1 %/s churn,
# publishes numbered messages to every room twice a second, sends 10 fault requests a second (plain, garbage,
# reset mid-body, never answered, refused) and checks: nothing lost, repeated or out of order; fault requests get
# a 502 or a cut and disturb nobody; memory flat; per-connection objects gone once the clients left; no LEAK in
# the server's log. Appends a report to docs/benchmarks.md.
#
#   scripts/bench-soak.sh [MINUTES] [N]        # default 10 minutes, N=15000 (at most ~19000: one file each)
#
# Environment (defaults in brackets):
#   BENCH_JAVA_OPTS [bin/pushpin's defaults]: the server's JVM options
#   BENCH_LEAK_LEVEL [advanced]: the server's Netty leak detection (paranoid for a shorter run)
#   BENCH_SOAK_ARGS: more SocketSoak options (--churn, --faults-per-s, --publishes-per-s, --window-s, ...)
#   BENCH_DOC [docs/benchmarks.md]: where the report is appended ("" = do not append)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

MINUTES=${1:-10}
N=${2:-15000}
ROOMS=$(( N / 100 > 0 ? N / 100 : 1 ))
LEAK_LEVEL=${BENCH_LEAK_LEVEL:-advanced}
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=30000 -XX:TrimNativeHeapInterval=30000}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18891 PORT=18881 OFFSET=2800
if [ "$N" -gt 19000 ]; then echo "N=$N: at most ~19000 (the soak opens N sockets; 20,000 files per process)" >&2; exit 2; fi

bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find "$repo/bench/src" -newer "$bench_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $bench_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
fi
if [ ! -f "$server_jar" ] || [ -n "$(find "$repo/server/src/main" -newer "$server_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $server_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl server -am package)
fi
export PP_OURS_CMD="java $OURS_JAVA_OPTS -Dio.netty.leakDetection.level=$LEAK_LEVEL -jar $server_jar"

work=$(mktemp -d -t pp-bench-soak.XXXXXX)
results=$work/results.txt; : > "$results"
trap stop_all EXIT
trap 'exit 130' INT TERM
if pp_port_busy $ORIGIN_PORT; then echo "port $ORIGIN_PORT is already in use" >&2; exit 2; fi

pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.soak.SoakOrigin $ORIGIN_PORT "$ROOMS"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/" && break; sleep 0.1; done
# refused.soak: a target where nothing listens; everything else to the origin. The limits on delivery rate and
# queued deliveries are raised: the soak looks for losses, not for where those limits drop on purpose.
routes=$'refused.soak 127.0.0.1:1\n* 127.0.0.1:'$ORIGIN_PORT
PP_CONF_SET=$'proxy.origin_timeout=2\nhandler.message_rate=1000000000\nhandler.message_hwm=1000000000' \
  ours_start "$work/ours" $PORT $OFFSET "$routes"
pid=$(cat "$work/ours/pushpin.pid")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

rc=0
# shellcheck disable=SC2086
java -Xmx1g -XX:+UseParallelGC -cp "$bench_jar" org.pushpin.bench.soak.SocketSoak --port $PORT \
  --control $((5561 + OFFSET)) --pid "$pid" --server-log "$work/ours/pushpin.log" --minutes "$MINUTES" --n "$N" \
  --rooms "$ROOMS" --result "$results" ${BENCH_SOAK_ARGS:-} 2>&1 | tee "$work/soak.log" || rc=1
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
grep -q '^RESULT.* verdict=PASS' "$results" || rc=1
leak_lines=$(grep -c 'LEAK:' "$work/ours/pushpin.log" || true)

report=$(/usr/bin/python3 - "$results" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1])]
samples = [dict(kv.split('=', 1) for kv in l[1:]) for l in lines if l and l[0] == 'SAMPLE']
rs = [dict(kv.split('=', 1) for kv in l[1:]) for l in lines if l and l[0] == 'RESULT']
if not rs:
    print('_no RESULT line: the soak did not finish (see its log)_'); sys.exit()
r = rs[-1]
i = lambda k: f"{int(r[k]):,}"
print(f"| figure | value |")
print(f"|---|---|")
print(f"| clients held (min over the samples) | {i('held_min')} of {i('n')} ({float(r['poll_share'])*100:.0f} % long-polls), {r['rooms']} rooms, ramp-up {r['ramp_s']} s |")
print(f"| churn | {i('retired')} clients closed and replaced ({float(r['churn_per_s'])*100:.1f} %/s); {i('streams_opened')} streams and {i('polls_opened')} long-poll connections opened |")
print(f"| messages | {i('published')} publishes to every room ({i('publish_failed')} failed) |")
print(f"| stream deliveries owed (checked streams) / received / lost / repeated or out of order | {i('required')} ({i('streams_checked')}) / {i('received')} / {i('lost')} / {i('out_of_order')} |")
print(f"| long-poll answers with a message / timeouts / lost / repeated or out of order | {i('poll_messages')} / {i('poll_timeouts')} / {i('poll_lost')} / {i('poll_out_of_order')} |")
print(f"| held clients closed by the server / clients failed | {i('dropped')} / {i('failed')} |")
print(f"| fault requests (kind:answer=count) | {i('faults_total')}: {r['faults'].replace(',', ', ')}; unexpected {r['faults_unexpected']} |")
print(f"| server RSS MB: idle, after warm-up (max), last, after the clients left | {r['rss_idle_mb']}, {r['rss_base_mb']}, {r['rss_last_mb']}, {r['rss_after_mb']} (slack {r['rss_slack_mb']}) |")
print(f"| server live heap MB: idle, after warm-up (max), last, after the clients left | {r['heap_idle_mb']}, {r['heap_base_mb']}, {r['heap_last_mb']}, {r['heap_after_mb']} (slack {r['heap_slack_mb']}); flat: {r['flat']} |")
print(f"| live pipelines / socket channels / org.pushpin.hold.* objects: before → after the clients left | {r['pipelines_base']} → {r['pipelines_end']} / {r['sockets_base']} → {r['sockets_end']} / {r['holds_base']} → {r['holds_end']} (slack {r['count_slack']}) |")
print(f"| leak reports in the server log | {r['leaks']} |")
print(f"| verdict | **{r['verdict']}** |")
print()
print('| minutes | held | RSS MB | live heap MB |')
print('|---|---|---|---|')
for s in samples:
    print(f"| {s['minutes']} | {int(s['held']):,} | {s['rss_mb']} | {s['heap_mb']} |")
PY
)
report="### $(date -u '+%Y-%m-%d %H:%M UTC'), N=$N, $MINUTES min (command: \`scripts/bench-soak.sh $MINUTES $N\`)

- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr); load average (1/5/15 min) before $load_before, after $load_after (other work shares the machine)
- JDK: $(java -version 2>&1 | head -1); server \`$OURS_JAVA_OPTS\`, leak detection $LEAK_LEVEL; \`origin_timeout=2\`

$report"
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## Soak over real sockets' \
    '`scripts/bench-soak.sh [MINUTES] [N]` (see the script header and [reliability.md](reliability.md#soak)).' "$report"
fi
pp_log "work files: $work (server log: $work/ours/pushpin.log, $leak_lines LEAK lines)"
exit "$rc"
