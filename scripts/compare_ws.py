"""WebSocket cases of the differential test (see compare_reference.py, which installs this module).

What they need beyond the HTTP cases:
  - a WebSocket echo origin on 127.0.0.1:18392 (Debian's python3-websockets), started by `compare_reference.py
    origin` next to the HTTP origin; it records each handshake in the same origin log (framing "websocket");
    the path's last segment chooses: "reject" answers 403, anything else echoes (text "close-me": it closes with
    4001 "origin says bye");
  - a WebSocket-over-HTTP origin: the HTTP origin's path ending "/wsevents" (OPEN: accept, subscribe to the `ch`
    query parameter; TEXT: echo prefixed "echo: "; CLOSE: close back);
  - a client: python3-websockets driven step by step from the case's script (WsClient), each step recorded.

Profile 'ws' holds the cases; the no-route one is in 'hostonly'. Standard library + python3-websockets only.
"""
import asyncio
import http
import json
import threading
import urllib.parse
import urllib.request

try:
    import websockets
except ImportError:  # the HTTP cases still run; each WebSocket case reports the missing package
    websockets = None

WS_ORIGIN_PORT = 18392
UPGRADE = [('Upgrade', 'websocket'), ('Connection', 'Upgrade'), ('Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='),
           ('Sec-WebSocket-Version', '13')]
MISSING = 'python3-websockets is not installed (apt-get install python3-websockets)'
_CR = None  # compare_reference, set by install()


# ---------------------------------------------------------------------------------------------------------------
# Origins
# ---------------------------------------------------------------------------------------------------------------
def start_ws_origin(cr, port=WS_ORIGIN_PORT):
    """Runs the WebSocket echo origin in a daemon thread; handshakes go to cr.LOG."""
    if websockets is None:
        print('warning: %s; no WebSocket origin' % MISSING, flush=True)
        return
    from websockets.datastructures import Headers

    async def process_request(path, headers):
        rec = {'method': 'GET', 'target': path, 'version': 'HTTP/1.1',
               'headers': [[k, v] for k, v in headers.raw_items()], 'body': cr.digest(b''),
               'framing': 'websocket', 'time': cr.time.time()}
        with cr.LOG_LOCK:
            cr.LOG.append(rec)
        if path.split('?', 1)[0].rstrip('/').endswith('/reject'):
            return (http.HTTPStatus.FORBIDDEN, Headers([('Content-Type', 'text/plain'), ('X-Reject', 'yes')]),
                    b'go away\n')
        return None

    async def echo(ws, path):
        try:
            async for m in ws:
                if m == 'close-me':
                    await ws.close(4001, 'origin says bye')
                    return
                await ws.send(m)
        except websockets.exceptions.ConnectionClosed:
            pass

    async def serve():
        async with websockets.serve(echo, '127.0.0.1', port, process_request=process_request,
                                    subprotocols=['chat', 'superchat'], compression=None, ping_interval=None):
            await asyncio.Future()

    threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()
    print('websocket origin listening on 127.0.0.1:%d' % port, flush=True)


def parse_events(body):
    """application/websocket-events -> [(type, bytes or None)]."""
    out, i = [], 0
    while i < len(body):
        j = body.index(b'\r\n', i)
        head = body[i:j].decode('latin-1').split(' ')
        if len(head) == 1:
            out.append((head[0], None))
            i = j + 2
        else:
            n = int(head[1], 16)
            out.append((head[0], body[j + 2:j + 2 + n]))
            i = j + 2 + n + 2
    return out


def encode_events(events):
    return b''.join(b'%s\r\n' % t.encode() if c is None else b'%s %x\r\n%s\r\n' % (t.encode(), len(c), c)
                    for t, c in events)


def wsevents(handler, rec):
    """The WebSocket-over-HTTP origin (see the module's doc)."""
    channel = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query).get('ch', ['test'])[0]
    out = []
    for t, c in parse_events(handler.raw_body):
        if t == 'OPEN':
            out += [('OPEN', None), ('TEXT', b'c:' + json.dumps({'type': 'subscribe', 'channel': channel}).encode())]
        elif t == 'TEXT':
            out.append(('TEXT', b'm:echo: ' + (c or b'')))
        elif t == 'CLOSE':
            out.append(('CLOSE', c))
    handler._send(200, 'OK', [('Content-Type', 'application/websocket-events'),
                              ('Sec-WebSocket-Extensions', 'grip')], encode_events(out))


# ---------------------------------------------------------------------------------------------------------------
# Client
# ---------------------------------------------------------------------------------------------------------------
class WsClient:
    """A python3-websockets client run step by step on its own event loop (nothing runs between steps; what
    arrives meanwhile waits in the socket)."""

    def __init__(self, port):
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.ws = None

    def _run(self, coro, timeout):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def open(self, target, protocols=None):
        async def connect():  # websockets 10 binds the loop current when connect() is called
            return await websockets.connect('ws://127.0.0.1:%d%s' % (self.port, target), subprotocols=protocols,
                                            compression=None, ping_interval=None, open_timeout=10)
        try:
            self.ws = self._run(connect(), 15)
        except websockets.exceptions.InvalidStatusCode as e:
            return {'status': e.status_code}
        except (OSError, asyncio.TimeoutError, websockets.exceptions.InvalidHandshake) as e:
            return {'error': type(e).__name__}
        hdrs = sorted('%s: %s' % (k.lower(), '<accept>' if k.lower() == 'sec-websocket-accept' else v)
                      for k, v in self.ws.response_headers.raw_items() if k.lower() != 'date')
        return {'status': 101, 'headers': hdrs, 'subprotocol': self.ws.subprotocol}

    def send(self, data):
        self._run(self.ws.send(data), 5)

    def recv(self, timeout=5.0):
        try:
            m = self._run(self.ws.recv(), timeout)
        except asyncio.TimeoutError:
            return 'timeout'
        except websockets.exceptions.ConnectionClosed:
            return 'closed %s %r' % (self.ws.close_code, self.ws.close_reason)
        return ('text: ' + m) if isinstance(m, str) else ('binary: ' + m.hex())

    def close(self, code, reason):
        try:
            self._run(self.ws.close(code, reason), 10)
        except asyncio.TimeoutError:
            return 'close timed out'
        return 'closed %s %r' % (self.ws.close_code, self.ws.close_reason)

    def drop(self):
        if self.ws is not None and not self.ws.closed:
            try:
                self._run(self.ws.close(), 5)
            except Exception:  # noqa: BLE001 - best effort at the end of a case
                pass
        self.loop.close()


def ws(s, target, protocols=None):
    """Opens a WebSocket through the server of Session s; records the handshake; returns the client."""
    if websockets is None:
        s._record('ws.open', {'error': MISSING})
        raise _CR.StopScript()
    c = WsClient(s.port)
    s.others.append(c)
    opened = c.open(target, protocols)
    s._record('ws.open', opened)
    if opened.get('status') != 101:
        raise _CR.StopScript()
    return c


def step(s, label, value):
    s._record('ws.' + label, value)


def await_subscribed(s, c, channel):
    """Publishes sync messages until one arrives (the subscription follows the handshake); records only whether
    it did, so that the number of tries (timing) is not compared."""
    for i in range(50):
        body = json.dumps({'items': [{'channel': channel, 'formats': {'ws-message': {'content': 'sync-%d' % i}}}]})
        rq = urllib.request.Request('http://127.0.0.1:%d/publish/' % s.publish_port, data=body.encode(),
                                    headers={'Content-Type': 'application/json'})
        urllib.request.urlopen(rq, timeout=5).read()
        if c.recv(0.3).startswith('text: sync-'):
            step(s, 'subscribed', True)
            return
    step(s, 'subscribed', False)
    raise _CR.StopScript()


def recv_skipping_sync(c):
    while True:
        m = c.recv()
        if not m.startswith('text: sync-'):
            return m


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------
def passthrough_echo(s):
    c = ws(s, '/wsecho/echo', ['chat'])
    c.send('hello')
    step(s, 'recv', c.recv())
    c.send(bytes([0, 1, 254, 255]))
    step(s, 'recv', c.recv())
    c.send('x' * 60000)  # under our 64 KiB frame limit (1.36 relays larger ones: see docs)
    step(s, 'recv-len', len(c.recv()))
    step(s, 'close', c.close(4000, 'client bye'))


def passthrough_origin_close(s):
    c = ws(s, '/wsecho/closing')
    c.send('close-me')
    step(s, 'recv', c.recv())


def over_http_echo(s):
    c = ws(s, '/woh/wsevents?ch=cmp-woh-echo')
    c.send('hi there')
    step(s, 'recv', c.recv())
    step(s, 'close', c.close(1000, 'done'))


def over_http_publish(s):
    c = ws(s, '/woh/wsevents?ch=cmp-woh-pub')
    await_subscribed(s, c, 'cmp-woh-pub')
    s.publish('cmp-woh-pub', {'ws-message': {'content': 'published text'}})
    step(s, 'recv', recv_skipping_sync(c))
    s.publish('cmp-woh-pub', {'ws-message': {'content-bin': 'AAEC'}})
    step(s, 'recv', c.recv())
    s.publish('cmp-woh-pub', {'ws-message': {'action': 'close', 'code': 4001, 'reason': 'pubclose'}})
    step(s, 'recv', c.recv())


def test_target_publish(s):
    c = ws(s, '/testws/ws?channel=cmp-testws')
    c.send('echo me')
    step(s, 'recv', c.recv())
    await_subscribed(s, c, 'cmp-testws')
    s.publish('cmp-testws', {'ws-message': {'content': 'to the test target'}})
    step(s, 'recv', recv_skipping_sync(c))
    step(s, 'close', c.close(4002, 'test bye'))


def install(cr):
    """Adds the profile, the origin route and the cases to compare_reference (module cr)."""
    global _CR
    _CR = cr
    cr.PROFILES['ws'] = {
        'routes': [
            '*,path_beg=/wsecho/ 127.0.0.1:%d' % WS_ORIGIN_PORT,
            '*,path_beg=/wsdown/ %s' % cr.DEAD,
            '*,path_beg=/woh/ %s,over_http' % cr.ORIGIN,
            '*,path_beg=/testws/ test',
        ],
        'conf': {},
    }
    cr.ORIGIN_ROUTES['wsevents'] = wsevents
    case, req = cr.case, cr.req
    # Netty's server handshaker writes "Connection: upgrade", 1.36 "Upgrade"; the token is case-insensitive
    # (RFC 9110 §7.6.1, RFC 6455 §4.2.2) and clients compare it so.
    upgrade_case = [(r'ws\.open\.headers', r'(?i)^connection: upgrade$')]
    # When we close after refusing a handshake we say so with Connection: close; 1.36 just closes.
    says_close = [(r'client\[0\]\.headers', r'^connection: close$')]
    says_close_note = 'deliberate: Connection: close on the refusal we close after; 1.36 closes without saying so'
    upgrade_note = 'Connection: upgrade (Netty) vs Upgrade (1.36): the same case-insensitive token'
    case('ws-passthrough-echo', script=passthrough_echo, profile='ws', known=upgrade_case, note=upgrade_note)
    case('ws-passthrough-origin-close', script=passthrough_origin_close, profile='ws', known=upgrade_case,
         note=upgrade_note)
    case('ws-passthrough-rejected', req(target='/wsecho/reject', headers=UPGRADE), profile='ws',
         known=[(r'client\[0\]\.(reason|headers)', None)],
         note='1.36 (zurl) loses the reason phrase and the headers of a refused WebSocket handshake; we relay them '
              '(and say Connection: close)')
    case('ws-unreachable', req(target='/wsdown/x', headers=UPGRADE), profile='ws', known=says_close,
         note=says_close_note)
    case('ws-no-route', req(host='nowhere.example', headers=UPGRADE), profile='hostonly', known=says_close,
         note=says_close_note)
    case('ws-over-http-echo', script=over_http_echo, profile='ws', known=upgrade_case, note=upgrade_note)
    case('ws-over-http-publish', script=over_http_publish, profile='ws', known=upgrade_case, note=upgrade_note)
    case('ws-test-target-publish', script=test_target_publish, profile='ws', known=upgrade_case,
         note=upgrade_note)
    case('ws-test-target-404', req(target='/testws/other', headers=UPGRADE), profile='ws', known=says_close,
         note=says_close_note)
