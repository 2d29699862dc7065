"""Partner platforms on loopback HTTP, for tests of what we send and what we do with the answer.

- `PartnerServer` (fixture `partner_server`): answers every call with `answer(call)`, a function
  the test sets (an OCPI success by default), and records each call as a `ReceivedCall`.
- `FakePartner` (fixture `fake_partner`): answers from a table of `routes` (method, path) and
  already serves versions and version details, as a partner we register with does.
"""

import json
import socket
import threading
from contextlib import closing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

# The token a FakePartner hands us in its credentials (its token B or C, for our calls to it).
FAKE_PARTNER_TOKEN = "fake-partner-token-for-our-calls"


# Where the partner's eMSP (fake_partner) wants the results of its commands and requests.
RESULT_PATH = "/emsp/results/1"


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

    def __init__(self):
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

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
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


def envelope(data, status_code=1000, message=None) -> dict:
    """An OCPI response body as a partner sends it."""
    body = {"data": data, "status_code": status_code, "timestamp": "2026-01-01T00:00:00Z"}
    if message:
        body["status_message"] = message
    return body


class FakePartner:
    """A partner platform on loopback: answers from `routes` and remembers every request."""

    def __init__(self):
        partner = self
        self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                partner.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "authorization": self.headers.get("Authorization", ""),
                        "body": json.loads(body) if body else None,
                    }
                )
                http_status, answer = partner.routes.get(
                    (self.command, self.path), (404, {"status_code": 2000})
                )
                payload = answer if isinstance(answer, str) else json.dumps(answer)
                self.send_response(http_status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload.encode())))
                self.end_headers()
                self.wfile.write(payload.encode())

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.versions_url = f"{self.url}/ocpi/versions"
        self.credentials_url = f"{self.url}/ocpi/2.2.1/credentials"
        self.routes = {
            ("GET", "/ocpi/versions"): (
                200,
                envelope([{"version": "2.2.1", "url": f"{self.url}/ocpi/2.2.1"}]),
            ),
            ("GET", "/ocpi/2.2.1"): (
                200,
                envelope(
                    {
                        "version": "2.2.1",
                        "endpoints": [
                            {
                                "identifier": "credentials",
                                "role": "SENDER",
                                "url": self.credentials_url,
                            },
                            {
                                "identifier": "credentials",
                                "role": "RECEIVER",
                                "url": self.credentials_url,
                            },
                            {
                                "identifier": "cdrs",
                                "role": "RECEIVER",
                                "url": f"{self.url}/ocpi/emsp/2.2.1/cdrs",
                            },
                        ],
                    }
                ),
            ),
        }

    def credentials(self, token: str = FAKE_PARTNER_TOKEN) -> dict:
        """The Credentials object this partner sends: one eMSP, DE-XYZ, with a logo."""
        return {
            "token": token,
            "url": self.versions_url,
            "roles": [
                {
                    "role": "EMSP",
                    "party_id": "xyz",
                    "country_code": "de",
                    "business_details": {
                        "name": "XYZ Mobility",
                        "website": "https://xyz.example.com",
                        "house_colour": "green",
                    },
                }
            ],
        }

    def requests_to(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def __enter__(self):
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_partner():
    with FakePartner() as partner:
        yield partner


def results_received(fake_partner) -> list[dict]:
    """The bodies of the results POSTed to the partner's eMSP, in order."""
    return [r["body"] for r in fake_partner.requests if r["path"] == RESULT_PATH]
