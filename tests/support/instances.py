"""Real, separate instances of the portal for end-to-end tests over loopback HTTP.

Each instance has its own PostgreSQL database, its own parties and its own gunicorn server
(several workers and threads, so it can answer a partner's call while one of its own requests
waits on that partner). Two session-scoped fixtures are ready for use:

- `cpo_instance`: our CPO NL-TMC;
- `emsp_instance`: our eMSP DE-EMP.

They are registered for the whole suite by `pytest_plugins` in tests/conftest.py, so a test just
asks for them. Use `instance.manage(...)` to run management commands against an instance (for
example `ocpi_token_a` on one side and `ocpi_register` on the other, which `register(cpo_instance,
emsp_instance)` does in one go), `instance.connections()` or `instance.call(function, ...)` (a
function of tests/support/inside.py) to read or write its database, and `instance.url` /
`instance.versions_url` to call it over HTTP. The instances live for the whole session: a test
that needs them unconnected starts with `unregister_all()`. Other parties can be started with
`running_instance(label, own_parties, tmp_dir, template=...)` and the
`migrated_template_database` fixture.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import requests

from tests.support.partners import free_port

PROJECT_DIR = Path(__file__).resolve().parents[2]
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

    def call(self, function: str, **arguments):
        """Run `tests.support.inside.<function>(**arguments)` in this instance's own process and
        return its result; fail the test with the process's stderr if it does not succeed."""
        result = subprocess.run(
            [sys.executable, "-m", "tests.support.inside", function],
            cwd=PROJECT_DIR,
            env=self.env,
            input=json.dumps(arguments),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
        assert result.returncode == 0, f"{self.label}: {function} failed: {result.stderr}"
        return json.loads(result.stdout)

    def connections(self) -> list[dict]:
        """Every partner connection of this instance, with the token it sends to that partner.

        Keys: id, name, status, version, plain_token, parties (CC-PID list), outbound_token.
        """
        return self.call("connections")

    def connection(self, connection_id: int) -> dict:
        """One connection as `connections()` describes it."""
        return next(c for c in self.connections() if c["id"] == connection_id)

    def unregister_all(self) -> None:
        """End every registered connection of this instance, as an operator would."""
        for connection in self.connections():
            if connection["status"] == "registered":
                self.manage_json("ocpi_unregister", str(connection["id"]))

    def server_log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def register(initiator: Instance, receiver: Instance, *options: str) -> tuple[dict, dict]:
    """Connect two instances the way operators do: the receiver issues token A, the initiator
    runs ocpi_register with it (plus `options`, e.g. "--plain-token"). Returns each side's
    connection, as `Instance.connections()` describes it: (initiator's, receiver's)."""
    issued = receiver.manage_json("ocpi_token_a")
    registered = initiator.manage_json(
        "ocpi_register", issued["versions_url"], "--token", issued["token"], *options
    )
    return initiator.connection(registered["connection_id"]), receiver.connection(
        issued["connection_id"]
    )


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
            requests.get(instance.versions_url, timeout=5)
            return
        except requests.ConnectionError:
            time.sleep(0.1)  # the port is not open yet
        except requests.Timeout:
            pass  # a worker is still booting; ask again
    raise RuntimeError(f"{instance.label} server did not answer:\n{instance.server_log()}")


def _unique_database_name(label: str) -> str:
    return f"ocpi_e2e_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _environment(*, label: str, database: str, url: str, own_parties: str) -> dict:
    return {
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


@contextmanager
def migrated_database() -> Iterator[str]:
    """A migrated, empty database that instances copy: migrations run once per session."""
    database = _unique_database_name("template")
    _admin(f'CREATE DATABASE "{database}"')
    try:
        env = _environment(label="template", database=database, url="", own_parties="")
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
        assert result.returncode == 0, f"migrate failed: {result.stderr}"
        yield database
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def running_instance(
    label: str, own_parties: str, tmp_dir: Path, *, template: str, versions: str | None = None
) -> Iterator[Instance]:
    """A copy of the `template` database with our parties, and a gunicorn serving it; offering
    only `versions` (OCPI_VERSIONS, comma separated) when given."""
    database = _unique_database_name(label)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = _environment(label=label, database=database, url=url, own_parties=own_parties)
    if versions is not None:
        env["OCPI_VERSIONS"] = versions
    instance = Instance(label=label, url=url, env=env, log_path=tmp_dir / f"{label}-server.log")
    _admin(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    try:
        instance.manage_json("ocpi_parties")
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
            instance.server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                instance.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                instance.server.kill()
                instance.server.wait()
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_template_database():
    with migrated_database() as database:
        yield database


@pytest.fixture(scope="session")
def cpo_instance(tmp_path_factory, migrated_template_database):
    with running_instance(
        "cpo", "NL-TMC:CPO", tmp_path_factory.mktemp("cpo"), template=migrated_template_database
    ) as instance:
        yield instance


@pytest.fixture(scope="session")
def emsp_instance(tmp_path_factory, migrated_template_database):
    with running_instance(
        "emsp", "DE-EMP:EMSP", tmp_path_factory.mktemp("emsp"), template=migrated_template_database
    ) as instance:
        yield instance
