"""The periodic tasks Celery beat runs, written as django-celery-beat rows.

One pull per registered connection and module it offers a sender endpoint for, every
OCPI_PULL_INTERVALS[module] seconds (else the module's declared interval), named
`ocpi-pull:<connection id>:<module>`; plus the sweep that retries pending push deliveries, the
traffic-log purge, the periodic tasks the modules declare, and a periodic rewrite of these
schedules. Writing them again changes only what differs; a pull of a connection no longer
registered is removed. A task staff disabled in the admin stays disabled.
"""

import json

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from ocpi.sync.selectors import PULL_PREFIX, wanted_schedules


@transaction.atomic
def schedules_write() -> dict:
    """Create, update and remove the periodic tasks; returns how many of each."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    wanted = wanted_schedules()
    for name, schedule in wanted.items():
        fields = {
            "task": schedule.task,
            "args": json.dumps(list(schedule.args)),
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
