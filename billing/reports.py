"""Energy and revenue reports: CDRs aggregated in SQL per month, location, partner or driver.

A CDR counts in the month of its start on the charging location's clock (the zone billing priced
it in; UTC when it was never priced). On PostgreSQL the month is computed with AT TIME ZONE per
row; SQLite (`make run`) has no time zones and groups by the UTC month.

Revenue is what the CDRs bill: their `total_cost` excl. VAT, per currency (credit CDRs count
negative as they are sent). Every report is a fixed number of queries, however many CDRs.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, Func, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from billing.models import DriverContract
from ocpi.models import Connection
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location

ZERO = Decimal(0)
BY_MONTH = "month"
BY_LOCATION = "location"
BY_PARTNER = "partner"
BY_DRIVER = "driver"
DIMENSIONS = (BY_MONTH, BY_LOCATION, BY_PARTNER, BY_DRIVER)
OWN = "own"  # the partner key of our own parties' CDRs


class LocalDateText(Func):
    """A UTC timestamp as text on the clock of a per-row IANA zone name: 'YYYY-MM' or
    'YYYY-MM-DD', which sort and compare as the dates do."""

    output_field = CharField()
    arity = 2
    postgresql_format = "YYYY-MM-DD"
    sqlite_format = "%%Y-%%m-%%d"

    def as_postgresql(self, compiler, connection, **extra):
        (moment, moment_params), (zone, zone_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            f"to_char(({moment}) AT TIME ZONE COALESCE(NULLIF({zone}, ''), 'UTC'), "
            f"'{self.postgresql_format}')"
        )
        return sql, (*moment_params, *zone_params)

    def as_sql(self, compiler, connection, **extra):
        moment, moment_params = compiler.compile(self.get_source_expressions()[0])
        return f"strftime('{self.sqlite_format}', {moment})", tuple(moment_params)


class LocalMonth(LocalDateText):
    postgresql_format = "YYYY-MM"
    sqlite_format = "%%Y-%%m"


# No clock is further than this from UTC: a prefilter on the indexed UTC start that keeps every
# CDR whose local date or month can match.
MAX_UTC_OFFSET = timedelta(hours=14)


def _zone():
    """The zone billing priced the CDR in (its location's); empty when it was never priced."""
    return Coalesce("priced__time_zone", Value(""))


def cdrs_with_local_month() -> QuerySet[Cdr]:
    return Cdr.objects.annotate(local_month=LocalMonth("start_date_time", _zone()))


def local_period(cdrs: QuerySet[Cdr], *, first: date | None, last: date | None) -> QuerySet[Cdr]:
    """The CDRs that started from `first` to `last` (inclusive) on their location's clock."""
    if not first and not last:
        return cdrs
    cdrs = cdrs.annotate(local_day=LocalDateText("start_date_time", _zone()))
    if first:
        earliest = datetime.combine(first, time.min, tzinfo=UTC) - MAX_UTC_OFFSET
        cdrs = cdrs.filter(start_date_time__gte=earliest, local_day__gte=first.isoformat())
    if last:
        latest = datetime.combine(last, time.max, tzinfo=UTC) + MAX_UTC_OFFSET
        cdrs = cdrs.filter(start_date_time__lte=latest, local_day__lte=last.isoformat())
    return cdrs


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    currency: str
    sessions: int
    energy_kwh: Decimal
    revenue: Decimal  # excl. VAT


@dataclass(frozen=True)
class Total:
    currency: str
    sessions: int
    energy_kwh: Decimal
    revenue: Decimal


@dataclass(frozen=True)
class Report:
    dimension: str
    month_from: str | None
    month_to: str | None
    rows: list[ReportRow]
    totals: list[Total] = field(default_factory=list)


GROUP_FIELDS = {
    BY_MONTH: ("local_month",),
    BY_LOCATION: ("country_code", "party_id", "location_id"),
    BY_PARTNER: ("source_id",),
    BY_DRIVER: ("contract_id",),
}


def energy_revenue_report(
    *, by: str, month_from: str | None = None, month_to: str | None = None
) -> Report:
    """One row per group and currency, ordered by month or by revenue; two queries at most."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown report dimension {by!r}")
    cdrs = cdrs_with_local_month()
    if month_from:
        cdrs = cdrs.filter(local_month__gte=month_from)
    if month_to:
        cdrs = cdrs.filter(local_month__lte=month_to)
    fields = GROUP_FIELDS[by]
    grouped = (
        cdrs.order_by()
        .values(*fields, "currency")
        .annotate(
            sessions=Count("id"),
            energy=Sum("total_energy"),
            revenue=Sum("total_cost_excl_vat"),
        )
    )
    raw = list(grouped)
    labels = _labels(by, raw)
    rows = [
        ReportRow(
            key=_key(by, item),
            label=labels.get(_key(by, item)) or _default_label(by, item),
            currency=item["currency"],
            sessions=item["sessions"],
            energy_kwh=item["energy"] or ZERO,
            revenue=item["revenue"] or ZERO,
        )
        for item in raw
    ]
    if by == BY_MONTH:
        rows.sort(key=lambda row: (row.key, row.currency))
    else:
        rows.sort(key=lambda row: (-row.energy_kwh, row.label, row.currency))
    return Report(by, month_from, month_to, rows, report_totals(rows))


def report_totals(rows: list[ReportRow]) -> list[Total]:
    """Per currency: the sums of the rows, as the page and the CSV both show them."""
    sums: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO])
    for row in rows:
        total = sums[row.currency]
        total[0] += row.sessions
        total[1] += row.energy_kwh
        total[2] += row.revenue
    return [Total(currency, *values) for currency, values in sorted(sums.items())]


def _key(by: str, item: dict) -> str:
    if by == BY_PARTNER:
        return str(item["source_id"]) if item["source_id"] else OWN
    return "/".join(str(item[name]) for name in GROUP_FIELDS[by])


def _default_label(by: str, item: dict) -> str:
    """The label of a group whose location, partner or contract is not stored here."""
    if by == BY_LOCATION:
        return f"{item['location_id']} ({item['country_code']}-{item['party_id']})"
    return _key(by, item)


def _labels(by: str, raw: list[dict]) -> dict[str, str]:
    """Readable names for the keys: one query for the whole report."""
    if by == BY_LOCATION:
        ids = {item["location_id"] for item in raw}
        names = Location.objects.filter(ocpi_id__in=ids).values_list(
            "country_code", "party_id", "ocpi_id", "document__name"
        )
        return {f"{cc}/{pid}/{oid}": name or oid for cc, pid, oid, name in names}
    if by == BY_PARTNER:
        ids = {item["source_id"] for item in raw if item["source_id"]}
        labels = {
            str(pk): name
            for pk, name in Connection.objects.filter(pk__in=ids).values_list("pk", "name")
        }
        return {**labels, OWN: "Our own parties"}
    if by == BY_DRIVER:
        ids = {item["contract_id"] for item in raw}
        contracts = DriverContract.objects.filter(contract_id__in=ids).values_list(
            "contract_id", "name"
        )
        return {contract_id: f"{name} ({contract_id})" for contract_id, name in contracts}
    return {}
