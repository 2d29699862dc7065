"""Reads of the driver space. Every read starts from the driver's own contracts, so another
driver's CDR or token is simply not found (the views answer 404).

A session belongs to the month of its start on the charging location's clock, as in the staff
reports (billing.reports.LocalMonth); the sums are computed by PostgreSQL.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from billing.invoices.models import BillingAccount
from billing.models import DriverContract, DriverPrice, PricedCdr
from billing.reports import cdrs_with_local_month, local_period
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.tokens.models import Token
from portal.staff.selectors import BreakdownLine, cdr_breakdown

ZERO = Decimal(0)
RECENT_MONTHS = 12


def _contract_ids(user) -> QuerySet:
    return DriverContract.objects.filter(user=user).values("contract_id")


def driver_cdrs(*, user) -> QuerySet[Cdr]:
    """The driver's CDRs, each with `local_month` ('YYYY-MM' on the location's clock)."""
    return cdrs_with_local_month().filter(contract_id__in=_contract_ids(user))


def _month_days(month: str) -> tuple[date, date]:
    """The first and last day of 'YYYY-MM'."""
    first = date(int(month[:4]), int(month[5:7]), 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def driver_month_sessions(*, user, month: str) -> list[Cdr]:
    """The sessions of one local month ('YYYY-MM'), newest first, with price and time zone."""
    first, last = _month_days(month)
    return list(
        local_period(driver_cdrs(user=user), first=first, last=last)
        .select_related("driver_price", "priced")
        .order_by("-start_date_time", "-id")
    )


def driver_cdr_get(*, user, cdr_id: int) -> Cdr:
    """One of the driver's CDRs; Cdr.DoesNotExist for anyone else's."""
    return (
        Cdr.objects.filter(contract_id__in=_contract_ids(user))
        .select_related("driver_price", "priced")
        .get(pk=cdr_id)
    )


# Totals per month and per location ------------------------------------------------------------


@dataclass(frozen=True)
class UsageRow:
    key: str  # 'YYYY-MM' or the location id
    label: str
    currency: str
    sessions: int
    energy_kwh: Decimal
    excl_vat: Decimal  # what the driver pays, summed over the priced sessions
    incl_vat: Decimal
    unpriced: int  # sessions without a driver price yet

    @property
    def vat(self) -> Decimal:
        return self.incl_vat - self.excl_vat


def _usage(cdrs: QuerySet, *group: str, **labels) -> list[dict]:
    return list(
        cdrs.order_by()
        .values(*group, row_currency=Coalesce("driver_price__currency", "currency"))
        .annotate(
            sessions=Count("id"),
            energy=Sum("total_energy"),
            excl=Sum("driver_price__excl_vat"),
            incl=Sum("driver_price__incl_vat"),
            priced=Count("driver_price"),
            **labels,
        )
    )


def _row(key: str, label: str, item: dict) -> UsageRow:
    return UsageRow(
        key=key,
        label=label,
        currency=item["row_currency"],
        sessions=item["sessions"],
        energy_kwh=item["energy"] or ZERO,
        excl_vat=item["excl"] or ZERO,
        incl_vat=item["incl"] or ZERO,
        unpriced=item["sessions"] - item["priced"],
    )


def _year(cdrs: QuerySet, year: int | None) -> QuerySet:
    if year is None:
        return cdrs
    return local_period(cdrs, first=date(year, 1, 1), last=date(year, 12, 31))


def driver_usage_by_month(*, user, year: int | None = None) -> list[UsageRow]:
    """One row per local month and currency, oldest first; a year's, or every month's."""
    raw = _usage(_year(driver_cdrs(user=user), year), "local_month")
    rows = [_row(item["local_month"], item["local_month"], item) for item in raw]
    return sorted(rows, key=lambda row: (row.key, row.currency))


def driver_usage_by_location(*, user, year: int | None = None) -> list[UsageRow]:
    """One row per charging location and currency, most energy first."""
    raw = _usage(
        _year(driver_cdrs(user=user), year),
        "country_code",
        "party_id",
        "location_id",
        name=Max(KT("document__cdr_location__name")),
        address=Max(KT("document__cdr_location__address")),
        city=Max(KT("document__cdr_location__city")),
    )
    rows = [
        _row(
            item["location_id"],
            ", ".join(filter(None, (item["name"], item["address"], item["city"])))
            or item["location_id"],
            item,
        )
        for item in raw
    ]
    return sorted(rows, key=lambda row: (-row.energy_kwh, row.label, row.currency))


def usage_totals(rows: list[UsageRow]) -> list[UsageRow]:
    """Per currency: the sum of the rows, as the page and the CSV both show it."""
    totals: dict[str, UsageRow] = {}
    for row in rows:
        before = totals.get(row.currency)
        if before is None:
            totals[row.currency] = UsageRow("", "", row.currency, 0, ZERO, ZERO, ZERO, 0)
            before = totals[row.currency]
        totals[row.currency] = UsageRow(
            key="",
            label="",
            currency=row.currency,
            sessions=before.sessions + row.sessions,
            energy_kwh=before.energy_kwh + row.energy_kwh,
            excl_vat=before.excl_vat + row.excl_vat,
            incl_vat=before.incl_vat + row.incl_vat,
            unpriced=before.unpriced + row.unpriced,
        )
    return [totals[currency] for currency in sorted(totals)]


def driver_years(*, user) -> list[int]:
    """The years the driver charged in, newest first."""
    months = driver_cdrs(user=user).order_by().values_list("local_month", flat=True).distinct()
    return sorted({int(month[:4]) for month in months}, reverse=True)


# One session's receipt ------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    cdr: Cdr
    zone: str  # the charging location's time zone, UTC when unknown
    place_name: str
    place_address: str
    price: DriverPrice | None  # None until billing has priced it for the driver
    station_lines: list[BreakdownLine]  # the operator's price, charge by charge, excl. VAT
    station_total: Decimal | None  # the operator's cost excl. VAT our price starts from
    service_fee: Decimal | None  # our markup and session fee, excl. VAT

    @property
    def vat(self) -> Decimal | None:
        return None if self.price is None else self.price.incl_vat - self.price.excl_vat


def driver_receipt(*, cdr: Cdr) -> Receipt:
    """Where and when the session was, and the components that made its price."""
    priced: PricedCdr | None = getattr(cdr, "priced", None)
    price: DriverPrice | None = getattr(cdr, "driver_price", None)
    where = cdr.document.get("cdr_location") or {}
    address = ", ".join(
        filter(
            None,
            (
                where.get("address"),
                " ".join(filter(None, (where.get("postal_code"), where.get("city")))),
            ),
        )
    )
    station_total = service_fee = None
    if price is not None and price.method == DriverContract.Method.MARKUP:
        # billing.cdr_pricing.pricer: the markup applies to our verified cost when we could
        # price the CDR, else to the operator's claim; a credit gives the same amounts back.
        cost = priced.total_cost_excl_vat if priced is not None else None
        if cost is None:
            cost = cdr.total_cost_excl_vat
        station_total = -abs(cost) if price.excl_vat < 0 else abs(cost)
        service_fee = price.excl_vat - station_total
    return Receipt(
        cdr=cdr,
        zone=(priced.time_zone if priced is not None else "") or "UTC",
        place_name=where.get("name") or "",
        place_address=address,
        price=price,
        station_lines=cdr_breakdown(cdr=cdr, priced=priced) if station_total is not None else [],
        station_total=station_total,
        service_fee=service_fee,
    )


# Cards, apps and the profile ------------------------------------------------------------------


def driver_tokens(*, user) -> QuerySet[Token]:
    """The cards and apps our eMSP issued under the driver's contracts."""
    return Token.objects.filter(source=None, contract_id__in=_contract_ids(user)).order_by(
        "token_type", "ocpi_id"
    )


def driver_token_get(*, user, token_id: int) -> Token:
    """One of the driver's tokens; Token.DoesNotExist for anyone else's."""
    return driver_tokens(user=user).get(pk=token_id)


def driver_contracts(*, user) -> QuerySet[DriverContract]:
    return DriverContract.objects.filter(user=user)


def driver_billing_accounts(*, user) -> QuerySet[BillingAccount]:
    """The billing accounts of the driver's contracts, the first one first."""
    return BillingAccount.objects.filter(contract__user=user).order_by("pk")


def driver_billing_details(*, user) -> BillingAccount:
    """The driver's billing details: their first contract's account; until there is one, an
    unsaved account with the login's name and e-mail address."""
    account = driver_billing_accounts(user=user).first()
    return account or BillingAccount(name=user.get_full_name(), email=user.email)


def saved_language(*, user) -> str | None:
    return driver_billing_accounts(user=user).values_list("language", flat=True).first()
