"""A roaming partner for the demo: a German CPO whose CDRs our eMSP's driver ran up.

Its CDRs arrive as a partner's would (the CDRs module's partner service) and billing checks
their prices: most match ours, one charges more than its tariff says (a mismatch to dispute),
and one is a credit CDR giving back an earlier session. Each CDR of a past month names the
partner's invoice of that month (`invoice_reference_id`); the CDRs of the current month are not
invoiced yet. Finance has recorded the two oldest invoices as received: the first states the sum
of its CDRs, the second 1.50 EUR more. A second, suspended partner shows how the dashboard lists
partners whose traffic has stopped. Idempotent, like the rest of the demo.
"""

import secrets
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from billing.money import round_minor
from billing.partner_invoices import PartnerInvoice, partner_invoice_record
from billing.services import cdr_document_price
from ocpi.models import Connection, ConnectionParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.cdrs.services import store_from_partner
from ocpi.modules.locations import services as locations
from ocpi.modules.locations.models import Location
from ocpi.validation import read_in

PARTNER_NAME = "Rhein Charge"
PARTNER_PARTY = ("DE", "RHC")
SUSPENDED_NAME = "Alpen Mobility"
SUSPENDED_PARTY = ("AT", "ALM")
TARIFF = {
    "country_code": "DE",
    "party_id": "RHC",
    "id": "RHC-AC",
    "currency": "EUR",
    "elements": [
        {"price_components": [{"type": "FLAT", "price": 0.5, "vat": 19.0, "step_size": 1}]},
        {"price_components": [{"type": "ENERGY", "price": 0.49, "vat": 19.0, "step_size": 1}]},
    ],
    "last_updated": "2026-01-01T00:00:00Z",
}
# Rhein Charge speaks OCPI 2.3.0: its location tells where to park, for whom, and whom to call.
LOCATION = {
    "country_code": "DE",
    "party_id": "RHC",
    "id": "RHC-KOELN-1",
    "publish": True,
    "name": "Rheinufer Parkhaus",
    "address": "Rheinuferstraße 1",
    "city": "Köln",
    "postal_code": "50679",
    "country": "DEU",
    "coordinates": {"latitude": "50.93750", "longitude": "6.96800"},
    "parking_type": "PARKING_GARAGE",
    "help_phone": "+4922112345678",
    "parking_places": [
        {
            "id": "L1-07",
            "physical_reference": "07",
            "vehicle_types": ["PERSONAL_VEHICLE", "MOTORCYCLE"],
            "max_vehicle_height": 200,
            "restricted_to_type": False,
            "reservation_required": False,
            "roofed": True,
            "lighting": True,
        },
        {
            "id": "L1-08",
            "physical_reference": "08",
            "vehicle_types": ["DISABLED"],
            "max_vehicle_height": 200,
            "restricted_to_type": True,
            "reservation_required": False,
            "time_limit": 240,
            "roofed": True,
            "lighting": True,
        },
    ],
    "evses": [
        {
            "uid": f"RHC-KOELN-1-E{number}",
            "evse_id": f"DE*RHC*E1001*{number}",
            "status": "AVAILABLE",
            "capabilities": [
                "RFID_READER",
                "REMOTE_START_STOP_CAPABLE",
                "CONTACTLESS_CARD_SUPPORT",
            ],
            "parking": [{"parking_id": place, "evse_position": "CENTER"}],
            "accepted_service_providers": ["The Mobility Company", "Rhein Charge"],
            "connectors": [
                {
                    "id": "1",
                    "standard": "IEC_62196_T2",
                    "format": "SOCKET",
                    "power_type": "AC_3_PHASE",
                    "max_voltage": 400,
                    "max_amperage": 32,
                    "max_electric_power": 22000,
                    "tariff_ids": ["RHC-AC"],
                    "last_updated": "2026-01-01T00:00:00Z",
                }
            ],
            "last_updated": "2026-01-01T00:00:00Z",
        }
        for number, place in ((1, "L1-07"), (2, "L1-08"))
    ],
    "operator": {"name": "Rhein Charge GmbH"},
    "time_zone": "Europe/Berlin",
    "last_updated": "2026-01-01T00:00:00Z",
}
# (days before the newest session, hour of the day in UTC, minutes charged, kWh)
SESSIONS = [(150, 7, 95, "18.4"), (118, 17, 60, "11.2"), (86, 12, 140, "31.0"),
            (55, 8, 45, "9.6"), (24, 19, 75, "14.8"), (3, 10, 120, "26.5")]  # fmt: skip
MISMATCH_NUMBER = 6  # this CDR charges 1.50 EUR more than the tariff says
OVERCHARGE = Decimal("1.50")
CREDITED_NUMBER = 2  # and this one is given back by a credit CDR
INVOICE_EXTRA = Decimal("1.50")  # what the second recorded invoice states above its CDRs


def _connection(name: str, party: tuple[str, str], status: str, version: str) -> Connection:
    connection, created = Connection.objects.get_or_create(
        name=name, defaults={"status": status, "version": version}
    )
    if created:
        # Tokens nobody knows: the demo partners never call us, and we never call them.
        connection.set_inbound_token(secrets.token_urlsafe(24))
        connection.outbound_token = secrets.token_urlsafe(24)
        connection.save()
        ConnectionParty.objects.create(
            connection=connection, country_code=party[0], party_id=party[1], role="CPO"
        )
    return connection


def _cdr(number: int, *, token: dict, newest: datetime) -> dict:
    days, hour, minutes, kwh = SESSIONS[number - 1]
    start = (newest - timedelta(days=days)).replace(hour=hour, minute=5, second=0, microsecond=0)
    end = start + timedelta(minutes=minutes)
    country_code, party_id = PARTNER_PARTY
    document = {
        "country_code": country_code,
        "party_id": party_id,
        "id": f"RHC-CDR-{number:04d}",
        "start_date_time": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end_date_time": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cdr_token": {
            "country_code": token["country_code"],
            "party_id": token["party_id"],
            "uid": token["uid"],
            "type": token["type"],
            "contract_id": token["contract_id"],
        },
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "RHC-KOELN-1",
            "name": "Rheinufer Parkhaus",
            "address": "Rheinuferstraße 1",
            "city": "Köln",
            "postal_code": "50679",
            "country": "DEU",
            "coordinates": {"latitude": "50.93750", "longitude": "6.96800"},
            "evse_uid": "RHC-KOELN-1-E1",
            "evse_id": "DE*RHC*E1001*1",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "tariffs": [TARIFF],
        "charging_periods": [
            {
                "start_date_time": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "dimensions": [
                    {"type": "ENERGY", "volume": float(kwh)},
                    {"type": "TIME", "volume": round(minutes / 60, 4)},
                ],
            }
        ],
        "total_energy": float(kwh),
        "total_time": round(minutes / 60, 4),
        "last_updated": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if start.strftime("%Y-%m") < newest.strftime("%Y-%m"):
        document["invoice_reference_id"] = start.strftime("RHC-%Y-%m")
    document = cdr_document_price(document)  # the price its tariff gives
    if number == MISMATCH_NUMBER:
        for vat in ("excl_vat", "incl_vat"):
            document["total_cost"][vat] = float(
                Decimal(str(document["total_cost"][vat])) + OVERCHARGE
            )
    return document


def _credit_of(original: dict, *, issued: datetime) -> dict:
    credit = {
        **original,
        "id": f"{original['id']}-CREDIT",
        "credit": True,
        "credit_reference_id": original["id"],
        "total_cost": {vat: -amount for vat, amount in original["total_cost"].items()},
        "last_updated": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    credit.pop("invoice_reference_id", None)  # issued now: on no invoice yet
    return credit


def partner_demo_load(*, driver_token: dict, newest: datetime | None = None) -> int:
    """The two demo partners and Rhein Charge's CDRs; returns how many CDRs were new."""
    newest = newest or datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=160)
    partner = _connection(PARTNER_NAME, PARTNER_PARTY, Connection.Status.REGISTERED, "2.3.0")
    _connection(SUSPENDED_NAME, SUSPENDED_PARTY, Connection.Status.SUSPENDED, "2.2.1")
    if not Location.objects.filter(source=partner).exists():
        with read_in(partner.version):  # stored as its PUT on 2.3.0 would store it
            locations.store_from_partner(connection=partner, document=LOCATION)
    documents = [_cdr(number, token=driver_token, newest=newest) for number in range(1, 7)]
    original = documents[CREDITED_NUMBER - 1]
    documents.append(_credit_of(original, issued=newest))
    stored = set(Cdr.objects.filter(source=partner).values_list("ocpi_id", flat=True))
    new = 0
    for document in documents:
        if document["id"].upper() in stored:
            continue
        store_from_partner(connection=partner, document=document)
        new += 1
    _record_invoices(documents)
    return new


def _record_invoices(documents: list[dict]) -> None:
    """The two oldest invoices as finance records them when they arrive by mail."""
    totals: dict[str, list[Decimal]] = {}
    for document in documents:
        if reference := document.get("invoice_reference_id"):
            total = totals.setdefault(reference, [Decimal(0), Decimal(0)])
            total[0] += Decimal(str(document["total_cost"]["excl_vat"]))
            total[1] += Decimal(str(document["total_cost"]["incl_vat"]))
    country_code, party_id = PARTNER_PARTY
    finance = get_user_model().objects.filter(username="finance").first()
    for extra, reference in zip((Decimal(0), INVOICE_EXTRA), sorted(totals), strict=False):
        if PartnerInvoice.objects.filter(reference=reference).exists():
            continue
        excl_vat, incl_vat = totals[reference]
        partner_invoice_record(
            country_code=country_code,
            party_id=party_id,
            reference=reference,
            currency="EUR",
            stated_excl_vat=round_minor(excl_vat + extra, "EUR"),
            stated_incl_vat=round_minor(incl_vat + extra, "EUR"),
            received_on=_month_after(reference),
            note="Their invoice adds a fee no CDR carries." if extra else "",
            user=finance,
        )


def _month_after(reference: str):
    """The 5th of the month after the invoice's month: when its PDF arrived."""
    year, month = int(reference[-7:-3]), int(reference[-2:])
    return datetime(year + month // 12, month % 12 + 1, 5, tzinfo=UTC).date()
