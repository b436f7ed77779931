// npm `sockjs-client` (1.6) as a SockJS client: node sockjs-client.mjs URL TRANSPORT
// TRANSPORT is the one transport allowed (websocket, xhr-streaming, xhr-polling, eventsource, ...).
// Events: open {transport}, message {data}, close {code, reason, wasClean}.
// Commands: {op: send, data} | {op: close, code, reason}.
import SockJS from 'sockjs-client';
import { emit, onCommand } from './lines.mjs';

const [url, transport] = process.argv.slice(2);
const sock = new SockJS(url, null, { transports: [transport], timeout: 10000 });
sock.onopen = () => emit('open', { transport: sock.transport });
sock.onmessage = (e) => emit('message', { data: e.data });
sock.onclose = (e) => {
  emit('close', { code: e.code, reason: e.reason, wasClean: e.wasClean });
  // let a dropped poll reach the server before the process (and its sockets) go
  setTimeout(() => process.exit(0), 200);
};

const opened = new Promise((resolve) => sock.addEventListener('open', resolve));
onCommand(async (c) => {
  await opened;
  switch (c.op) {
    case 'send': sock.send(c.data); break;
    case 'close': sock.close(c.code, c.reason); break;
    default: throw new Error('unknown op ' + c.op);
  }
});
