// The chat example's origin: an ordinary Node web server that speaks GRIP through Fanout's own libraries
// (@fanoutio/serve-grip for instructions and WebSocket-over-HTTP, @fanoutio/grip's Publisher for publishing).
// It never holds a connection itself: pushpin-java in front of it does.
//
//   GET  /                          the page (public/index.html)
//   GET  /rooms/R/events            an SSE stream of room R             (Grip-Hold: stream)
//   GET  /rooms/R/messages?after=N  messages after id N, or a long-poll (Grip-Hold: response, prev-id N)
//   GET  /rooms/R/ws                a WebSocket (WebSocket-over-HTTP: the route has over_http)
//   POST /rooms/R/messages          {"user","text"} → stored, then published to channel room-R in all three formats
//   POST /rooms/R/drop              closes every SSE stream of room R (to show a client resuming where it stopped)
//
// Environment: PORT (default 8000; 0 picks a free one), PUSHPIN_CONTROL (default http://127.0.0.1:5561/).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { ServeGrip } from '@fanoutio/serve-grip';
import {
  Channel, HttpResponseFormat, HttpStreamFormat, WebSocketMessageFormat,
} from '@fanoutio/grip';

const control = process.env.PUSHPIN_CONTROL || 'http://127.0.0.1:5561/';
const serveGrip = new ServeGrip({ grip: { control_uri: control } });
const publisher = serveGrip.getPublisher();
const page = readFileSync(new URL('./public/index.html', import.meta.url));

/** Room name → its messages in order; a message's id is its position (1, 2, ...), the same in every format. */
const rooms = new Map();
const MAX_KEPT = 1000;

function room(name) {
  if (!rooms.has(name)) rooms.set(name, { messages: [], lastId: 0 });
  return rooms.get(name);
}

function channelOf(name) {
  return 'room-' + name;
}

function sseEvent(message) {
  return `id: ${message.id}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`;
}

function json(res, code, value) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value) + '\n');
}

async function readJson(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10000) throw new Error('message too large');
  }
  return JSON.parse(body);
}

async function post(req, res, name) {
  let input;
  try {
    input = await readJson(req);
  } catch (e) {
    json(res, 400, { error: 'expected a JSON body {"user": ..., "text": ...}' });
    return;
  }
  const text = String(input.text ?? '').slice(0, 500);
  if (!text) {
    json(res, 400, { error: 'text is empty' });
    return;
  }
  const r = room(name);
  const message = { id: String(++r.lastId), user: String(input.user ?? 'anonymous').slice(0, 40), text };
  r.messages.push(message);
  if (r.messages.length > MAX_KEPT) r.messages.shift();
  // One item, three formats: every kind of held connection gets it; id and prev-id let pushpin-java order items,
  // answer long-polls that are behind, and (with history on) resume streams and WebSockets.
  const prevId = String(r.lastId - 1);
  await publisher.publishFormats(channelOf(name), [
    new HttpStreamFormat(sseEvent(message)),
    new HttpResponseFormat({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([message]) + '\n' }),
    new WebSocketMessageFormat(JSON.stringify(message)),
  ], message.id, prevId);
  json(res, 201, message);
}

function events(req, res, name) {
  if (!req.grip.isProxied) {
    // serve-grip knows a GRIP proxy by its signed requests (Grip-Sig, the proxy's sig_key)
    res.writeHead(501, { 'Content-Type': 'text/plain' });
    res.end('This stream needs a GRIP proxy in front (pushpin-java with sig_key set)\n');
    return;
  }
  const instruct = res.grip.startInstruct();
  instruct.addChannel(channelOf(name));
  instruct.setHoldStream();
  instruct.setKeepAlive(':\n\n', 20);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  // a short reconnection delay, so that a dropped stream comes back quickly
  res.end('retry: 1000\n\n');
}

function messages(req, res, name, url) {
  const after = Number(url.searchParams.get('after') ?? '0');
  const r = room(name);
  const newer = r.messages.filter((m) => Number(m.id) > after);
  if (newer.length > 0 || !req.grip.isProxied) {
    json(res, 200, newer);
    return;
  }
  // Nothing new: hold the request until the next message (prev-id: what the client has), or 20 s and answer [].
  const instruct = res.grip.startInstruct();
  instruct.addChannel(new Channel(channelOf(name), String(r.lastId)));
  instruct.setHoldLongPoll(20);
  json(res, 200, []);
}

function webSocket(req, res, name) {
  const ws = req.grip.wsContext;
  if (ws == null) {
    res.writeHead(400, { 'Content-Type': 'text/plain' });
    res.end('This is a WebSocket endpoint (route it with over_http)\n');
    return;
  }
  if (ws.isOpening()) {
    ws.accept();
    ws.subscribe(channelOf(name));
  }
  while (ws.canRecv()) {
    let message;
    try {
      message = ws.recv();
    } catch (e) {
      break; // the client went away without a close handshake
    }
    if (message == null) {
      ws.close(ws.closeCode ?? 1000);
      break;
    }
    // messages from the browser are not used: the page posts over HTTP
  }
  res.end();
}

async function drop(res, name) {
  await publisher.publishFormats(channelOf(name), new HttpStreamFormat(null, true));
  json(res, 200, { dropped: name });
}

const server = http.createServer((req, res) => {
  serveGrip(req, res, (err) => {
    if (err) {
      json(res, 500, { error: String(err) });
      return;
    }
    const url = new URL(req.url, 'http://origin');
    const m = url.pathname.match(/^\/rooms\/([A-Za-z0-9_-]{1,40})\/(events|messages|ws|drop)$/);
    const handle = async () => {
      if (url.pathname === '/' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(page);
      } else if (m && m[2] === 'events' && req.method === 'GET') {
        events(req, res, m[1]);
      } else if (m && m[2] === 'messages' && req.method === 'GET') {
        messages(req, res, m[1], url);
      } else if (m && m[2] === 'messages' && req.method === 'POST') {
        await post(req, res, m[1]);
      } else if (m && m[2] === 'ws') {
        webSocket(req, res, m[1]);
      } else if (m && m[2] === 'drop' && req.method === 'POST') {
        await drop(res, m[1]);
      } else {
        json(res, 404, { error: 'not found' });
      }
    };
    handle().catch((e) => {
      if (!res.headersSent) json(res, 502, { error: 'publish failed: ' + String(e && e.message || e) });
    });
  });
});

server.listen(Number(process.env.PORT ?? 8000), '127.0.0.1', () => {
  console.log(`chat origin listening on port ${server.address().port} (publishing to ${control})`);
});
