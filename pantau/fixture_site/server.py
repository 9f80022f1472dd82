"""A loopback HTTP server for one fixture site, that can be stopped without leaking sockets.

The standard library's ThreadingHTTPServer with daemon handler threads, plus bookkeeping of
open connections: ``stop`` closes idle keep-alive connections and joins their threads, so a
test run with warnings as errors sees no ResourceWarning.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .model import http_date
from .responses import Response

# (site name, method, path with query, request headers) -> Response
Answer = Callable[[str, str, str, dict[str, str]], Response]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site: str, answer: Answer) -> None:
        self.site = site
        self.answer = answer
        self._lock = threading.Lock()
        self._active: dict[threading.Thread, socket.socket] = {}
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self._run, args=(request, client_address), daemon=True)
        with self._lock:
            self._active[thread] = request
        thread.start()

    def _run(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._active.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-answer (a crawler refusing an oversize page) is normal.
        pass

    def close_connections(self, timeout: float = 5.0) -> None:
        with self._lock:
            active = list(self._active.items())
        for _, connection in active:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by its handler
        for thread, _ in active:
            thread.join(timeout)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as crawlers use it
    timeout = 10  # idle keep-alive connections end on their own
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - name required by BaseHTTPRequestHandler
        self._serve(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(with_body=False)

    def do_POST(self) -> None:  # noqa: N802
        self.close_connection = True  # its body is never read, so the connection cannot be reused
        self._serve(with_body=True)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the request log of FixtureSites is the record; stderr stays quiet

    def _serve(self, with_body: bool) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        response = self.server.answer(self.server.site, self.command, self.path, headers)
        response = _conditional(response, headers.get("if-modified-since"))
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if response.last_modified is not None:
                self.send_header("Last-Modified", http_date(response.last_modified))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            if with_body and response.body:
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True  # the client went away; nothing to answer


def _conditional(response: Response, since: str | None) -> Response:
    """Turn a 200 into 304 Not Modified when the client's copy is current."""
    if since is None or response.status != 200 or response.last_modified is None:
        return response
    try:
        client_copy = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return response
    if client_copy.tzinfo is None:
        return response
    if response.last_modified.replace(microsecond=0) > client_copy:
        return response
    return Response(304, b"", response.content_type, response.headers, response.last_modified)


class SiteServer:
    """One site on 127.0.0.1; can stop and start again on the same port (dead-site tests)."""

    def __init__(self, site: str, answer: Answer, host: str = "127.0.0.1", port: int = 0):
        self.site = site
        self.answer = answer
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        if self._server is not None:
            return
        server = _Server((self.host, self.port), self.site, self.answer)
        self.port = server.server_address[1]
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"fixture-site-{self.site}",
        )
        thread.start()
        self._server, self._thread = server, thread

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.shutdown()
        thread.join()
        server.close_connections()
        server.server_close()
        self._server = self._thread = None
