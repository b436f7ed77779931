// npm `ws` as a WebSocket client: node ws-client.mjs URL [SUBPROTOCOL...]
// Events: open {protocol, extensions, headers}, unexpected-response {status, reason, headers, body}, text {data},
// binary {hex}, ping {hex}, pong {hex}, close {code, reason}, error {message}.
// Commands: {op: text, data} | {op: binary, hex} | {op: ping, hex} | {op: close, code, reason} | {op: terminate}.
import WebSocket from 'ws';
import { emit, onCommand, headersOf } from './lines.mjs';

const [url, ...protocols] = process.argv.slice(2);
const ws = new WebSocket(url, protocols, { perMessageDeflate: false, handshakeTimeout: 10000 });
let upgradeHeaders = [];

ws.on('upgrade', (res) => { upgradeHeaders = headersOf(res.rawHeaders); });
ws.on('unexpected-response', (req, res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    emit('unexpected-response', { status: res.statusCode, reason: res.statusMessage,
      headers: headersOf(res.rawHeaders), body: Buffer.concat(chunks).toString('latin1') });
    process.exit(0);
  });
});
ws.on('open', () => emit('open', { protocol: ws.protocol, extensions: ws.extensions, headers: upgradeHeaders }));
ws.on('message', (data, isBinary) => {
  if (isBinary) emit('binary', { hex: Buffer.from(data).toString('hex') });
  else emit('text', { data: data.toString('utf8') });
});
ws.on('ping', (data) => emit('ping', { hex: data.toString('hex') }));
ws.on('pong', (data) => emit('pong', { hex: data.toString('hex') }));
ws.on('close', (code, reason) => { emit('close', { code, reason: reason.toString('utf8') }); process.exit(0); });
ws.on('error', (e) => emit('error', { message: e.message }));

// commands that arrive before the handshake completes wait for it
const opened = new Promise((resolve) => ws.once('open', resolve));
onCommand(async (c) => {
  if (c.op !== 'terminate') await opened;
  switch (c.op) {
    case 'text': ws.send(c.data); break;
    case 'binary': ws.send(Buffer.from(c.hex, 'hex'), { binary: true }); break;
    case 'ping': ws.ping(Buffer.from(c.hex || '', 'hex')); break;
    case 'close': ws.close(c.code, c.reason); break;
    case 'terminate': ws.terminate(); process.exit(0); break;
    default: throw new Error('unknown op ' + c.op);
  }
});
