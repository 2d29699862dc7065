"""A worker killed (SIGKILL) in the middle of a delivery or a pull: once a worker runs again,
the work is done, and done once.

The worker is a real `celery worker` process on Redis (TEST_REDIS_URL), on a queue of its own.
The message of the killed task was never acknowledged (acks_late), so Redis hands it out again
after the visibility timeout. The partner may have stored what the killed worker sent before it
died; that call is then made again, which is harmless by natural key: the same version PUT again
to the same object URL, and pulled objects upserted by (country_code, party_id, id).
"""

import os
import signal
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection as db_connection

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.locations.models import Location
from ocpi.sync.models import PushDelivery, SyncState
from ocpi.sync.push import object_push
from ocpi.sync.tasks import pull_partner_module
from portal.celery import app as project_app
from tests.support.builders import location
from tests.support.celery import REDIS_URL, wait_until
from tests.support.partners import ocpi_answer

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_DIR = Path(__file__).resolve().parents[3]
WORKER_START_SECONDS = 60


@pytest.fixture
def queue(monkeypatch):
    """A queue of our own: this process sends the tasks there, the worker processes read it."""
    name = f"ocpi-faults-{uuid.uuid4().hex}"
    producer = Celery("portal-faults", set_as_current=False)
    producer.config_from_object("django.conf:settings", namespace="CELERY")
    producer.conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=name)
    producer.set_current()
    producer.set_default()
    try:
        yield name
    finally:
        producer.close()
        project_app.set_current()
        project_app.set_default()


@contextmanager
def worker(queue: str, log_path: Path):
    """A worker process on `queue`, ready when this yields; killed (SIGKILL) on exit if alive."""
    database = db_connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_SKIP_CHECKS": "1",
        "OCPI_CLIENT_RETRIES": "0",
    }
    log = log_path.open("a")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.ocpi.faults.worker_app",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "-l",
            "info",
            "-n",
            f"{uuid.uuid4().hex}@faults",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so that we can kill it whole
    )
    try:
        wait_until(
            lambda: " ready." in log_path.read_text() or process.poll() is not None,
            timeout=WORKER_START_SECONDS,
            what="the worker to start",
        )
        assert process.poll() is None, log_path.read_text()[-3000:]
        yield process
    finally:
        kill(process)
        log.close()


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


class HangingOnce:
    """Partner answers: the first call that `hangs_on` picks waits until released, so that the
    worker can be killed while it is under way; every call is recorded once answered."""

    def __init__(self, answer, hangs_on):
        self.answer, self.hangs_on = answer, hangs_on
        self.arrived, self.released = threading.Event(), threading.Event()
        self.answered: list = []

    def __call__(self, call):
        if self.hangs_on(call) and not self.arrived.is_set():
            self.arrived.set()
            self.released.wait(timeout=30)
        self.answered.append(call)
        return self.answer(call)


def test_a_delivery_under_way_when_its_worker_is_killed_is_done_after_restart(
    queue, remote_partner, partner_server, own_parties, tmp_path
):
    partner = HangingOnce(lambda call: ocpi_answer(), hangs_on=lambda call: True)
    partner_server.answer = partner
    log = tmp_path / "worker.log"

    with worker(queue, log) as first:
        document = {"country_code": "NL", "party_id": "TMC", "id": "LOC1", "version": 1}
        object_push(
            module=LOCATIONS,
            party=own_parties["CPO"],
            method="PUT",
            document=document,
            body=document,
        )
        wait_until(partner.arrived.is_set, what="the delivery to reach the partner")
        kill(first)
    partner.released.set()  # the partner stores what the dead worker sent
    wait_until(lambda: len(partner.answered) == 1, what="the partner to answer the first call")
    assert PushDelivery.objects.get().status == PushDelivery.Status.PENDING

    with worker(queue, log):
        wait_until(
            lambda: PushDelivery.objects.get().status == PushDelivery.Status.DELIVERED,
            what="the delivery after the restart",
        )

    delivery = PushDelivery.objects.get()
    assert delivery.attempts == 1  # the killed attempt left no trace: its transaction died
    # The one change, sent by the killed worker and once more by the next one: same URL, same
    # version, so the partner's copy is the same as if it had come once.
    assert [(c.path, c.body) for c in partner.answered] == [
        ("/emsp/locations/NL/TMC/LOC1", document),
        ("/emsp/locations/NL/TMC/LOC1", document),
    ]


def test_a_pull_under_way_when_its_worker_is_killed_is_done_after_restart(
    queue, remote_partner, partner_server, own_parties, tmp_path
):
    documents = [location(f"LOC{n}") for n in range(1, 6)]
    page_size = 2

    def pages(call):
        offset = int(call.query.get("offset", 0))
        headers = {}
        if offset + page_size < len(documents):
            headers["Link"] = (
                f"<{partner_server.url}/cpo/locations?offset={offset + page_size}"
                f'&limit={page_size}>; rel="next"'
            )
        return ocpi_answer(documents[offset : offset + page_size], headers=headers)

    partner = HangingOnce(pages, hangs_on=lambda call: call.query.get("offset") == "2")
    partner_server.answer = partner
    log = tmp_path / "worker.log"

    with worker(queue, log) as first:
        pull_partner_module.delay(remote_partner.pk, "locations")
        wait_until(partner.arrived.is_set, what="the pull to reach its second page")
        kill(first)
    partner.released.set()
    assert Location.objects.count() == 2  # the first page was stored before the worker died

    with worker(queue, log):
        wait_until(
            lambda: SyncState.objects.filter(last_success_at__isnull=False).exists(),
            what="the pull after the restart",
        )

    state = SyncState.objects.get()
    assert state.counts["received"] == 5
    assert sorted(Location.objects.values_list("ocpi_id", flat=True)) == [
        f"LOC{n}" for n in range(1, 6)
    ]
