"""Real, separate instances of the portal for end-to-end tests over loopback HTTP.

Each instance has its own PostgreSQL database, its own parties and its own gunicorn server
(several workers and threads, so it can answer a partner's call while one of its own requests
waits on that partner). Two session-scoped fixtures are ready for use:

- `cpo_instance`: our CPO NL-TMC;
- `emsp_instance`: our eMSP DE-EMP.

They are registered for the whole suite by `pytest_plugins` in tests/conftest.py, so a test just
asks for them. Use `instance.manage(...)` to run management commands against an instance (for
example `ocpi_token_a` on one side and `ocpi_register` on the other), `instance.shell(code)` to
read its database, and `instance.url` / `instance.versions_url` to call it over HTTP. Other
parties can be started with `running_instance(label, own_parties)`.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import requests

PROJECT_DIR = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_SECONDS = 60
COMMAND_TIMEOUT_SECONDS = 120


@dataclass
class Instance:
    label: str
    url: str
    env: dict
    log_path: Path
    server: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def versions_url(self) -> str:
        return f"{self.url}/ocpi/versions"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        """Run `manage.py <args>` with this instance's settings; the caller checks the result."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )

    def manage_json(self, *args: str):
        """Run a command that prints JSON; fail the test with its stderr if it does not succeed."""
        result = self.manage(*args)
        assert result.returncode == 0, f"{self.label}: manage.py {' '.join(args)}: {result.stderr}"
        return json.loads(result.stdout)

    def shell(self, code: str) -> str:
        """Run Python code in this instance's Django shell and return what it prints."""
        result = self.manage("shell", "--no-imports", "-c", code)
        assert result.returncode == 0, f"{self.label}: shell failed: {result.stderr}"
        return result.stdout

    def connections(self) -> list[dict]:
        """Every partner connection of this instance: id, status, version, parties."""
        code = (
            "import json\n"
            "from ocpi.models import Connection\n"
            "print(json.dumps([{'id': c.pk, 'name': c.name, 'status': c.status, "
            "'version': c.version, 'parties': [p.code for p in c.parties.order_by('id')]} "
            "for c in Connection.objects.order_by('id')]))"
        )
        return json.loads(self.shell(code))

    def outbound_token(self, connection_id: int) -> str:
        """The token this instance sends to the partner of `connection_id` (decrypted)."""
        code = (
            "from ocpi.models import Connection\n"
            f"print(Connection.objects.get(pk={int(connection_id)}).outbound_token)"
        )
        return self.shell(code).strip()

    def server_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_dsn() -> dict:
    """Where the test databases live: the server of DATABASE_URL, else the local one."""
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return {
        "host": url.hostname or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password or "",
    }


def _admin(sql: str) -> None:
    connection = psycopg2.connect(dbname="postgres", **_server_dsn())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _database_url(name: str) -> str:
    dsn = _server_dsn()
    password = f":{dsn['password']}" if dsn["password"] else ""
    return f"postgres://{dsn['user']}{password}@{dsn['host']}:{dsn['port']}/{name}"


def _wait_until_serving(instance: Instance) -> None:
    """Poll the versions URL until the server answers at all (401 without a token is fine)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if instance.server.poll() is not None:
            raise RuntimeError(f"{instance.label} server exited:\n{instance.server_log()}")
        try:
            requests.get(instance.versions_url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)  # the port is not open yet
    raise RuntimeError(f"{instance.label} server did not answer:\n{instance.server_log()}")


@contextmanager
def running_instance(label: str, own_parties: str, tmp_dir: Path) -> Iterator[Instance]:
    """A migrated database with our parties, and a gunicorn serving it; all gone afterwards."""
    database = f"ocpi_e2e_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": _database_url(database),
        "DATABASE_CONN_MAX_AGE": "0",
        "OCPI_BASE_URL": url,
        "OCPI_OWN_PARTIES": own_parties,
        "DJANGO_SECRET_KEY": f"e2e-{label}-{uuid.uuid4().hex}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_DEBUG": "false",
        "CELERY_BROKER_URL": "",  # tasks run eagerly inside the instance
        "OCPI_CLIENT_RETRIES": "1",
    }
    instance = Instance(label=label, url=url, env=env, log_path=tmp_dir / f"{label}-server.log")
    _admin(f'CREATE DATABASE "{database}"')
    try:
        for command in (["migrate", "--no-input"], ["ocpi_parties"]):
            result = instance.manage(*command)
            assert result.returncode == 0, f"{label}: {command}: {result.stderr}"
        with instance.log_path.open("w") as log:
            instance.server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "2",
                    "--threads",
                    "4",
                ],
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_serving(instance)
            yield instance
        finally:
            instance.server.terminate()
            try:
                instance.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                instance.server.kill()
                instance.server.wait()
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def cpo_instance(tmp_path_factory):
    with running_instance("cpo", "NL-TMC:CPO", tmp_path_factory.mktemp("cpo")) as instance:
        yield instance


@pytest.fixture(scope="session")
def emsp_instance(tmp_path_factory):
    with running_instance("emsp", "DE-EMP:EMSP", tmp_path_factory.mktemp("emsp")) as instance:
        yield instance
