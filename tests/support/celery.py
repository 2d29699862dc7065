"""A real Celery worker on Redis (TEST_REDIS_URL), as in production, and waiting for what it
does.

The worker runs in a thread of this process, on a queue of its own so that other test runs sharing
the Redis database cannot take its messages, with an app of its own so that the project's app is
left as it was. It sees the rows because the tests that use it commit them (transactional
database).
"""

import os
import threading
import time
import uuid

import pytest
from celery import Celery, signals
from celery.contrib.testing.worker import start_worker
from django.db import connection as db_connection

from ocpi.sync.tasks import deliver_push
from portal.celery import app as project_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WAIT_SECONDS = 30


class FinishedDeliveries:
    """Counts deliver_push runs that ended without asking for a retry."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def finished(self, sender=None, **kwargs):
        if sender is not None and sender.name == deliver_push.name:
            with self.changed:
                self.count += 1
                self.changed.notify_all()

    def wait_for(self, count: int) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count >= count, timeout=WAIT_SECONDS)


def close_worker_db_connection(**kwargs):
    db_connection.close()  # runs in the worker thread: nothing stays open after the test


@pytest.fixture
def celery_worker(monkeypatch):
    """A worker app configured as the project's, on the test broker, current while it runs."""
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # the worker need not run Django's checks
    worker_app = Celery("portal-test", set_as_current=False)
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    worker_app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        task_default_queue=f"ocpi-sync-test-{uuid.uuid4().hex}",
        worker_hijack_root_logger=False,
    )
    finished = FinishedDeliveries()
    signals.task_success.connect(finished.finished, weak=False)
    signals.task_postrun.connect(close_worker_db_connection, weak=False)
    try:
        with start_worker(worker_app, perform_ping_check=False, shutdown_timeout=30):
            yield finished
    finally:
        signals.task_success.disconnect(finished.finished)
        signals.task_postrun.disconnect(close_worker_db_connection)
        worker_app.close()
        project_app.set_current()
        project_app.set_default()


def wait_until(condition, *, timeout: float = WAIT_SECONDS, what: str = "the condition") -> None:
    """Poll `condition` until it holds; fail naming `what` when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"Still waiting for {what} after {timeout} s"
        time.sleep(0.05)
