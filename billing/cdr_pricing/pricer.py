"""Pricing stored CDRs, one batch at a time.

A `CdrPricer` remembers what CDRs share across batches (stored locations, tariff histories,
compiled tariffs, driver contracts) and loads what a batch lacks with one query per kind, so
pricing a CDR costs no query of its own. One CDR (on commit) is a batch of one.

It produces rows (column -> value) of `PricedCdr` and `DriverPrice`, which `bulk.upsert` writes.
"""

import bisect
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from operator import itemgetter

from django.utils import timezone

from billing import selectors
from billing.cdr_pricing.driver import DriverQuote, markup_quote, tariff_quote
from billing.cdr_pricing.verdict import compare, price_of
from billing.models import DriverContract, PricedCdr
from billing.money import COST_TOTALS, round_ocpi
from billing.pricing import DEFAULT_OPTIONS, PricingOptions, Tariff, compile_tariff, price_cdr
from billing.selectors import CdrInput, ObjectKey
from ocpi.modules.locations.selectors import find_connector, find_evse
from ocpi.timestamps import TimestampError, parse_timestamp

VOLUME_TOTALS = ("total_energy", "total_time", "total_parking_time")
Row = dict[str, object]


@dataclass
class TariffChoice:
    """The tariffs a CDR is priced with, and where they came from."""

    source: str
    documents: list[dict] = field(default_factory=list)
    # Why there are none, when there are none.
    problem: str = ""
    # The documents are objects the pricer holds for its whole run (stored versions, contract
    # tariffs): each is compiled once and found again by identity. A CDR's own tariffs are
    # copies per CDR, found again by content.
    held: bool = False


class UnpriceableCdr(ValueError):
    """A CDR our engine cannot price; the message says why."""


def _key(country_code: str, party_id: str, object_id) -> ObjectKey:
    return (country_code.upper(), party_id.upper(), str(object_id).upper())


def _version_at(history: list[tuple[datetime, dict]], at: datetime | None) -> dict:
    """The version valid at `at`: the newest received at or before it, else the oldest
    (the rule of ocpi.modules.tariffs.selectors.tariff_versions_at, over a loaded history)."""
    if at is None:
        return history[-1][1]
    index = bisect.bisect_right(history, at, key=itemgetter(0))
    return history[max(index - 1, 0)][1]


def _tariff_reference(document: dict) -> dict:
    """Which tariff version priced a CDR, as the priced CDR records it."""
    return {name: document.get(name) for name in ("country_code", "party_id", "id", "last_updated")}


def _period_tariff_ids(document: dict) -> list[str]:
    ids = []
    for period in document.get("charging_periods") or []:
        tariff_id = period.get("tariff_id") if isinstance(period, dict) else None
        if tariff_id and tariff_id not in ids:
            ids.append(tariff_id)
    return ids


def _connector_tariff_ids(location: dict, cdr_location: dict) -> list[str]:
    """The tariff ids of the stored connector the CDR's location names; empty if unknown."""
    evse = find_evse(location, str(cdr_location.get("evse_uid") or ""))
    connector = find_connector(evse, str(cdr_location.get("connector_id") or "")) if evse else None
    return list((connector or {}).get("tariff_ids") or [])


def _contract_id(document: dict) -> str:
    return str((document.get("cdr_token") or {}).get("contract_id") or "").upper()


def cdr_tariffs(*, cdr: dict) -> list[dict]:
    """The tariff documents that price a CDR document, stored or about to be: the one rule
    (`CdrPricer.choose_tariffs`) that pricing applies, for one CDR."""
    pricer = CdrPricer()
    one = CdrInput(None, str(cdr.get("country_code", "")), str(cdr.get("party_id", "")), cdr)
    pricer.load([one])
    return pricer.choose_tariffs(one).documents


class CdrPricer:
    def __init__(self, *, options: PricingOptions = DEFAULT_OPTIONS):
        self.options = options
        self.options_json = asdict(options)
        # Stored location (time zone, document) by key; None when not stored.
        self._locations: dict[ObjectKey, tuple[str, dict] | None] = {}
        self._tariff_histories: dict[ObjectKey, list[tuple[datetime, dict]]] = {}
        self._compiled: dict[int | str, Tariff] = {}
        self._contracts: dict[str, DriverContract | None] = {}

    # -- what a batch needs, loaded once ------------------------------------------------------

    def load(self, cdrs: list[CdrInput]) -> None:
        location_keys = set()
        for cdr in cdrs:
            location_id = (cdr.document.get("cdr_location") or {}).get("id")
            if location_id:
                location_keys.add(_key(cdr.country_code, cdr.party_id, location_id))
        missing = location_keys - self._locations.keys()
        found = selectors.location_documents(keys=missing)
        self._locations.update({key: found.get(key) for key in missing})

        tariff_keys = {
            _key(cdr.country_code, cdr.party_id, tariff_id)
            for cdr in cdrs
            if not cdr.document.get("tariffs")
            for tariff_id in self._stored_tariff_ids(cdr)
        }
        missing = tariff_keys - self._tariff_histories.keys()
        found = selectors.tariff_histories(keys=missing)
        self._tariff_histories.update({key: found.get(key, []) for key in missing})

        missing = {_contract_id(cdr.document) for cdr in cdrs} - self._contracts.keys() - {""}
        found = selectors.driver_contracts(contract_ids=missing)
        self._contracts.update({contract_id: found.get(contract_id) for contract_id in missing})

    def _location(self, cdr: CdrInput) -> tuple[str, dict] | None:
        location_id = (cdr.document.get("cdr_location") or {}).get("id")
        if not location_id:
            return None
        return self._locations.get(_key(cdr.country_code, cdr.party_id, location_id))

    def _stored_tariff_ids(self, cdr: CdrInput) -> list[str]:
        """The tariff ids the charging periods name, else those of the stored connector."""
        ids = _period_tariff_ids(cdr.document)
        if ids:
            return ids
        location = self._location(cdr)
        if location is None:
            return []
        return _connector_tariff_ids(location[1], cdr.document.get("cdr_location") or {})

    def names_tariff(self, cdr: CdrInput, tariff_id: str) -> bool:
        """Whether the CDR's periods, else its stored connector, name the tariff (once loaded)."""
        wanted = tariff_id.upper()  # ids are CiStrings, of the CDR's own party
        return any(str(named).upper() == wanted for named in self._stored_tariff_ids(cdr))

    # -- pricing ------------------------------------------------------------------------------

    def choose_tariffs(self, cdr: CdrInput) -> TariffChoice:
        """The CDR's own tariffs, else the stored versions valid when its session started."""
        embedded = [t for t in cdr.document.get("tariffs") or [] if isinstance(t, dict)]
        if embedded:
            return TariffChoice(PricedCdr.TariffSource.EMBEDDED, embedded)
        ids = self._stored_tariff_ids(cdr)
        if not ids:
            return TariffChoice(
                PricedCdr.TariffSource.NONE,
                problem="no tariff: the CDR embeds none, names none, and its connector none",
            )
        try:
            start = parse_timestamp(cdr.document.get("start_date_time"), "start_date_time")
        except TimestampError:
            start = None
        versions = []
        for tariff_id in ids:
            history = self._tariff_histories.get(_key(cdr.country_code, cdr.party_id, tariff_id))
            if history:
                versions.append(_version_at(history, start))
        if not versions:
            return TariffChoice(
                PricedCdr.TariffSource.NONE,
                problem=(
                    f"no tariff: {', '.join(ids)} of {cdr.country_code}-{cdr.party_id} not stored"
                ),
            )
        return TariffChoice(PricedCdr.TariffSource.STORED, versions, held=True)

    def time_zone(self, cdr: CdrInput) -> str | None:
        """The stored location's zone; None leaves the choice to the engine's fallbacks."""
        location = self._location(cdr)
        return (location[0] or None) if location else None

    def _compile(self, document: dict, *, held: bool) -> Tariff:
        cache_key = id(document) if held else json.dumps(document)
        compiled = self._compiled.get(cache_key)
        if compiled is None:
            compiled = self._compiled[cache_key] = compile_tariff(document)
        return compiled

    def engine_price(self, document: dict, choice: TariffChoice, zone: str | None):
        """The engine's result, or raises UnpriceableCdr."""
        if not choice.documents:
            raise UnpriceableCdr(choice.problem)
        currency = str(document.get("currency") or "").upper()
        for tariff in choice.documents:
            tariff_currency = str(tariff.get("currency") or "").upper()
            if tariff_currency != currency:
                raise UnpriceableCdr(
                    f"currency mismatch: tariff {tariff.get('id')} is in {tariff_currency}, "
                    f"the CDR in {currency}"
                )
        try:
            tariffs = [self._compile(tariff, held=choice.held) for tariff in choice.documents]
            return price_cdr(document, tariffs, zone, self.options)
        except Exception as error:  # one bad CDR must not stop a batch: it is recorded instead
            raise UnpriceableCdr(f"engine error: {error}") from error

    def price(self, cdrs: list[CdrInput]) -> tuple[list[Row], list[Row]]:
        """The PricedCdr rows of the CDRs, and the DriverPrice rows of those with a contract."""
        self.load(cdrs)
        now = timezone.now()
        priced_rows, driver_rows = [], []
        for cdr in cdrs:
            priced = self._priced_row(cdr, now)
            priced_rows.append(priced)
            driver = self._driver_price_row(cdr, priced, now)
            if driver is not None:
                driver_rows.append(driver)
        return priced_rows, driver_rows

    def _priced_row(self, cdr: CdrInput, now: datetime) -> Row:
        document = cdr.document
        currency = str(document.get("currency") or "").upper()[:3]
        choice = self.choose_tariffs(cdr)
        zone = self.time_zone(cdr)
        row: Row = dict.fromkeys(PRICED_CDR_AMOUNTS)
        row.update(
            cdr_id=cdr.id,
            currency=currency,
            time_zone=zone or "",
            tariff_source=choice.source,
            tariffs=[_tariff_reference(t) for t in choice.documents],
            reason="",
            difference_excl_vat=None,
            difference_incl_vat=None,
            differing_dimensions=[],
            breakdown=[],
            warnings=[],
            options=self.options_json,
            priced_at=now,
        )
        try:
            result = self.engine_price(document, choice, zone)
        except UnpriceableCdr as error:
            row.update(verdict=PricedCdr.Verdict.UNPRICEABLE, reason=str(error))
            return row
        ours = ocpi_totals(result)
        if document.get("credit") is True:
            # A credit CDR repeats the credited session; only its total_cost is negative.
            ours["total_cost"] = {vat: -amount for vat, amount in ours["total_cost"].items()}
        for total in COST_TOTALS:
            row[f"{total}_excl_vat"] = ours[total]["excl_vat"]
            row[f"{total}_incl_vat"] = ours[total]["incl_vat"]
        for total in VOLUME_TOTALS:
            row[total] = ours[total]
        comparison = compare(document, ours, currency)
        row.update(
            time_zone=result.time_zone,
            breakdown=[charge.to_dict() for charge in result.breakdown],
            warnings=[warning.to_dict() for warning in result.warnings],
            verdict=comparison.verdict,
            difference_excl_vat=comparison.difference_excl_vat,
            difference_incl_vat=comparison.difference_incl_vat,
            differing_dimensions=comparison.differing_dimensions,
        )
        return row

    # -- the driver's price -------------------------------------------------------------------

    def _driver_price_row(self, cdr: CdrInput, priced: Row, now: datetime) -> Row | None:
        contract = self._contracts.get(_contract_id(cdr.document))
        if contract is None:
            return None
        try:
            quote = self._driver_quote(contract, cdr, priced)
            if cdr.document.get("credit") is True:
                quote = quote.credited()
        except UnpriceableCdr as error:
            warning = {"code": "DRIVER_PRICE", "message": f"no driver price: {error}"}
            priced["warnings"] = [*priced["warnings"], {**warning, "period": None}]
            return None
        return {
            "cdr_id": cdr.id,
            "contract_id": contract.pk,
            "method": quote.method,
            "currency": quote.currency,
            "excl_vat": quote.excl_vat,
            "incl_vat": quote.incl_vat,
            "vat_rate": quote.vat_rate,
            "explanation": quote.explanation,
            "priced_at": now,
        }

    def _driver_quote(self, contract: DriverContract, cdr: CdrInput, priced: Row) -> DriverQuote:
        if contract.method == DriverContract.Method.TARIFF:
            tariff = contract.tariff or {}
            choice = TariffChoice(
                PricedCdr.TariffSource.EMBEDDED,
                [tariff] if tariff else [],
                problem=f"contract {contract.contract_id} has no tariff",
                held=True,
            )
            # The eMSP tariff prices the CDR in the tariff's currency.
            document = {**cdr.document, "currency": tariff.get("currency")}
            result = self.engine_price(document, choice, priced["time_zone"] or None)
            return tariff_quote(
                tariff_cost_excl_vat=round_ocpi(result.total_cost.excl_vat),
                currency=str(tariff.get("currency")),
                tariff_id=str(tariff.get("id")),
                vat_rate=contract.vat_rate,
            )
        # The cost we verified when we could price the CDR, else the partner's claim (a credit
        # CDR's cost is negative: the quote is made for the session it credits).
        cost = priced["total_cost_excl_vat"]
        if cost is None:
            cost = price_of(cdr.document, "total_cost")[0]
        if cost is None:
            raise UnpriceableCdr("neither our price nor the CDR's total_cost is known")
        return markup_quote(
            cpo_cost_excl_vat=abs(cost),
            currency=priced["currency"],
            markup_percent=contract.markup_percent,
            session_fee=contract.session_fee,
            vat_rate=contract.vat_rate,
        )


PRICED_CDR_AMOUNTS = [
    *(f"{total}_{vat}" for total in COST_TOTALS for vat in ("excl_vat", "incl_vat")),
    *VOLUME_TOTALS,
]


def ocpi_totals(result) -> dict[str, dict[str, Decimal] | Decimal]:
    """The engine's totals as an OCPI CDR states them: 4 decimals, Price objects."""
    totals = {total: getattr(result, total).rounded() for total in COST_TOTALS}
    totals.update({total: round_ocpi(getattr(result, total)) for total in VOLUME_TOTALS})
    return totals


def fill_totals(document: dict, result) -> dict:
    """The document with our cost totals as JSON numbers; metered volumes it states are kept."""
    totals = ocpi_totals(result)
    filled = dict(document)
    for total in COST_TOTALS:
        filled[total] = {name: float(value) for name, value in totals[total].items()}
    for total in VOLUME_TOTALS:
        if filled.get(total) is None:
            filled[total] = float(totals[total])
    return filled
