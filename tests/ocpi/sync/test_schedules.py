"""ocpi_schedules: the beat rows for pulls, push retries and the purge, written idempotently."""

import json
from io import StringIO

from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from ocpi.models import Connection
from portal.celery import app
from tests.support.connections import make_connection
from tests.support.partners import partner_endpoints


def write() -> dict:
    out = StringIO()
    call_command("ocpi_schedules", stdout=out)
    return json.loads(out.getvalue())


def pull_rows() -> dict:
    rows = PeriodicTask.objects.filter(name__startswith="ocpi-pull:")
    return {row.name: (json.loads(row.args), row.interval.every) for row in rows}


def test_every_registered_partner_gets_a_pull_per_module_it_sends(own_parties, settings):
    settings.OCPI_PULL_INTERVALS = {**settings.OCPI_PULL_INTERVALS, "locations": 300}
    cpo_only = make_connection(
        "CPO only",
        "t-cpo",
        [("DE", "ABC", "CPO")],
        endpoints=[{"identifier": "locations", "role": "SENDER", "url": "http://p/locations"}],
    )
    pending = make_connection(
        "Pending", "t-pending", [("BE", "PEN", "CPO")], endpoints=partner_endpoints("http://q")
    )
    pending.status = Connection.Status.PENDING
    pending.save()

    # one pull, the push sweep, the purge, the rewrite, the two expiry sweeps
    assert write()["created"] == 6

    assert pull_rows() == {f"ocpi-pull:{cpo_only.pk}:locations": ([cpo_only.pk, "locations"], 300)}
    sweep = PeriodicTask.objects.get(name="ocpi-push-retry")
    assert sweep.task == "ocpi.sync.tasks.retry_pending_pushes"
    purge = PeriodicTask.objects.get(name="ocpi-traffic-purge")
    assert purge.task == "ocpi.sync.tasks.purge_traffic_log"
    rewrite = PeriodicTask.objects.get(name="ocpi-schedules")
    assert rewrite.task == "ocpi.sync.tasks.refresh_schedules"
    expiry = PeriodicTask.objects.get(name="ocpi-commands-expire")
    assert expiry.task == "ocpi.modules.commands.tasks.commands_expire_task"


def test_writing_again_changes_nothing_then_follows_intervals_and_connections(
    own_parties, settings
):
    full = make_connection(
        "Full", "t-full", [("DE", "ABC", "CPO")], endpoints=partner_endpoints("http://p")
    )
    write()
    assert len(pull_rows()) == 5
    count_before = PeriodicTask.objects.count()

    assert write() == {"created": 0, "updated": 0, "unchanged": 10, "removed": 0}
    assert PeriodicTask.objects.count() == count_before

    settings.OCPI_PULL_INTERVALS = {**settings.OCPI_PULL_INTERVALS, "tariffs": 7200}
    assert write()["updated"] == 1
    assert pull_rows()[f"ocpi-pull:{full.pk}:tariffs"][1] == 7200

    full.status = Connection.Status.CLOSED
    full.save()
    assert write()["removed"] == 5
    assert pull_rows() == {}
    assert PeriodicTask.objects.filter(name="ocpi-push-retry").exists()


def test_a_pull_disabled_by_staff_stays_disabled(own_parties):
    full = make_connection(
        "Full", "t-full", [("DE", "ABC", "CPO")], endpoints=partner_endpoints("http://p")
    )
    write()
    PeriodicTask.objects.filter(name=f"ocpi-pull:{full.pk}:sessions").update(enabled=False)

    write()

    assert not PeriodicTask.objects.get(name=f"ocpi-pull:{full.pk}:sessions").enabled


def test_every_scheduled_task_name_is_a_registered_celery_task(own_parties):
    make_connection(
        "Full", "t-full", [("DE", "ABC", "CPO")], endpoints=partner_endpoints("http://p")
    )
    write()

    app.loader.import_default_modules()
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert names <= set(app.tasks)
