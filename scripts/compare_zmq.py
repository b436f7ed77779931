"""ZeroMQ cases of the comparison (profile 'holds'): the PULL input and the command socket (ZRPC), with Debian's
python3-zmq (libzmq) as the peer. Both servers run the stock pushpin.conf, so PULL is at the HTTP publish port - 1
and the command socket at + 2 (5560/5561/5563 plus the port offset). Replies are compared after parsing, with
socket URIs reduced to their port less the offset. Installed into compare_reference by install(module).
"""
import json

try:
    import zmq
except ImportError:  # reported by the cases themselves
    zmq = None

_CR = None


def tnet(v):
    if isinstance(v, bytes):
        return b'%d:%s,' % (len(v), v)
    if isinstance(v, str):
        return tnet(v.encode())
    if isinstance(v, bool):
        return b'4:true!' if v else b'5:false!'
    if isinstance(v, int):
        s = str(v).encode()
        return b'%d:%s#' % (len(s), s)
    if v is None:
        return b'0:~'
    if isinstance(v, list):
        b = b''.join(tnet(x) for x in v)
        return b'%d:%s]' % (len(b), b)
    b = b''.join(tnet(k) + tnet(x) for k, x in v.items())
    return b'%d:%s}' % (len(b), b)


def untnet(data):
    """(value, rest) of one tnetstring."""
    colon = data.index(b':')
    n = int(data[:colon])
    payload, kind, rest = data[colon + 1:colon + 1 + n], data[colon + 1 + n:colon + 2 + n], data[colon + 2 + n:]
    if kind == b',':
        return payload.decode('utf-8', 'replace'), rest
    if kind == b'#':
        return int(payload), rest
    if kind == b'!':
        return payload == b'true', rest
    if kind == b'~':
        return None, rest
    if kind == b']':
        out = []
        while payload:
            v, payload = untnet(payload)
            out.append(v)
        return out, rest
    if kind == b'}':
        out = {}
        while payload:
            k, payload = untnet(payload)
            v, payload = untnet(payload)
            out[k] = v
        return out, rest
    raise ValueError('type %r' % kind)


def _offset(s):
    return s.publish_port - 5561


def _norm(s, v):
    """URIs tcp://127.0.0.1:N as tcp://127.0.0.1:<N - offset>; dicts with sorted keys."""
    if isinstance(v, str) and v.startswith('tcp://127.0.0.1:'):
        return 'tcp://127.0.0.1:%d' % (int(v.rsplit(':', 1)[1]) - _offset(s))
    if isinstance(v, dict):
        return {k: _norm(s, v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_norm(s, x) for x in v]
    return v


def zrpc(s, label, request):
    """One request on a fresh REQ socket to the command socket; records the parsed reply (or 'no reply')."""
    if zmq is None:
        s._record(label, 'python3-zmq missing')
        return
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.REQ)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 3000)
    sock.connect('tcp://127.0.0.1:%d' % (s.publish_port + 2))
    try:
        sock.send(request if isinstance(request, bytes) else tnet(request))
        reply, _ = untnet(sock.recv())
        s._record(label, json.dumps(_norm(s, reply), sort_keys=True))
    except zmq.Again:
        s._record(label, 'no reply')
    finally:
        sock.close()


def push(s, part):
    """One message part to the PULL input."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.PUSH)
    sock.setsockopt(zmq.LINGER, 2000)
    sock.connect('tcp://127.0.0.1:%d' % (s.publish_port - 1))
    sock.send(part)
    sock.close()


def command_socket(s):
    zrpc(s, 'uris', {'id': '1', 'method': 'get-zmq-uris'})
    zrpc(s, 'unknown', {'id': '2', 'method': 'nope'})
    zrpc(s, 'no-id', {'method': 'recover'})
    zrpc(s, 'publish', {'id': '3', 'method': 'publish', 'args': {'items': [
        {'channel': 'cmp-zmq-none', 'formats': {'http-stream': {'content': 'x'}}}]}})
    zrpc(s, 'publish-bad', {'id': '4', 'method': 'publish', 'args': {'items': [{'channel': 'c'}]}})
    zrpc(s, 'publish-no-items', {'id': '5', 'method': 'publish', 'args': {}})
    zrpc(s, 'conncheck', {'id': '6', 'method': 'conncheck', 'args': {'ids': ['a', 'b']}})
    zrpc(s, 'conncheck-no-ids', {'id': '7', 'method': 'conncheck', 'args': {}})
    zrpc(s, 'refresh-cid', {'id': '8', 'method': 'refresh', 'args': {'cid': 'nobody'}})
    zrpc(s, 'refresh-channel', {'id': '9', 'method': 'refresh', 'args': {'channel': 'x'}})


def command_socket_garbage(s):
    zrpc(s, 'garbage', b'garbage')
    zrpc(s, 'not-a-dict', tnet(['x']))
    zrpc(s, 'no-method', tnet({'id': '10'}))
    zrpc(s, 't-prefix', b'T' + tnet({'id': '11', 'method': 'recover'}))
    zrpc(s, 'after', {'id': '12', 'method': 'recover'})


def pull_stream(s):
    s.send(_CR.req(target='/grip-stream?ch=cmp-zmq-pull'))
    s.head()
    s.body_until(b'stream open\n')
    s.idle(1.5)  # the subscription in force on both (the reference's handler learns it over ZeroMQ)
    push(s, b'J' + json.dumps({'channel': 'cmp-zmq-pull',
                               'formats': {'http-stream': {'content': 'json\n'}}}).encode())
    s.body_until(b'json\n')
    push(s, b'T' + tnet({'channel': 'cmp-zmq-pull', 'formats': {'http-stream': {'content': 'tnet\n'}}}))
    s.body_until(b'tnet\n')
    push(s, b'garbage')
    push(s, tnet({'channel': 'cmp-zmq-pull', 'formats': {'http-stream': {'content': 'bare\n'}}}))
    s.body_until(b'bare\n')
    push(s, tnet({'channel': 'cmp-zmq-pull', 'formats': {'http-stream': {'action': 'close'}}}))
    s.body_until(None)


def _stats_packet(frame):
    """(type, fields) of one stats frame '<type> T<tnetstring>'."""
    head, _, rest = frame.partition(b' ')
    if rest[:1] != b'T':
        return head.decode(), {'format': rest[:1].decode()}
    fields, _ = untnet(rest[1:])
    return head.decode(), fields


def stats_stream(s):
    """What a stats reader (SUB on stats_spec, tcp at 5564 + offset) sees of a request, a held stream, a delivery and
    the stream's end: the conn, sub and message packets, as a set (1.36 sends some twice) of their stable fields
    (ids, from and peer ports vary; 1.36's held connections go without route when gone, as its handler reports them,
    so route is left out of gone packets)."""
    if zmq is None:
        s._record('stats', 'python3-zmq missing')
        return
    sub = zmq.Context.instance().socket(zmq.SUB)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.SUBSCRIBE, b'')
    sub.connect('tcp://127.0.0.1:%d' % (s.publish_port + 3))
    s.idle(1.0)  # the SUB connected (a PUB drops what it sends before)
    s.send(_CR.req(target='/grip-stream?ch=cmp-stats'))
    s.head()
    s.body_until(b'stream open\n')
    s.idle(1.5)
    push(s, b'J' + json.dumps({'channel': 'cmp-stats', 'formats': {'http-stream': {'content': 'hi\n'}}}).encode())
    s.body_until(b'hi\n')
    push(s, b'J' + json.dumps({'channel': 'cmp-stats', 'formats': {'http-stream': {'action': 'close'}}}).encode())
    s.body_until(None)
    s.idle(1.0)
    seen = set()
    while sub.poll(200):
        kind, f = _stats_packet(sub.recv())
        if kind not in ('conn', 'sub', 'message'):
            continue
        keep = {k: f[k] for k in sorted(f) if k not in ('from', 'id', 'item-id')}
        if keep.get('unavailable'):
            keep.pop('route', None)
        seen.add(kind + ' ' + json.dumps(keep, sort_keys=True))
    sub.close()
    for line in sorted(seen):
        s._record('stats', line)


def install(cr):
    global _CR
    _CR = cr
    cr.PROFILES['stats'] = {'routes': ['*,id=st %s' % cr.ORIGIN], 'conf': {
        'handler.stats_spec': 'tcp://127.0.0.1:5564', 'handler.stats_format': 'tnetstring'}}
    cr.case('zmq-stats-stream', script=stats_stream, profile='stats')
    cr.case('zmq-command-methods', script=command_socket, profile='holds')
    cr.case('zmq-command-unanswered', script=command_socket_garbage, profile='holds')
    cr.case('zmq-pull-stream', script=pull_stream, profile='holds')
