"""Loopback stand-ins for the alert receivers: an HTTP endpoint and a small SMTP server.

Both run in a thread on 127.0.0.1 for the length of a ``with`` block and record what arrived,
so the alert tests talk to real sockets through urllib and smtplib. Shared by test_alerts_*.
"""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

import pytest


class _Served:
    """Serves ``self.server`` from a thread for the length of a ``with`` block."""

    server: socketserver.BaseServer

    def __enter__(self) -> Self:
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class Receiver(_Served):
    """Records JSON POSTs, answering each with the next of ``statuses`` (the last repeats)."""

    def __init__(self, statuses: list[int] | None = None, answer: bytes = b'{"ok": true}') -> None:
        self.statuses = list(statuses or [200])
        self.answer = answer
        self.headers: dict[str, str] = {}
        self.requests: list[tuple[str, Any]] = []  # (path, decoded JSON body), accepted or not
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                receiver.requests.append((self.path, body))
                payload = receiver.answer if status == 200 else f"error at {self.path}".encode()
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass  # keep test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def bodies(self) -> list[Any]:
        return [body for _, body in self.requests]


def closed_port_url() -> str:
    """A loopback URL nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


class SmtpServer(_Served):
    """A minimal ESMTP server: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

    ``data_reply`` replaces the 250 after DATA (e.g. "451 try later") to simulate refusal.
    """

    def __init__(self, password: str | None = None, data_reply: str = "250 queued") -> None:
        self.messages: list[dict[str, Any]] = []
        self.logins: list[tuple[str, str]] = []
        self.data_reply = data_reply
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                envelope: dict[str, Any] = {"rcpt": []}
                self.reply("220 fake ESMTP ready")
                while line := self.rfile.readline():
                    verb, _, arg = line.decode().rstrip("\r\n").partition(" ")
                    verb = verb.upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-fake\r\n250-AUTH PLAIN\r\n250 OK\r\n")
                    elif verb == "AUTH":
                        _, _, blob = arg.partition(" ")
                        _, user, secret = base64.b64decode(blob).decode().split("\0")
                        fake.logins.append((user, secret))
                        ok = password is None or secret == password
                        self.reply("235 ok" if ok else "535 bad credentials")
                    elif verb == "MAIL":
                        envelope = {"from": arg.split(":", 1)[1].strip("<>"), "rcpt": []}
                        self.reply("250 ok")
                    elif verb == "RCPT":
                        envelope["rcpt"].append(arg.split(":", 1)[1].strip("<>"))
                        self.reply("250 ok")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        data = self._read_data()
                        if fake.data_reply.startswith("250"):
                            parsed = message_from_bytes(data, policy=policy.default)
                            fake.messages.append({**envelope, "message": parsed})
                        self.reply(fake.data_reply)
                    elif verb in ("RSET", "NOOP", "HELO"):
                        self.reply("250 ok")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

            def _read_data(self) -> bytes:
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                return b"".join(lines)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def body(self, index: int = 0) -> str:
        message: EmailMessage = self.messages[index]["message"]
        return message.get_content().replace("\r\n", "\n")


ALERT_VARIABLES = (
    "PANTAU_STORE",
    "PANTAU_QUERIES",
    "PANTAU_WEBHOOK_URL",
    "PANTAU_TELEGRAM_BOT_TOKEN",
    "PANTAU_TELEGRAM_CHAT_ID",
    "PANTAU_TELEGRAM_API",
    "PANTAU_SMTP_HOST",
    "PANTAU_SMTP_PORT",
    "PANTAU_SMTP_USER",
    "PANTAU_SMTP_PASSWORD",
    "PANTAU_SMTP_FROM",
    "PANTAU_SMTP_TO",
    "PANTAU_SMTP_STARTTLS",
    "PANTAU_ALERT_RETRIES",
    "PANTAU_ALERT_BACKOFF",
    "PANTAU_ALERT_TIMEOUT",
)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see neither the developer's alert settings nor a proxy in front of 127.0.0.1."""
    for name in ALERT_VARIABLES + ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
