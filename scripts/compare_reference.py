#!/usr/bin/python3
"""Differential test: the reference Pushpin 1.36 vs ours, on the same pushpin.conf + routes.

Driven by scripts/compare-with-reference.sh; the sub-commands are usable alone too:

  compare_reference.py origin [--port 18391]        run the echo origin (foreground)
  compare_reference.py profiles                     list profile names
  compare_reference.py routes PROFILE               print the routes file of a profile
  compare_reference.py conf PROFILE                 print the profile's pushpin.conf overrides (section.key=value)
  compare_reference.py run --profile P --ref PORT --ours PORT --out FILE [-k SUBSTR] [--ours-down WHY]
                            [--ref-publish PORT --ours-publish PORT] [--ref-log FILE --ours-log FILE]
  compare_reference.py report FILE... [-v]          print the PASS/DIFF table; exit 1 on any DIFF

For each case the same raw request(s) go through both servers (one socket per case, our own HTTP/1.x client so
that HTTP/1.0, missing Host, chunked bodies and pipelining are exact), and we compare
  (a) what the origin saw: method, target, version, headers (normalized), body length/digest, framing;
  (b) what the client got: status, reason, version, headers (minus Date and known artefacts), framing, body,
      and whether the server kept the connection open afterwards;
  (c) optionally (--ref-log/--ours-log), the request log lines each server wrote for the case.
Python 3 standard library only, plus Debian's python3-websockets for the WebSocket cases (compare_ws.py).

Scripted cases (streams, long-polls, publishes) drive a conversation step by step through a Session (send, head,
body_until, idle, publish, publish_raw, response; connect opens a second client connection); each step's
observation is compared (see the 'holds' profile). The origin's /griphdr?h=<JSON [[name, value]...]>&b=BODY answers
with any Grip-* headers (see griphdr()).

To add a case: append to CASES (see `case()` and `req()`); to add a configuration: add to PROFILES. Origin
behaviours are chosen by the last path segment (see ORIGIN_ROUTES in OriginHandler). A difference that is a
reference quirk we deliberately do not copy goes into the case's `known` list, with a note saying why.
"""
import argparse
import base64
import gzip
import hashlib
import hmac
import http.server
import json
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import compare_ws
import compare_zmq

ORIGIN_PORT = 18391
DEAD_PORT = 18399          # nothing listens here: the unreachable target
SIG_KEY = b'changeme'      # sig_key of the stock /etc/pushpin/pushpin.conf
ORIGIN = '127.0.0.1:%d' % ORIGIN_PORT
DEAD = '127.0.0.1:%d' % DEAD_PORT

# Headers zurl (the reference's HTTP client) adds on its own: not Pushpin behaviour (docs/compatibility.md,
# "Deliberately different").
ZURL_ACCEPT_ENCODING = 'deflate, gzip, br, zstd'
FIXED_DATE = 'Mon, 01 Jan 2024 00:00:00 GMT'  # the Date the origin's /headers sends

# ---------------------------------------------------------------------------------------------------------------
# Profiles: a routes file + pushpin.conf overrides. Each profile starts one reference and one of ours.
# ---------------------------------------------------------------------------------------------------------------
PROFILES = {
    'main': {
        'routes': [
            '*,id=main %s' % ORIGIN,
            '*,path_beg=/pfx/,replace_beg=/rewritten/ %s' % ORIGIN,
            '*,path_beg=/rem/,path_rem=4 %s' % ORIGIN,
            '*,path_beg=/hdr/,header=X-Route-Added:route-value,header=User-Agent:,header=X-Quoted:"a b" %s' % ORIGIN,
            '*,path_beg=/ashost/,as_host=origin.example:8080 %s' % ORIGIN,
            '*,path_beg=/tgthost/ %s,host=target.example' % ORIGIN,
            '*,path_beg=/nogrip/,no_grip %s' % ORIGIN,
            '*,path_beg=/down/ %s' % DEAD,
            '*,path_beg=/failover/ %s %s' % (DEAD, ORIGIN),
            'api.example %s' % ORIGIN,
            'api.example,path_beg=/v2/,header=X-Api-Version:2 %s' % ORIGIN,
        ],
        'conf': {},
    },
    # A table with host-specific rules only: anything else has no route.
    'hostonly': {
        'routes': [
            'only.example %s' % ORIGIN,
            'only.example,path_beg=/deep/,replace_beg=/ %s' % ORIGIN,
        ],
        'conf': {},
    },
    # Held requests and publishing.
    'holds': {
        'routes': ['* %s' % ORIGIN],
        'conf': {},
    },
    # [handler] share_all=true: identical requests held at once share one origin request.
    'share': {
        'routes': ['* %s' % ORIGIN],
        'conf': {'handler.share_all': 'true'},
    },
    # receivers counted by format (1.36 keys message_hwm per route id only for WebSocket sessions: it never hands
    # an HTTP hold's route to its handler, so HTTP holds share one allowance; see it/holds/RouteLimitsTest).
    'limits': {
        'routes': [
            '*,id=a,path_beg=/a/,replace_beg=/ %s' % ORIGIN,
            '*,id=b,path_beg=/b/,replace_beg=/ %s' % ORIGIN,
            '* %s' % ORIGIN,
        ],
        'conf': {'handler.message_hwm': '2'},
    },
    # auto_cross_origin per route (aco): CORS headers and JSON-P, plain and held.
    'cors': {
        'routes': [
            '*,path_beg=/aco/,aco %s' % ORIGIN,
            '*,path_beg=/basic/,aco,jsonp_mode=basic %s' % ORIGIN,
            '*,path_beg=/ext/,aco,jsonp_mode=extended %s' % ORIGIN,
            '*,path_beg=/bodyp/,aco,jsonp_body=b,jsonp_defcb=dcb,jsonp_cb=cbk %s' % ORIGIN,
            '*,path_beg=/defm/,aco,jsonp_defmethod=PUT %s' % ORIGIN,
            '*,path_beg=/down/,aco %s' % DEAD,
            '* %s' % ORIGIN,
        ],
        'conf': {},
    },
    # [proxy] auto_cross_origin=true: every request, routed or not.
    'corsglobal': {
        'routes': [
            'only.example %s' % ORIGIN,
            'only.example,path_beg=/basic/,jsonp_mode=basic %s' % ORIGIN,
        ],
        'conf': {'proxy.auto_cross_origin': 'true'},
    },
    # X-Forwarded-* handling and debug error bodies.
    'xffdebug': {
        'routes': [
            '* %s' % ORIGIN,
            '*,path_beg=/down/ %s' % DEAD,
        ],
        'conf': {
            'proxy.debug': 'true',
            'proxy.x_forwarded_for': 'truncate:0,append',
            'proxy.set_x_forwarded_protocol': 'true',
            'proxy.accept_x_forwarded_protocol': 'true',
        },
    },
    # Route and target options: orig_headers (with orig_headers_need_mark), untrusted targets.
    'routeopts': {
        'routes': [
            '*,path_beg=/orig/,orig_headers,header=X-Route-Added:r %s' % ORIGIN,
            '*,path_beg=/untrusted/ %s,untrusted' % ORIGIN,
            '*,path_beg=/untrusted-name/ localhost:%d,untrusted' % ORIGIN_PORT,
            '*,path_beg=/sub/,prefix=pre- %s,sub=cmp-implicit' % ORIGIN,
            '* %s' % ORIGIN,
        ],
        'conf': {'proxy.orig_headers_need_mark': 'Authorization, X-Secret'},
    },
}

# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------
CASES = []


def req(method='GET', target='/echo', version='1.1', host='example.com', headers=(), body=None, chunks=None,
        raw=None):
    """One request. host=None sends no Host header. body: bytes (Content-Length added unless given);
    chunks: list of bytes sent with Transfer-Encoding: chunked; raw: exact bytes to send instead."""
    return {'method': method, 'target': target, 'version': version, 'host': host, 'headers': list(headers),
            'body': body, 'chunks': chunks, 'raw': raw}


def case(name, *requests, profile='main', pipeline=False, known=(), note='', script=None):
    """A case: requests sent in order on one connection (all in one write if pipeline).
    known: accepted differences (reference quirks we do not copy; say which in note), each (FIELD_RE, ITEM_RE):
    in fields matching FIELD_RE, list items (e.g. header lines) matching ITEM_RE are compared apart and reported
    as known, not as a DIFF; a single-valued field differs "knownly" if the reference's value matches ITEM_RE;
    ITEM_RE None accepts any difference of that field.
    script: instead of requests, a function(Session) driving a conversation step by step (streams, long-polls,
    publishes); every step it takes is recorded and compared (see Session)."""
    if not requests and script is None:
        requests = (req(),)
    CASES.append({'name': name, 'profile': profile, 'requests': list(requests), 'pipeline': pipeline,
                  'known': [(f, i) for f, i in known], 'note': note, 'script': script})


def griphdr(headers, body, status=None, prefix=''):
    """Target of the origin path that answers 200 (or status, (code, reason)) with these headers ([(name, value)])
    and body (text; chars up to U+00FF stand for bytes); prefix goes before the path (a route's path_beg)."""
    extra = '' if status is None else '&s=%d&r=%s' % (status[0], urllib.parse.quote(status[1]))
    return '%s/griphdr?h=%s&b=%s%s' % (prefix, urllib.parse.quote(json.dumps(headers)), urllib.parse.quote(body),
                                       extra)


def gripjson(instruct):
    """Target of the origin path that answers with this application/grip-instruct body."""
    return '/gripjson?j=' + urllib.parse.quote(json.dumps(instruct))


# When the origin gives no Content-Length (chunked, close-delimited, or compressed and decoded), 1.36 answers with a
# Content-Length if the whole body had arrived when it started its response, else chunked (HTTP/1.1) or
# close-delimited (HTTP/1.0); which one depends on timing (seen both ways for /close). Either is fine; the body is
# still compared.
FRAMING_VARIES = [(r'client\[\d+\]\.framing', None),
                  (r'client\[\d+\]\.headers', r'^(content-length|transfer-encoding): ')]
FRAMING_NOTE = 'framing varies with timing in 1.36 (Content-Length or chunked/close); either is accepted'

BIG_BODY = bytes((i * 7 + 3) & 0xff for i in range(200_000))

# --- client side: versions, Host, forwarded headers, hop-by-hop, bodies
case('get-basic')
case('get-http10', req(version='1.0'))
case('get-http10-nohost', req(version='1.0', host=None))
case('get-http11-nohost', req(host=None))
case('get-http10-keepalive', req(version='1.0', headers=[('Connection', 'keep-alive')]))
case('get-http11-close', req(headers=[('Connection', 'close')]))
case('get-host-with-port', req(host='example.com:8080'))
case('get-query-encoded', req(target='/echo/a%20b/%2F?x=1&y=%20z&x=2#frag'))
case('get-absolute-form', req(target='http://absolute.example/echo?q=1'),
     known=[(r'origin\[0\]\.(target|headers)', r'^host: |^/')],
     note='1.36 bug: absolute-form target mangled (Host "example.comhttp", path "/absolute.example/echo?q=1")')
case('get-xff-in', req(headers=[('X-Forwarded-For', '1.2.3.4, 5.6.7.8'), ('X-Forwarded-Proto', 'https'),
                                ('X-Forwarded-Protocol', 'https'), ('X-Real-IP', '9.9.9.9')]))
case('get-grip-request-headers', req(headers=[('Grip-Sig', 'not-a-jwt'), ('Grip-Channel', 'x'),
                                              ('grip-last', 'x; last-id=1'), ('Grip-Feature', 'nope'),
                                              ('X-Grip-Not', 'kept')]))
case('get-hop-by-hop', req(headers=[('Connection', 'keep-alive, X-Hop'), ('X-Hop', 'v'),
                                    ('Keep-Alive', 'timeout=5'), ('TE', 'trailers'),
                                    ('Proxy-Connection', 'keep-alive'), ('Upgrade-Insecure-Requests', '1')]))
case('get-accept-encoding', req(headers=[('Accept-Encoding', 'gzip, br'), ('Accept', 'text/html')]))
case('get-content-encoding-req', req(headers=[('Content-Encoding', 'identity')]))
case('get-dup-and-case', req(headers=[('X-Dup', 'one'), ('x-dup', 'two'), ('x-lower', 'v'), ('X-Empty', ''),
                                      ('X-Spaces', '  padded  value ')]),
     known=[(r'origin\[0\]\.headers', r'^x-empty: $')],
     note='zurl artefact: an empty-valued request header never reaches the origin (libcurl reads "Name:" as '
          '"remove Name")')
case('get-pushpin-route-hdr', req(headers=[('Pushpin-Route', 'main')]))
case('get-pushpin-check', req(headers=[('Pushpin-Check', '1')]),
     known=[(r'client\[0\]\.(body|headers)', None)],
     note='deliberate: a one-line notice of our own instead of Pushpin\'s licence text (docs/compatibility.md)')
case('get-cookie-auth', req(headers=[('Cookie', 'a=1; b=2'), ('Authorization', 'Bearer t0ken'),
                                     ('User-Agent', 'compare/1.0')]))
case('post-body', req('POST', '/echo', headers=[('Content-Type', 'text/plain')], body=b'hello world'))
case('post-chunked', req('POST', '/echo', headers=[('Content-Type', 'application/octet-stream')],
                         chunks=[b'hello ', b'chunked ', b'world']),
     known=[(r'origin\[0\]\.headers', r'^(content-length|transfer-encoding): '), (r'origin\[0\]\.framing', None)],
     note='deliberate: we stream a chunked request body on as chunked; 1.36 (zurl) may buffer it into a length')
case('post-big-200k', req('POST', '/echo', body=BIG_BODY))
case('post-big-chunked', req('POST', '/echo', chunks=[BIG_BODY[i:i + 50_000] for i in range(0, 200_000, 50_000)]),
     known=[(r'origin\[0\]\.headers', r'^(content-length|transfer-encoding): '), (r'origin\[0\]\.framing', None)],
     note='1.36 varies run to run: a chunked request body reaches the origin with Content-Length when it was '
          'all buffered in time, else chunked; both are fine')
case('post-expect-100', req('POST', '/echo', headers=[('Expect', '100-continue')], body=b'x' * 100))
case('post-http10-body', req('POST', '/echo', version='1.0', body=b'ten bytes!'))
case('put-empty', req('PUT', '/echo', body=b''),
     known=[(r'client\[0\]\.headers', r'^connection: close$'), (r'conn\.after', None)],
     note='1.36 quirk: an explicit Content-Length: 0 request gets Connection: close and the connection closes')
case('put-small', req('PUT', '/echo', body=b'x'))
case('post-no-body', req('POST', '/echo'))
case('delete', req('DELETE', '/echo/item/1'))
case('options-star', req('OPTIONS', '*'),
     known=[(r'(client|origin)', None)],
     note='deliberate: 1.36 answers OPTIONS * with 502 without asking the origin; we forward it')
case('options-preflight', req('OPTIONS', '/echo', headers=[('Origin', 'http://o.example'),
                                                          ('Access-Control-Request-Method', 'PUT')]))
case('patch', req('PATCH', '/echo', headers=[('Content-Type', 'application/json')], body=b'{"a":1}'))
case('custom-method', req('PURGE', '/echo'))
case('keepalive-reuse', req(target='/echo?n=1'), req(target='/echo?n=2'), req('POST', '/echo?n=3', body=b'abc'))
case('pipelined', req(target='/echo?p=1'), req(target='/small?p=2'), req('HEAD', '/echo?p=3'), pipeline=True)
case('head-too-large', req(headers=[('X-Big', 'a' * 9000)]),
     known=[(r'client\[0\]\.', None), (r'conn\.after', None)],
     note='deliberate: 1.36 drops such a connection; we answer 400 with the reason and close (as Pushpin 1.40+)')
case('too-many-headers', req(headers=[('X-H%d' % i, str(i)) for i in range(70)]),
     known=[(r'client\[0\]\.', None), (r'conn\.after', None)],
     note='deliberate: 1.36 drops such a connection; we answer 400 with the reason and close (as Pushpin 1.40+)')
case('garbage-request-line', req(raw=b'THIS IS NOT HTTP\r\n\r\n'),
     known=[(r'client\[0\]\.', None), (r'conn\.after', None)],
     note='deliberate: 1.36 drops such a connection; we answer 400 with the reason and close (as Pushpin 1.40+)')
case('http09-request', req(raw=b'GET /echo\r\n\r\n'),
     known=[(r'client\[0\]\.', None), (r'conn\.after', None)],
     note='deliberate: 1.36 drops such a connection; we answer 400 with the reason and close (as Pushpin 1.40+)')

# --- routes: rewriting, header=, as_host, host=, no_grip, unreachable and failover targets, host tables
case('route-replace-beg', req(target='/pfx/echo?a=1'))
case('route-path-rem', req(target='/rem/echo'))
case('route-header-prop', req(target='/hdr/echo', headers=[('User-Agent', 'removed-by-route'),
                                                             ('X-Route-Added', 'client-value')]))
case('route-as-host', req(target='/ashost/echo'))
case('route-target-host', req(target='/tgthost/echo'))
case('route-no-grip-request', req(target='/nogrip/echo', headers=[('Grip-Sig', 'x'), ('Grip-Channel', 'c')]))
case('route-no-grip-response', req(target='/nogrip/gripstatus'))
case('route-unreachable', req(target='/down/echo'))
case('route-unreachable-http10', req(target='/down/echo', version='1.0'))
case('route-failover', req(target='/failover/echo'))
case('route-host-specific', req(host='api.example'))
case('route-host-specific-path', req(target='/v2/echo', host='api.example'))
case('route-host-upper-port', req(target='/v2/echo', host='API.Example:18000'))
case('hostonly-match', req(host='only.example'), profile='hostonly')
case('hostonly-match-port', req(host='only.example:99', target='/deep/echo'), profile='hostonly')
case('hostonly-no-route', req(host='other.example'), profile='hostonly')
case('hostonly-no-host', req(host=None), profile='hostonly')
case('hostonly-no-host-http10', req(host=None, version='1.0'), profile='hostonly')

# --- origin responses
case('resp-small', req(target='/small'))
case('resp-chunked', req(target='/chunked'), known=FRAMING_VARIES, note=FRAMING_NOTE)
case('resp-chunked-http10', req(target='/chunked', version='1.0'), known=FRAMING_VARIES, note=FRAMING_NOTE)
case('resp-close-delimited', req(target='/close'), known=FRAMING_VARIES, note=FRAMING_NOTE)
case('resp-close-delimited-http10', req(target='/close', version='1.0'), known=FRAMING_VARIES, note=FRAMING_NOTE)
case('resp-404', req(target='/status-404'))
case('resp-500', req(target='/status-500'))
case('resp-204', req(target='/status-204'))
case('resp-304', req(target='/status-304'))
case('resp-302', req(target='/redirect'))
case('resp-custom-reason', req(target='/reason'))
case('resp-empty-reason', req(target='/noreason'))
case('resp-head', req('HEAD', '/echo'))
case('resp-head-big', req('HEAD', '/big'))
case('resp-head-chunked', req('HEAD', '/chunked'),
     known=[(r'client\[0\]\.headers', r'^content-length: 0$')],
     note='1.36 quirk: HEAD whose origin answer has no Content-Length gets Content-Length: 0')
case('resp-big-400k', req(target='/big'))
case('resp-big-400k-chunked', req(target='/bigchunked'), known=FRAMING_VARIES, note=FRAMING_NOTE)
case('resp-big-http10', req(target='/big', version='1.0'))
case('resp-headers-hop-by-hop', req(target='/headers'))
case('resp-set-cookie-multi', req(target='/cookies'))
case('resp-gzip', req(target='/gzip', headers=[('Accept-Encoding', 'gzip')]), known=FRAMING_VARIES,
     note=FRAMING_NOTE)
case('grip-status-no-hold', req(target='/gripstatus'))
case('grip-status-unknown-code', req(target='/gripteapot'))
case('grip-expose-headers', req(target='/gripexpose'))
case('grip-instruct-response', req(target='/gripinstruct'))
case('grip-instruct-empty', req(target='/gripinstruct-empty'),
     note='1.36 answers 502 (debug: "filter error: ") whenever an instruct without hold leaves an empty body; '
          'docs/grip.md#json-instruction-body says origin status, no headers, empty body')
case('grip-instruct-body-only', req(target=gripjson({'response': {'body': 'x\n'}})))
case('grip-instruct-empty-body', req(target=gripjson({'response': {'body': ''}})))
case('grip-instruct-non200', req(target='/gripinstruct-404'))
case('grip-bad-hold', req(target='/gripbad'))
case('grip-large-post-body', req('POST', '/gripstatus', body=BIG_BODY[:120_000]))

# --- xffdebug profile: X-Forwarded-*, debug error bodies
case('xff-append', req(headers=[('X-Forwarded-For', '1.2.3.4')]), profile='xffdebug')
case('xff-none', profile='xffdebug')
case('xfp-accept-https', req(headers=[('X-Forwarded-Proto', 'https')]), profile='xffdebug')
case('xfp-protocol-https', req(headers=[('X-Forwarded-Protocol', 'https')]), profile='xffdebug')
case('debug-unreachable', req(target='/down/echo'), profile='xffdebug')
case('debug-grip-bad', req(target='/gripbad'), profile='xffdebug')
case('debug-grip-non200', req(target='/gripinstruct-404'), profile='xffdebug')
case('debug-grip-instruct-empty', req(target='/gripinstruct-empty'), profile='xffdebug')

# --- routeopts profile: orig_headers (client headers copied with the eb9bf0f5- mark), untrusted targets
ORIG_HEADERS = [('User-Agent', 'cmp/1'), ('Authorization', 'Bearer t'), ('X-Secret', 's'),
                ('eb9bf0f5-X-Secret', 'pre-marked'), ('eB9bF0F5-Cookie', 'c=1'), ('Grip-Channel', 'x'),
                ('Connection', 'keep-alive'), ('X-Forwarded-For', '1.2.3.4')]
case('routeopt-orig-headers', req(target='/orig/echo', headers=ORIG_HEADERS), profile='routeopts')
case('routeopt-orig-headers-off', req(target='/echo', headers=ORIG_HEADERS), profile='routeopts')
case('routeopt-untrusted-ip', req(target='/untrusted/echo'), profile='routeopts')
case('routeopt-untrusted-name', req(target='/untrusted-name/echo'), profile='routeopts')


# --- holds and publishing (scripted conversations; the pattern for streams, long-polls and publishes)
def http_stream(s):
    s.send(req(target='/grip-stream?ch=cmp-stream'))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-stream', {'http-stream': {'content': 'one\n'}})
    s.body_until(b'one\n')
    s.publish('cmp-stream', {'http-stream': {'content': 'two\n'}})
    s.body_until(b'two\n')
    s.publish('cmp-stream', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def long_poll_publish(s):
    s.send(req(target='/grip-longpoll?ch=cmp-lp'))
    s.idle(2.0)  # past the retry Pushpin makes ~1 s after a channel's first subscription
    s.publish('cmp-lp', {'http-response': {'code': 202, 'reason': 'Got It', 'headers': {'X-Pub': '1'},
                                           'body': 'published\n'}})
    s.response()


def long_poll_timeout(s):
    s.send(req(target='/grip-longpoll?ch=cmp-lp-timeout&timeout=5'))
    s.response(timeout=15)


def stream_keep_alive(s):
    s.send(req(target=griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'),
                               ('Grip-Channel', 'cmp-ka'), ('Grip-Keep-Alive', 'ka\\n; format=cstring; timeout=2')],
                              'stream open\n')))
    s.head()
    s.body_until(b'stream open\n')
    s.body_until(b'ka\nka\n', timeout=6)  # two keep-alives, each 1-2 s after the last write
    s.publish('cmp-ka', {'http-stream': {'content': 'msg\n'}})
    s.body_until(b'msg\n')
    s.publish('cmp-ka', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def long_poll_merge(s):
    s.send(req(target='/grip-longpoll?ch=cmp-lp-merge'))
    s.idle(2.0)
    # no code/reason: 200 OK; Content-Type and X-Origin replace the origin's, X-New is added
    s.publish('cmp-lp-merge', {'http-response': {'headers': [['Content-Type', 'application/json'],
                                                             ['X-Origin', 'publisher'], ['X-New', 'n']],
                                                 'body': '{"v": 1}\n'}})
    s.response()
    s.send(req(target='/echo?after=merge'))  # the connection still serves requests
    s.response()


def long_poll_body_patch(s):
    s.send(req(target=griphdr([('Content-Type', 'application/json'), ('Grip-Hold', 'response'),
                               ('Grip-Channel', 'cmp-patch'), ('X-Origin', 'held')],
                              '{"a": 1, "b": {"c": 2}, "list": [1, 2]}\n')))
    s.idle(2.0)
    s.publish('cmp-patch', {'http-response': {'body-patch': [
        {'op': 'replace', 'path': '/a', 'value': 5}, {'op': 'add', 'path': '/b/d', 'value': 'x'},
        {'op': 'remove', 'path': '/list/0'}]}})
    s.response()


def stream_id_dedup(s):
    s.send(req(target='/grip-stream?ch=cmp-dedup'))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-dedup', {'http-stream': {'content': 'one\n'}}, id='m1')
    s.publish('cmp-dedup', {'http-stream': {'content': 'one again\n'}}, id='m1')  # same id: dropped
    s.publish('cmp-dedup', {'http-stream': {'content': 'two\n'}}, id='m2')
    s.body_until(b'two\n')
    s.idle(0.3)
    s.publish('cmp-dedup', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def stream_two_subscribers(s):
    s.send(req(target='/grip-stream?ch=cmp-two&who=a'))
    s.head()
    s.body_until(b'stream open\n')
    b = s.connect('b')
    b.send(req(target='/grip-stream?ch=cmp-two&who=b'))
    b.head()
    b.body_until(b'stream open\n')
    s.publish('cmp-two', {'http-stream': {'content': 'both\n'}})
    s.body_until(b'both\n')
    b.body_until(b'both\n')
    s.publish('cmp-two', {'http-stream': {'action': 'close'}})
    s.body_until(None)
    b.body_until(None)


def link_chain(s):
    last = griphdr([('Content-Type', 'text/plain'), ('X-Part', 'b')], 'part B\n')
    s.send(req(target=griphdr([('Content-Type', 'text/plain'), ('X-Part', 'a'),
                               ('Grip-Link', '<%s>; rel=next' % last)], 'part A\n')))
    s.head()
    s.body_until(None)
    s.send(req(target='/echo?after=link'))
    s.response()


def stream_bad_publish(s):
    s.send(req(target='/grip-stream?ch=cmp-bad'))
    s.head()
    s.body_until(b'stream open\n')
    s.publish_raw(b'this is not json', 'text/plain')
    s.publish_raw(b'{"items": [{"channel": "cmp-bad"}]}')
    s.publish('cmp-bad', {'http-stream': {'content': 'still here\n'}})
    s.body_until(b'still here\n')
    s.publish('cmp-bad', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def stream_http10(s):
    s.send(req(target='/grip-stream?ch=cmp-10', version='1.0'))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-10', {'http-stream': {'content': 'one\n'}})
    s.body_until(b'one\n')
    s.publish('cmp-10', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def stream_next_link(s):
    nxt = griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'), ('Grip-Channel', 'cmp-next-2')],
                  'from link\n')
    s.send(req(target=griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'),
                               ('Grip-Channel', 'cmp-next-1'), ('Grip-Link', '<%s>; rel=next' % nxt)],
                              'stream open\n')))
    s.head()
    s.body_until(b'stream open\n')
    s.body_until(b'from link\n', timeout=5)  # fetched ~1 s after the first subscription; its channels replace
    s.publish('cmp-next-1', {'http-stream': {'content': 'old channel\n'}})
    s.publish('cmp-next-2', {'http-stream': {'content': 'new channel\n'}})
    s.body_until(b'new channel\n')
    s.publish('cmp-next-2', {'http-stream': {'action': 'close'}})
    s.body_until(None)


# --- request sharing: requests held at once share one origin request (share_all; next links always). Each
# request after the first is sent once the origin has the first, so the origin log's order is fixed.
def await_origin(count, timeout=5.0):
    deadline = time.time() + timeout
    while origin_get('/__pp/count')['count'] < count and time.time() < deadline:
        time.sleep(0.02)


def shared_three(s):
    n0 = origin_get('/__pp/count')['count']
    r = req(target='/slow?ms=1500&q=1', headers=[('X-Client', 'a')])
    s.send(r)
    await_origin(n0 + 1)
    others = [s.connect(name) for name in ('b', 'c')]
    for o in others:
        o.send(dict(r, headers=[('X-Client', o.label)]))
    s.response()
    for o in others:
        o.response()


def shared_not_when_different(s):
    n0 = origin_get('/__pp/count')['count']
    s.send(req(target='/slow?ms=1500&q=1'))
    others = [(s.connect('b'), req(target='/slow?ms=1500&q=2')), (s.connect('c'), req('HEAD', '/slow?ms=1500&q=1')),
              (s.connect('d'), req('POST', '/slow?ms=1500&q=1', body=b'x'))]
    for i, (o, r) in enumerate(others):
        await_origin(n0 + 1 + i)
        o.send(r)
    s.response()
    for o, _ in others:
        o.response()


def shared_hold(s):
    n0 = origin_get('/__pp/count')['count']
    r = req(target=griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'),
                            ('Grip-Channel', 'cmp-share-hold')], 'stream open\n') + '&ms=1500')
    s.send(r)
    await_origin(n0 + 1)
    b = s.connect('b')
    b.send(r)
    s.head()
    b.head()
    s.body_until(b'stream open\n')
    b.body_until(b'stream open\n')
    s.idle(1.5)  # both subscribed
    s.publish('cmp-share-hold', {'http-stream': {'content': 'both\n'}})
    s.body_until(b'both\n')
    b.body_until(b'both\n')
    s.publish('cmp-share-hold', {'http-stream': {'action': 'close'}})
    s.body_until(None)
    b.body_until(None)


def shared_next_link(s):
    nxt = griphdr([('Content-Type', 'text/plain')], 'from link\n') + '&ms=2000'
    r = req(target=griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'), ('Grip-Channel', 'cmp-share-nl'),
                            ('Grip-Link', '<%s>; rel=next' % nxt)], 'stream open\n'))
    s.send(r)
    s.head()
    b = s.connect('b')
    b.send(r)
    b.head()
    s.body_until(b'stream open\n')
    b.body_until(b'stream open\n')
    s.body_until(None, timeout=8)  # each fetches the link ~1 s after subscribing: one origin request answers both
    b.body_until(None, timeout=8)


case('share-identical-requests', script=shared_three, profile='share',
     note='one origin request (with the first client\'s headers) answers all three')
case('share-not-different-url-method-body', script=shared_not_when_different, profile='share',
     note='another query or another method: each asks the origin')
case('share-hold-holds-each', script=shared_hold, profile='share')


def limits_receivers_by_format(s):
    s.send(req(target='/grip-stream?ch=cmp-rf'))
    s.head()
    s.body_until(b'stream open\n')
    lp = s.connect('lp')
    lp.send(req(target='/grip-longpoll?ch=cmp-rf'))
    lp.idle(2.0)  # past the retry Pushpin makes ~1 s after a channel's first subscription
    s.publish('cmp-rf', {'http-stream': {'content': 'to streams\n'}})
    s.body_until(b'to streams\n')
    s.publish('cmp-rf', {'http-response': {'body': 'to long-polls\n'}})
    lp.response()
    s.handler_log('cmp-rf', 2)  # receivers count only the holds the item has a format for: 1 and 1
    s.publish('cmp-rf', {'http-stream': {'action': 'close'}})
    s.body_until(None)


case('limits-receivers-by-format', script=limits_receivers_by_format, profile='limits',
     note='a stream and a long-poll on one channel: each item counts (and reaches) only its kind of hold')


def shared_open_ended(s):
    n0 = origin_get('/__pp/count')['count']
    r = req(target='/slow?ms=1500&chunked=1')
    s.send(r)
    await_origin(n0 + 1)
    b = s.connect('b')
    b.send(r)
    s.response()
    b.response()


case('share-open-ended-answer', script=shared_open_ended, profile='share',
     known=[(r'origin\.count', '^1$'), (r'origin\[1\]\..*', None), (r'step\[\d+\]\.(b\.)?response\.framing', None),
            (r'step\[\d+\]\.(b\.)?response\.headers', r'^(content-length|transfer-encoding): ')],
     note='1.36 streams an answer of unknown length to every sharer (syncing to the slowest past 100,000 bytes); '
          'ours shares only answers of known length up to 100,000 bytes, and the others ask the origin themselves '
          '(docs/compatibility.md); ' + FRAMING_NOTE)
case('share-next-link-without-share-all', script=shared_next_link, profile='holds')

case('hold-stream-publish-close', script=http_stream, profile='holds')


def sub_target_stream(s):
    # a stream through a sub= target gets its own channel (prefixed) and the target's (as written)
    s.send(req(target='/sub/grip-stream?ch=own'))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-implicit', {'http-stream': {'content': 'via sub\n'}})
    s.body_until(b'via sub\n')
    s.publish('pre-own', {'http-stream': {'content': 'own\n'}})
    s.body_until(b'own\n')


def sub_target_long_poll(s):
    s.send(req(target='/sub/grip-longpoll?ch=own'))
    s.idle(2.0)  # past the retry ~1 s after a channel's first subscription
    s.publish('cmp-implicit', {'http-response': {'body': 'via sub\n'}})
    s.response()


case('routeopt-sub-stream', script=sub_target_stream, profile='routeopts')
case('routeopt-sub-long-poll', script=sub_target_long_poll, profile='routeopts')
case('hold-response-publish', script=long_poll_publish, profile='holds')
case('hold-response-timeout', script=long_poll_timeout, profile='holds')
case('hold-stream-keep-alive', script=stream_keep_alive, profile='holds')
case('hold-response-publish-merge', script=long_poll_merge, profile='holds')
case('hold-response-body-patch', script=long_poll_body_patch, profile='holds')
case('hold-stream-id-dedup', script=stream_id_dedup, profile='holds')
case('hold-stream-two-subscribers', script=stream_two_subscribers, profile='holds')
case('hold-link-chain-no-hold', script=link_chain, profile='holds')
case('hold-stream-bad-publish', script=stream_bad_publish, profile='holds')
case('hold-stream-http10', script=stream_http10, profile='holds')
case('hold-stream-next-link', script=stream_next_link, profile='holds')


# --- auto_cross_origin: CORS headers (the 'cors' profile routes /aco/, /basic/, /ext/, /bodyp/, /defm/ with aco;
# anything else without) and JSON-P. JSON-P cases use non-echo origin paths: the wrapped body is compared as is.
ORIGIN_HDR = ('Origin', 'http://app.example')
case('cors-get', req(target='/aco/headers', headers=[ORIGIN_HDR]), profile='cors')
case('cors-get-no-origin', req(target='/aco/small'), profile='cors')
case('cors-preflight', req('OPTIONS', '/aco/echo', headers=[
    ORIGIN_HDR, ('Access-Control-Request-Method', 'PUT'),
    ('Access-Control-Request-Headers', 'content-type,X-Custom')]), profile='cors')
case('cors-preflight-odd', req('OPTIONS', '/aco/echo', headers=[
    ORIGIN_HDR, ('Access-Control-Request-Method', 'NOT A METHOD'), ('Access-Control-Request-Headers', ' , x-a,,'),
    ('Access-Control-Request-Headers', 'X-B ')]), profile='cors')
case('cors-origin-sets-its-own', req(target=griphdr([('Content-Type', 'text/plain'),
                                                      ('Access-Control-Allow-Origin', 'https://fixed.example'),
                                                      ('access-control-max-age', '60'), ('X-A', '1'), ('x-a', '2')],
                                                     'own\n', prefix='/aco'), headers=[ORIGIN_HDR]), profile='cors')
case('cors-head', req('HEAD', '/aco/small', headers=[ORIGIN_HDR]), profile='cors')
case('cors-post-with-callback', req('POST', '/aco/small?callback=cb', headers=[ORIGIN_HDR], body=b'x'),
     profile='cors')
case('cors-grip-status', req(target='/aco/gripstatus', headers=[ORIGIN_HDR]), profile='cors')
case('cors-grip-expose', req(target='/aco/gripexpose', headers=[ORIGIN_HDR]), profile='cors')
case('cors-unreachable', req(target='/down/echo', headers=[ORIGIN_HDR]), profile='cors')
case('cors-route-without-aco', req(target='/small?callback=cb', headers=[ORIGIN_HDR]), profile='cors')
case('jsonp-basic', req(target='/basic/small?callback=cb'), profile='cors')
case('jsonp-basic-chunked', req(target='/basic/chunked?callback=cb'), profile='cors')
case('jsonp-basic-big', req(target='/basic/bigchunked?callback=cb'), profile='cors', known=FRAMING_VARIES,
     note=FRAMING_NOTE)
case('jsonp-extended', req(target='/ext/headers?callback=cb', headers=[ORIGIN_HDR]), profile='cors')
case('jsonp-extended-404', req(target=griphdr([('Content-Type', 'text/plain'), ('Cache-Control', 'max-age=5'),
                                               ('X-Empty', '')], 'gone\n', (404, 'Not Here'),
                                              prefix='/ext') + '&callback=cb'), profile='cors')
case('jsonp-extended-text', req(target=griphdr(
    [('Content-Type', 'text/plain'), ('X-Latin', '\u00e9')],
    'q"b\\s/\x01\x08\x0c\n\r\t\x1f\x7f' + '\u00e9\u20ac\U0001f600'.encode().decode('latin-1')
    + '|\xff|\xe2\x82|\xc0\x80|\xed\xa0\x80|end\n', prefix='/ext') + '&callback=cb'), profile='cors')
case('jsonp-method-override', req(target='/ext/small?callback=cb&_method=DELETE'), profile='cors')
case('jsonp-headers-and-body', req(target='/ext/small?_method=PUT&callback=cb&_headers=%s&_body=hi%%20there'
                                   % urllib.parse.quote(json.dumps({'X-A': 'v', 'Accept': 'no', 'host': 'h'})),
                                   headers=[('Accept', 'text/html'), ('X-Client', '1')]), profile='cors')
case('jsonp-body-param', req(target='/bodyp/small?b=%7B%22a%22%3A1%7D&z=2'), profile='cors')
case('jsonp-body-param-callback', req(target='/bodyp/small?cbk=f&b=%%7B%%22a%%22%%3A1%%7D&_headers=%s'
                                      % urllib.parse.quote(json.dumps({'Content-Type': 'text/x'}))), profile='cors')
case('jsonp-default-method', req(target='/defm/small?callback=c'), profile='cors')
case('jsonp-query-kept', req(target='/ext/small?&x=1&callback=cb&&y=a+b&'), profile='cors')
case('jsonp-callback-any-text', req(target='/ext/small?callback=a%20b(%22'), profile='cors')
case('jsonp-callback-empty', req(target='/ext/small?callback=&a=1', headers=[ORIGIN_HDR]), profile='cors')
case('jsonp-callback-bare', req(target='/ext/small?callback'), profile='cors')
case('jsonp-method-empty', req(target='/ext/small?callback=cb&_method='), profile='cors')
case('jsonp-headers-not-object', req(target='/ext/small?callback=cb&_headers=%5B1%5D'), profile='cors')
case('jsonp-headers-not-string', req(target='/ext/small?callback=cb&_headers=%7B%22X%22%3A1%7D'), profile='cors')
case('jsonp-body-empty', req(target='/ext/small?callback=cb&_body='), profile='cors')
case('jsonp-body-param-empty', req(target='/bodyp/small?cbk=f&b='), profile='cors')
case('jsonp-method-not-a-token', req(target='/ext/small?callback=cb&_method=A%20B'), profile='cors',
     known=[(r'client\[0\]\.', None), (r'origin', None), (r'^log$', None)],
     note='deliberate: we answer 400 "Invalid _method parameter."; 1.36 sends the origin a broken request line')
case('jsonp-headers-line-break', req(target='/ext/small?callback=cb&_headers=%s'
                                     % urllib.parse.quote(json.dumps({'X-A': 'v\r\nX-Smuggled: 1'}))),
     profile='cors', known=[(r'client\[0\]\.', None), (r'origin', None), (r'^log$', None)],
     note='deliberate: we answer 400 "Invalid _headers parameter."; 1.36 lets the value add a header line')
case('jsonp-grip-status', req(target='/ext/gripstatus?callback=cb'), profile='cors')
case('jsonp-grip-instruct', req(target='/basic/gripinstruct?callback=cb'), profile='cors')
case('jsonp-unreachable', req(target='/down/echo?callback=cb'), profile='cors')
case('corsglobal-get', req(host='only.example', target='/small', headers=[ORIGIN_HDR]), profile='corsglobal')
case('corsglobal-no-route', req(host='other.example', headers=[ORIGIN_HDR]), profile='corsglobal')
case('corsglobal-no-route-jsonp', req(host='other.example', target='/x?callback=cb'), profile='corsglobal',
     known=[(r'^log$', None)], note='1.36 writes no request log line for this one; we do')
case('corsglobal-jsonp-basic', req(host='only.example', target='/basic/small?callback=cb'), profile='corsglobal')


def held_cors(s):
    s.send(req(target='/aco/grip-longpoll?ch=cmp-cors-lp', headers=[ORIGIN_HDR]))
    s.idle(2.0)
    s.publish('cmp-cors-lp', {'http-response': {'code': 404, 'headers': {
        'X-Pub': '1', 'Access-Control-Allow-Origin': 'https://fixed.example'}, 'body': 'published\n'}})
    s.response()


def held_cors_timeout(s):
    s.send(req(target='/aco/grip-longpoll?ch=cmp-cors-lpt&timeout=1', headers=[
        ORIGIN_HDR, ('Access-Control-Request-Headers', 'X-Z')]))
    s.response(timeout=15)


def stream_cors(s):
    s.send(req(target=griphdr([('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'),
                               ('Grip-Channel', 'cmp-cors-s'), ('X-S', 's')], 'stream open\n', prefix='/aco'),
               headers=[ORIGIN_HDR]))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-cors-s', {'http-stream': {'content': 'one\n'}})
    s.body_until(b'one\n')
    s.publish('cmp-cors-s', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def stream_jsonp(s):
    s.send(req(target='/ext/grip-stream?ch=cmp-jsonp-s&callback=cb', headers=[ORIGIN_HDR]))
    s.head()
    s.body_until(b'stream open\n')
    s.publish('cmp-jsonp-s', {'http-stream': {'content': 'not wrapped\n'}})
    s.body_until(b'not wrapped\n')
    s.publish('cmp-jsonp-s', {'http-stream': {'action': 'close'}})
    s.body_until(None)


def held_jsonp(mode, channel):
    def script(s):
        s.send(req(target='/%s/grip-longpoll?ch=%s&callback=cb' % (mode, channel)))
        s.idle(2.0)
        s.publish(channel, {'http-response': {'code': 404, 'reason': 'Nope', 'headers': {
            'X-Pub': '1', 'X-Origin': '', 'Content-Type': 'text/x'}, 'body': 'pub "body"\r\n'}})
        s.response()
    return script


def held_jsonp_timeout(s):
    s.send(req(target='/ext/grip-longpoll?ch=cmp-jsonp-lpt&timeout=1&callback=cb'))
    s.response(timeout=15)


case('cors-hold-response-publish', script=held_cors, profile='cors')
case('cors-hold-response-timeout', script=held_cors_timeout, profile='cors')
case('cors-hold-stream', script=stream_cors, profile='cors')
case('jsonp-hold-stream-not-wrapped', script=stream_jsonp, profile='cors')
case('jsonp-hold-publish-extended', script=held_jsonp('ext', 'cmp-jsonp-lpe'), profile='cors')
case('jsonp-hold-publish-basic', script=held_jsonp('basic', 'cmp-jsonp-lpb'), profile='cors')
case('jsonp-hold-timeout', script=held_jsonp_timeout, profile='cors')


# ---------------------------------------------------------------------------------------------------------------
# Echo origin
# ---------------------------------------------------------------------------------------------------------------
LOG = []
LOG_LOCK = threading.Lock()
BIG_RESPONSE = bytes((i * 31 + 7) & 0xff for i in range(400 * 1024))


def digest(b):
    return '%d bytes sha256:%s' % (len(b), hashlib.sha256(b).hexdigest()[:16])


class OriginHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'CompareOrigin/1'

    def log_message(self, fmt, *args):
        pass

    def __getattr__(self, name):  # any method, PURGE included
        if name.startswith('do_'):
            return self._handle
        raise AttributeError(name)

    def _read_body(self):
        te = (self.headers.get('Transfer-Encoding') or '').lower()
        if 'chunked' in te:
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b'\r\n', b'\n', b''):
                        pass
                    return bytes(out), 'chunked'
                out += self.rfile.read(size)
                self.rfile.readline()
        n = self.headers.get('Content-Length')
        if n is not None:
            return self.rfile.read(int(n)), 'length'
        return b'', 'none'

    def _send(self, status, reason, headers, body=b'', chunked=None, close=False, length=True):
        head = ['HTTP/1.1 %d%s' % (status, '' if reason is None else ' ' + reason)]
        if chunked is None and length and status not in (204, 304) and not close:
            headers = headers + [('Content-Length', str(len(body)))]
        if chunked is not None:
            headers = headers + [('Transfer-Encoding', 'chunked')]
        if close:
            headers = headers + [('Connection', 'close')]
            self.close_connection = True
        head += ['%s: %s' % h for h in headers]
        data = ('\r\n'.join(head) + '\r\n\r\n').encode('latin-1')
        if self.command != 'HEAD':
            if chunked is not None:
                data += b''.join(b'%x\r\n%s\r\n' % (len(c), c) for c in chunked) + b'0\r\n\r\n'
            else:
                data += body
        self.wfile.write(data)
        self.wfile.flush()

    def _handle(self):
        path = self.path
        if path.startswith('/__pp/'):
            return self._control(path)
        body, framing = self._read_body()
        self.raw_body = body
        rec = {'method': self.command, 'target': path, 'version': self.request_version,
               'headers': [[k, v] for k, v in self.headers.items()], 'body': digest(body), 'framing': framing,
               'time': time.time()}
        with LOG_LOCK:
            LOG.append(rec)
        name = path.split('?', 1)[0].rstrip('/').rsplit('/', 1)[-1]
        fn = ORIGIN_ROUTES.get(name)
        if fn is None and name.startswith('status-'):
            return self._echo(rec, int(name[7:]))
        (fn or OriginHandler._echo)(self, rec)

    def _control(self, path):
        with LOG_LOCK:
            if path == '/__pp/count':
                out = {'count': len(LOG)}
            else:
                start = int(path.split('from=', 1)[1]) if 'from=' in path else 0
                out = LOG[start:]
        self._send(200, 'OK', [('Content-Type', 'application/json')], json.dumps(out).encode())

    # --- behaviours, by last path segment
    def _echo(self, rec, status=200):
        phrase = http.server.BaseHTTPRequestHandler.responses.get(status, ('Unknown',))[0]
        body = b'' if status in (204, 304) else (json.dumps(rec, sort_keys=True) + '\n').encode()
        self._send(status, phrase, [('Content-Type', 'application/json'), ('X-Echo', '1')], body)

    def _small(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain')], b'hello, world\n')

    def _chunked(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain')], chunked=[b'chunk-1\n', b'chunk-2\n', b'end\n'])

    def _close(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain')], b'close-delimited body\n', close=True)

    def _redirect(self, rec):
        self._send(302, 'Found', [('Location', '/echo?from=redirect'), ('Content-Type', 'text/plain')], b'moved\n')

    def _reason(self, rec):
        self._send(299, 'Very Custom Reason', [('Content-Type', 'text/plain')], b'custom\n')

    def _noreason(self, rec):
        self._send(200, '', [('Content-Type', 'text/plain')], b'no reason\n')

    def _big(self, rec):
        self._send(200, 'OK', [('Content-Type', 'application/octet-stream')], BIG_RESPONSE)

    def _bigchunked(self, rec):
        self._send(200, 'OK', [('Content-Type', 'application/octet-stream')],
                   chunked=[BIG_RESPONSE[i:i + 16384] for i in range(0, len(BIG_RESPONSE), 16384)])

    def _headers(self, rec):
        self._send(200, 'OK', [
            ('Content-Type', 'text/plain; charset=utf-8'), ('Connection', 'keep-alive, X-Hop'), ('X-Hop', 'hop'),
            ('Keep-Alive', 'timeout=5, max=100'), ('Proxy-Connection', 'keep-alive'), ('X-Custom', 'a'),
            ('X-Custom', 'b'), ('x-lower-case', 'v'), ('X-Empty', ''), ('Cache-Control', 'no-cache'),
            ('ETag', '"abc"'), ('Via', '1.1 origin'), ('Server', 'CompareOrigin/1'),
            ('Date', FIXED_DATE), ('Trailer', 'X-Trailer')], b'headers\n')

    def _cookies(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Set-Cookie', 'a=1; Path=/'),
                               ('Set-Cookie', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT; HttpOnly'),
                               ('set-cookie', 'c=3')], b'cookies\n')

    def _gzip(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Content-Encoding', 'gzip'),
                               ('Vary', 'Accept-Encoding')],
                   gzip.compress(b'this body was gzipped by the origin\n' * 20, mtime=0))

    def _gripstatus(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Status', '299 Custom Grip Reason'),
                               ('Grip-Foo', 'bar'), ('X-Normal', '1')], b'grip body\n')

    def _gripteapot(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Status', '418')], b'teapot\n')

    def _gripexpose(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Expose-Headers', 'X-Keep, content-type'),
                               ('X-Keep', 'k'), ('X-Drop', 'd')], b'expose\n')

    def _gripinstruct(self, rec):
        self._send(200, 'OK', [('Content-Type', 'application/grip-instruct'), ('X-Ignored', '1')], json.dumps(
            {'response': {'code': 201, 'reason': 'Made It', 'headers': {'X-From-Json': 'yes',
                                                                        'Content-Type': 'text/plain'},
                          'body': 'from instruct\n'}}).encode())

    def _gripinstruct_empty(self, rec):
        self._send(200, 'OK', [('Content-Type', 'application/grip-instruct'), ('X-Ignored', '1')], b'{}')

    def _gripinstruct_404(self, rec):
        self._send(404, 'Not Found', [('Content-Type', 'application/grip-instruct')], b'{}')

    def _query(self, key, default):
        return urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get(key, [default])[0]

    def _grip_stream(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Hold', 'stream'),
                               ('Grip-Channel', self._query('ch', 'c'))], b'stream open\n')

    def _grip_longpoll(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Hold', 'response'),
                               ('Grip-Channel', self._query('ch', 'c')),
                               ('Grip-Timeout', self._query('timeout', '20')), ('X-Origin', 'held')],
                   b'timeout body\n')

    def _gripjson(self, rec):  # ?j=<application/grip-instruct body>
        self._send(200, 'OK', [('Content-Type', 'application/grip-instruct')], self._query('j', '{}').encode())

    def _griphdr(self, rec):  # ?h=<JSON [[name, value], ...]>&b=<body>[&s=<status>&r=<reason>][&ms=<delay>]
        time.sleep(int(self._query('ms', '0')) / 1000)
        self._send(int(self._query('s', '200')), self._query('r', 'OK'),
                   [tuple(h) for h in json.loads(self._query('h', '[]'))], self._query('b', '').encode('latin-1'))

    def _slow(self, rec):  # ?ms=<delay>: answers after the delay (identical requests meanwhile may share it)
        time.sleep(int(self._query('ms', '1000')) / 1000)
        body = ('slow %s\n' % self.path).encode()
        self._send(200, 'OK', [('Content-Type', 'text/plain')], body, chunked=[body] if 'chunked' in self.path else None)

    def _gripbad(self, rec):
        self._send(200, 'OK', [('Content-Type', 'text/plain'), ('Grip-Hold', 'bogus'), ('Grip-Channel', 'c')],
                   b'bad\n')


ORIGIN_ROUTES = {
    'echo': OriginHandler._echo, 'small': OriginHandler._small, 'chunked': OriginHandler._chunked,
    'close': OriginHandler._close, 'redirect': OriginHandler._redirect, 'reason': OriginHandler._reason,
    'noreason': OriginHandler._noreason, 'big': OriginHandler._big, 'bigchunked': OriginHandler._bigchunked,
    'headers': OriginHandler._headers, 'cookies': OriginHandler._cookies, 'gzip': OriginHandler._gzip,
    'gripstatus': OriginHandler._gripstatus, 'gripteapot': OriginHandler._gripteapot,
    'gripexpose': OriginHandler._gripexpose, 'gripinstruct': OriginHandler._gripinstruct,
    'gripinstruct-empty': OriginHandler._gripinstruct_empty,
    'gripinstruct-404': OriginHandler._gripinstruct_404, 'gripbad': OriginHandler._gripbad,
    'gripjson': OriginHandler._gripjson, 'grip-stream': OriginHandler._grip_stream,
    'grip-longpoll': OriginHandler._grip_longpoll, 'griphdr': OriginHandler._griphdr, 'slow': OriginHandler._slow,
}


def run_origin(port):
    compare_ws.start_ws_origin(sys.modules[__name__])
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', port), OriginHandler)
    srv.daemon_threads = True
    print('origin listening on 127.0.0.1:%d' % port, flush=True)
    srv.serve_forever()


# ---------------------------------------------------------------------------------------------------------------
# Raw HTTP/1.x client
# ---------------------------------------------------------------------------------------------------------------
def encode_request(r):
    if r['raw'] is not None:
        return r['raw']
    lines = ['%s %s HTTP/%s' % (r['method'], r['target'], r['version'])]
    if r['host'] is not None:
        lines.append('Host: ' + r['host'])
    hdrs = list(r['headers'])
    names = {k.lower() for k, _ in hdrs}
    payload = b''
    if r['chunks'] is not None:
        if 'transfer-encoding' not in names:
            hdrs.append(('Transfer-Encoding', 'chunked'))
        payload = b''.join(b'%x\r\n%s\r\n' % (len(c), c) for c in r['chunks']) + b'0\r\n\r\n'
    elif r['body'] is not None:
        if 'content-length' not in names:
            hdrs.append(('Content-Length', str(len(r['body']))))
        payload = r['body']
    lines += ['%s: %s' % h for h in hdrs]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + payload


def decode_body(framing, raw, eof, length=None):
    """Decodes what has arrived of a body: (bytes, ended, raw bytes used when ended)."""
    if framing == 'length':
        return raw[:length], len(raw) >= length, length
    if framing != 'chunked':
        return raw, eof, len(raw)
    out, i = b'', 0
    while True:
        j = raw.find(b'\r\n', i)
        if j < 0:
            return out, eof, len(raw)
        size = int(raw[i:j].split(b';')[0].strip() or b'0', 16)
        if size == 0:
            end = raw.find(b'\r\n\r\n', j)  # after the (usually empty) trailer section
            return out, True, len(raw) if end < 0 else end + 4
        if len(raw) < j + 2 + size + 2:
            return out + raw[j + 2:j + 2 + size], eof, len(raw)
        out += raw[j + 2:j + 2 + size]
        i = j + 2 + size + 2


class Conn:
    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
        self.buf = b''
        self.eof = False

    def _fill(self):
        if self.eof:
            return False
        d = self.sock.recv(65536)
        if not d:
            self.eof = True
            return False
        self.buf += d
        return True

    def _line(self):
        while b'\r\n' not in self.buf:
            if not self._fill():
                raise EOFError('closed mid-line')
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            if not self._fill():
                raise EOFError('closed after %d of %d body bytes' % (len(self.buf), n))
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_head(self):
        """Reads one final response head (interim 1xx responses listed in 'interim')."""
        interim = []
        while True:
            if not self.buf and not self._fill():
                return {'error': 'closed without response'}
            while b'\r\n\r\n' not in self.buf:
                if not self._fill():
                    return {'error': 'closed mid-head', 'partial': self.buf[:200].decode('latin-1')}
            head, self.buf = self.buf.split(b'\r\n\r\n', 1)
            lines = head.decode('latin-1').split('\r\n')
            parts = lines[0].split(' ', 2)
            version, status = parts[0], int(parts[1])
            reason = parts[2] if len(parts) > 2 else None
            headers = [tuple(x.split(':', 1)) for x in lines[1:]]
            headers = [(k, v.strip()) for k, v in headers]
            if 100 <= status < 200 and status != 101:
                interim.append('%d %s' % (status, reason))
                continue
            return {'version': version, 'status': status, 'reason': reason, 'headers': headers,
                    'interim': interim}

    @staticmethod
    def framing(method, head):
        hmap = {}
        for k, v in head['headers']:
            hmap.setdefault(k.lower(), []).append(v)
        if method == 'HEAD' or head['status'] in (204, 304):
            return 'none', 0
        if 'chunked' in ','.join(hmap.get('transfer-encoding', [])).lower():
            return 'chunked', None
        if 'content-length' in hmap:
            return 'length', int(hmap['content-length'][0])
        return 'close', None

    def read_response(self, method):
        """Returns a dict view of one whole response."""
        head = self.read_head()
        if 'error' in head:
            return head
        framing, length = self.framing(method, head)
        body = b''
        if framing == 'chunked':
            while True:
                size = int(self._line().split(b';')[0].strip(), 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body += self._exact(size)
                self._exact(2)
        elif framing == 'length':
            body = self._exact(length)
        elif framing == 'close':
            while self._fill():
                pass
            body, self.buf = self.buf, b''
        return dict(head, framing=framing, body=body)

    def read_until(self, framing, length, marker, timeout):
        """For streamed bodies: reads until the decoded body so far contains marker (None: until the end), the
        body ends, or timeout. Returns (decoded body so far, ended). The raw bytes stay in self.buf."""
        deadline = time.time() + timeout
        while True:
            body, ended, used = decode_body(framing, self.buf, self.eof, length)
            if ended:
                self.buf = self.buf[used:]
                return body, ended
            if marker is not None and marker in body:
                return body, ended
            left = deadline - time.time()
            if left <= 0:
                return body, False
            self.sock.settimeout(left)
            try:
                self._fill()
            except socket.timeout:
                pass

    def state_after(self, wait=0.25):
        """'closed' if the server closed the connection, 'open' if it stayed open, or 'extra-data'."""
        if self.eof:
            return 'closed'
        if self.buf:
            return 'extra-data'
        self.sock.settimeout(wait)
        try:
            d = self.sock.recv(1)
            return 'closed' if not d else 'extra-data'
        except socket.timeout:
            return 'open'
        except OSError:
            return 'closed'

    def close(self):
        self.sock.close()


class StopScript(Exception):
    pass


class Session:
    """A scripted conversation on one client connection (see the 'holds' cases). Each step records a
    (label, value) pair; the pairs are what gets compared."""

    def __init__(self, conn, publish_port, port=None, steps=None, label='', server_log=None):
        self.conn, self.publish_port, self.port, self.label = conn, publish_port, port, label
        # the server's log file and where it ended when the case began (for handler_log)
        self.server_log, self.log_start = server_log, log_size(server_log) if server_log else 0
        self.steps = [] if steps is None else steps
        self.method, self.framing, self.length, self.seen = 'GET', None, None, 0
        self.others = []

    def _record(self, label, value):
        self.steps.append((self.label + label, value))

    def connect(self, name):
        """Opens another client connection to the same server; returns a Session on it whose steps are recorded
        here, labelled 'NAME.head' etc. (closed when the case ends)."""
        s = Session(Conn(self.port), self.publish_port, self.port, self.steps, name + '.')
        self.others.append(s)
        return s

    def close_others(self):
        for s in self.others:
            if hasattr(s, 'drop'):
                s.drop()  # a WebSocket client (compare_ws)
            else:
                s.conn.close()

    def send(self, r):
        self.method = r['method']
        self.conn.sock.sendall(encode_request(r))

    def head(self, timeout=10.0):
        """Reads the response head (the body is then read with body_until)."""
        self.conn.sock.settimeout(timeout)
        h = self.conn.read_head()
        if 'error' in h:
            self._record('head', h['error'])
            raise StopScript()
        self.framing, self.length = Conn.framing(self.method, h)
        self.seen = 0
        v = client_view(dict(h, framing=self.framing, body=b''))
        self._record('head', {k: v[k] for k in ('status', 'reason', 'version', 'headers', 'framing')})

    def body_until(self, marker, timeout=5.0):
        """Reads the body until marker has arrived (None: until it ends); records what arrived since last time."""
        body, ended = self.conn.read_until(self.framing, self.length, marker, timeout)
        new, self.seen = body[self.seen:], len(body)
        self._record('body', {'data': new.decode('latin-1'), 'ended': ended})

    def idle(self, seconds):
        """Waits; records what arrived meanwhile (normally nothing)."""
        deadline, got = time.time() + seconds, len(self.conn.buf)
        while not self.conn.eof and time.time() < deadline:
            self.conn.sock.settimeout(max(0.01, deadline - time.time()))
            try:
                self.conn._fill()
            except socket.timeout:
                break
        arrived = self.conn.buf[got:][:200].decode('latin-1')
        self._record('idle', arrived + (' <closed>' if self.conn.eof else ''))

    def handler_log(self, channel, count, timeout=3.0):
        """Records the handler's `publish channel=C receivers=N` lines for this channel written since the case
        began, once `count` of them are there (the reference's runner relays its children's output late)."""
        if not self.server_log:
            self._record('handler log', 'no server log given')
            return
        pat = re.compile(r'(publish channel=%s receivers=\d+)' % re.escape(channel))
        deadline = time.time() + timeout
        while True:
            with open(self.server_log, 'rb') as fh:
                fh.seek(self.log_start)
                lines = [m.group(1) for m in pat.finditer(fh.read().decode('utf-8', 'replace'))]
            if len(lines) >= count or time.time() > deadline:
                break
            time.sleep(0.05)
        self._record('handler log', lines)

    def publish(self, channel, formats, **item):
        """Publishes one item through the server's HTTP publish endpoint."""
        self.publish_raw(json.dumps({'items': [dict(item, channel=channel, formats=formats)]}).encode())

    def publish_raw(self, data, content_type='application/json'):
        """POSTs these exact bytes to the HTTP publish endpoint; records the status and body."""
        rq = urllib.request.Request('http://127.0.0.1:%d/publish/' % self.publish_port, data=data,
                                    headers={'Content-Type': content_type})
        try:
            with urllib.request.urlopen(rq, timeout=5) as r:
                res = '%d %s' % (r.status, r.read().decode('latin-1').strip())
        except urllib.error.HTTPError as e:
            res = '%d %s' % (e.code, e.read().decode('latin-1').strip())
        except OSError as e:
            res = 'error: %s' % e
        self._record('publish', res)

    def response(self, timeout=10.0):
        """Reads one whole response."""
        self.conn.sock.settimeout(timeout)
        try:
            r = self.conn.read_response(self.method)
        except socket.timeout:
            r = {'error': 'timeout'}
        self._record('response', client_view(r))


def origin_get(path):
    with urllib.request.urlopen('http://127.0.0.1:%d%s' % (ORIGIN_PORT, path), timeout=5) as r:
        return json.loads(r.read())


# A request log line: "GET http://host/path -> 127.0.0.1:8391 route=main code=200 17" (docs/configuration.md#logging),
# after whatever prefix (time, level, "[proxy]") the server writes.
LOG_LINE = re.compile(r'\b([A-Z][A-Z-]* https?://\S+.*\bcode=\d+.*)$')


def log_size(path):
    try:
        with open(path, 'rb') as fh:
            return fh.seek(0, 2)
    except OSError:
        return 0


def log_lines(path, start):
    time.sleep(0.1)  # the reference's runner relays its children's output
    with open(path, 'rb') as fh:
        fh.seek(start)
        text = fh.read().decode('utf-8', 'replace')
    return [m.group(1).rstrip() for line in text.splitlines() if '[zurl]' not in line
            for m in [LOG_LINE.search(line)] if m]


def execute(c, port, log=None, publish_port=None, server_log=None):
    """Runs one case against one server; returns the raw observations. log: the server's log file, whose
    request lines written during the case are collected."""
    n0 = origin_get('/__pp/count')['count']
    log0 = log_size(log) if log else 0
    out = {'client': [], 'conn': None}
    try:
        conn = Conn(port)
    except OSError as e:
        return {'error': 'connect: %s' % e}
    try:
        if c['script']:
            session = Session(conn, publish_port, port, server_log=server_log)
            try:
                c['script'](session)
            except StopScript:
                pass
            except (OSError, ValueError, EOFError) as e:
                session.steps.append(('error', '%s: %s' % (type(e).__name__, e)))
            finally:
                session.close_others()
            out['steps'] = session.steps
        reqs = [] if c['script'] else c['requests']
        if c['pipeline']:
            conn.sock.sendall(b''.join(encode_request(r) for r in reqs))
        for i, r in enumerate(reqs):
            if not c['pipeline']:
                conn.sock.sendall(encode_request(r))
            try:
                out['client'].append(conn.read_response(r['method']))
            except socket.timeout:
                out['client'].append({'error': 'timeout'})
                break
            except (EOFError, OSError, ValueError, IndexError) as e:
                out['client'].append({'error': '%s: %s' % (type(e).__name__, e)})
                break
            if 'error' in out['client'][-1]:
                break
        out['conn'] = conn.state_after()
    finally:
        conn.close()
    time.sleep(0.05)
    out['origin'] = origin_get('/__pp/log?from=%d' % n0)
    if log:
        out['log'] = log_lines(log, log0)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Normalization and comparison
# ---------------------------------------------------------------------------------------------------------------
def b64url(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def norm_grip_sig(v):
    try:
        h, p, s = v.split('.')
        header, claims = json.loads(b64url(h)), json.loads(b64url(p))
        good = hmac.compare_digest(hmac.new(SIG_KEY, (h + '.' + p).encode(), hashlib.sha256).digest(), b64url(s))
        exp = claims.get('exp')
        if isinstance(exp, (int, float)):
            claims['exp'] = 'now+3600' if abs(exp - time.time() - 3600) < 30 else 'now%+d' % (exp - time.time())
        return 'JWT %s %s sig=%s' % (json.dumps(header, sort_keys=True), json.dumps(claims, sort_keys=True),
                                     'valid' if good else 'INVALID')
    except Exception as e:  # noqa: BLE001 - show whatever it was
        return 'unparseable JWT (%s): %s' % (e, v)


def origin_view(rec, client_req):
    client_names = {k.lower() for k, _ in client_req['headers']} if client_req else set()
    hdrs = []
    for k, v in rec['headers']:
        lk = k.lower()
        if lk == 'accept-encoding' and v == ZURL_ACCEPT_ENCODING:
            continue  # zurl artefact
        if lk == 'accept' and v == '*/*' and 'accept' not in client_names:
            continue  # zurl artefact
        if lk == 'grip-sig':
            v = norm_grip_sig(v)
        if lk == 'host' and re.fullmatch(r'127\.0\.0\.1:183[01]0', v):
            v = '127.0.0.1:<server port>'  # WebSocket cases connect to the server's own address
        if lk in ('connection-id', 'sec-websocket-key'):
            v = '<random>'  # over-HTTP connection ids (UUIDs) and the WebSocket client's key differ every run
        hdrs.append('%s: %s' % (lk, v))
    return {'method': rec['method'], 'target': rec['target'], 'version': rec['version'],
            'headers': sorted(hdrs, key=lambda s: s.split(':', 1)[0]), 'body': rec['body'],
            'framing': rec['framing']}


def client_view(resp):
    if 'error' in resp:
        return {'error': resp['error']}
    body = resp['body']
    is_echo = any(k.lower() == 'x-echo' for k, _ in resp['headers'])
    hdrs = []
    for k, v in resp['headers']:
        lk = k.lower()
        if lk == 'date' and v != FIXED_DATE:
            continue  # volatile (but an origin's fixed Date shows whether it is relayed)
        if lk == 'connection' and v == 'Transfer-Encoding':
            continue  # condure artefact on chunked responses (docs/compatibility.md#deliberately-different)
        if lk == 'content-length' and is_echo:  # the echo varies in length
            v = '<echo length%s>' % ('' if v == str(len(body)) or not body else ' MISMATCH ' + v)
        hdrs.append('%s: %s' % (lk, v))
    if is_echo and body:
        # The echo body repeats what the origin saw (compared in the origin view); check only that it is intact.
        try:
            json.loads(body)
            bview = 'echo JSON intact'
        except ValueError:
            bview = 'echo JSON CORRUPT: ' + digest(body)
    elif len(body) <= 200:
        bview = body.decode('latin-1')
    else:
        bview = digest(body)
    return {'status': resp['status'], 'reason': resp['reason'], 'version': resp['version'],
            'headers': sorted(hdrs, key=lambda s: s.split(':', 1)[0]), 'framing': resp['framing'],
            'body': bview, 'interim': resp['interim']}


def view(c, obs):
    """Flatten the observations into {field: value}."""
    if 'error' in obs:
        return {'error': obs['error']}
    f = {}
    reqs = c['requests']
    origin = obs['origin']
    f['origin.count'] = len(origin)
    for i, rec in enumerate(origin):
        r = reqs[i] if i < len(reqs) and reqs[i]['raw'] is None else None
        for k, v in origin_view(rec, r).items():
            f['origin[%d].%s' % (i, k)] = v
    for i, (label, v) in enumerate(obs.get('steps', [])):
        for k, x in (v.items() if isinstance(v, dict) else [(None, v)]):
            f['step[%d].%s%s' % (i, label, '' if k is None else '.' + k)] = x
    f['client.count'] = len(obs['client'])
    for i, resp in enumerate(obs['client']):
        for k, v in client_view(resp).items():
            f['client[%d].%s' % (i, k)] = v
    f['conn.after'] = obs['conn']
    if 'log' in obs:
        echo = any(h.startswith('content-length: <echo') for k, v in f.items() if k.endswith('.headers')
                   and k.startswith('client') for h in v)
        f['log'] = [re.sub(r'(code=\d+) \d+', r'\1 <echo size>', x) if echo else x for x in obs['log']]
    return f


def diff(c, ref, ours):
    """Returns (diffs, known): lists of {'field', 'detail'}."""
    diffs, known = [], []
    if 'error' in ref or 'error' in ours:  # a server could not be reached at all: one line says it
        return [describe('error', ref.get('error', '<none>'), ours.get('error', '<none>'))], []
    for k in sorted(set(ref) | set(ours)):
        a, b = ref.get(k, '<absent>'), ours.get(k, '<absent>')
        if a == b:
            continue
        rules = [item for field, item in c['known'] if re.search(field, k)]
        if None in rules or (rules and not isinstance(a, list) and any(re.search(r, str(a)) for r in rules)):
            known.append(describe(k, a, b))  # for a single value, ITEM_RE is matched against the reference's
            continue
        if rules and isinstance(a, list) and isinstance(b, list):
            def split(v):
                hit = [x for x in v if any(re.search(r, x) for r in rules)]
                return [x for x in v if x not in hit], hit
            (a, ka), (b, kb) = split(a), split(b)
            if ka != kb:
                known.append(describe(k, ka, kb))
            if a == b:
                continue
        diffs.append(describe(k, a, b))
    return diffs, known


def describe(k, a, b):
    if isinstance(a, list) and isinstance(b, list):
        only_a = [x for x in a if x not in b]
        only_b = [x for x in b if x not in a]
        if not only_a and not only_b:
            return {'field': k, 'detail': 'same items, different order/multiplicity: ref=%s | ours=%s' % (a, b)}
        return {'field': k, 'detail': 'only ref: %s | only ours: %s' % (only_a, only_b)}
    return {'field': k, 'detail': 'ref=%s | ours=%s' % (short(a), short(b))}


def short(v, n=160):
    s = json.dumps(v) if not isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + '...'


# ---------------------------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------------------------
def cmd_run(a):
    results = []
    cases = [c for c in CASES if c['profile'] == a.profile and (not a.k or any(k in c['name'] for k in a.k))]
    for c in cases:
        ref = view(c, execute(c, a.ref, a.ref_log, a.ref_publish, a.ref_server_log))
        if a.ours_down:
            ours = {'error': 'ours not running: ' + a.ours_down}
        else:
            ours = view(c, execute(c, a.ours, a.ours_log, a.ours_publish, a.ours_server_log))
        d, known = diff(c, ref, ours)
        results.append({'name': c['name'], 'profile': c['profile'], 'note': c['note'], 'diffs': d,
                        'known': known, 'ref': ref, 'ours': ours})
        print('  %-30s %s' % (c['name'], result(results[-1])), file=sys.stderr, flush=True)
    with open(a.out, 'w') as fh:
        json.dump(results, fh, indent=1, default=str)


def result(r):
    return 'DIFF' if r['diffs'] else 'PASS*' if r['known'] else 'PASS'


def cmd_report(a):
    rows = []
    for p in a.files:
        with open(p) as fh:
            rows += json.load(fh)
    ndiff = sum(1 for r in rows if r['diffs'])
    print('| case | profile | result | differing fields |')
    print('|---|---|---|---|')
    for r in rows:
        fields = ', '.join([d['field'] for d in r['diffs']] + ['(known) ' + d['field'] for d in r['known']])
        print('| %s | %s | %s | %s |' % (r['name'], r['profile'], result(r), fields))
    if any(r['diffs'] or r['known'] for r in rows):
        print('\nDetails (PASS* = only known, accepted differences):')
        for r in rows:
            if not (r['diffs'] or r['known']):
                continue
            print('\n## %s (%s) %s%s' % (r['name'], r['profile'], result(r), ' - ' + r['note'] if r['note'] else ''))
            for d in r['diffs']:
                print('  %s: %s' % (d['field'], d['detail']))
            for d in r['known']:
                print('  (known) %s: %s' % (d['field'], d['detail']))
    if a.verbose:
        print('\nFull views:')
        for r in rows:
            print('\n## %s (%s)' % (r['name'], r['profile']))
            print('  ref:  ' + json.dumps(r['ref'], indent=2, default=str).replace('\n', '\n  '))
            if r['diffs'] or r['known']:
                print('  ours: ' + json.dumps(r['ours'], indent=2, default=str).replace('\n', '\n  '))
    print('\n%d cases: %d PASS (%d with known differences), %d DIFF'
          % (len(rows), len(rows) - ndiff, sum(1 for r in rows if not r['diffs'] and r['known']), ndiff))
    return 1 if ndiff else 0


compare_ws.install(sys.modules[__name__])  # the WebSocket cases (profile 'ws')
compare_zmq.install(sys.modules[__name__])  # the ZeroMQ cases (PULL input, command socket)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = ap.add_subparsers(dest='cmd', required=True)
    o = sp.add_parser('origin')
    o.add_argument('--port', type=int, default=ORIGIN_PORT)
    p = sp.add_parser('profiles')
    p.add_argument('-k', action='append', help='only profiles with cases whose name contains this')
    p = sp.add_parser('routes')
    p.add_argument('profile', choices=PROFILES)
    p = sp.add_parser('conf')
    p.add_argument('profile', choices=PROFILES)
    r = sp.add_parser('run')
    r.add_argument('--profile', required=True, choices=PROFILES)
    r.add_argument('--ref', type=int, required=True)
    r.add_argument('--ours', type=int, required=True)
    r.add_argument('--ours-down', default='')
    r.add_argument('--ref-publish', type=int, help='the reference\'s HTTP publish port (5561 + port_offset)')
    r.add_argument('--ours-publish', type=int, help='ours')
    r.add_argument('--ref-log', help='compare request log lines too: the reference\'s log file')
    r.add_argument('--ours-log', help='... and ours')
    r.add_argument('--ref-server-log', help='the reference\'s log file, for scripts that read handler lines')
    r.add_argument('--ours-server-log', help='... and ours')
    r.add_argument('--out', required=True)
    r.add_argument('-k', action='append', help='only cases whose name contains this (repeatable)')
    r = sp.add_parser('report')
    r.add_argument('files', nargs='+')
    r.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()
    if a.cmd == 'origin':
        run_origin(a.port)
    elif a.cmd == 'profiles':
        print('\n'.join(p for p in PROFILES if any(c['profile'] == p and (not a.k or any(k in c['name'] for k in a.k))
                                                   for c in CASES)))
    elif a.cmd == 'routes':
        print('\n'.join(PROFILES[a.profile]['routes']))
    elif a.cmd == 'conf':
        print('\n'.join('%s=%s' % kv for kv in PROFILES[a.profile]['conf'].items()))
    elif a.cmd == 'run':
        cmd_run(a)
    elif a.cmd == 'report':
        sys.exit(cmd_report(a))


if __name__ == '__main__':
    main()
