# shellcheck shell=bash
# Helpers to run a private reference Pushpin 1.36 and our server side by side on the same pushpin.conf + routes.
# Source it:   . scripts/lib/reference.sh
#
#   pp_write_conf DIR HTTP_PORT PORT_OFFSET [ROUTES]   write DIR/pushpin.conf (+ DIR/routes if ROUTES is given)
#   ref_start DIR HTTP_PORT PORT_OFFSET ROUTES          start the reference (pushpin runner) from DIR, wait until ready
#   ours_start DIR HTTP_PORT PORT_OFFSET [ROUTES]       start bin/pushpin --config DIR/pushpin.conf, wait until ready
#   stop_all                                            stop every instance started through these helpers
#
# ROUTES is the routes file content: one line, or several lines separated by newlines. Without ROUTES,
# ours_start keeps an existing DIR/routes. PP_CONF_SET (newline-separated `section.key=value` lines) sets further
# pushpin.conf keys in both (replacing the key in that section, or adding it).
# Both instances get the configuration the reference needs: a copy of /etc/pushpin/pushpin.conf with rundir/logdir
# in DIR, port_offset, http_port=127.0.0.1:HTTP_PORT, zurl in services and the three zurl_* lines (without them the
# reference answers every proxied request with 502). Our server reads the same file and ignores the multi-process
# keys (docs/configuration.md#keys-accepted-and-ignored).
# Environment: PP_REPO (repository root; default: two levels above this file), JAVA_OPTS (passed to our server),
# PP_OURS_CMD (override the command that starts ours; gets "--config FILE --merge-output" appended),
# PP_START_TIMEOUT (seconds to wait for readiness, default 30), PP_TASKSET_REF / PP_TASKSET_OURS (CPU list for
# taskset, e.g. "1"; empty = no pinning).

PP_REPO=${PP_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PP_START_TIMEOUT=${PP_START_TIMEOUT:-30}
PP_PIDS=()   # process-group leaders we started (setsid), stopped by stop_all

pp_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Install a Debian package if its command is missing and we are root.
pp_need() {  # pp_need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    pp_log "installing $2 (missing $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { pp_log "ERROR: $1 not found (package $2)"; return 1; }
}

# The one config generator used for both the reference and ours.
pp_write_conf() {  # pp_write_conf DIR HTTP_PORT PORT_OFFSET [ROUTES]
  local dir=$1 port=$2 offset=$3
  mkdir -p "$dir/run" "$dir/log"
  cp /etc/pushpin/pushpin.conf "$dir/pushpin.conf"
  if [ $# -ge 4 ]; then printf '%s\n' "$4" > "$dir/routes"; fi
  PP_CONF_SET=${PP_CONF_SET:-} /usr/bin/python3 - "$dir" "$port" "$offset" <<'PY'
import os, re, sys
d, port, offset = sys.argv[1], sys.argv[2], sys.argv[3]
p = d + '/pushpin.conf'
s = open(p).read()
def sub(old, new):
    global s
    if old not in s:
        sys.exit('pp_write_conf: %r not found in /etc/pushpin/pushpin.conf' % old)
    s = s.replace(old, new, 1)
sub('rundir=/var/run/pushpin', 'rundir=' + d + '/run')
sub('logdir=/var/log/pushpin', 'logdir=' + d + '/log')
sub('port_offset=0', 'port_offset=' + offset)
sub('http_port=7999', 'http_port=127.0.0.1:' + port)
sub('services=condure,pushpin-proxy,pushpin-handler', 'services=condure,zurl,pushpin-proxy,pushpin-handler')
sub('[proxy]\n', '[proxy]\nzurl_out_specs=ipc://{rundir}/{ipc_prefix}zurl-in\n'
    'zurl_out_stream_specs=ipc://{rundir}/{ipc_prefix}zurl-in-stream\n'
    'zurl_in_specs=ipc://{rundir}/{ipc_prefix}zurl-out\n')
for line in filter(None, os.environ['PP_CONF_SET'].splitlines()):
    skey, value = line.split('=', 1)
    section, key = skey.strip().split('.', 1)
    m = re.search(r'^\[%s\]\n' % re.escape(section), s, re.M)
    if not m:
        s += '\n[%s]\n' % section
        m = re.search(r'^\[%s\]\n' % re.escape(section), s, re.M)
    end = re.compile(r'^\[', re.M).search(s, m.end())
    end = end.start() if end else len(s)
    body, n = re.subn(r'^%s=.*$' % re.escape(key), lambda _: key + '=' + value, s[m.end():end], count=1, flags=re.M)
    if not n:
        body = key + '=' + value + '\n' + body
    s = s[:m.end()] + body + s[end:]
open(p, 'w').write(s)
PY
}

# Wait until the client port answers HTTP (any status) and the HTTP publish port (5561 + offset) accepts
# connections. With PUBLISH_OPTIONAL=1 a missing publish port only gets a warning after 5 s (our server may not
# have that listener yet); the reference always needs it (its handler is then up).
pp_wait_ready() {  # pp_wait_ready NAME PID HTTP_PORT PORT_OFFSET LOGFILE [PUBLISH_OPTIONAL]
  local name=$1 pid=$2 port=$3 logf=$5 pub=$((5561 + $4)) optional=${6:-0} t0=$SECONDS t1=""
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      pp_log "ERROR: $name exited during start-up; last log lines ($logf):"; tail -n 20 "$logf" >&2; return 1
    fi
    if [ -z "$t1" ] && curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/" -H 'Host: pp-ready-probe'; then
      t1=$SECONDS
    fi
    if [ -n "$t1" ]; then
      if curl -s -o /dev/null -m 2 "http://127.0.0.1:$pub/"; then
        pp_log "$name ready on 127.0.0.1:$port (publish :$pub) after $((SECONDS - t0)) s"
        return 0
      fi
      if [ "$optional" = 1 ] && [ $((SECONDS - t1)) -ge 5 ]; then
        pp_log "WARNING: $name answers on 127.0.0.1:$port but not on its publish port :$pub"
        return 0
      fi
    fi
    if [ $((SECONDS - t0)) -ge "$PP_START_TIMEOUT" ]; then
      pp_log "ERROR: $name not ready after $PP_START_TIMEOUT s; last log lines ($logf):"; tail -n 20 "$logf" >&2
      return 1
    fi
    sleep 0.2
  done
}

pp_port_busy() {  # true if something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Refuse to start where the client port or the ports port_offset moves (5560-5563) are taken: another instance
# would otherwise answer our readiness probes.
pp_check_ports() {  # pp_check_ports NAME HTTP_PORT PORT_OFFSET
  local p
  for p in "$2" $((5560 + $3)) $((5561 + $3)) $((5562 + $3)) $((5563 + $3)); do
    if pp_port_busy "$p"; then
      pp_log "ERROR: $1: port $p is already in use (another instance? choose another HTTP port / port_offset)"
      return 1
    fi
  done
}

pp_taskset() {  # prints a taskset prefix for a CPU list, or nothing
  if [ -n "${1:-}" ] && command -v taskset >/dev/null 2>&1; then printf 'taskset -c %s' "$1"; fi
}

ref_start() {  # ref_start DIR HTTP_PORT PORT_OFFSET ROUTES
  local dir=$1 port=$2 offset=$3
  pp_need pushpin pushpin || return 1
  pp_check_ports reference "$port" "$offset" || return 1
  pp_write_conf "$dir" "$port" "$offset" "$4"
  # shellcheck disable=SC2046
  pp_spawn_pid "$dir/pushpin.pid" "$dir/pushpin.log" $(pp_taskset "${PP_TASKSET_REF:-}") \
    pushpin --config "$dir/pushpin.conf" --merge-output
  local pid=$PP_LAST_PID
  pp_wait_ready "reference" "$pid" "$port" "$offset" "$dir/pushpin.log"
}

# The command that starts our server (without its arguments).
ours_cmd() {
  if [ -n "${PP_OURS_CMD:-}" ]; then printf '%s' "$PP_OURS_CMD"
  elif [ -x "$PP_REPO/bin/pushpin" ]; then printf '%s' "$PP_REPO/bin/pushpin"
  else printf 'java %s -jar %s' "${JAVA_OPTS:-}" "$PP_REPO/server/target/pushpin-server.jar"
  fi
}

ours_start() {  # ours_start DIR HTTP_PORT PORT_OFFSET [ROUTES]
  local dir=$1 port=$2 offset=$3
  pp_check_ports ours "$port" "$offset" || return 1
  if [ $# -ge 4 ]; then pp_write_conf "$dir" "$port" "$offset" "$4"
  else
    [ -f "$dir/routes" ] || { pp_log "ERROR: ours_start: no ROUTES given and no $dir/routes"; return 1; }
    pp_write_conf "$dir" "$port" "$offset"
  fi
  local cmd; cmd=$(ours_cmd)
  pp_log "ours: $cmd --config $dir/pushpin.conf --merge-output (JAVA_OPTS=${JAVA_OPTS:-})"
  # shellcheck disable=SC2086,SC2046
  JAVA_OPTS=${JAVA_OPTS:-} pp_spawn_pid "$dir/pushpin.pid" "$dir/pushpin.log" \
    $(pp_taskset "${PP_TASKSET_OURS:-}") $cmd --config "$dir/pushpin.conf" --merge-output
  local pid=$PP_LAST_PID
  pp_wait_ready "ours" "$pid" "$port" "$offset" "$dir/pushpin.log" 1
}

# Start CMD in the background as the leader of a new session (so stop_all can end it with all its children),
# write its pid to PIDFILE and set PP_LAST_PID. The pid is written from inside the new session, which is right
# even where setsid has to fork (an interactive shell with job control).
pp_spawn_pid() {  # pp_spawn_pid PIDFILE LOGFILE CMD...
  local pidf=$1 logf=$2 i; shift 2
  rm -f "$pidf"
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidf" "$@" > "$logf" 2>&1 < /dev/null &
  for i in $(seq 250); do [ -s "$pidf" ] && break; sleep 0.02; done
  PP_LAST_PID=$(cat "$pidf")
  PP_PIDS+=("$PP_LAST_PID")
}

# Start any background helper (an origin...) the same way; its pid file is LOGFILE.pid.
pp_spawn() {  # pp_spawn LOGFILE CMD...   (sets PP_LAST_PID)
  local logf=$1; shift
  pp_spawn_pid "$logf.pid" "$logf" "$@"
}

# Stop one instance/process group (TERM, then KILL after 5 s).
pp_stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  return 0
}

stop_all() {
  local pid
  for pid in "${PP_PIDS[@]}"; do pp_stop_pid "$pid"; done
  PP_PIDS=()
}
