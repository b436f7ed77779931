"""A ZHTTP origin on libzmq (Debian's python3-zmq), written from the protocol's description, for
org.pushpin.it.zmq.ZhttpTargetTest. It connects to the sockets a zhttp/ or zhttpreq/ route target binds.

  zhttp_origin.py req SPEC        a REP socket: one request packet in, one response packet out
  zhttp_origin.py stream HOST BASE_PORT
                                  PULL from BASE_PORT (first packets), DEALER with identity 'zorigin' to
                                  BASE_PORT+1 (later packets of a session), XPUB to BASE_PORT+2 (answers, addressed
                                  '<from> T...'; sent only once the proxy's subscription arrived)

What it answers depends on the path: /hold/CH a GRIP response hold on CH; /stream/CH a GRIP stream hold on CH;
/big/N a body of N bytes ('0123456789' repeated), sent as the proxy's credits allow; /oos (stream) an answer numbered 3 instead of 0; /bad-field an answer
whose code is a string; /garbage bytes that are no packet at all; /more (req) an answer with more set; anything else
'zhttp MODE METHOD PATH BODYLEN'. Events (JSON lines): ready, request {method, uri, headers, body_len},
cancel {id, uri, sent (body bytes)}, keep-alive {id}, credit {id, credits}, done {id, credits_received}.
"""
import json
import sys

import zmq


def emit(ev, **fields):
    print(json.dumps(dict(ev=ev, **fields)), flush=True)


def dumps(v):
    if isinstance(v, bool):
        p, t = (b'true' if v else b'false'), b'!'
    elif isinstance(v, int):
        p, t = str(v).encode(), b'#'
    elif isinstance(v, str):
        p, t = v.encode('latin-1'), b','
    elif isinstance(v, bytes):
        p, t = v, b','
    elif v is None:
        p, t = b'', b'~'
    elif isinstance(v, list):
        p, t = b''.join(dumps(i) for i in v), b']'
    elif isinstance(v, dict):
        p, t = b''.join(dumps(k) + dumps(x) for k, x in v.items()), b'}'
    else:
        raise ValueError(v)
    return str(len(p)).encode() + b':' + p + t


def loads(b):
    v, rest = _parse(b)
    assert rest == b''
    return v


def _parse(b):
    colon = b.index(b':')
    n = int(b[:colon])
    p, t, rest = b[colon + 1:colon + 1 + n], b[colon + 1 + n:colon + 2 + n], b[colon + 2 + n:]
    if t == b',':
        return p, rest
    if t == b'#':
        return int(p), rest
    if t == b'!':
        return p == b'true', rest
    if t == b'~':
        return None, rest
    if t == b']':
        out = []
        while p:
            v, p = _parse(p)
            out.append(v)
        return out, rest
    if t == b'}':
        out = {}
        while p:
            k, p = _parse(p)
            v, p = _parse(p)
            out[k.decode()] = v
        return out, rest
    raise ValueError(t)


def path_of(uri):
    u = uri.decode('latin-1')
    rest = u.split('://', 1)[1] if '://' in u else u
    return '/' + rest.split('/', 1)[1] if '/' in rest else '/'


def big(n):
    return (b'0123456789' * (n // 10 + 1))[:n]


def answer(mode, req, body):
    """(code, headers, body) for a whole request."""
    path = path_of(req['uri'])
    if path.startswith('/hold/'):
        return 200, [['Content-Type', 'text/plain'], ['Grip-Hold', 'response'],
                     ['Grip-Channel', path[len('/hold/'):]]], b'timed out\n'
    if path.startswith('/stream/'):
        return 200, [['Content-Type', 'text/plain'], ['Grip-Hold', 'stream'],
                     ['Grip-Channel', path[len('/stream/'):]]], b'initial\n'
    if path.startswith('/big/'):
        return 200, [['Content-Type', 'application/octet-stream']], big(int(path[len('/big/'):]))
    text = 'zhttp %s %s %s %d\n' % (mode, req['method'].decode(), path, len(body))
    return 200, [['Content-Type', 'text/plain'], ['X-Zhttp', mode]], text.encode()


def request_event(req, body):
    emit('request', method=req['method'].decode(), uri=req['uri'].decode('latin-1'),
         headers=[[k.decode('latin-1'), v.decode('latin-1')] for k, v in req.get('headers', [])],
         body_len=len(body), body=body[:64].decode('latin-1'))


def serve_req(spec):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REP)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(spec)
    emit('ready')
    while True:
        raw = s.recv()
        req = loads(raw[1:])
        body = req.get('body', b'')
        request_event(req, body)
        path = path_of(req['uri'])
        if path == '/garbage':
            s.send(b'Tthis is no tnetstring')
            continue
        if path == '/bad-field':
            s.send(b'T' + dumps({'id': req['id'], 'code': 'two hundred'}))
            continue
        code, headers, out = answer('req', req, body)
        resp = {'id': req['id'], 'code': code, 'reason': 'OK', 'headers': headers, 'body': out}
        if path == '/more':
            resp['more'] = True
        s.send(b'T' + dumps(resp))


class Session:
    def __init__(self, frm, rid, req):
        self.frm, self.rid, self.req = frm, rid, req
        self.body = req.get('body', b'')
        self.out_seq = 0
        self.credits = req.get('credits', 0)
        self.credits_received = 0
        self.to_send = None  # the rest of the response body, once started
        self.sent = 0  # response body bytes sent
        self.more_in = req.get('more', False)


def serve_stream(host, base):
    ctx = zmq.Context()
    pull = ctx.socket(zmq.PULL)
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.IDENTITY, b'zorigin')
    xpub = ctx.socket(zmq.XPUB)
    for sock in (pull, dealer, xpub):
        sock.setsockopt(zmq.LINGER, 0)
    pull.connect('tcp://%s:%d' % (host, base))
    dealer.connect('tcp://%s:%d' % (host, base + 1))
    xpub.connect('tcp://%s:%d' % (host, base + 2))
    emit('ready')
    subscribed = set()
    held = []  # (address, packet) waiting for the proxy's subscription
    sessions = {}

    def send(s, fields):
        p = {'from': b'zorigin', 'id': s.rid, 'seq': s.out_seq}
        p.update(fields)
        s.out_seq += 1
        msg = s.frm + b' T' + dumps(p)
        if s.frm in subscribed:
            xpub.send(msg)
        else:
            held.append((s.frm, msg))

    def pump(s):
        """Sends what of the response body the credits allow."""
        while s.to_send and s.credits > 0:
            n = min(len(s.to_send), s.credits, 50000)
            part, s.to_send = s.to_send[:n], s.to_send[n:]
            s.credits -= n
            s.sent += n
            more = bool(s.to_send)
            send(s, {'body': part, 'more': more})
            if not more:
                emit('done', id=s.rid.decode(), credits_received=s.credits_received)
                del sessions[s.rid]
                return

    def respond(s):
        path = path_of(s.req['uri'])
        request_event(s.req, s.body)
        if path == '/oos':
            s.out_seq = 3
            send(s, {'code': 200, 'reason': 'OK', 'headers': [], 'body': b'late'})
            return
        if path == '/bad-field':
            send(s, {'code': 'two hundred'})
            return
        if path == '/garbage':
            xpub.send(s.frm + b' Tnot a tnetstring')
            return
        code, headers, out = answer('stream', s.req, s.body)
        n = min(len(out), s.credits, 50000)
        first, s.to_send = out[:n], out[n:]
        s.credits -= n
        s.sent += n
        send(s, {'code': code, 'reason': 'OK', 'headers': headers, 'body': first, 'more': bool(s.to_send)})
        if not s.to_send:
            emit('done', id=s.rid.decode(), credits_received=s.credits_received)
            del sessions[s.rid]

    def on_packet(p):
        rid = p['id']
        s = sessions.get(rid)
        t = p.get('type', b'data')
        if s is None:
            return
        if t == b'cancel':
            emit('cancel', id=rid.decode(), uri=s.req['uri'].decode('latin-1'), sent=s.sent)
            del sessions[rid]
            return
        if t == b'keep-alive':
            emit('keep-alive', id=rid.decode())
            return
        if 'credits' in p:
            s.credits += p['credits']
            s.credits_received += p['credits']
            if t == b'credit':
                emit('credit', id=rid.decode(), credits=p['credits'])
        if t == b'data':
            s.body += p.get('body', b'')
            s.more_in = p.get('more', False)
            if s.more_in:
                send(s, {'type': 'credit', 'credits': len(p.get('body', b''))})
            else:
                respond(s)
                return
        pump(s)

    poller = zmq.Poller()
    for sock in (pull, dealer, xpub):
        poller.register(sock, zmq.POLLIN)
    while True:
        for sock, _ in poller.poll():
            if sock is xpub:
                m = xpub.recv()
                if m[:1] == b'\x01':
                    subscribed.add(m[1:].rstrip(b' '))
                    for frm, msg in [h for h in held if h[0] in subscribed]:
                        xpub.send(msg)
                    held[:] = [h for h in held if h[0] not in subscribed]
            elif sock is pull:
                p = loads(pull.recv()[1:])
                s = Session(p['from'], p['id'], p)
                sessions[p['id']] = s
                if s.more_in:
                    # the first answer says where the rest goes, and how much more body may come
                    send(s, {'type': 'credit', 'credits': 200000})
                else:
                    respond(s)
            else:
                parts = dealer.recv_multipart()
                on_packet(loads(parts[-1][1:]))


if __name__ == '__main__':
    if sys.argv[1] == 'req':
        serve_req(sys.argv[2])
    else:
        serve_stream(sys.argv[2], int(sys.argv[3]))
