"""The periodic tasks Celery beat runs, written as django-celery-beat rows.

One pull per registered connection and module it offers a sender endpoint for, every
OCPI_PULL_INTERVALS[module] seconds, named `ocpi-pull:<connection id>:<module>`; plus the sweep
that retries pending push deliveries, the traffic-log purge, the expiry sweeps of commands and
charging-profile requests, and a periodic rewrite of these schedules. Writing them again changes
only what differs; a pull of a connection no longer registered is removed. A task staff disabled
in the admin stays disabled.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ocpi.models import Connection
from ocpi.sync.pull import pulled_modules

PULL_TASK = "ocpi.sync.tasks.pull_partner_module"
PULL_PREFIX = "ocpi-pull:"
PUSH_SWEEP_SECONDS = 60
# The schedules are written again this often, so a partner registered since gets its pulls.
REFRESH_SECONDS = 300
TRAFFIC_PURGE_SECONDS = 24 * 3600
EXPIRY_SWEEP_SECONDS = 60
# Invoice runs are started when their period is over; looking every hour resumes one stopped.
INVOICE_RUNS_SECONDS = 3600


@dataclass(frozen=True)
class Schedule:
    task: str
    args: list
    every_seconds: int


def pull_schedule_name(connection: Connection, module: str) -> str:
    return f"{PULL_PREFIX}{connection.pk}:{module}"


def wanted_schedules() -> dict[str, Schedule]:
    wanted = {
        "ocpi-push-retry": Schedule("ocpi.sync.tasks.retry_pending_pushes", [], PUSH_SWEEP_SECONDS),
        "ocpi-traffic-purge": Schedule(
            "ocpi.sync.tasks.purge_traffic_log", [], TRAFFIC_PURGE_SECONDS
        ),
        "ocpi-schedules": Schedule("ocpi.sync.tasks.refresh_schedules", [], REFRESH_SECONDS),
        # Commands and charging-profile requests whose result never came are marked TIMEOUT.
        "ocpi-commands-expire": Schedule(
            "ocpi.modules.commands.tasks.commands_expire_task", [], EXPIRY_SWEEP_SECONDS
        ),
        "ocpi-chargingprofiles-expire": Schedule(
            "ocpi.modules.chargingprofiles.tasks.charging_profile_requests_expire_task",
            [],
            EXPIRY_SWEEP_SECONDS,
        ),
        "billing-invoice-runs": Schedule(
            "billing.invoices.tasks.invoice_runs_due_task", [], INVOICE_RUNS_SECONDS
        ),
    }
    registered = Connection.objects.filter(status=Connection.Status.REGISTERED).order_by("pk")
    for connection in registered:
        for module in pulled_modules(connection):
            wanted[pull_schedule_name(connection, module)] = Schedule(
                PULL_TASK, [connection.pk, module], settings.OCPI_PULL_INTERVALS[module]
            )
    return wanted


@transaction.atomic
def write_schedules() -> dict:
    """Create, update and remove the periodic tasks; returns how many of each."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    wanted = wanted_schedules()
    for name, schedule in wanted.items():
        fields = {
            "task": schedule.task,
            "args": json.dumps(schedule.args),
            "interval": _interval(schedule.every_seconds),
        }
        existing = PeriodicTask.objects.filter(name=name).first()
        if existing is None:
            PeriodicTask.objects.create(name=name, **fields)
            counts["created"] += 1
        elif any(getattr(existing, field) != value for field, value in fields.items()):
            for field, value in fields.items():
                setattr(existing, field, value)
            existing.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    stale = PeriodicTask.objects.filter(name__startswith=PULL_PREFIX).exclude(name__in=wanted)
    for task in stale:
        task.delete()
        counts["removed"] += 1
    return counts


def _interval(seconds: int) -> IntervalSchedule:
    interval = IntervalSchedule.objects.filter(every=seconds, period=IntervalSchedule.SECONDS)
    return interval.order_by("pk").first() or IntervalSchedule.objects.create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
