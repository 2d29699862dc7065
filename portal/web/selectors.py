"""Reads for the portal pages."""

from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet

from ocpi.models import Connection, PartnerCheck, TrafficLog
from ocpi.sync.models import SyncState

TRAFFIC_PAGE_SIZE = 25


def connection_list() -> QuerySet[Connection]:
    """Every partner connection with its parties and the time of its last call."""
    return (
        Connection.objects.prefetch_related("parties")
        .annotate(last_traffic_at=Max("traffic__timestamp"))
        .order_by("name", "id")
    )


def connection_get(*, connection_id: int) -> Connection:
    return Connection.objects.prefetch_related("parties").get(pk=connection_id)


def connection_traffic_page(*, connection: Connection, page_number) -> Page:
    """One page of the connection's traffic log, newest first."""
    entries = TrafficLog.objects.filter(connection=connection).order_by("-timestamp", "-id")
    return Paginator(entries, TRAFFIC_PAGE_SIZE).get_page(page_number)


def connection_warnings(*, connection: Connection, recent: int = 20) -> list[TrafficLog]:
    """The partner's latest calls that needed tolerance (TrafficLog.warnings), to tell it."""
    return list(
        TrafficLog.objects.filter(connection=connection)
        .exclude(warnings=[])
        .order_by("-timestamp", "-id")[:recent]
    )


def connection_sync_states(*, connection: Connection) -> QuerySet[SyncState]:
    """How far each module's pull from this partner got, and how its last run went."""
    return SyncState.objects.filter(connection=connection).order_by("module")


def connection_latest_check(*, connection: Connection) -> PartnerCheck | None:
    """The partner's most recent partner check, queued, running or finished."""
    return (
        PartnerCheck.objects.filter(connection=connection).order_by("-requested_at", "-id").first()
    )


def partner_check_get(*, connection: Connection, check_id: int) -> PartnerCheck:
    return PartnerCheck.objects.get(connection=connection, pk=check_id)
