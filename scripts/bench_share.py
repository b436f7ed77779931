#!/usr/bin/python3
"""Helper of scripts/bench-share.sh (standard library only).

  bench_share.py origin PORT DELAY_MS     an origin that counts requests and answers each after DELAY_MS
  bench_share.py herd PORT N ORIGIN_PORT  N identical GETs at once through the server on PORT; prints one line:
                                          clients, answered 200, origin requests, seconds, other outcomes
"""
import asyncio
import http.server
import sys
import threading
import time
import urllib.request

COUNT = [0]
LOCK = threading.Lock()


class Origin(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        if self.path == '/count':
            body = str(COUNT[0]).encode()
        else:
            with LOCK:
                COUNT[0] += 1
            time.sleep(self.server.delay)
            body = b'the same answer for everyone\n'
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def origin(port, delay_ms):
    http.server.ThreadingHTTPServer.request_queue_size = 4096
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', port), Origin)
    srv.daemon_threads = True
    srv.delay = delay_ms / 1000
    srv.serve_forever()


def origin_count(port):
    with urllib.request.urlopen('http://127.0.0.1:%d/count' % port, timeout=5) as r:
        return int(r.read())


async def one(port, start):
    await start.wait()
    try:
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        writer.write(b'GET /herd?page=1 HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n')
        await writer.drain()
        data = await asyncio.wait_for(reader.read(-1), 30)
        writer.close()
        if data.startswith(b'HTTP/1.1 200') and data.endswith(b'the same answer for everyone\n'):
            return 'ok'
        return data.split(b'\r\n', 1)[0].decode('latin-1')[9:] or 'closed without an answer'
    except (OSError, asyncio.TimeoutError) as e:
        return type(e).__name__


async def herd(port, n, origin_port):
    before = origin_count(origin_port)
    start = asyncio.Event()
    tasks = [asyncio.create_task(one(port, start)) for _ in range(n)]
    await asyncio.sleep(0)
    t0 = time.time()
    start.set()
    outcomes = await asyncio.gather(*tasks)
    took = time.time() - t0
    asked = origin_count(origin_port) - before
    others = {o: outcomes.count(o) for o in sorted(set(outcomes)) if o != 'ok'}
    print('clients %d, answered 200 %d, origin requests %d, %.2f s%s' % (
        n, outcomes.count('ok'), asked, took, ', others: %s' % others if others else ''))


if __name__ == '__main__':
    if sys.argv[1] == 'origin':
        origin(int(sys.argv[2]), int(sys.argv[3]))
    else:
        asyncio.run(herd(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
