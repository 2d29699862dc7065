"""Document snapshots for rendering tests: a small builder and the golden scenarios.

The builder does the arithmetic an issued document carries (round each dimension to the
minor unit, VAT per line and per (category, rate) row, net + tax == gross everywhere), so a
scenario states only what differs: the parties, the sessions and the tax rule.
"""

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from billing.invoices.snapshot import (
    Dimension,
    DocumentKind,
    DocumentSnapshot,
    Line,
    Metering,
    Party,
    PaymentDetails,
    Reference,
    SubLine,
    TaxCategory,
    TaxSummary,
)
from billing.money import round_minor

CURRENCY = "EUR"
UNITS = {
    Dimension.ENERGY: "KWH",
    Dimension.TIME: "MIN",
    Dimension.FLAT: "C62",
    Dimension.OTHER: "HUR",
}
DESCRIPTIONS = {
    Dimension.ENERGY: "Energy",
    Dimension.TIME: "Charging time",
    Dimension.FLAT: "Session fee",
    Dimension.OTHER: "Parking time",
}
EXEMPTIONS = {
    TaxCategory.REVERSE_CHARGE: ("Reverse charge", "VATEX-EU-AE"),
    TaxCategory.EXEMPT: ("Exempt from VAT", "VATEX-EU-132"),
    TaxCategory.NOT_SUBJECT: ("Not subject to VAT", "VATEX-EU-O"),
}

EMSP = Party(
    name="Test Mobility eMSP B.V.",
    street="Stationsplein 1",
    postcode="1012 AB",
    city="Amsterdam",
    country="NL",
    vat_id="NL123456789B01",
    registration="KvK 12345678",
    email="billing@testmobility.example",
    ocpi_party="NL-TME",
)
CPO = Party(
    name="Test Mobility CPO B.V.",
    street="Stationsplein 1",
    postcode="1012 AB",
    city="Amsterdam",
    country="NL",
    vat_id="NL123456789B02",
    registration="KvK 12345679",
    email="settlement@testmobility.example",
    ocpi_party="NL-TMC",
)
PARTNER = Party(
    name="Ladepunkt Rhein GmbH",
    street="Rheinallee 12",
    postcode="50667",
    city="Köln",
    country="DE",
    vat_id="DE123456789",
    registration="HRB 98765 Köln",
    email="abrechnung@ladepunkt.example",
    ocpi_party="DE-ABC",
)
DRIVER = Party(
    name="Anna de Vries",
    street="Keizersgracht 100",
    postcode="1015 CX",
    city="Amsterdam",
    country="NL",
    email="anna@example.org",
)
FLEET = Party(
    name="Flotte Belge SA",
    street="Rue de la Loi 20",
    postcode="1000",
    city="Bruxelles",
    country="BE",
    vat_id="BE0123456789",
    email="factures@flotte.example",
)
PAYMENT = PaymentDetails(
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    terms="Payable within 14 days",
    due_date=date(2026, 11, 15),
)

SIGNED_DATA = json.dumps(
    {
        "encoding_method": "OCMF",
        "encoding_method_version": 1,
        "public_key": "3059301306072A8648CE3D020106082A8648CE3D03010703420004ABCDEF",
        "signed_values": [
            {
                "nature": "Start",
                "plain_data": "OCMF|{...RV:1234.560...}",
                "signed_data": "MEUCIQ==",
            },
            {"nature": "End", "plain_data": "OCMF|{...RV:1252.992...}", "signed_data": "MEQCIA=="},
        ],
        "url": "https://transparenz.example/verify",
    },
    indent=1,
)


def sub_line(dimension: str, quantity: str, unit_price: str) -> SubLine:
    quantity_, price = Decimal(quantity), Decimal(unit_price)
    return SubLine(
        dimension=dimension,
        description=DESCRIPTIONS[dimension],
        quantity=quantity_,
        unit=UNITS[dimension],
        unit_price=price,
        net=round_minor(quantity_ * price, CURRENCY),
    )


def session(
    position: int,
    *,
    sub_lines: list[SubLine],
    energy_kwh: str,
    start: datetime,
    minutes: int,
    tax_category: str = TaxCategory.STANDARD,
    tax_rate: str = "21",
    charging_country: str = "NL",
    time_zone: str = "Europe/Amsterdam",
    evse_id: str = "NL*TMC*E0001*1",
    address: str = "Stationsplein 1, 1012 AB Amsterdam",
    cpo_party: str = "",
    metering: Metering | None = None,
) -> Line:
    """One charging session; `start` is naive local time in `time_zone`."""
    zone = ZoneInfo(time_zone)
    begin = start.replace(tzinfo=zone)
    net = sum((item.net for item in sub_lines), Decimal(0))
    rate = Decimal(tax_rate)
    tax = round_minor(net * rate / 100, CURRENCY)
    reason, code = EXEMPTIONS.get(tax_category, ("", ""))
    return Line(
        position=position,
        description="Charging session",
        cdr_id=f"CDR-{position:04d}-{start:%Y%m%d}",
        evse_id=evse_id,
        location_address=address,
        cpo_party=cpo_party,
        time_zone=time_zone,
        start=begin,
        end=(begin + timedelta(minutes=minutes)).astimezone(zone),
        energy_kwh=Decimal(energy_kwh),
        sub_lines=tuple(sub_lines),
        net=net,
        tax_category=tax_category,
        tax_rate=rate,
        tax=tax,
        gross=net + tax,
        charging_country=charging_country,
        exemption_reason=reason,
        exemption_code=code,
        metering=metering,
    )


def document(
    kind: str,
    number: str,
    lines: list[Line],
    *,
    seller: Party = EMSP,
    buyer: Party = DRIVER,
    language: str = "en",
    issue_date: date = date(2026, 11, 1),
    references: tuple[Reference, ...] = (),
    notes: tuple[str, ...] = (),
    buyer_reference: str = "NL-TME-C00012345",
    payment: PaymentDetails = PAYMENT,
) -> DocumentSnapshot:
    """A document over `lines`: one tax row per (category, rate), VAT computed per row."""
    groups: dict[tuple[str, Decimal], list[Line]] = defaultdict(list)
    for line in lines:
        groups[(line.tax_category, line.tax_rate)].append(line)
    summary = []
    for (category, rate), members in groups.items():
        taxable = sum((line.net for line in members), Decimal(0))
        reason, code = EXEMPTIONS.get(category, ("", ""))
        summary.append(
            TaxSummary(
                category=category,
                rate=rate,
                taxable=taxable,
                tax=round_minor(taxable * rate / 100, CURRENCY),
                exemption_reason=reason,
                exemption_code=code,
            )
        )
    total_net = sum((row.taxable for row in summary), Decimal(0))
    total_tax = sum((row.tax for row in summary), Decimal(0))
    return DocumentSnapshot(
        kind=kind,
        number=number,
        issue_date=issue_date,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        currency=CURRENCY,
        language=language,
        seller=seller,
        buyer=buyer,
        lines=tuple(lines),
        tax_summary=tuple(summary),
        total_net=total_net,
        total_tax=total_tax,
        total_gross=total_net + total_tax,
        payment=payment,
        references=references,
        notes=notes,
        footer="Questions about a session? support@testmobility.example",
        buyer_reference=buyer_reference,
        rules_version="1",
        template_version="1",
    )


def _standard_session(position: int, day: int, **overrides) -> Line:
    values = {
        "sub_lines": [sub_line(Dimension.ENERGY, "18.432", "0.3500")],
        "energy_kwh": "18.432",
        "start": datetime(2026, 10, day, 18, 5),  # noqa: DTZ001 - wall clock; session() adds the zone
        "minutes": 88,
    }
    values.update(overrides)
    return session(position, **values)


METERING = Metering(
    meter_id="EMH-1ESY-0012345678",
    start_value="1234.560",
    end_value="1252.992",
    signed_data=SIGNED_DATA,
    encoding_method="OCMF",
)
ORIGINAL = Reference(number="INV-2026-000123", issue_date=date(2026, 10, 1))


def domestic_driver() -> DocumentSnapshot:
    lines = [
        _standard_session(1, 3, metering=METERING),
        _standard_session(
            2,
            9,
            sub_lines=[sub_line(Dimension.ENERGY, "7.250", "0.3500")],
            energy_kwh="7.250",
            minutes=41,
        ),
        _standard_session(
            3,
            21,
            sub_lines=[sub_line(Dimension.ENERGY, "31.007", "0.3500")],
            energy_kwh="31.007",
            minutes=127,
        ),
    ]
    return document(DocumentKind.INVOICE, "INV-2026-000201", lines)


def cross_border() -> DocumentSnapshot:
    """A driver from NL charging in Germany: German VAT (19 %) on that session."""
    lines = [
        _standard_session(1, 4),
        _standard_session(
            2,
            12,
            sub_lines=[
                sub_line(Dimension.ENERGY, "22.100", "0.5900"),
                sub_line(Dimension.FLAT, "1", "0.9900"),
            ],
            energy_kwh="22.100",
            tax_rate="19",
            charging_country="DE",
            time_zone="Europe/Berlin",
            evse_id="DE*ABC*E1234*2",
            address="Rheinallee 12, 50667 Köln",
            cpo_party="DE-ABC",
            metering=METERING,
        ),
    ]
    return document(DocumentKind.INVOICE, "INV-2026-000202", lines, language="de")


def reverse_charge() -> DocumentSnapshot:
    lines = [
        _standard_session(
            position,
            day,
            tax_category=TaxCategory.REVERSE_CHARGE,
            tax_rate="0",
            evse_id="NL*TMC*E0002*1",
        )
        for position, day in ((1, 2), (2, 15))
    ]
    return document(
        DocumentKind.INVOICE,
        "INV-2026-000203",
        lines,
        buyer=FLEET,
        language="fr",
        notes=("Reverse charge: VAT to be accounted for by the recipient.",),
    )


def exempt() -> DocumentSnapshot:
    lines = [_standard_session(1, 6, tax_category=TaxCategory.EXEMPT, tax_rate="0")]
    return document(DocumentKind.INVOICE, "INV-2026-000204", lines, language="nl")


def zero_cost() -> DocumentSnapshot:
    """A free session: no price dimensions, nothing to pay."""
    lines = [_standard_session(1, 8, sub_lines=[], energy_kwh="4.120", minutes=25)]
    return document(DocumentKind.INVOICE, "INV-2026-000205", lines)


def multi_tariff() -> DocumentSnapshot:
    """One session across a tariff change: two energy prices, time, a flat fee, parking."""
    lines = [
        _standard_session(
            1,
            17,
            sub_lines=[
                sub_line(Dimension.ENERGY, "12.500", "0.3900"),
                sub_line(Dimension.ENERGY, "9.275", "0.2900"),
                sub_line(Dimension.TIME, "95", "0.0500"),
                sub_line(Dimension.FLAT, "1", "0.3500"),
                sub_line(Dimension.OTHER, "0.75", "2.4000"),
            ],
            energy_kwh="21.775",
            start=datetime(2026, 10, 17, 21, 30),  # noqa: DTZ001 - wall clock, as above
            minutes=140,
            metering=METERING,
        )
    ]
    return document(DocumentKind.INVOICE, "INV-2026-000206", lines)


def credit_note() -> DocumentSnapshot:
    """Gives back a whole invoice of one session."""
    lines = [_standard_session(1, 3)]
    return document(
        DocumentKind.CREDIT_NOTE,
        "CN-2026-000011",
        lines,
        references=(ORIGINAL,),
        notes=("Credit for invoice INV-2026-000123: session billed twice.",),
    )


def partial_credit() -> DocumentSnapshot:
    """Gives back part of a session: the flat fee that should not have been charged."""
    lines = [
        _standard_session(
            1,
            3,
            sub_lines=[sub_line(Dimension.FLAT, "1", "1.5000")],
            energy_kwh="0.000",
        )
    ]
    return document(
        DocumentKind.CREDIT_NOTE,
        "CN-2026-000012",
        lines,
        references=(ORIGINAL,),
        language="de",
    )


def settlement_statement() -> DocumentSnapshot:
    """Our CPO bills a partner eMSP for the sessions of its drivers at our stations."""
    lines = [
        _standard_session(
            position,
            day,
            sub_lines=[
                sub_line(Dimension.ENERGY, kwh, "0.3000"),
                sub_line(Dimension.TIME, str(minutes), "0.0200"),
            ],
            energy_kwh=kwh,
            minutes=minutes,
            evse_id=f"NL*TMC*E000{position}*1",
        )
        for position, day, kwh, minutes in (
            (1, 2, "11.200", 64),
            (2, 5, "40.031", 180),
            (3, 11, "8.900", 47),
            (4, 19, "27.444", 121),
            (5, 26, "15.015", 92),
        )
    ]
    partner_emsp = PARTNER.__class__(**{**PARTNER.__dict__, "ocpi_party": "DE-ABE"})
    return document(
        DocumentKind.STATEMENT,
        "ST-2026-000031",
        lines,
        seller=CPO,
        buyer=partner_emsp,
        buyer_reference="DE-ABE",
    )


def self_billed() -> DocumentSnapshot:
    """We (eMSP) bill ourselves on behalf of a German CPO, reverse charge across the border."""
    lines = [
        _standard_session(
            position,
            day,
            sub_lines=[sub_line(Dimension.ENERGY, kwh, "0.4400")],
            energy_kwh=kwh,
            tax_category=TaxCategory.REVERSE_CHARGE,
            tax_rate="0",
            charging_country="DE",
            time_zone="Europe/Berlin",
            evse_id=f"DE*ABC*E100{position}*1",
            address="Rheinallee 12, 50667 Köln",
            cpo_party="DE-ABC",
        )
        for position, day, kwh in ((1, 7, "19.870"), (2, 23, "33.333"))
    ]
    return document(
        DocumentKind.SELF_BILLED,
        "SB-2026-000004",
        lines,
        seller=PARTNER,
        buyer=EMSP,
        buyer_reference="DE-ABC",
        payment=PaymentDetails(
            iban="DE89370400440532013000",
            bic="COBADEFFXXX",
            terms="Paid by us within 30 days",
            due_date=date(2026, 12, 1),
        ),
    )


SCENARIOS = {
    "domestic_driver": domestic_driver,
    "cross_border": cross_border,
    "reverse_charge": reverse_charge,
    "exempt": exempt,
    "zero_cost": zero_cost,
    "multi_tariff": multi_tariff,
    "credit_note": credit_note,
    "partial_credit": partial_credit,
    "settlement_statement": settlement_statement,
    "self_billed": self_billed,
}
