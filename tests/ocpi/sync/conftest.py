"""A partner platform on loopback HTTP: it records every call and answers as the test says."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_connection


@dataclass
class ReceivedCall:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class Answer:
    http_status: int = 200
    body: object = field(default_factory=lambda: {"status_code": 1000, "data": None})
    headers: dict = field(default_factory=dict)


def ocpi_answer(data=None, *, status_code=1000, message="", http_status=200, headers=None):
    body = {"status_code": status_code, "status_message": message, "data": data}
    body["timestamp"] = "2026-01-01T00:00:00Z"
    return Answer(http_status, body, headers or {})


class PartnerServer:
    """Answers with `self.answer(call)`, a function of the received call (a 1000 by default)."""

    def __init__(self, port: int = 0):
        self.calls: list[ReceivedCall] = []
        self.answer = lambda call: ocpi_answer()
        self.call_received = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                call = ReceivedCall(
                    method=self.command,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers),
                    body=json.loads(raw) if raw else None,
                )
                server.calls.append(call)
                answer = server.answer(call)
                payload = json.dumps(answer.body).encode()
                self.send_response(answer.http_status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                server.call_received.set()

            do_GET = do_PUT = do_PATCH = do_POST = do_DELETE = handle_one

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def partner_server():
    with PartnerServer() as server:
        yield server


def partner_endpoints(base_url: str) -> list[dict]:
    """Version details of a partner with a CPO (senders) and an eMSP (receivers), 2.2.1 style."""
    endpoints = []
    for module in ("locations", "tariffs", "sessions", "cdrs"):
        endpoints.append(
            {"identifier": module, "role": "SENDER", "url": f"{base_url}/cpo/{module}"}
        )
        endpoints.append(
            {"identifier": module, "role": "RECEIVER", "url": f"{base_url}/emsp/{module}"}
        )
    endpoints.append({"identifier": "tokens", "role": "SENDER", "url": f"{base_url}/emsp/tokens"})
    endpoints.append({"identifier": "tokens", "role": "RECEIVER", "url": f"{base_url}/cpo/tokens"})
    return endpoints


@pytest.fixture
def remote_partner(own_parties, partner_server):
    """A registered partner (CPO DE-ABC, eMSP DE-ABE) whose endpoints are the partner server."""
    return make_connection(
        "Remote",
        "remote-token-c",
        [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(partner_server.url),
    )
