"""Reads for the portal pages."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, QuerySet

from billing.models import DriverContract, DriverPrice
from ocpi.models import Connection, OwnParty, TrafficLog
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.tokens.models import Token
from ocpi.sync.models import SyncState

TRAFFIC_PAGE_SIZE = 25


@dataclass(frozen=True)
class Dashboard:
    partners_by_status: list[tuple[str, int]]
    own_parties: list[OwnParty]
    recent_traffic: list[TrafficLog]


def dashboard(*, recent: int = 10) -> Dashboard:
    counts = dict(
        Connection.objects.order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return Dashboard(
        partners_by_status=[
            (label, counts.get(value, 0)) for value, label in Connection.Status.choices
        ],
        own_parties=list(OwnParty.objects.all()),
        recent_traffic=list(TrafficLog.objects.select_related("connection")[:recent]),
    )


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


# The driver's pages -------------------------------------------------------------------------


def _contract_ids(user) -> QuerySet:
    return DriverContract.objects.filter(user=user).values("contract_id")


def driver_tokens(*, user) -> QuerySet[Token]:
    """The tokens our eMSP issued under the user's contracts."""
    return Token.objects.filter(source=None, contract_id__in=_contract_ids(user)).order_by(
        "token_type", "ocpi_id"
    )


@dataclass(frozen=True)
class DriverCharge:
    started_at: datetime  # in the location's time zone, as the driver saw the clock
    location: str
    energy_kwh: Decimal
    hours: Decimal
    price: DriverPrice | None  # None until billing has priced the CDR

    @property
    def duration(self) -> str:
        minutes = int(self.hours * 60)
        return f"{minutes // 60} h {minutes % 60:02d} min"


def driver_charges(*, user, limit: int = 50) -> list[DriverCharge]:
    """The user's most recent charging sessions (their CDRs) with what they pay for each."""
    cdrs = (
        Cdr.objects.filter(contract_id__in=_contract_ids(user))
        .select_related("driver_price", "priced")
        .order_by("-start_date_time")[:limit]
    )
    return [_driver_charge(cdr) for cdr in cdrs]


def _driver_charge(cdr: Cdr) -> DriverCharge:
    where = cdr.document.get("cdr_location") or {}
    place = ", ".join(filter(None, (where.get("name"), where.get("address"), where.get("city"))))
    priced = getattr(cdr, "priced", None)
    zone = ZoneInfo(priced.time_zone) if priced is not None and priced.time_zone else None
    return DriverCharge(
        started_at=cdr.start_date_time.astimezone(zone) if zone else cdr.start_date_time,
        location=place or cdr.location_id,
        energy_kwh=cdr.total_energy,
        hours=cdr.total_time,
        price=getattr(cdr, "driver_price", None),
    )
