// @fanoutio/serve-grip + @fanoutio/grip as a WebSocket-over-HTTP origin: node woh-origin.mjs CONTROL_URI
// On OPEN it accepts and subscribes to the channel named by the `ch` query parameter (default "test"); it echoes
// each text message back prefixed "echo: "; on CLOSE it closes back. Its own Publisher (serveGrip.getPublisher())
// publishes on command.
// Events: listening {port}, request {path, connectionId, events: [[type, content]...]}, published, error {message}.
// Commands: {op: publish, channel, content}.
import http from 'node:http';
import { ServeGrip } from '@fanoutio/serve-grip';
import { WebSocketMessageFormat } from '@fanoutio/grip';
import { emit, onCommand } from './lines.mjs';

const serveGrip = new ServeGrip({ grip: { control_uri: process.argv[2] } });

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
    const events = ws._inEvents.map((e) => [e.type, e.content == null ? null : Buffer.from(e.content).toString('utf8')]);
    emit('request', { path: req.url, connectionId: ws.id, events });
    if (ws.isOpening()) {
      ws.accept();
      ws.subscribe(new URL(req.url, 'http://x').searchParams.get('ch') || 'test');
    }
    while (ws.canRecv()) {
      const message = ws.recv();
      if (message == null) {
        ws.close();
        break;
      }
      ws.send('echo: ' + message);
    }
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => emit('listening', { port: server.address().port }));

onCommand(async (c) => {
  if (c.op !== 'publish') throw new Error('unknown op ' + c.op);
  await serveGrip.getPublisher().publishFormats(c.channel, new WebSocketMessageFormat(c.content));
  emit('published');
});
