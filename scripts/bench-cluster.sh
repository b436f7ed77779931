#!/usr/bin/env bash
# A cluster of three of our instances sharing one channel space through Redis ([cluster] broker=redis), against
# the same load on one instance alone, in the same run: N held SSE connections spread evenly over the three
# (the load generator deals connections round-robin over the ports it is given), publishes to the first instance
# only, so two thirds of the deliveries cross instances; Redis is restarted (nothing kept) after the third of
# the cluster's five fanout rounds. Figures: fanout p50/p99 (one publish to every room),
# the highest deliveries/s without loss to all rooms and to one room, deliveries lost; and Redis' own count of
# pub/sub messages per publish. Appends a table to docs/benchmarks.md.
#
#   scripts/bench-cluster.sh [N]          # default 15000 (5,000 per instance), ~N/100 rooms (151)
#
# Environment: BENCH_ROOMS [N/100, or one more when that is a multiple of 3], BENCH_JAVA_OPTS [-Xmx1g -XX:+UseG1GC] (each instance),
#   BENCH_LOADGEN_ARGS (more LoadGen options), BENCH_DOC [docs/benchmarks.md] ("" = do not append).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"

N=${1:-15000}
# rooms not a multiple of 3, so each room's connections sit on all three instances (client i: room i % R,
# instance i % 3)
default_rooms=$((N / 100)); [ $((default_rooms % 3)) = 0 ] && default_rooms=$((default_rooms + 1))
ROOMS=${BENCH_ROOMS:-$default_rooms}
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g -XX:+UseG1GC}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18691 REDIS_PORT=18699
PORTS=(18681 18682 18683) OFFSETS=(2100 2200 2300)
if [ "$N" -gt 19000 ]; then echo "N=$N: at most ~19000 (the load generator opens N sockets)" >&2; exit 2; fi

pp_need redis-server redis-server
bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find "$repo/bench/src" -newer "$bench_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $bench_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
fi
if [ ! -f "$server_jar" ] || [ -n "$(find "$repo/server/src/main" -newer "$server_jar" -name '*.java' | head -1)" ]; then
  pp_log "building $server_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl server -am package)
fi
export PP_OURS_CMD="java $OURS_JAVA_OPTS -jar $server_jar"

work=$(mktemp -d -t pp-bench-cluster.XXXXXX)
results=$work/results.txt; : > "$results"
# the Redis restarted by the fault (lib/redis-restart.sh) is a daemon of its own: shut it down by its port
trap 'redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true; stop_all' EXIT
trap 'exit 130' INT TERM
for p in $ORIGIN_PORT $REDIS_PORT "${PORTS[@]}"; do
  if pp_port_busy "$p"; then echo "port $p is already in use" >&2; exit 2; fi
done

pp_spawn "$work/redis.log" redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no
for _ in $(seq 100); do redis-cli -p $REDIS_PORT ping >/dev/null 2>&1 && break; sleep 0.1; done
pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
  org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT "$ROOMS"
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/sse/0" && break; sleep 0.1; done
routes="* 127.0.0.1:$ORIGIN_PORT"
base_conf=$'handler.message_rate=1000000000\nhandler.message_hwm=1000000000'

run_load() {  # run_load NAME PORTS(comma) CONTROL [MORE LOADGEN OPTIONS]
  local name=$1 ports=$2 control=$3; shift 3
  # shellcheck disable=SC2086
  java -Xmx1g -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name" --ports "$ports" --control "$control" \
    --pid 0 --n "$N" --rooms "$ROOMS" --result "$results" --phases fanout,throughput --curve-points 0 \
    --max-in-flight 100 "$@" ${BENCH_LOADGEN_ARGS:-} 2>&1 | tee "$work/load-$name.log" ||
    pp_log "$name: the load generator reported failures (see above); its figures are kept"
}

# One instance alone (no broker).
PP_CONF_SET=$base_conf ours_start "$work/single" "${PORTS[0]}" "${OFFSETS[0]}" "$routes"
run_load single "${PORTS[0]}" $((5561 + OFFSETS[0]))
pp_stop_pid "$(cat "$work/single/pushpin.pid")"

# Three instances over Redis; publishes go to the first.
cluster_conf="$base_conf"$'\n'"cluster.broker=redis"$'\n'"cluster.redis_url=redis://127.0.0.1:$REDIS_PORT"
for i in 0 1 2; do
  PP_CONF_SET=$cluster_conf ours_start "$work/cluster-$i" "${PORTS[$i]}" "${OFFSETS[$i]}" "$routes"
done
# while the load runs, sample how many subscribers Redis has for one room: instances, not connections
( while sleep 1; do redis-cli -p $REDIS_PORT pubsub numsub pushpin:room-0 | tail -1; done ) > "$work/numsub.txt" 2>/dev/null &
sampler=$!
redis_before=$(redis-cli -p $REDIS_PORT info stats | tr -d '\r' | awk -F: '$1 == "total_net_output_bytes" {print $2}')
# after the third of the five fanout rounds Redis is restarted under the held connections: the rounds after it
# show whether anything was lost
run_load cluster "$(IFS=,; echo "${PORTS[*]}")" $((5561 + OFFSETS[0])) --fault-after-round 3 \
  --fault-cmd "$here/lib/redis-restart.sh $REDIS_PORT $ROOMS 3 $work/redis-restarted.log"
redis_after=$(redis-cli -p $REDIS_PORT info stats | tr -d '\r' | awk -F: '$1 == "total_net_output_bytes" {print $2}')
kill $sampler 2>/dev/null || true
numsub=$(sort -n "$work/numsub.txt" | tail -1)
echo "RESULT name=redis numsub_room0=${numsub:-0} output_bytes=$((redis_after - redis_before))" >> "$results"
pp_log "Redis: room-0 had at most ${numsub:-0} subscribers (instances), for $((N / ROOMS)) held connections"

table=$(/usr/bin/python3 - "$results" <<'PY'
import sys
rows = {}
for l in open(sys.argv[1]):
    if l.startswith('RESULT'):
        kv = dict(x.split('=', 1) for x in l.split()[1:])
        rows[kv['name']] = kv
print('| run | held | fanout p50 / p99 ms | deliveries/s all rooms (p99 ms) | deliveries/s one room (p99 ms) | lost |')
print('|---|---|---|---|---|---|')
for name, label in (('single', 'one instance'), ('cluster', 'three instances over Redis, publishes to one')):
    r = rows.get(name)
    if not r:
        print('| %s | _no result_ | | | | |' % label); continue
    print('| %s | %s/%s | %.0f / %.0f | %s (%.0f) | %s (%.0f) | %s |' % (label, r.get('held', '?'), r.get('n', '?'),
          float(r.get('fanout_p50_ms', 0)), float(r.get('fanout_p99_ms', 0)), r.get('deliveries_per_s_all', '?'),
          float(r.get('deliveries_p99_ms_all', 0)), r.get('deliveries_per_s_one', '?'),
          float(r.get('deliveries_p99_ms_one', 0)), r.get('lost', '?')))
s, c = rows.get('single'), rows.get('cluster')
if s and c and float(s.get('fanout_p99_ms', 0)) > 0:
    print()
    print('Cross-instance fanout p99 = %.2f× the single instance\'s (target ≤ 1.5×).'
          % (float(c['fanout_p99_ms']) / float(s['fanout_p99_ms'])))
if c and 'fault_s' in c:
    print('Redis was restarted (nothing kept) after fanout round 3 of 5; every room had its three instance '
          'subscribers back %.1f s later; deliveries lost over all rounds: %s.' % (float(c['fault_s']), c.get('lost', '?')))
r = rows.get('redis')
if r:
    print('Redis: `PUBSUB NUMSUB pushpin:room-0` during the run: at most %s (one subscriber per instance '
          'holding the room, whatever the connections).' % r['numsub_room0'])
PY
)
echo "$table"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" "## Cluster over Redis" \
    "Three instances sharing channels through Redis vs one instance alone, same run: \`scripts/bench-cluster.sh N\`." \
    "### $(date -u '+%Y-%m-%d %H:%M') UTC, N=$N, rooms $ROOMS (command: \`scripts/bench-cluster.sh $N\`)

$table"
fi
pp_log "work files: $work"
