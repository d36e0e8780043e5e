"""A counting HTTP reverse proxy for an S3 endpoint, so uploads are counted on the server side.

Every tool under test talks to ``http://127.0.0.1:PROXY``; the proxy forwards each request
unchanged (same method, path, query, headers including ``Host``, so SigV4 signatures stay valid)
to SeaweedFS's S3 port over a kept-alive connection per client connection, and counts, per
bucket (path-style addressing: the first path segment):

- object PUTs (a key, no ``partNumber``) and multipart completions, with their keys and payload
  bytes (``x-amz-decoded-content-length`` when the body is ``aws-chunked``, else the body's
  length), and multipart part uploads;
- GET object / list requests, HEAD, DELETE, batch deletes (``POST ?delete``), other requests;
- bytes on the wire in each direction.

It is threaded (one thread per client connection, as every tool keeps a pool of connections)
and loopback only. ``Expect: 100-continue`` is answered by the proxy itself (http.server does),
and hop-by-hop headers are not forwarded; a chunked request body is de-chunked and forwarded
with a Content-Length (none of the three tools sends one to a plain-HTTP endpoint in practice;
``chunked_requests`` says whether any did).
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["CountingProxy", "BucketCounts"]

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "expect"}


class BucketCounts:
    """What one bucket received; plain attributes, read under the proxy's lock."""

    FIELDS = ("requests", "object_puts", "object_put_bytes", "part_puts", "part_put_bytes", "multipart_completes",
              "gets", "get_bytes", "lists", "heads", "deletes", "batch_deletes", "batch_deleted_keys", "other",
              "wire_bytes_in", "wire_bytes_out", "chunked_requests", "errors")

    def __init__(self):
        for field in self.FIELDS:
            setattr(self, field, 0)
        self.put_keys: list[tuple[str, int]] = []  # (key, payload bytes), in arrival order

    def snapshot(self) -> dict:
        data = {field: getattr(self, field) for field in self.FIELDS}
        data["put_keys"] = list(self.put_keys)
        return data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, and http.server answers Expect: 100-continue
    server: "_Server"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._upstream: http.client.HTTPConnection | None = None

    def finish(self):
        super().finish()
        if self._upstream is not None:
            self._upstream.close()

    def _read_body(self) -> tuple[bytes, bool]:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size_line = self.rfile.readline(65537)
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts), True
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        length = int(self.headers.get("Content-Length") or 0)
        return (self.rfile.read(length) if length else b""), False

    def _forward(self, body: bytes) -> http.client.HTTPResponse:
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        if body or self.command in ("PUT", "POST"):
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        for attempt in (1, 2):
            if self._upstream is None:
                self._upstream = http.client.HTTPConnection(*self.server.upstream, timeout=300)
            try:
                self._upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for k, v in headers:
                    self._upstream.putheader(k, v)
                self._upstream.endheaders(body or None)
                return self._upstream.getresponse()
            except (ConnectionError, http.client.HTTPException, OSError):
                self._upstream.close()
                self._upstream = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _handle(self):
        body, chunked = self._read_body()
        try:
            response = self._forward(body)
            payload = response.read()
        except Exception as error:  # the upstream is gone: answer 502 and count it
            self.server.record(self, body, chunked, 502, 0, failed=True)
            message = f"proxy: upstream failed: {error}".encode()
            self.send_response(502)
            self.send_header("Content-Length", str(len(message)))
            self.end_headers()
            self.wfile.write(message)
            return
        self.send_response_only(response.status, response.reason)
        for k, v in response.getheaders():
            if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                self.send_header(k, v)
        if response.status in (204, 304):
            pass  # no body, no length
        elif self.command == "HEAD":
            length = response.getheader("Content-Length")
            if length is not None:
                self.send_header("Content-Length", length)
        else:
            self.send_header("Content-Length", str(len(payload)))
        if response.will_close:
            self.close_connection = True
            self._upstream.close()
            self._upstream = None
        self.end_headers()
        if self.command != "HEAD" and payload and response.status not in (204, 304):
            self.wfile.write(payload)
        self.server.record(self, body, chunked, response.status, len(payload))

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, address, upstream):
        super().__init__(address, _Handler)
        self.upstream = upstream
        self.lock = threading.Lock()
        self.buckets: dict[str, BucketCounts] = defaultdict(BucketCounts)

    def record(self, handler: _Handler, body: bytes, chunked: bool, status: int, response_bytes: int,
               failed: bool = False) -> None:
        parts = urlsplit(handler.path)
        path = unquote(parts.path).lstrip("/")
        bucket, _, key = path.partition("/")
        query = parse_qs(parts.query, keep_blank_values=True)
        method = handler.command
        decoded = handler.headers.get("x-amz-decoded-content-length")
        payload = int(decoded) if decoded is not None else len(body)
        ok = 200 <= status < 300
        with self.lock:
            c = self.buckets[bucket]
            c.requests += 1
            c.wire_bytes_in += len(body)
            c.wire_bytes_out += response_bytes
            c.chunked_requests += chunked
            if failed or status >= 500:
                c.errors += 1
            if method == "PUT" and key and "partNumber" in query:
                c.part_puts += 1
                c.part_put_bytes += payload
            elif method == "PUT" and key and "x-amz-copy-source" not in {h.lower() for h in handler.headers}:
                c.object_puts += 1
                c.object_put_bytes += payload
                c.put_keys.append((key, payload if ok else -status))
            elif method == "POST" and key and "uploadId" in query:
                c.multipart_completes += 1
                c.put_keys.append((key, -1))
            elif method == "POST" and "delete" in query:
                c.batch_deletes += 1
                c.batch_deleted_keys += body.count(b"<Key>")
            elif method == "GET" and key:
                c.gets += 1
                c.get_bytes += response_bytes
            elif method == "GET":
                c.lists += 1
            elif method == "HEAD":
                c.heads += 1
            elif method == "DELETE" and key:
                c.deletes += 1
            else:
                c.other += 1


class CountingProxy:
    """``with CountingProxy(upstream_port) as proxy: ... proxy.take(bucket)``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self._server = _Server(("127.0.0.1", 0), (upstream_host, upstream_port))
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="counting-proxy", daemon=True)

    def __enter__(self) -> "CountingProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def take(self, bucket: str) -> dict:
        """The counts of ``bucket`` since the last take, and reset them."""
        with self._server.lock:
            counts = self._server.buckets.pop(bucket, None) or BucketCounts()
        return counts.snapshot()

    def reset(self) -> None:
        with self._server.lock:
            self._server.buckets.clear()
