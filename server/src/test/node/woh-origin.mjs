// @fanoutio/serve-grip + @fanoutio/grip as a WebSocket-over-HTTP origin: node woh-origin.mjs [CONTROL_URI]
// On OPEN it accepts and subscribes to the channel named by the `ch` query parameter (default "test"); it echoes
// each text message back prefixed "echo: "; on CLOSE it closes back with the client's code. Its own Publisher (serveGrip.getPublisher())
// publishes on command.
// Events: listening {port}, request {path, connectionId, events: [[type, content]...]}, published, error {message}.
// Commands: {op: publish, channel, content} | {op: control, uri} (the control URI, when it was not known at start).
import http from 'node:http';
import { ServeGrip } from '@fanoutio/serve-grip';
import { WebSocketMessageFormat } from '@fanoutio/grip';
import { emit, onCommand } from './lines.mjs';

let serveGrip = new ServeGrip({ grip: { control_uri: process.argv[2] || 'http://127.0.0.1:1/' } });

const server = http.createServer((req, res) => {
  serveGrip(req, res, (err) => {
    if (err) {
      emit('error', { message: String(err) });
      res.statusCode = 500;
      res.end('error\n');
      return;
    }
    const ws = req.grip.wsContext;
    if (ws == null) {
      res.statusCode = 400;
      res.end('Not a WebSocket-over-HTTP request\n');
      return;
    }
    // a snapshot before recv() consumes them (_inEvents is the library's own queue; it has no public getter)
    const events = ws._inEvents.map((e) => [e.type, e.content == null ? null : Buffer.from(e.content).toString('utf8')]);
    emit('request', { path: req.url, connectionId: ws.id, events });
    if (ws.isOpening()) {
      ws.accept();
      ws.subscribe(new URL(req.url, 'http://x').searchParams.get('ch') || 'test');
    }
    while (ws.canRecv()) {
      let message;
      try {
        message = ws.recv();
      } catch (e) {
        // recv() throws on DISCONNECT (the client vanished without a close handshake)
        emit('disconnected', { connectionId: ws.id });
        break;
      }
      if (message == null) {
        // close() without a code sends code 0, which the reference relays as is and npm ws rejects as invalid:
        // answer with the client's own code
        ws.close(ws.closeCode ?? 1000);
        break;
      }
      ws.send('echo: ' + message);
    }
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => emit('listening', { port: server.address().port }));

onCommand(async (c) => {
  if (c.op === 'control') {
    serveGrip = new ServeGrip({ grip: { control_uri: c.uri } });
    emit('configured');
    return;
  }
  if (c.op !== 'publish') throw new Error('unknown op ' + c.op);
  await serveGrip.getPublisher().publishFormats(c.channel, new WebSocketMessageFormat(c.content));
  emit('published');
});
