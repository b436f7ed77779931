#!/usr/bin/env bash
# Plain-proxying throughput/latency: wrk against BenchOrigin directly, through nginx's own proxy_pass (the floor for
# a proxy: scripts/lib/nginx.sh, a keep-alive pool to the origin, no access log), through the reference Pushpin 1.36
# and through ours, the last two on the same pushpin.conf + routes ('* 127.0.0.1:ORIGIN'), for /small (13 bytes)
# and /64k.
#
#   scripts/bench-wrk.sh
#
# Environment (defaults in brackets):
#   BENCH_DURATION [10s]  BENCH_CONNECTIONS [50]  BENCH_THREADS [2]  BENCH_WARMUP [5s] (wrk run before each measure)
#   BENCH_PATHS ["/small /64k"]  BENCH_TARGETS ["origin nginx reference ours"]
#   BENCH_PIN [1]: pin with taskset: the server under test (origin for the baseline, nginx's master and its one
#                  worker, all the reference's processes, our JVM) on CPU $BENCH_SERVER_CPU [1]; wrk and the origin
#                  on CPU $BENCH_CLIENT_CPU [0].
#                  0 = no pinning (everything competes for all cores; nginx then runs a worker per core).
#   BENCH_JAVA_OPTS [-Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch]: JVM options for ours
#   BENCH_ORIGIN_THREADS [1]: BenchOrigin event loops
#   BENCH_DOC [docs/benchmarks.md]: where the table is appended ("" = do not append)
#   BENCH_NOTE: a line added to the report (e.g. which build of ours was measured)
#   BENCH_KEEP [0]: 1 keeps the work directory (configs, server logs, raw wrk output) instead of deleting it
#   PP_OURS_CMD: start ours with this command instead of bin/pushpin (see scripts/lib/reference.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/report.sh"
. "$here/lib/nginx.sh"

DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-50}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-5s}
PATHS=${BENCH_PATHS:-/small /64k}
TARGETS=${BENCH_TARGETS:-origin nginx reference ours}
PIN=${BENCH_PIN:-1}
SERVER_CPU=${BENCH_SERVER_CPU:-1}
CLIENT_CPU=${BENCH_CLIENT_CPU:-0}
OURS_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}
ORIGIN_THREADS=${BENCH_ORIGIN_THREADS:-1}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
ORIGIN_PORT=18491 REF_PORT=18480 REF_OFFSET=2130 OURS_PORT=18481 OURS_OFFSET=2230 NGINX_PORT=18482

pp_need wrk wrk
pp_need pushpin pushpin
pp_need curl curl
if [[ " $TARGETS " == *" nginx "* ]]; then pp_need nginx nginx; fi
[ "$(nproc)" -ge 2 ] || PIN=0
client_pin=() server_pin=""
if [ "$PIN" = 1 ] && command -v taskset >/dev/null; then
  client_pin=(taskset -c "$CLIENT_CPU"); server_pin=$SERVER_CPU
else
  PIN=0
fi

bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ]; then
  pp_log "building $bench_jar"; (cd "$repo" && mvn -B -q -DskipTests -pl bench -am package)
fi
if [[ " $TARGETS " == *" ours "* ]] && [ ! -f "$server_jar" ]; then
  pp_log "building $server_jar"
  (cd "$repo" && mvn -B -q -DskipTests -pl server -am package) || pp_log "WARNING: server build failed"
fi

work=$(mktemp -d -t pp-bench.XXXXXX)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cleanup() {
  stop_all
  if [ "${BENCH_KEEP:-0}" = 1 ]; then pp_log "work files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for p in $ORIGIN_PORT $REF_PORT $OURS_PORT $NGINX_PORT; do
  if pp_port_busy "$p"; then echo "port $p is already in use" >&2; exit 2; fi
done

# The origin runs on the client CPU while a proxy is measured and on the server CPU for the baseline, so it is
# started per phase.
start_origin() {  # start_origin CPU-or-empty
  local pin=(); [ -n "$1" ] && pin=(taskset -c "$1")
  pp_spawn "$work/origin.log" "${pin[@]}" java -Xms256m -Xmx256m -XX:+UseParallelGC \
    -cp "$bench_jar" org.pushpin.bench.BenchOrigin $ORIGIN_PORT "$ORIGIN_THREADS"
  ORIGIN_PID=$PP_LAST_PID
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/small" && return 0; sleep 0.1; done
  pp_log "ERROR: BenchOrigin did not start"; cat "$work/origin.log" >&2; return 1
}

rows=()
# measure NAME PORT: warm up then run wrk for each path; appends table rows.
measure() {
  local name=$1 port=$2 path out
  for path in $PATHS; do
    local url="http://127.0.0.1:$port$path"
    pp_log "$name $path: warm-up $WARMUP"
    "${client_pin[@]}" wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$url" > /dev/null
    pp_log "$name $path: wrk --latency -t$THREADS -c$CONNS -d$DURATION"
    out="$work/wrk-$name-${path//\//}.txt"
    "${client_pin[@]}" wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" "$url" > "$out"
    rows+=("$(/usr/bin/python3 - "$name" "$path" "$out" <<'PY'
import re, sys
name, path, f = sys.argv[1:4]
s = open(f).read()
def ms(v):
    m = re.match(r'([\d.]+)(us|ms|s|m)$', v)
    n, u = float(m.group(1)), m.group(2)
    return n * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[u]
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', s).group(1))
lat = {p: ms(v) for p, v in re.findall(r'^\s+(50|90|99)%\s+(\S+)', s, re.M)}
errs = []
m = re.search(r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', s)
if m and any(int(x) for x in m.groups()):
    errs.append('socket c/r/w/t %s/%s/%s/%s' % m.groups())
m = re.search(r'Non-2xx or 3xx responses: (\d+)', s)
if m:
    errs.append('non-2xx %s' % m.group(1))
print('| %s | %s | %.0f | %.2f | %.2f | %.2f | %s |' % (name, path, rps, lat['50'], lat['90'], lat['99'],
                                                     ', '.join(errs) or '0'))
PY
)")
    pp_log "${rows[-1]}"
  done
}

for target in $TARGETS; do
  case $target in
    origin)
      start_origin "$server_pin"
      measure "origin (direct)" $ORIGIN_PORT
      pp_stop_pid "$ORIGIN_PID" ;;
    nginx)
      start_origin "${client_pin[2]:-}"
      mkdir -p "$work/nginx"
      # pinned: one worker on the server CPU, as ours gets one event loop there
      NGINX_WORKERS=$([ "$PIN" = 1 ] && echo 1 || nproc) nginx_proxy_write_conf "$work/nginx" $NGINX_PORT $ORIGIN_PORT
      if [ "$PIN" = 1 ]; then nginx_start "$work/nginx" $NGINX_PORT -- taskset -c "$server_pin"
      else nginx_start "$work/nginx" $NGINX_PORT; fi
      measure "nginx proxy_pass" $NGINX_PORT
      pp_stop_pid "$(cat "$work/nginx/master.pid")"; pp_stop_pid "$ORIGIN_PID" ;;
    reference)
      start_origin "${client_pin[2]:-}"
      PP_TASKSET_REF=$server_pin ref_start "$work/ref" $REF_PORT $REF_OFFSET "* 127.0.0.1:$ORIGIN_PORT"
      measure "reference 1.36" $REF_PORT
      pp_stop_pid "$(cat "$work/ref/pushpin.pid")"; pp_stop_pid "$ORIGIN_PID" ;;
    ours)
      start_origin "${client_pin[2]:-}"
      if JAVA_OPTS=$OURS_JAVA_OPTS PP_TASKSET_OURS=$server_pin \
           ours_start "$work/ours" $OURS_PORT $OURS_OFFSET "* 127.0.0.1:$ORIGIN_PORT"; then
        measure "ours" $OURS_PORT
        pp_stop_pid "$(cat "$work/ours/pushpin.pid")"
      else
        for path in $PATHS; do rows+=("| ours | $path | _placeholder: ours did not start; rerun scripts/bench-wrk.sh_ | | | | |"); done
      fi
      pp_stop_pid "$ORIGIN_PID" ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

cmd="scripts/bench-wrk.sh"
for v in BENCH_DURATION BENCH_CONNECTIONS BENCH_THREADS BENCH_WARMUP BENCH_PATHS BENCH_TARGETS BENCH_PIN \
         BENCH_SERVER_CPU BENCH_CLIENT_CPU BENCH_JAVA_OPTS BENCH_ORIGIN_THREADS PP_OURS_CMD; do
  [ -n "${!v+x}" ] && cmd="$v='${!v}' $cmd"
done
if [ "$PIN" = 1 ]; then
  pin_text="proxy under test (nginx with 1 worker / all reference processes / our JVM) and, for the baseline, the origin pinned to CPU $SERVER_CPU; wrk and the origin to CPU $CLIENT_CPU (taskset)"
else
  pin_text="no CPU pinning: wrk, origin and proxy share all $(nproc) cores"
fi
if [ -n "${PP_OURS_CMD:-}" ]; then ours_text="\`${PP_OURS_CMD//$repo\//}\` with JAVA_OPTS=\`$OURS_JAVA_OPTS\` in its environment"; else ours_text="bin/pushpin with JAVA_OPTS=\`$OURS_JAVA_OPTS\`"; fi
note_line=""
nginx_text=""
if [[ " $TARGETS " == *" nginx "* ]]; then
  nginx_text="; nginx $(nginx -v 2>&1 | sed 's|.*/||'): \`proxy_pass\` to the origin, keep-alive pool of 64 connections, no access log, proxy_buffers 8 16k (scripts/lib/nginx.sh)"
fi
if [ -n "${BENCH_NOTE:-}" ]; then note_line="- note: $BENCH_NOTE
"; fi
report=$(cat <<MD
### $(date -u '+%Y-%m-%d %H:%M UTC')

- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)
- JDK: $(java -version 2>&1 | head -1); ours: $ours_text; reference: Debian pushpin $(pushpin --version 2>/dev/null | awk '{print $2}'), stock config (log_level 2)$nginx_text
- wrk: \`wrk --latency -t$THREADS -c$CONNS -d$DURATION\` after a $WARMUP warm-up per row; $pin_text
- command: \`$cmd\`
${note_line}- load average (1/5/15 min) before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews results)

| target | path | req/s | p50 ms | p90 ms | p99 ms | errors |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
MD
)
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## Plain proxying (wrk)' '' "$report"
fi
