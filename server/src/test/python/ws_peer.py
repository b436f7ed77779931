"""Debian's python3-websockets as a WebSocket client or echo origin, for org.pushpin.it.ws.RealClient*Test.

  ws_peer.py client[-deflate] URL [SUBPROTOCOL...]
                                           (client-deflate offers permessage-deflate) events: open {protocol, headers}, unexpected-response {status},
                                           text {data}, binary {hex}, close {code, reason}, error {message};
                                           commands: {op: text, data} | {op: binary, hex} | {op: close, code, reason}
  ws_peer.py echo-origin                   events: listening {port}, connection {path, headers}, message, close;
                                           echoes text and binary, accepts subprotocols chat/superchat, closes
                                           with 4001 "origin says bye" on the text "close-me"

One JSON object per line on stdout (see org.pushpin.testing.ScriptProcess). Standard library + websockets only.
"""
import asyncio
import json
import sys

import websockets


def emit(ev, **fields):
    print(json.dumps(dict(ev=ev, **fields)), flush=True)


async def commands():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        if line.strip():
            yield json.loads(line)


async def client(url, protocols, compression=None):
    try:
        ws = await websockets.connect(url, subprotocols=protocols or None, compression=compression, open_timeout=10)
    except websockets.exceptions.InvalidStatusCode as e:
        emit('unexpected-response', status=e.status_code)
        return
    except (OSError, websockets.exceptions.InvalidHandshake) as e:
        emit('error', message='%s: %s' % (type(e).__name__, e))
        return
    emit('open', protocol=ws.subprotocol, headers=[list(h) for h in ws.response_headers.raw_items()])

    async def send_commands():
        async for c in commands():
            if c['op'] == 'text':
                await ws.send(c['data'])
            elif c['op'] == 'binary':
                await ws.send(bytes.fromhex(c['hex']))
            elif c['op'] == 'close':
                await ws.close(c['code'], c.get('reason', ''))
            else:
                emit('error', message='unknown op %s' % c['op'])

    sender = asyncio.ensure_future(send_commands())
    try:
        async for m in ws:
            if isinstance(m, str):
                emit('text', data=m)
            else:
                emit('binary', hex=m.hex())
    except websockets.exceptions.ConnectionClosed:
        pass
    await ws.wait_closed()
    emit('close', code=ws.close_code, reason=ws.close_reason)
    sender.cancel()


async def echo(ws, path):
    emit('connection', path=path, headers=[list(h) for h in ws.request_headers.raw_items()])
    try:
        async for m in ws:
            if isinstance(m, str):
                emit('message', data=m)
                if m == 'close-me':
                    await ws.close(4001, 'origin says bye')
                    break
            else:
                emit('message', hex=m.hex())
            await ws.send(m)
    except websockets.exceptions.ConnectionClosed:
        pass
    await ws.wait_closed()
    emit('close', code=ws.close_code, reason=ws.close_reason)


async def echo_origin():
    async with websockets.serve(echo, '127.0.0.1', 0, subprotocols=['chat', 'superchat'], compression=None) as srv:
        emit('listening', port=srv.sockets[0].getsockname()[1])
        await asyncio.Future()


def main():
    if sys.argv[1] == 'client':
        asyncio.run(client(sys.argv[2], sys.argv[3:]))
    elif sys.argv[1] == 'client-deflate':
        asyncio.run(client(sys.argv[2], sys.argv[3:], 'deflate'))
    elif sys.argv[1] == 'echo-origin':
        asyncio.run(echo_origin())
    else:
        sys.exit('usage: ws_peer.py client[-deflate] URL [SUBPROTOCOL...] | echo-origin')


if __name__ == '__main__':
    main()
