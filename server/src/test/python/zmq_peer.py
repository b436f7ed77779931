"""Debian's python3-zmq (libzmq) as a ZeroMQ peer of our server, for org.pushpin.it.zmq tests.

  zmq_peer.py push SPEC        connects a PUSH socket; commands {op: send, parts: [hex, ...]}; events: ready, sent
  zmq_peer.py xpub SPEC        binds an XPUB socket (verbose): events sub {channel}, unsub {channel};
                               commands {op: send, parts: [hex, ...]}
  zmq_peer.py pull SPEC        binds a PULL socket: events ready, message {parts: [hex, ...]}
  zmq_peer.py req SPEC         connects a REQ socket: commands {op: send, parts: [hex]} -> event reply {parts}
                               (no sent event)
  zmq_peer.py dealer SPEC      connects a DEALER socket: as req, the parts sent as given (add the empty delimiter)
  zmq_peer.py sub SPEC PREFIX  connects a SUB socket subscribed to PREFIX: events message {parts}

One JSON object per line on stdout (see org.pushpin.testing.ScriptProcess); commands as JSON lines on stdin.
"""
import json
import sys
import threading

import zmq


def emit(ev, **fields):
    print(json.dumps(dict(ev=ev, **fields)), flush=True)


def hexparts(parts):
    return [p.hex() for p in parts]


def main():
    mode, spec = sys.argv[1], sys.argv[2]
    ctx = zmq.Context()
    kinds = {'push': zmq.PUSH, 'xpub': zmq.XPUB, 'pull': zmq.PULL, 'req': zmq.REQ, 'dealer': zmq.DEALER,
             'sub': zmq.SUB}
    s = ctx.socket(kinds[mode])
    s.setsockopt(zmq.LINGER, 1000)
    if mode == 'xpub':
        s.setsockopt(zmq.XPUB_VERBOSE, 1)
    if mode in ('xpub', 'pull'):
        s.bind(spec)
    else:
        s.connect(spec)
    if mode == 'sub':
        s.setsockopt(zmq.SUBSCRIBE, sys.argv[3].encode())
    lock = threading.Lock()

    def reader():
        while True:
            try:
                parts = s.recv_multipart()
            except zmq.ZMQError as e:
                if e.errno in (zmq.EAGAIN, zmq.EINTR):
                    continue
                if e.errno != zmq.ETERM and e.errno != zmq.ENOTSOCK:
                    emit('error', message=str(e))  # never end silently: a test waiting on events must hear of it
                return
            if mode == 'xpub':
                if parts and parts[0][:1] == b'\x01':
                    emit('sub', channel=parts[0][1:].decode('utf-8', 'replace'))
                elif parts and parts[0][:1] == b'\x00':
                    emit('unsub', channel=parts[0][1:].decode('utf-8', 'replace'))
            elif mode in ('req', 'dealer'):
                emit('reply', parts=hexparts(parts))
            else:
                emit('message', parts=hexparts(parts))

    if mode in ('xpub', 'pull', 'sub', 'dealer'):
        threading.Thread(target=reader, daemon=True).start()
    emit('ready')
    for line in sys.stdin:
        if not line.strip():
            continue
        c = json.loads(line)
        if c['op'] == 'send':
            parts = [bytes.fromhex(p) for p in c['parts']]
            with lock:
                s.send_multipart(parts)
            if mode == 'req':
                emit('reply', parts=hexparts(s.recv_multipart()))
            else:
                emit('sent')
    s.close()
    ctx.term()


main()
