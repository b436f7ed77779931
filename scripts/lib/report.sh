# shellcheck shell=bash
# The one way the benchmark scripts record a run in docs/benchmarks.md. Source it:   . scripts/lib/report.sh
#
#   pp_append_report DOC HEADING INTRO REPORT
#     appends REPORT (markdown) at the end of the DOC section titled HEADING ("## ..."); a missing DOC or section is
#     created, the section starting with the INTRO line (may be empty).

pp_append_report() {
  /usr/bin/python3 - "$@" <<'PY'
import os, re, sys
doc, heading, intro, report = sys.argv[1:5]
s = open(doc).read() if os.path.exists(doc) else '# Benchmarks\n'
if heading not in s:
    s = s.rstrip('\n') + '\n\n' + heading + '\n' + ('\n' + intro + '\n' if intro else '')
start = s.index(heading) + len(heading)
m = re.compile(r'^## ', re.M).search(s, start)
end = m.start() if m else len(s)
s = s[:end].rstrip('\n') + '\n\n' + report + '\n' + ('\n' + s[end:] if m else '')
open(doc, 'w').write(s)
PY
  echo "appended to $1" >&2
}
