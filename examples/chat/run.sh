#!/usr/bin/env bash
# Starts the chat example: its origin on :8000 and pushpin-java on :7999 in front of it. Open http://127.0.0.1:7999/
# Stop with Ctrl-C (both stop).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [ ! -d "$HERE/node_modules/@fanoutio/serve-grip" ]; then
  echo "installing the origin's npm packages..." >&2
  (cd "$HERE" && npm ci --no-audit --no-fund >&2)
fi
PORT=8000 PUSHPIN_CONTROL=http://127.0.0.1:5561/ node "$HERE/origin.mjs" &
ORIGIN=$!
trap 'kill $ORIGIN 2>/dev/null || true' EXIT
echo "open http://127.0.0.1:7999/?room=lobby (add &transport=ws or &transport=poll)" >&2
"$ROOT/bin/pushpin" --config "$HERE/pushpin.conf"
