# shellcheck shell=bash
# Helpers to run nginx next to the reference and ours, in front of the same origin: with Nchan (Debian's
# libnginx-mod-nchan) as a third realtime server, or as a plain proxy_pass (the floor for plain proxying). Each
# instance runs from its own DIR with its own nginx.conf, not daemonized (master_process on), workers as the
# calling user. Source it after scripts/lib/reference.sh:   . scripts/lib/nginx.sh
#
#   nchan_write_conf DIR PORT PUB_PORT ORIGIN_PORT N     DIR/nginx.conf for Nchan with N held connections
#   nginx_proxy_write_conf DIR PORT ORIGIN_PORT          DIR/nginx.conf: everything proxied to the origin
#   nginx_start DIR PORT... [-- TASKSET-PREFIX...]       check DIR/nginx.conf, start nginx, wait until each PORT
#                                                        answers; its master's pid goes to DIR/master.pid
#                                                        (stop_all, or pp_stop_pid, stops it and its workers)
#   nchan_need                                           install nginx and libnginx-mod-nchan if missing (root)
#   nchan_version                                        Nchan's Debian version, e.g. 1.3.6
#
# Nchan: clients connect on 127.0.0.1:PORT exactly as to a GRIP proxy:
#   /sse/i, /poll/i   proxied to the origin as /accel/sse/i, /accel/poll/i; the origin answers
#                     X-Accel-Redirect: /nchan/sse/room-K (or /nchan/poll/room-K) and nginx follows it internally to
#                     an Nchan subscriber location (EventSource, or long-poll) on channel room-K
#   anything else     proxied to the origin as it is (/plain: the plain-request probe)
# Publishers POST to 127.0.0.1:PUB_PORT/pub/room-a,room-b,... (up to 255 channels, one message to each).
# Environment: NGINX_WORKERS [number of cores]: nginx worker processes.

NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so

nchan_need() {
  pp_need nginx nginx || return 1
  if [ ! -f "$NCHAN_MODULE" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    pp_log "installing libnginx-mod-nchan (missing $NCHAN_MODULE)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libnginx-mod-nchan >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q libnginx-mod-nchan >/dev/null; }
  fi
  [ -f "$NCHAN_MODULE" ] || { pp_log "ERROR: $NCHAN_MODULE not found (package libnginx-mod-nchan)"; return 1; }
}

# Nchan's version as Debian packaged it (e.g. 1.3.6), or "?".
nchan_version() {
  dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null | sed 's/^[0-9]*://; s/[+-].*//' || echo '?'
}

# The top of every nginx.conf here: workers, files, logs and temp paths in DIR, no access log, keep-alive connections without a request limit (nginx closes one after 1000 requests by
# default: a long-poll client re-polling on its connection would see that as a drop, wrk as an error), and the
# upstream 'origin' with a pool of keep-alive connections.
nginx_conf_head() {  # nginx_conf_head DIR WORKERS FILES ORIGIN_PORT [MODULE]
  local dir=$1 workers=$2 nofile=$3 origin=$4 module=${5:-}
  mkdir -p "$dir/tmp"
  if [ -n "$module" ]; then echo "load_module $module;"; fi
  if [ "$(id -u)" = 0 ]; then echo "user root;  # the temp paths are in DIR, which only we can enter"; fi
  cat <<CONF
worker_processes $workers;
worker_rlimit_nofile $nofile;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
    worker_connections $((nofile - 100));
}
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000000;
    upstream origin {
        server 127.0.0.1:$origin;
        keepalive 64;
    }
    proxy_http_version 1.1;
    proxy_set_header Connection "";
CONF
}

nchan_write_conf() {  # nchan_write_conf DIR PORT PUB_PORT ORIGIN_PORT N
  local dir=$1 port=$2 pub=$3 origin=$4 n=$5
  # Files per worker: every held client may land on the same worker, plus its origin and publisher connections;
  # capped at the hard limit, as for the other servers (each process may open 20,000 files here).
  local hard nofile
  hard=$(ulimit -Hn)
  nofile=$((n + 2000))
  if [ "$hard" != unlimited ] && [ "$nofile" -gt "$hard" ]; then nofile=$hard; fi
  {
  echo "# written by scripts/lib/nginx.sh: Nchan for $n held connections"
  nginx_conf_head "$dir" "${NGINX_WORKERS:-$(nproc)}" "$nofile" "$origin" "$NCHAN_MODULE"
  cat <<CONF
    # the multi-channel publish lists every room in the path: room-0,...,room-254 is ~2,300 characters
    nchan_max_channel_id_length 4096;
    large_client_header_buffers 4 16k;

    server {
        listen 127.0.0.1:$port backlog=4096;
        location /sse/ {
            proxy_pass http://origin/accel/sse/;
        }
        location /poll/ {
            proxy_pass http://origin/accel/poll/;
        }
        location / {
            proxy_pass http://origin;
        }
        # where the origin's X-Accel-Redirect leads; 'newest': a subscriber gets what is published after it
        # subscribed, as with a GRIP hold (Nchan's default 'oldest' would replay the channel's buffer, and a
        # long-poll without If-None-Match would get the same old message again and again)
        location ~ ^/nchan/sse/(.+)\$ {
            internal;
            nchan_subscriber eventsource;
            nchan_channel_id \$1;
            nchan_subscriber_first_message newest;
        }
        location ~ ^/nchan/poll/(.+)\$ {
            internal;
            nchan_subscriber longpoll;
            nchan_channel_id \$1;
            nchan_subscriber_first_message newest;
        }
    }

    server {
        listen 127.0.0.1:$pub;
        location ~ ^/pub/(.+)\$ {
            nchan_publisher;
            nchan_channel_id \$1;
            nchan_channel_id_split_delimiter ",";
        }
        location / {
            return 200;
        }
    }
}
CONF
  } > "$dir/nginx.conf"
}

nginx_proxy_write_conf() {  # nginx_proxy_write_conf DIR PORT ORIGIN_PORT
  local dir=$1 port=$2 origin=$3
  {
  echo "# written by scripts/lib/nginx.sh: plain proxy_pass"
  nginx_conf_head "$dir" "${NGINX_WORKERS:-$(nproc)}" 10000 "$origin"
  cat <<CONF
    # a 64 KiB answer fits in memory (the default 8 x 4k would spill it to a temp file)
    proxy_buffers 8 16k;
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / {
            proxy_pass http://origin;
        }
    }
}
CONF
  } > "$dir/nginx.conf"
}

nginx_start() {  # nginx_start DIR PORT... [-- TASKSET-PREFIX...]
  local dir=$1 t0=$SECONDS p ports=() prefix=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do ports+=("$1"); shift; done
  [ $# -gt 0 ] && { shift; prefix=("$@"); }
  pp_need nginx nginx || return 1
  for p in "${ports[@]}"; do
    if pp_port_busy "$p"; then pp_log "ERROR: nginx: port $p is already in use"; return 1; fi
  done
  nginx -t -q -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>"$dir/nginx-t.log" ||
    { pp_log "ERROR: nginx rejects $dir/nginx.conf:"; cat "$dir/nginx-t.log" >&2; return 1; }
  pp_spawn_pid "$dir/master.pid" "$dir/nginx.log" "${prefix[@]}" nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;'
  local pid=$PP_LAST_PID
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      pp_log "ERROR: nginx exited during start-up:"; tail -n 20 "$dir/nginx.log" "$dir/error.log" >&2; return 1
    fi
    local up=1
    for p in "${ports[@]}"; do curl -s -o /dev/null -m 2 "http://127.0.0.1:$p/" || { up=0; break; }; done
    if [ $up = 1 ]; then
      pp_log "nginx $(nginx -v 2>&1 | sed 's|.*/||') ready on ${ports[*]} after $((SECONDS - t0)) s ($dir/nginx.conf)"
      return 0
    fi
    if [ $((SECONDS - t0)) -ge "$PP_START_TIMEOUT" ]; then
      pp_log "ERROR: nginx not ready after $PP_START_TIMEOUT s"; tail -n 20 "$dir/error.log" >&2; return 1
    fi
    sleep 0.2
  done
}
