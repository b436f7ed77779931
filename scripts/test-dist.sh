#!/usr/bin/env bash
# Tests the release as a user gets it (docs/install.md), over real processes:
#  1. builds the tarball and the Debian package (mvn -Pdist);
#  2. unpacks the tarball, starts bin/pushpin --config conf/pushpin.conf on free ports, asks the shipped "* test"
#     route, publishes with bin/pushpin-publish to a held request and sees it arrive; starts it again without
#     --config from another directory (it must find conf/ beside itself); reads the start-up lines (ports, routes,
#     a mistyped key);
#  3. runs the command line on a bad routes line (skipped, with the fix), a bad pushpin.conf value and a missing
#     config file, and reads what stderr/stdout name;
#  4. as root with apt-get: installs the .deb beside Debian's pushpin, runs /usr/bin/pushpin-java with a test config,
#     sees it answer, removes the package (the configuration stays) and purges it (nothing stays), and checks that
#     Debian's pushpin still runs.
# Run by .ci/run after the unit tests. Environment: SKIP_BUILD=1 reuses dist/target; MAVEN_ARGS (read by Maven
# itself, e.g. -o for offline); SKIP_DEB=1 leaves step 4 out (it is left out anyway when not root).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d -t pushpin-dist-test.XXXXXX)"
PIDS=()
DEB_INSTALLED=0

log() { printf '[test-dist %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  if [ "$DEB_INSTALLED" = 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q pushpin-java >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_ports() {  # free_ports N: N distinct free TCP ports on 127.0.0.1, one a line
  /usr/bin/python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s); print(s.getsockname()[1])
EOF
}

# Writes a copy of the config $1 to $2 with every port moved to a free one; prints "HTTP_PORT CONTROL_PORT".
config_on_free_ports() {
  local -a p
  mapfile -t p < <(free_ports 5)
  sed -e "s|^http_port=.*|http_port=127.0.0.1:${p[0]}|" \
      -e "s|^push_in_http_port=.*|push_in_http_port=${p[1]}|" \
      -e "s|^push_in_spec=.*|push_in_spec=tcp://127.0.0.1:${p[2]}|" \
      -e "s|^push_in_sub_specs=.*|push_in_sub_specs=tcp://127.0.0.1:${p[3]}|" \
      -e "s|^command_spec=.*|command_spec=tcp://127.0.0.1:${p[4]}|" "$1" > "$2"
  echo "${p[0]} ${p[1]}"
}

# start NAME DIR CMD...: runs CMD in DIR, output to $WORK/NAME.log; waits until the log says it started.
start() {
  local name=$1 dir=$2; shift 2
  : > "$WORK/$name.log"
  (cd "$dir" && exec "$@") > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  local deadline=$((SECONDS + 60))
  until grep -q 'pushpin-java started' "$WORK/$name.log"; do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/$name.log" >&2; fail "$name exited before it started"; }
    [ $SECONDS -lt $deadline ] || { cat "$WORK/$name.log" >&2; fail "$name did not start in 60 s"; }
    sleep 0.2
  done
  log "$name started"
}

stop_last() {
  kill "${PIDS[-1]}" 2>/dev/null || true
  wait "${PIDS[-1]}" 2>/dev/null || true
  unset 'PIDS[-1]'
}

# check_answers HTTP_PORT CONTROL_PORT PUBLISH_CMD: the test route answers, and a publish reaches a held request.
check_answers() {
  local http=$1 control=$2 publish=$3 body
  body=$(curl -sS --max-time 10 "http://127.0.0.1:$http/")
  [ "$body" = "Hello from the Pushpin test handler!" ] || fail "GET / answered: $body"
  curl -sS --max-time 20 "http://127.0.0.1:$http/response?channel=dist-test" > "$WORK/held.out" &
  local held=$! deadline=$((SECONDS + 20))
  # the hold subscribes a moment after the request: publish until the held request has its answer
  while kill -0 $held 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "the held request got nothing"
    $publish --spec "http://127.0.0.1:$control" dist-test "published through the release" >/dev/null
    sleep 0.2
  done
  wait $held || fail "the held request failed"
  grep -q "published through the release" "$WORK/held.out" || fail "held request answered: $(cat "$WORK/held.out")"
  log "answers on :$http, publish through :$control reaches a held request"
}

if [ "${SKIP_BUILD:-}" != 1 ]; then
  log "building the release (mvn -Pdist)"
  (cd "$ROOT" && mvn -B -q -Pdist -pl dist -am package -DskipTests)
fi
TARBALL=$(ls "$ROOT"/dist/target/pushpin-java-*.tar.gz | head -1)
DEB=$(ls "$ROOT"/dist/target/pushpin-java_*_all.deb | head -1)
log "built $(basename "$TARBALL") and $(basename "$DEB")"

# 2. the tarball
tar -xzf "$TARBALL" -C "$WORK"
REL=$(ls -d "$WORK"/pushpin-java-*/)
REL=${REL%/}
for f in bin/pushpin bin/pushpin-publish lib/pushpin-server.jar conf/pushpin.conf conf/routes \
    systemd/pushpin-java.service; do
  [ -e "$REL/$f" ] || fail "the tarball has no $f"
done
grep -q '^LimitNOFILE=' "$REL/systemd/pushpin-java.service" || fail "the unit sets no LimitNOFILE"
mapfile -t version < <("$REL/bin/pushpin" --version)
[ "${version[0]}" = "pushpin 1.36.0" ] || fail "--version line 1: ${version[0]}"
[[ "${version[1]}" =~ ^pushpin-java\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version line 2: ${version[1]:-}"
log "--version: ${version[*]}"

read -r HTTP CONTROL < <(config_on_free_ports "$REL/conf/pushpin.conf" "$WORK/pushpin.conf.new")
mv "$WORK/pushpin.conf.new" "$REL/conf/pushpin.conf"
echo '* localhost ,over_http' >> "$REL/conf/routes"   # a bad line: skipped with a warning that says how to fix it
start tarball "$REL" bin/pushpin --config conf/pushpin.conf
check_answers "$HTTP" "$CONTROL" "$REL/bin/pushpin-publish"
# what a person sees at start-up: each port, the routes
for line in "listening on .*:$HTTP" "http control server: .*:$CONTROL" "zmq pull input: tcp://127.0.0.1:" \
    "command socket: tcp://" "routes loaded with 1 entries" "route: \* -> test" \
    "ready: clients on http://127.0.0.1:$HTTP; control API on http://127.0.0.1:$CONTROL (pushpin-java " \
    "conf/routes:[0-9]*: target bad format (a target is host:port.*); line skipped"; do
  grep -q -- "$line" "$WORK/tarball.log" || { cat "$WORK/tarball.log" >&2; fail "start-up output lacks '$line'"; }
done
stop_last
# without --config, from elsewhere: conf/pushpin.conf beside bin/ is read (with a mistyped key, which is named)
printf '[proxy]\nroutesfiel=routes\n' >> "$REL/conf/pushpin.conf"
start tarball-noconf / "$REL/bin/pushpin"
check_answers "$HTTP" "$CONTROL" "$REL/bin/pushpin-publish"
grep -q "conf/pushpin.conf:[0-9]*: \[proxy\] routesfiel: not used" "$WORK/tarball-noconf.log" ||
  { cat "$WORK/tarball-noconf.log" >&2; fail "no warning for a mistyped key"; }
stop_last

# 3. errors name the file, the line and what to do
printf '[runner]\nhttp_port=127.0.0.1:%s\n[handler]\nmessage_rate=fast\n' "$HTTP" > "$WORK/bad.conf"
if "$REL/bin/pushpin" --config "$WORK/bad.conf" > "$WORK/bad.out" 2>&1; then fail "a bad pushpin.conf started"; fi
grep -q "bad.conf:4.*message_rate" "$WORK/bad.out" || { cat "$WORK/bad.out" >&2; fail "bad pushpin.conf: no file:line"; }
log "bad pushpin.conf: $(head -1 "$WORK/bad.out")"
if "$REL/bin/pushpin" --config "$WORK/missing.conf" > "$WORK/missing.out" 2>&1; then fail "a missing config started"; fi
grep -q "missing.conf: config file not found" "$WORK/missing.out" || fail "missing config: $(cat "$WORK/missing.out")"

# 4. the Debian package, beside Debian's pushpin
if [ "${SKIP_DEB:-}" = 1 ] || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "SKIPPED: the .deb install (needs root and apt-get)"
  log "OK (tarball)"
  exit 0
fi
reference_version=""
if command -v pushpin >/dev/null && [ "$(readlink -f "$(command -v pushpin)")" = /usr/bin/pushpin ]; then
  reference_version=$(pushpin --version | head -1)
fi
log "installing $(basename "$DEB")"
cp "$DEB" "$WORK/"
DEB_INSTALLED=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$WORK/$(basename "$DEB")" > "$WORK/apt.log" 2>&1 ||
  { cat "$WORK/apt.log" >&2; fail "apt-get install of the .deb"; }
for f in /usr/bin/pushpin-java /usr/bin/pushpin-java-publish /etc/pushpin-java/pushpin.conf /etc/pushpin-java/routes \
    /lib/systemd/system/pushpin-java.service; do
  [ -e "$f" ] || fail "the package installed no $f"
done
grep -q '^LimitNOFILE=' /lib/systemd/system/pushpin-java.service || fail "the unit sets no LimitNOFILE"
getent passwd pushpin-java >/dev/null || fail "no pushpin-java user"
[ "$(pushpin-java --version | head -1)" = "pushpin 1.36.0" ] || fail "pushpin-java --version: $(pushpin-java --version)"
mkdir -p "$WORK/deb"
read -r HTTP CONTROL < <(config_on_free_ports /etc/pushpin-java/pushpin.conf "$WORK/deb/pushpin.conf")
sed -i -e "s|^rundir=.*|rundir=$WORK/deb|" "$WORK/deb/pushpin.conf"
cp /etc/pushpin-java/routes "$WORK/deb/routes"
start deb / /usr/bin/pushpin-java --config "$WORK/deb/pushpin.conf"
check_answers "$HTTP" "$CONTROL" /usr/bin/pushpin-java-publish
stop_last
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q pushpin-java > "$WORK/apt.log" 2>&1 ||
  { cat "$WORK/apt.log" >&2; fail "apt-get remove pushpin-java"; }
DEB_INSTALLED=0
[ ! -e /usr/bin/pushpin-java ] || fail "/usr/bin/pushpin-java left after remove"
[ -e /etc/pushpin-java/pushpin.conf ] || fail "remove took the configuration (only purge may)"
# purge: nothing of ours is left on the machine (configuration, user)
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q pushpin-java > "$WORK/apt.log" 2>&1 ||
  { cat "$WORK/apt.log" >&2; fail "apt-get purge pushpin-java"; }
[ ! -e /etc/pushpin-java/pushpin.conf ] || fail "/etc/pushpin-java/pushpin.conf left after purge"
! getent passwd pushpin-java >/dev/null || fail "the pushpin-java user left after purge"
if [ -n "$reference_version" ]; then
  [ "$(pushpin --version | head -1)" = "$reference_version" ] || fail "Debian's pushpin broken: $(pushpin --version)"
  log "Debian's pushpin still runs: $reference_version"
fi
log "OK (tarball and .deb)"
