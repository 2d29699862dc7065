"""Partner platforms on loopback HTTP, for tests of what we send and what we do with the answer.

- `PartnerServer` (fixture `partner_server`): answers every call with `answer(call)`, a function
  the test sets (an OCPI success by default), and records each call as a `ReceivedCall`.
- `FakePartner` (fixture `fake_partner`), a PartnerServer that answers from a table of `routes`
  (method, path) and already serves versions and version details, as a partner we register
  with does.
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
    target: str  # the path with its query string, as sent
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class Answer:
    http_status: int = 200
    body: object = field(default_factory=lambda: {"status_code": 1000, "data": None})
    headers: dict = field(default_factory=dict)


def envelope(data, status_code=1000, message=None) -> dict:
    """An OCPI response body as a partner sends it."""
    body = {"data": data, "status_code": status_code, "timestamp": "2026-01-01T00:00:00Z"}
    if message:
        body["status_message"] = message
    return body


def ocpi_answer(data=None, *, status_code=1000, message="", http_status=200, headers=None):
    """An Answer whose body is an OCPI envelope."""
    return Answer(http_status, envelope(data, status_code, message), headers or {})


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
                    target=self.path,
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    headers=dict(self.headers),
                    body=json.loads(raw) if raw else None,
                )
                server.calls.append(call)
                answer = server.answer(call)
                # A str body is sent as it is (a partner answering with broken JSON).
                body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
                payload = body.encode()
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


class FakePartner(PartnerServer):
    """A partner platform we register with: it serves its versions and version details, answers
    from `routes` ((method, path with query) -> (HTTP status, body)), 404 to anything else."""

    def __init__(self):
        super().__init__()
        self.answer = self.answer_from_routes
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

    def answer_from_routes(self, call: ReceivedCall) -> Answer:
        http_status, body = self.routes.get(
            (call.method, call.target), (404, {"status_code": 2000})
        )
        return Answer(http_status, body)

    @property
    def requests(self) -> list[dict]:
        """Every request received, in order: method, path (with query), authorization, body."""
        return [
            {
                "method": call.method,
                "path": call.target,
                "authorization": call.headers.get("Authorization", ""),
                "body": call.body,
            }
            for call in self.calls
        ]

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


@pytest.fixture
def fake_partner():
    with FakePartner() as partner:
        yield partner


def results_received(fake_partner) -> list[dict]:
    """The bodies of the results POSTed to the partner's eMSP, in order."""
    return [r["body"] for r in fake_partner.requests if r["path"] == RESULT_PATH]


@pytest.fixture
def emsp(fake_partner):
    """The partner's eMSP side: it accepts results on RESULT_PATH (its `result_url`) and records
    them."""
    fake_partner.routes[("POST", RESULT_PATH)] = (200, envelope(None))
    fake_partner.result_url = fake_partner.url + RESULT_PATH
    return fake_partner
