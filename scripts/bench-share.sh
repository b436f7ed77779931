#!/usr/bin/env bash
# Request sharing under a thundering herd: N clients ask the same URL at once through ours (and the reference
# Pushpin 1.36 when installed), with [handler] share_all off and on; the origin answers each request after
# DELAY_MS. Prints, per server and setting, how many origin requests the N clients cost.
#
#   scripts/bench-share.sh [N] [DELAY_MS]       # defaults 1000 300
#
# Environment: BENCH_REFERENCE [1 if /usr/bin/pushpin exists]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib/reference.sh"

N=${1:-1000}
DELAY_MS=${2:-300}
default_ref=0; [ -x /usr/bin/pushpin ] && default_ref=1
WITH_REF=${BENCH_REFERENCE:-$default_ref}
ORIGIN_PORT=18492 REF_PORT=18420 REF_OFFSET=1520 OURS_PORT=18430 OURS_OFFSET=1620
py=/usr/bin/python3
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ ! -f "$repo/server/target/pushpin-server.jar" ]; then (cd "$repo" && mvn -B -q -DskipTests package); fi
work=$(mktemp -d -t pp-bench-share.XXXXXX)
trap stop_all EXIT
pp_spawn "$work/origin.log" "$py" "$here/bench_share.py" origin $ORIGIN_PORT "$DELAY_MS"
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$ORIGIN_PORT/count" && break; sleep 0.1; done

servers=(ours); [ "$WITH_REF" = 1 ] && servers+=(reference)
for server in "${servers[@]}"; do
  for share in false true; do
    export PP_CONF_SET="handler.share_all=$share"
    dir=$work/$server-$share
    pp_log "$server, share_all=$share: $N identical requests at once (origin answers after $DELAY_MS ms)"
    if [ "$server" = ours ]; then
      ours_start "$dir" $OURS_PORT $OURS_OFFSET "* 127.0.0.1:$ORIGIN_PORT"; port=$OURS_PORT
    else
      ref_start "$dir" $REF_PORT $REF_OFFSET "* 127.0.0.1:$ORIGIN_PORT"; port=$REF_PORT
    fi
    printf '%-9s share_all=%-5s %s\n' "$server" "$share" "$("$py" "$here/bench_share.py" herd $port "$N" $ORIGIN_PORT)"
    pp_stop_pid "$(cat "$dir/pushpin.pid")"
  done
done
