"""The frozen content of one billing document: what the PDF and the e-invoice are made from.

Issuing a document stores this snapshot (as JSON, `snapshot_to_json`) and never changes it, so
a document renders the same PDF and XML for as long as it exists, whatever happens later to the
issuer's address, the recipient, the tariffs or the VAT table. The renderer (PDF) and the
e-invoice writer (EN 16931 CII) read only this; they never query the database.

Amounts are exact Decimals in the document's currency. Line amounts are already rounded to the
currency's minor unit (`billing.money.round_minor`) and `net + tax == gross` holds on every line
and in every tax summary row. A credit note carries positive amounts and refers to the
documents it corrects (`references`): its kind says it gives money back.
"""

import functools
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, get_args, get_origin, get_type_hints

SNAPSHOT_VERSION = 1


class DocumentKind:
    INVOICE = "INVOICE"  # to a driver (or a partner), UNTDID 1001 code 380
    CREDIT_NOTE = "CREDIT_NOTE"  # corrects one or more issued invoices, code 381
    STATEMENT = "STATEMENT"  # CPO side: what an eMSP owes us for our CDRs, code 380
    SELF_BILLED = "SELF_BILLED"  # eMSP side, where agreed: what we owe a CPO, code 389

    choices = [
        (INVOICE, "Invoice"),
        (CREDIT_NOTE, "Credit note"),
        (STATEMENT, "Settlement statement"),
        (SELF_BILLED, "Self-billed statement"),
    ]


class TaxCategory:
    """EN 16931 VAT category codes (UNTDID 5305) that our documents use."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    NOT_SUBJECT = "O"  # outside the scope of VAT


class Dimension:
    """A price component of a charging session, in the order AFIR lists them on a receipt."""

    ENERGY = "ENERGY"  # per kWh
    TIME = "TIME"  # per minute of charging
    FLAT = "FLAT"  # per session
    OTHER = "OTHER"  # parking time, reservation, anything else

    AFIR_ORDER = (ENERGY, TIME, FLAT, OTHER)


@dataclass(frozen=True)
class Party:
    """Seller or buyer as printed on the document; `country` is ISO 3166-1 alpha-2."""

    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_id: str = ""
    registration: str = ""  # e.g. chamber of commerce number
    email: str = ""
    ocpi_party: str = ""  # "NL-TMC" where the party is an OCPI party


@dataclass(frozen=True)
class PaymentDetails:
    iban: str = ""
    bic: str = ""
    terms: str = ""  # e.g. "Payable within 14 days"
    due_date: date | None = None


@dataclass(frozen=True)
class SubLine:
    """One price dimension of a CDR line: quantity times unit price = net (all excl. VAT)."""

    dimension: str  # a Dimension
    description: str  # "Energy", "Charging time", "Session fee", "Parking time"
    quantity: Decimal
    unit: str  # UN/ECE rec. 20: KWH, MIN, HUR, C62 (one)
    unit_price: Decimal
    net: Decimal


@dataclass(frozen=True)
class Metering:
    """Eichrecht: what the calibrated meter signed, printed and attached as received."""

    meter_id: str
    start_value: str  # kWh as the meter states it
    end_value: str
    signed_data: str  # the CDR's `signed_data` object as received, JSON text
    encoding_method: str = ""


@dataclass(frozen=True)
class Line:
    """One CDR (charging session) on the document."""

    position: int
    description: str
    cdr_id: str
    evse_id: str
    location_address: str
    cpo_party: str  # "DE-ABC" for roaming sessions, "" for our own CPO
    time_zone: str  # IANA zone of the charging location
    start: datetime  # aware, in `time_zone`
    end: datetime
    energy_kwh: Decimal  # 3 decimals
    sub_lines: tuple[SubLine, ...]
    net: Decimal
    tax_category: str  # a TaxCategory
    tax_rate: Decimal  # percent, e.g. Decimal("21")
    tax: Decimal
    gross: Decimal
    charging_country: str = ""  # ISO 3166-1 alpha-2, decides the VAT
    exemption_reason: str = ""  # text for E / AE / O, e.g. "Reverse charge"
    exemption_code: str = ""  # VATEX code, e.g. "VATEX-EU-AE"
    metering: Metering | None = None

    @property
    def duration_seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class TaxSummary:
    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_reason: str = ""
    exemption_code: str = ""


@dataclass(frozen=True)
class Reference:
    """An issued document this one corrects (credit notes) or settles."""

    number: str
    issue_date: date


@dataclass(frozen=True)
class DocumentSnapshot:
    kind: str  # a DocumentKind
    number: str
    issue_date: date
    period_start: date
    period_end: date
    currency: str
    language: str  # en, de, nl, fr
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    tax_summary: tuple[TaxSummary, ...]
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    payment: PaymentDetails = field(default_factory=PaymentDetails)
    references: tuple[Reference, ...] = ()
    notes: tuple[str, ...] = ()  # printed and written as IncludedNote
    footer: str = ""
    buyer_reference: str = ""  # BT-10, e.g. the driver's contract id
    rules_version: str = ""  # the VAT and line rules the document was built with
    template_version: str = ""
    snapshot_version: int = SNAPSHOT_VERSION


def _encode(value: Any) -> Any:
    if is_dataclass(value):  # as dataclasses.asdict, without its deep copies of every value
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def snapshot_to_json(snapshot: DocumentSnapshot) -> dict:
    """A JSON-safe dict: Decimals and dates as strings, exactly."""
    return _encode(snapshot)


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(kind)
    if origin is tuple:
        item_kind = get_args(kind)[0]
        return tuple(_decode(item_kind, item) for item in value)
    if origin is not None:  # X | None
        inner = next(arg for arg in get_args(kind) if arg is not type(None))
        return _decode(inner, value)
    if kind is Decimal:
        return Decimal(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if hasattr(kind, "__dataclass_fields__"):
        hints = _type_hints(kind)
        return kind(**{f.name: _decode(hints[f.name], value[f.name]) for f in fields(kind)})
    return value


@functools.cache
def _type_hints(kind: type) -> dict[str, Any]:
    """The field types of a snapshot dataclass, resolved once: documents decode many lines."""
    return get_type_hints(kind)


def snapshot_from_json(data: dict) -> DocumentSnapshot:
    return _decode(DocumentSnapshot, data)


def line_from_json(data: dict) -> Line:
    """One line of `snapshot_to_json`'s output (a document keeps each line's JSON too)."""
    return _decode(Line, data)


def snapshot_dumps(snapshot: DocumentSnapshot) -> str:
    return json.dumps(snapshot_to_json(snapshot), ensure_ascii=False, sort_keys=True)
