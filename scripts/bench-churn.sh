#!/usr/bin/env bash
# Churn soak over the in-JVM transport (org.pushpin.bench.million.ChurnSoak): waves of SSE connections held, sent
# one message per room and dropped; live heap and key class counts must return to the baseline after every wave
# and Netty must report no leak. Two runs: the soak, then a smaller one with PARANOID leak detection.
#
#   scripts/bench-churn.sh [WAVES] [PER_WAVE]     # default 30 x 100000, then PARANOID 10 x 20000
#
# Environment (defaults in brackets):
#   BENCH_JAVA [java], BENCH_JAVA_OPTS [-Xmx4g -XX:+UseParallelGC]
#   BENCH_PARANOID [10x20000]: WAVESxPER_WAVE of the PARANOID run ("" = skip it)
#   BENCH_DOC [docs/benchmarks.md]: where the report is appended ("" = do not append)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
. "$repo/scripts/lib/report.sh"
WAVES=${1:-30}
PER_WAVE=${2:-100000}
JAVA=${BENCH_JAVA:-java}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx4g -XX:+UseParallelGC}
PARANOID=${BENCH_PARANOID-10x20000}
DOC=${BENCH_DOC-$repo/docs/benchmarks.md}
jar=$repo/bench/target/pushpin-bench.jar

if [ ! -f "$jar" ] || [ -n "$(find "$repo/bench/src" "$repo/server/src/main" -newer "$jar" -name '*.java' | head -1)" ]; then
  echo "building $jar" >&2
  (cd "$repo" && mvn -B -q -DskipTests package)
fi
rc=0
results=$(mktemp -t pp-churn.XXXXXX)
soak() {  # soak WAVES PER_WAVE [extra JVM options]
  local waves=$1 per=$2 out; shift 2
  out=$(mktemp -t pp-churn-run.XXXXXX.log)
  # shellcheck disable=SC2086  # options are word lists on purpose; native access: Netty loads its epoll library (JDK 22+ warns otherwise)
  "$JAVA" --enable-native-access=ALL-UNNAMED $JAVA_OPTS "$@" -cp "$jar" org.pushpin.bench.million.ChurnSoak "$waves" "$per" 2>&1 | tee "$out" || true
  grep '^RESULT' "$out" >> "$results" || rc=1
  grep -q '^RESULT.* verdict=PASS' "$out" || rc=1
}
soak "$WAVES" "$PER_WAVE"
if [ -n "$PARANOID" ]; then
  soak "${PARANOID%x*}" "${PARANOID#*x}" -Dio.netty.leakDetection.level=PARANOID
fi

table=$(/usr/bin/python3 - "$results" <<'PY'
import sys
print('| leak detection | waves × connections | total | minutes | LocalChannel: baseline → worst | org.pushpin.hold.*: baseline → worst | live heap MB: baseline, mid-run → last | io.netty.buffer.*: baseline, mid-run → last | leak reports | verdict |')
print('|---|---|---|---|---|---|---|---|---|---|')
for l in open(sys.argv[1]):
    r = dict(kv.split('=', 1) for kv in l.split()[1:])
    print('| %s | %s × %s | %s | %s | %s → %s | %s → %s | %s, %s → %s | %s, %s → %s | %s | %s |' % (
        r['level'], r['waves'], r['per_wave'], r['total'], r['minutes'], r['base_local'], r['worst_local'],
        r['base_hold'], r['worst_hold'], r['base_heap_mb'], r['mid_heap_mb'], r['last_heap_mb'], r['base_buf'],
        r['mid_buf'], r['last_buf'], r['leaks'], r['verdict']))
PY
)
report=$(cat <<MD
### $(date -u '+%Y-%m-%d %H:%M UTC')

- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)
- JDK: $("$JAVA" -version 2>&1 | head -1); \`$JAVA_OPTS\`
- command: \`scripts/bench-churn.sh $WAVES $PER_WAVE\` (PARANOID run: ${PARANOID:-skipped})
- every figure read after a full GC once the hub had no subscription left; baseline = after wave 1, "worst" = the highest of waves 2..n, mid-run = wave n/2; PASS: per-connection objects (local channels, pipelines, holds, proxy objects, hub entries) within 1,000 of the baseline after every wave, live heap and buffer objects (allocator and recycler caches, which fill during the first waves) growing by at most 16 MB and 1,000 over the second half of the run, and no leak report

$table
MD
)
echo
echo "$report"
if [ -n "$DOC" ]; then
  pp_append_report "$DOC" '## Churn soak' '`scripts/bench-churn.sh [WAVES] [PER_WAVE]` (see the script header).' "$report"
fi
exit "$rc"
