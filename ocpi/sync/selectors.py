"""Reads of synchronisation: what a partner can be pulled for, the periodic tasks we want, the
recent pushes."""

from django.conf import settings
from django.db.models import QuerySet

from ocpi import registry
from ocpi.endpoints import SENDER
from ocpi.models import Connection
from ocpi.registry import Schedule
from ocpi.sync.models import PushDelivery

PULL_TASK = "ocpi.sync.tasks.pull_partner_module"
PULL_PREFIX = "ocpi-pull:"
PUSH_SWEEP_SECONDS = 60
# The schedules are written again this often, so a partner registered since gets its pulls.
REFRESH_SECONDS = 300
TRAFFIC_PURGE_SECONDS = 24 * 3600


def pulled_modules(*, connection: Connection) -> list[str]:
    """The modules we pull that this partner offers a sender endpoint for, in declared order."""
    return [
        declared.identifier
        for declared in registry.modules_with_objects()
        if connection.endpoint_url(declared.identifier, SENDER)
    ]


def pull_interval(identifier: str) -> int:
    """Seconds between pulls of a module: OCPI_PULL_INTERVALS, else the module's declared ones."""
    declared = registry.module(identifier)
    return settings.OCPI_PULL_INTERVALS.get(identifier, declared.objects.pull_interval)


def pull_schedule_name(connection: Connection, identifier: str) -> str:
    return f"{PULL_PREFIX}{connection.pk}:{identifier}"


def wanted_schedules() -> dict[str, Schedule]:
    """Every periodic task by name: ours, those the modules declare, and one pull per registered
    connection and module it sends."""
    wanted = {
        "ocpi-push-retry": Schedule("ocpi.sync.tasks.retry_pending_pushes", PUSH_SWEEP_SECONDS),
        "ocpi-traffic-purge": Schedule("ocpi.sync.tasks.purge_traffic_log", TRAFFIC_PURGE_SECONDS),
        "ocpi-schedules": Schedule("ocpi.sync.tasks.refresh_schedules", REFRESH_SECONDS),
    }
    for declared in registry.modules():
        wanted.update(declared.schedules)
    registered = Connection.objects.filter(status=Connection.Status.REGISTERED).order_by("pk")
    for connection in registered:
        for identifier in pulled_modules(connection=connection):
            wanted[pull_schedule_name(connection, identifier)] = Schedule(
                PULL_TASK, pull_interval(identifier), args=(connection.pk, identifier)
            )
    return wanted


def recent_push_deliveries(*, connection: Connection, limit: int = 50) -> QuerySet[PushDelivery]:
    """The partner's most recent push deliveries, newest first (for the partner page)."""
    return PushDelivery.objects.filter(connection=connection).order_by("-id")[:limit]
