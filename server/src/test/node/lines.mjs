// The line protocol shared by the scripts here (see org.pushpin.testing.ScriptProcess): JSON commands on stdin,
// one JSON event per line on stdout.
import { createInterface } from 'node:readline';

export function emit(ev, fields = {}) {
  process.stdout.write(JSON.stringify({ ev, ...fields }) + '\n');
}

export function onCommand(handle) {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (!line.trim()) return;
    Promise.resolve()
      .then(() => handle(JSON.parse(line)))
      .catch((e) => emit('error', { message: String(e && e.message || e) }));
  });
  return rl;
}

export function headersOf(raw) {
  // rawHeaders keeps names as sent and repeated headers apart: [[name, value], ...]
  const out = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}
