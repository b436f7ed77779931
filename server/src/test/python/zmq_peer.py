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
import os
import sys

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

    def on_message(parts):
        if mode == 'xpub':
            if parts and parts[0][:1] == b'\x01':
                emit('sub', channel=parts[0][1:].decode('utf-8', 'replace'))
            elif parts and parts[0][:1] == b'\x00':
                emit('unsub', channel=parts[0][1:].decode('utf-8', 'replace'))
        elif mode in ('req', 'dealer'):
            emit('reply', parts=hexparts(parts))
        else:
            emit('message', parts=hexparts(parts))

    def on_command(c):
        if c['op'] == 'send':
            s.send_multipart([bytes.fromhex(p) for p in c['parts']])
            if mode == 'req':
                emit('reply', parts=hexparts(s.recv_multipart()))
            else:
                emit('sent')

    # One thread only: a ZeroMQ socket must not be used from two threads at once (a reader thread receiving while
    # the main thread sent lost subscriptions now and then). The poller watches the socket and stdin together.
    poller = zmq.Poller()
    stdin = sys.stdin.fileno()
    poller.register(stdin, zmq.POLLIN)
    if mode in ('xpub', 'pull', 'sub', 'dealer'):
        poller.register(s, zmq.POLLIN)
    emit('ready')
    pending = b''
    while True:
        try:
            events = dict(poller.poll())
        except zmq.ZMQError as e:
            if e.errno == zmq.EINTR:
                continue
            emit('error', message=str(e))  # never end silently: a test waiting on events must hear of it
            break
        if events.get(s):
            while True:
                try:
                    on_message(s.recv_multipart(zmq.NOBLOCK))
                except zmq.Again:
                    break
        if events.get(stdin):
            chunk = os.read(stdin, 65536)
            if not chunk:
                break
            pending += chunk
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                if line.strip():
                    on_command(json.loads(line))
    s.close()
    ctx.term()


main()
