"""Reads of the staff back office. Each page is a fixed number of queries, whatever the data."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from billing.invoices.models import Document, InvoiceRun
from billing.invoices.selectors import invoice_run_summary
from billing.models import DriverContract, PricedCdr
from billing.reports import local_period
from ocpi.models import Connection, TrafficLog
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tokens.models import Token
from ocpi.sync.models import PushDelivery, SyncState
from portal.staff.wording import partner_error_in_words

PAGE_SIZE = 50
ZERO = Decimal(0)
OWN = "own"


def month_start(today: date | None = None) -> date:
    """The first day of the current month: the dashboard's period, on each location's clock."""
    return (today or timezone.now().date()).replace(day=1)


# The dashboard --------------------------------------------------------------------------------


@dataclass
class MonthFigures:
    verdicts: dict[str, int] = field(default_factory=dict)
    # Per currency: CDR count, kWh, revenue excl. VAT and the partner's amount above ours.
    energy_kwh: Decimal = ZERO
    revenue: dict[str, Decimal] = field(default_factory=dict)
    disputed: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class SyncRow:
    module: str
    pull: SyncState | None
    last_push: datetime | None


@dataclass
class PartnerHealth:
    key: str  # the connection id, or "own"
    name: str
    connection: Connection | None
    pulls: list[SyncState] = field(default_factory=list)
    last_push: dict[str, datetime] = field(default_factory=dict)
    failing_deliveries: int = 0
    last_error: str = ""  # in words
    month: MonthFigures = field(default_factory=MonthFigures)

    @property
    def sync_rows(self) -> list[SyncRow]:
        """Per module we pull or push: the last successful pull and the last delivered push."""
        pulls = {state.module: state for state in self.pulls}
        modules = sorted(set(pulls) | set(self.last_push))
        return [
            SyncRow(module, pulls.get(module), self.last_push.get(module)) for module in modules
        ]


def dashboard(*, since: date | None = None) -> list[PartnerHealth]:
    """Per partner (and our own parties): sync health and this month's CDR figures."""
    since = since or month_start()
    last_failure = PushDelivery.objects.filter(
        connection=OuterRef("pk"), status=PushDelivery.Status.FAILED
    ).order_by("-id")
    connections = Connection.objects.exclude(status=Connection.Status.CLOSED).annotate(
        failing=Count(
            "push_deliveries", filter=Q(push_deliveries__status=PushDelivery.Status.FAILED)
        ),
        last_push_error=Subquery(last_failure.values("last_error")[:1]),
    )
    rows = {OWN: PartnerHealth(key=OWN, name="Our own parties", connection=None)}
    for connection in connections.order_by("name", "id"):
        rows[str(connection.pk)] = PartnerHealth(
            key=str(connection.pk),
            name=connection.name,
            connection=connection,
            failing_deliveries=connection.failing,
            last_error=partner_error_in_words(connection.last_push_error or ""),
        )
    for state in SyncState.objects.filter(connection__in=connections).order_by("module"):
        row = rows.get(str(state.connection_id))
        if row is None:
            continue
        row.pulls.append(state)
        if state.last_error:
            row.last_error = partner_error_in_words(state.last_error)
    pushed = (
        PushDelivery.objects.filter(status=PushDelivery.Status.DELIVERED)
        .order_by()
        .values("connection_id", "module")
        .annotate(at=Max("delivered_at"))
    )
    for item in pushed:
        if row := rows.get(str(item["connection_id"])):
            row.last_push[item["module"]] = item["at"]
    figures = (
        local_period(Cdr.objects.all(), first=since, last=None)
        .order_by()
        .values("source_id", "priced__verdict", "currency")
        .annotate(
            n=Count("id"),
            energy=Sum("total_energy"),
            revenue=Sum("total_cost_excl_vat"),
            disputed=Sum("priced__difference_excl_vat"),
        )
    )
    for item in figures:
        row = rows.get(str(item["source_id"]) if item["source_id"] else OWN)
        if row is None:
            continue
        month = row.month
        verdict = item["priced__verdict"] or "UNPRICED"
        month.verdicts[verdict] = month.verdicts.get(verdict, 0) + item["n"]
        month.energy_kwh += item["energy"] or ZERO
        currency = item["currency"]
        month.revenue[currency] = month.revenue.get(currency, ZERO) + (item["revenue"] or ZERO)
        if verdict == PricedCdr.Verdict.MISMATCH:
            month.disputed[currency] = month.disputed.get(currency, ZERO) + (
                item["disputed"] or ZERO
            )
    return list(rows.values())


# CDRs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CdrFilters:
    party: str = ""  # a connection id, "own", or "" for all
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    verdict: str = ""
    contract: str = ""
    location: str = ""


def cdr_list(*, filters: CdrFilters) -> QuerySet[Cdr]:
    cdrs = Cdr.objects.select_related("priced", "source", "dispute").order_by(
        "-start_date_time", "-id"
    )
    if filters.party == OWN:
        cdrs = cdrs.filter(source=None)
    elif filters.party.isdigit():
        cdrs = cdrs.filter(source_id=int(filters.party))
    cdrs = local_period(cdrs, first=filters.date_from, last=filters.date_to)
    if filters.verdict == "UNPRICED":
        cdrs = cdrs.filter(priced=None)
    elif filters.verdict:
        cdrs = cdrs.filter(priced__verdict=filters.verdict)
    if filters.contract:
        cdrs = cdrs.filter(contract_id=filters.contract.strip().upper())
    if filters.location:
        cdrs = cdrs.filter(location_id=filters.location.strip().upper())
    return cdrs


def paginate(queryset, page_number, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(page_number)


def cdr_get(*, cdr_id: int) -> Cdr:
    return Cdr.objects.select_related(
        "priced", "driver_price", "source", "dispute", "dispute__decided_by"
    ).get(pk=cdr_id)


@dataclass(frozen=True)
class BreakdownLine:
    period: int
    starts_at: datetime | None
    dimension: str
    tariff_id: str | None
    price: Decimal
    step_size: int
    volume: Decimal
    unit: str  # kWh, h or session
    excl_vat: Decimal
    incl_vat: Decimal
    step_rounding: bool


UNITS = {"ENERGY": "kWh", "TIME": "h", "PARKING_TIME": "h", "RESERVATION_TIME": "h"}


def cdr_breakdown(*, cdr: Cdr, priced: PricedCdr | None) -> list[BreakdownLine]:
    """The engine's charges, each with the start of its charging period."""
    if priced is None:
        return []
    periods = cdr.document.get("charging_periods") or []
    lines = []
    for charge in priced.breakdown:
        index = charge.get("period")
        starts = None
        if isinstance(index, int) and 0 <= index < len(periods):
            starts = _parse_time(periods[index].get("start_date_time"))
        cost = charge.get("cost") or {}
        lines.append(
            BreakdownLine(
                period=(index + 1) if isinstance(index, int) else 0,
                starts_at=starts,
                dimension=charge.get("dimension", ""),
                tariff_id=charge.get("tariff_id"),
                price=Decimal(str(charge.get("price", 0))),
                step_size=charge.get("step_size") or 1,
                volume=Decimal(str(charge.get("volume", 0))),
                unit=UNITS.get(charge.get("dimension"), "session"),
                excl_vat=Decimal(str(cost.get("excl_vat", 0))),
                incl_vat=Decimal(str(cost.get("incl_vat", 0))),
                step_rounding=bool(charge.get("step_rounding")),
            )
        )
    return lines


def _parse_time(value) -> datetime | None:
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def partner_choices() -> list[tuple[str, str]]:
    return [(OWN, "Our own parties")] + [
        (str(pk), name)
        for pk, name in Connection.objects.order_by("name").values_list("pk", "name")
    ]


# Sessions, locations, tariffs -----------------------------------------------------------------


def active_sessions() -> QuerySet[Session]:
    return Session.objects.filter(status=Session.Status.ACTIVE).order_by("-start_date_time")


def location_search(*, text: str = "") -> QuerySet[Location]:
    """Locations whose name, city, id or one of whose EVSE ids contains the text."""
    locations = Location.objects.order_by("country_code", "party_id", "ocpi_id")
    text = text.strip()
    if text:
        locations = locations.filter(
            Q(document__name__icontains=text)
            | Q(document__city__icontains=text)
            | Q(ocpi_id__icontains=text)
            | Q(document__evses__icontains=text)
        )
    return locations


def tariff_list() -> QuerySet[Tariff]:
    return Tariff.objects.annotate(version_count=Count("versions")).order_by(
        "country_code", "party_id", "ocpi_id"
    )


# Drivers and contracts ------------------------------------------------------------------------


def contract_list(*, text: str = "") -> QuerySet[DriverContract]:
    contracts = DriverContract.objects.select_related("user").order_by("contract_id")
    text = text.strip()
    if text:
        contracts = contracts.filter(
            Q(contract_id__icontains=text)
            | Q(name__icontains=text)
            | Q(user__username__icontains=text)
            | Q(user__email__icontains=text)
        )
    return contracts


def contract_tokens(*, contract: DriverContract) -> QuerySet[Token]:
    """Our eMSP's tokens issued under the contract."""
    return Token.objects.filter(source=None, contract_id=contract.contract_id).order_by(
        "token_type", "ocpi_id"
    )


# Traffic log ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrafficFilters:
    partner: str = ""
    module: str = ""
    status: str = ""  # "ok", "error" or an HTTP status
    request_id: str = ""
    text: str = ""


def traffic_search(*, filters: TrafficFilters) -> QuerySet[TrafficLog]:
    entries = TrafficLog.objects.select_related("connection").order_by("-timestamp", "-id")
    if filters.partner.isdigit():
        entries = entries.filter(connection_id=int(filters.partner))
    if filters.module:
        entries = entries.filter(url__icontains=f"/{filters.module.strip('/')}")
    if filters.status == "ok":
        entries = entries.filter(http_status__gte=200, http_status__lt=300, error="")
    elif filters.status == "error":
        entries = entries.filter(Q(http_status__gte=400) | Q(http_status=None) | ~Q(error=""))
    elif filters.status.isdigit():
        entries = entries.filter(http_status=int(filters.status))
    if filters.request_id:
        wanted = filters.request_id.strip()
        entries = entries.filter(Q(request_id=wanted) | Q(correlation_id=wanted))
    if filters.text:
        text = filters.text.strip()
        entries = entries.filter(
            Q(url__icontains=text)
            | Q(error__icontains=text)
            | Q(request_body__icontains=text)
            | Q(response_body__icontains=text)
        )
    return entries


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    status: str = ""
    period_from: date | None = None
    period_to: date | None = None
    account: str = ""
    number: str = ""


def document_list(*, filters: DocumentFilters) -> QuerySet:
    """Invoices, credit notes and statements, newest first, narrowed by the filters; the
    account filter matches the account's name, contract id or party code."""
    documents = Document.objects.select_related("account", "corrects", "file").order_by(
        "-issued_at", "-pk"
    )
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.period_from:
        documents = documents.filter(period_end__gte=filters.period_from)
    if filters.period_to:
        documents = documents.filter(period_start__lte=filters.period_to)
    if filters.account:
        term = filters.account.strip()
        party = term.upper().replace("*", "-").split("-")
        by_party = Q(account__country_code=party[0], account__party_id=party[-1])
        documents = documents.filter(
            Q(account__name__icontains=term)
            | Q(account__contract__contract_id__iexact=term)
            | (by_party if len(party) == 2 else Q(pk__in=[]))
        )
    if filters.number:
        documents = documents.filter(number__icontains=filters.number.strip())
    return documents


def document_get(*, document_id: int):
    return Document.objects.select_related(
        "account__contract", "issuer", "corrects", "file", "run_item__run"
    ).get(pk=document_id)


def document_tax_summary(*, document) -> list[dict]:
    """Taxable amount and VAT per category and rate, from the lines (a draft has no snapshot)."""
    rows = (
        document.lines.values("tax_category", "tax_rate")
        .annotate(taxable=Sum("net"), tax=Sum("tax"))
        .order_by("tax_category", "tax_rate")
    )
    return list(rows)


def invoice_runs() -> list[dict]:
    """Every run with its progress (see billing.invoices.selectors.invoice_run_summary)."""
    runs = InvoiceRun.objects.order_by("-started_at")[:PAGE_SIZE]
    return [{**invoice_run_summary(run=run), "run": run} for run in runs]
