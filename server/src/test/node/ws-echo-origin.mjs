// npm `ws` as a WebSocket origin: node ws-echo-origin.mjs
// Echoes text and binary messages; accepts the subprotocols chat and superchat (the client's first of them); the text "close-me" makes it close with
// 4001 "origin says bye"; a client's close is answered with the same code and reason (ws does that).
// Events: listening {port}, connection {path, headers}, message {path, data|hex}, close {path, code, reason}.
import { WebSocketServer } from 'ws';
import { emit, headersOf } from './lines.mjs';

const wss = new WebSocketServer({
  host: '127.0.0.1', port: 0, perMessageDeflate: false,
  handleProtocols: (protocols) => [...protocols].find((p) => p === 'chat' || p === 'superchat') ?? false,
});
wss.on('listening', () => emit('listening', { port: wss.address().port }));
wss.on('connection', (ws, req) => {
  emit('connection', { path: req.url, headers: headersOf(req.rawHeaders) });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      emit('message', { path: req.url, hex: Buffer.from(data).toString('hex') });
      ws.send(data, { binary: true });
    } else if (data.toString() === 'close-me') {
      emit('message', { path: req.url, data: 'close-me' });
      ws.close(4001, 'origin says bye');
    } else {
      emit('message', { path: req.url, data: data.toString('utf8') });
      ws.send(data.toString('utf8'));
    }
  });
  ws.on('close', (code, reason) => emit('close', { path: req.url, code, reason: reason.toString('utf8') }));
});
