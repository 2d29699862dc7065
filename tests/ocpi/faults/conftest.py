"""The fault tests use the scripted partner platform of the sync tests and a real Celery worker
on Redis (TEST_REDIS_URL)."""

import time

from tests.ocpi.sync.conftest import partner_server, remote_partner  # noqa: F401  (fixtures)
from tests.ocpi.sync.test_worker import celery_worker  # noqa: F401  (fixture)

WAIT_SECONDS = 30


def wait_until(condition, *, timeout: float = WAIT_SECONDS, what: str = "the condition") -> None:
    """Poll `condition` until it holds; fail naming `what` when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"Still waiting for {what} after {timeout} s"
        time.sleep(0.05)
