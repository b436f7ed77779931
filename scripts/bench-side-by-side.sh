#!/usr/bin/env bash
# The reference Pushpin 1.36, ours and nginx with Nchan side by side, one at a time: the two GRIP proxies on the
# same pushpin.conf + routes ('* 127.0.0.1:ORIGIN', message_rate and message_hwm raised to 1e9 on both), nginx with
# its own nginx.conf in front of the same origin (scripts/lib/nginx.sh: the origin picks each subscriber's channel
# with X-Accel-Redirect to an internal Nchan subscriber location, as GRIP's Grip-Channel does; publishes go to an
# Nchan publisher location, one message to many channels per POST). With N held SSE connections:
# memory (ΔRSS of the whole process tree per connection; ours also live heap per connection after a full GC),
# connect rate, idle CPU, plain-request latency idle and with N held, fanout to all rooms, and the highest
# deliveries/s with no loss to all rooms and to one room. While connecting it samples RSS and plain-request latency
# every N/10 connections. Then each server again from a fresh start with N held long-polls (`GET /poll/i`: a
# publish answers them all and each client re-polls on its connection, through the origin each time): memory per
# held long-poll, publish → answer latency, answer → re-poll latency (measured at the origin) and the highest
# deliveries/s where every client got every message. Then, for each WebSocket mode, the two GRIP proxies again
# (Nchan's WebSockets are left out) from a fresh start with N held
# WebSockets subscribed by the origin (c:{"type":"subscribe"} over the GRIP extension): passthrough (`/ws/i`,
# relayed to the origin as a WebSocket) and WebSocket-over-HTTP (`/wsh/i`, a route with over_http): memory per held
# WebSocket, connect rate, idle CPU, fanout and the highest deliveries/s. Writes the plot
# docs/img/side-by-side.png (SSE) and appends the tables to docs/benchmarks.md (section "Side by side with the
# reference"). Every figure is printed too.
#
#   scripts/bench-side-by-side.sh [N]      # default 15000 (150 rooms of 100); at most ~19000 (20,000 files/process)
#   BENCH_SSE=0 BENCH_WS=ws scripts/bench-side-by-side.sh    # the WebSocket passthrough column only
#
# Environment (defaults in brackets):
#   BENCH_REFERENCE [1]: measure the reference (installed from Debian when missing and run as root)
#   BENCH_OURS [1]: measure ours
#   BENCH_NCHAN [1]: measure nginx with Nchan (nginx and libnginx-mod-nchan installed from Debian when missing and
#       run as root); NGINX_WORKERS [number of cores]: its worker processes
#   BENCH_POLL [1]: the held long-poll runs; BENCH_POLL_N [N]: long-polls to hold (in the same rooms as the SSE run)
#   BENCH_ROOMS [N/100]: channels room-0..room-(R-1); connection i subscribes to room-(i % R)
#   BENCH_SSE [1]: measure held SSE connections (the first table)
#   BENCH_WS ["ws ws_over_http"]: the WebSocket modes to measure ("" = none), each with its own server start
#   BENCH_WS_N [min(N, 5000)]: WebSockets to hold in passthrough, the same N for both. Ours holds each one's
#       client and origin socket in one process (20,000 files: at most ~9500); the reference (zurl limit raised, see
#       below) idled at 135% of a core with 9,000 and closed 3,826 of them during the run, at 5,000 it holds them
#       all (idle at ~40%)
#   BENCH_WSH_N [N]: WebSockets to hold over HTTP (the origin side is a few pooled HTTP connections)
#   BENCH_REF_ZURL_MAX [40000]: zurl's max_open_requests for the reference's WebSocket runs. Debian's runner
#       template fixes it at 2000, and each passthrough WebSocket holds one zurl request open: at 2,000 the
#       reference stops accepting WebSockets altogether. The runs use a copy of /usr/lib/pushpin with the value
#       raised (pushpin.conf global.libdir pointing at it); the SSE run keeps the package as installed.
#   BENCH_WS_IN_FLIGHT [100]: WebSocket handshakes in flight at once (the reference answers 502 to some of 200
#       concurrent ones: 355 of 2,000 in a run at 200, none at 100 or 50)
#   BENCH_JAVA_OPTS [bin/pushpin's defaults]: JVM options for ours (java $BENCH_JAVA_OPTS -jar server/target/pushpin-server.jar)
#   BENCH_LOADGEN_ARGS: more options for the load generator, e.g. shorter phases for a smoke test:
#       "--idle-cpu-s 2 --fanout-rounds 2 --fanout-interval-s 1 --step-s 2 --max-steps 4 --plain-samples 50"
#       (java -cp bench/target/pushpin-bench.jar org.pushpin.bench.load.LoadGen --help lists them)
#   BENCH_DOC [docs/benchmarks.md]: where the table is appended ("" = do not append)
#   BENCH_PNG [docs/img/side-by-side.png]: where the plot goes ("" = no plot)
#   BENCH_CONF_SET: more pushpin.conf settings for both servers (newline-separated section.key=value), e.g. the
#       stats socket on: $'handler.stats_spec=tcp://127.0.0.1:5564\nhandler.prometheus_port=9100'
#   BENCH_NOTE: a line added to the report
# Ports (all in 19000-19999): origin 19091 (SSE, long-polls), 19092 (WebSockets, restarted with each N's rooms);
# reference 19080, port_offset 13500 (control API 19061); ours 19081, port_offset 13600 (control API 19161); nginx
# with Nchan 19082 (publisher location 19182).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"
. "$here/lib/nginx.sh"

N=${1:-15000}
ROOMS=${BENCH_ROOMS:-$(( N / 100 > 0 ? N / 100 : 1 ))}
WITH_REF=${BENCH_REFERENCE:-1}
WITH_OURS=${BENCH_OURS:-1}
WITH_NCHAN=${BENCH_NCHAN:-1}
WITH_POLL=${BENCH_POLL:-1}
POLL_N=${BENCH_POLL_N:-$N}
WITH_SSE=${BENCH_SSE:-1}
WS_MODES=${BENCH_WS-ws ws_over_http}
WS_N=${BENCH_WS_N:-$(( N < 5000 ? N : 5000 ))}
WSH_N=${BENCH_WSH_N:-$N}
WS_ORIGIN_PORT=19092
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
PNG=${BENCH_PNG-$repo/docs/img/side-by-side.png}
ORIGIN_PORT=19091 REF_PORT=19080 REF_OFFSET=13500 OURS_PORT=19081 OURS_OFFSET=13600 NCHAN_PORT=19082 NCHAN_PUB=19182
for n in "$N" "$WSH_N" "$POLL_N"; do
  if [ "$n" -gt 19000 ]; then echo "N=$n: at most ~19000 (each process may open 20,000 files)" >&2; exit 2; fi
done
if [ "$WS_N" -gt 9500 ]; then echo "BENCH_WS_N=$WS_N: at most ~9500 (ours holds 2 files per WebSocket)" >&2; exit 2; fi

pp_need curl curl
pp_need pushpin pushpin  # also for ours: pp_write_conf starts from /etc/pushpin/pushpin.conf
if [ "$WITH_NCHAN" = 1 ]; then nchan_need; fi
bench_jar=$repo/bench/target/pushpin-bench.jar
server_jar=$repo/server/target/pushpin-server.jar
if [ ! -f "$bench_jar" ] || [ -n "$(find "$repo/bench/src" "$repo/bench/pom.xml" -newer "$bench_jar" | head -1)" ]; then
  pp_log "building $bench_jar"
  (cd "$repo" && { mvn -B -q -o -DskipTests -pl bench -am package || mvn -B -q -DskipTests -pl bench -am package; })
fi
if [ "$WITH_OURS" = 1 ] && [ ! -f "$server_jar" ]; then
  pp_log "building $server_jar"
  (cd "$repo" && mvn -B -q -DskipTests -pl server -am package)
fi
# Ours as users start it (bin/pushpin and its default JVM options), unless BENCH_JAVA_OPTS says otherwise.
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then
  export PP_OURS_CMD="java $BENCH_JAVA_OPTS -jar $server_jar"
else
  export PP_OURS_CMD="$repo/bin/pushpin"
  unset JAVA_OPTS
fi
export PP_CONF_SET=$'handler.message_rate=1000000000\nhandler.message_hwm=1000000000'
if [ -n "${BENCH_CONF_SET:-}" ]; then PP_CONF_SET+=$'\n'"$BENCH_CONF_SET"; fi

work=$(mktemp -d -t pp-bench-sbs.XXXXXX)
results=$work/results.txt; : > "$results"
trap stop_all EXIT
trap 'exit 130' INT TERM
if pp_port_busy $ORIGIN_PORT; then echo "port $ORIGIN_PORT is already in use" >&2; exit 2; fi

routes="* 127.0.0.1:$ORIGIN_PORT"

rc=0
run_loadgen() {  # run_loadgen NAME HTTP_PORT CONTROL_PORT PID N ROOMS [LOADGEN OPTIONS...]
  local name=$1 port=$2 control=$3 pid=$4 n=$5 rooms=$6; shift 6
  # shellcheck disable=SC2086
  java -Xmx1g -XX:+UseParallelGC -cp "$bench_jar" org.pushpin.bench.load.LoadGen --name "$name" \
    --ports "$port" --control "$control" --pid "$pid" --n "$n" --rooms "$rooms" --result "$results" \
    "$@" ${BENCH_LOADGEN_ARGS:-} 2>&1 | tee "$work/loadgen-$name.log" || rc=1
}

# measure SERVER NAME ROUTES N ROOMS [LOADGEN OPTIONS...]: a fresh start of the reference, ours or nginx with
# Nchan (in front of the SSE origin; ROUTES unused), one load generator run, stop.
measure() {
  local server=$1 name=$2 routes=$3 n=$4 rooms=$5; shift 5
  if [ "$server" = reference ]; then
    local set=$PP_CONF_SET
    case $name in *-ws*) set+=$'\n'"global.libdir=$ref_ws_lib" ;; esac
    if PP_CONF_SET=$set ref_start "$work/$name" $REF_PORT $REF_OFFSET "$routes"; then
      run_loadgen "$name" $REF_PORT $((5561 + REF_OFFSET)) "$(cat "$work/$name/pushpin.pid")" "$n" "$rooms" "$@"
      pp_stop_pid "$(cat "$work/$name/pushpin.pid")"
    else
      pp_log "the reference did not start; see $work/$name/pushpin.log"; rc=1
    fi
  elif [ "$server" = nchan ]; then
    mkdir -p "$work/$name"
    nchan_write_conf "$work/$name" $NCHAN_PORT $NCHAN_PUB $ORIGIN_PORT "$n"
    if nginx_start "$work/$name" $NCHAN_PORT $NCHAN_PUB; then
      run_loadgen "$name" $NCHAN_PORT $NCHAN_PUB "$(cat "$work/$name/master.pid")" "$n" "$rooms" --publish nchan "$@"
      pp_stop_pid "$(cat "$work/$name/master.pid")"
    else
      pp_log "nginx with Nchan did not start; see $work/$name/error.log"; rc=1
    fi
  else
    if ours_start "$work/$name" $OURS_PORT $OURS_OFFSET "$routes"; then
      run_loadgen "$name" $OURS_PORT $((5561 + OURS_OFFSET)) "$(cat "$work/$name/pushpin.pid")" "$n" "$rooms" --jvm "$@"
      pp_stop_pid "$(cat "$work/$name/pushpin.pid")"
    else
      pp_log "ours did not start; see $work/$name/pushpin.log"; rc=1
    fi
  fi
}

servers=()
[ "$WITH_REF" = 1 ] && servers+=(reference)
[ "$WITH_OURS" = 1 ] && servers+=(ours)
[ "$WITH_NCHAN" = 1 ] && servers+=(nchan)
if [ "$WITH_SSE" = 1 ] || [ "$WITH_POLL" = 1 ]; then
  pp_spawn "$work/origin.log" java -Xmx256m -XX:+UseParallelGC -cp "$bench_jar" \
    org.pushpin.bench.memory.SseHoldOrigin $ORIGIN_PORT "$ROOMS"
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/plain" && break; sleep 0.1; done
  if [ "$WITH_SSE" = 1 ]; then
    for server in "${servers[@]}"; do measure "$server" "$server" "$routes" "$N" "$ROOMS"; done
  fi
  if [ "$WITH_POLL" = 1 ]; then
    # Every message costs each client a re-poll through the origin, so the ramps start at one round per second to
    # all rooms and ten per second to one room rather than at the stream targets.
    for server in "${servers[@]}"; do
      measure "$server" "$server-poll" "$routes" "$POLL_N" "$ROOMS" --mode poll --origin $ORIGIN_PORT \
        --phases memory,cpu,fanout,throughput --rate-all "$POLL_N" --rate-one $(( (POLL_N + ROOMS - 1) / ROOMS * 10 ))
    done
  fi
  pp_stop_pid "$(cat "$work/origin.log.pid")"
fi

# WebSockets: an origin with the rooms of each N; /wsh/ goes over HTTP, everything else is passthrough. The
# plain-request phase is left out (the SSE run measures it); 100 per room as in the SSE run unless BENCH_ROOMS.
ws_routes="*,path_beg=/wsh/ 127.0.0.1:$WS_ORIGIN_PORT,over_http
* 127.0.0.1:$WS_ORIGIN_PORT"
ws_notes=()
ref_ws_lib=$work/ref-ws-lib
if [ -n "$WS_MODES" ] && [ "$WITH_REF" = 1 ]; then
  cp -r /usr/lib/pushpin "$ref_ws_lib"
  sed -i "s/^max_open_requests=.*/max_open_requests=${BENCH_REF_ZURL_MAX:-40000}/" "$ref_ws_lib/runner/zurl.conf.template"
  grep -q "^max_open_requests=${BENCH_REF_ZURL_MAX:-40000}$" "$ref_ws_lib/runner/zurl.conf.template" ||
    { pp_log "could not raise zurl's max_open_requests in $ref_ws_lib"; exit 1; }
  ws_notes+=("reference: zurl max_open_requests raised from Debian's 2000 to ${BENCH_REF_ZURL_MAX:-40000}")
fi
for mode in $WS_MODES; do
  case $mode in ws) n=$WS_N ;; ws_over_http) n=$WSH_N ;; *) echo "BENCH_WS: unknown mode $mode" >&2; exit 2 ;; esac
  rooms=${BENCH_ROOMS:-$(( n / 100 > 0 ? n / 100 : 1 ))}
  pp_spawn "$work/origin-$mode.log" java -Xmx512m -XX:+UseParallelGC -cp "$bench_jar" \
    org.pushpin.bench.memory.SseHoldOrigin $WS_ORIGIN_PORT "$rooms"
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$WS_ORIGIN_PORT/plain" && break; sleep 0.1; done
  for server in "${servers[@]}"; do
    [ "$server" = nchan ] && continue
    measure "$server" "$server-$mode" "$ws_routes" "$n" "$rooms" --mode "$mode" \
      --max-in-flight "${BENCH_WS_IN_FLIGHT:-100}" --phases memory,cpu,fanout,throughput
  done
  pp_stop_pid "$(cat "$work/origin-$mode.log.pid")"
  ws_notes+=("$mode: N=$n in $rooms rooms")
done

cmd="scripts/bench-side-by-side.sh $N"
for v in BENCH_REFERENCE BENCH_OURS BENCH_NCHAN BENCH_POLL BENCH_POLL_N NGINX_WORKERS BENCH_SSE BENCH_WS BENCH_WS_N BENCH_WSH_N BENCH_WS_IN_FLIGHT BENCH_REF_ZURL_MAX BENCH_ROOMS BENCH_JAVA_OPTS \
         BENCH_LOADGEN_ARGS; do
  [ -n "${!v+x}" ] && cmd="$v='${!v}' $cmd"
done
notes=(--note "ours: \`${PP_OURS_CMD//$repo\//}\`; reference: Debian pushpin $(pushpin --version 2>/dev/null | awk '{print $2}'); both with handler.message_rate and handler.message_hwm = 1000000000")
[ "$WITH_NCHAN" = 1 ] && notes+=(--note "Nchan: nginx $(nginx -v 2>&1 | sed 's|.*/||') with Debian libnginx-mod-nchan $(nchan_version), ${NGINX_WORKERS:-$(nproc)} worker processes, configuration written by scripts/lib/nginx.sh (\`/sse/i\`, \`/poll/i\` proxied to the origin, which answers \`X-Accel-Redirect: /nchan/sse|poll/room-(i % R)\`; \`nchan_subscriber_first_message newest\`; publishes \`POST /pub/room-0,...,room-(R-1)\` with body \`@STAMP\`, pipelined on one connection)")
[ "$WITH_POLL" = 1 ] && notes+=(--note "N=$POLL_N long-polls (\`GET /poll/i\` → \`Grip-Hold: response\`, or Nchan's long-poll subscriber), re-polled on the same connection with \`?after=T\` (the client's clock when the answer ended; the origin times the re-poll's arrival)")
[ "$WITH_SSE" = 1 ] && notes+=(--note "N=$N SSE clients (\`GET /sse/i\` → \`Grip-Hold: stream\`, \`Grip-Channel: room-(i % $ROOMS)\`), source addresses 127.0.0.1-16, one server at a time; load generator \`org.pushpin.bench.load.LoadGen\` on the same machine; load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)")
[ ${#ws_notes[@]} -gt 0 ] && notes+=(--note "WebSockets (\`org.pushpin.bench.load.WsClient\`, Netty's client codecs), each mode from a fresh start of each server, origin \`SseHoldOrigin\` subscribing each with \`c:{\"type\":\"subscribe\",\"channel\":\"room-(i % R)\"}\`; held = a published probe arrived: $(IFS=';'; echo "${ws_notes[*]}")")
[ -n "${BENCH_NOTE:-}" ] && notes+=(--note "$BENCH_NOTE")
report_args=(--results "$results" --command "$cmd" "${notes[@]}")
[ -n "$DOC" ] && report_args+=(--doc "$DOC")
[ -n "$PNG" ] && report_args+=(--png "$PNG")
java -Djava.awt.headless=true -cp "$bench_jar" org.pushpin.bench.load.SideBySideReport "${report_args[@]}" || rc=1
pp_log "results: $results; logs: $work"
exit $rc
