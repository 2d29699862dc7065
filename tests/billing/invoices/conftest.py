"""Billing documents: our issuers, a driver's account, and CDRs stored and priced as a partner
CPO sends them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils.dateparse import parse_datetime

from billing.invoices.models import BillingAccount, Issuer
from billing.models import DriverContract
from ocpi.modules.cdrs import services as cdrs

CONTRACT_ID = "NL-TME-C00000001"


def issuer_for(party, **fields) -> Issuer:
    defaults = {
        "name": f"{party.name} B.V.",
        "street": "Stationsplein 1",
        "postcode": "1012 AB",
        "city": "Amsterdam",
        "country": "NL",
        "vat_id": "NL123456789B01",
        "registration": "KvK 12345678",
        "email": "billing@example.com",
        "iban": "NL91ABNA0417164300",
        "bic": "ABNANL2A",
        "footer": "Test Mobility B.V., Amsterdam",
    }
    return Issuer.objects.create(own_party=party, **{**defaults, **fields})


@pytest.fixture
def emsp_issuer(own_parties):
    return issuer_for(own_parties["EMSP"])


@pytest.fixture
def cpo_issuer(own_parties):
    return issuer_for(own_parties["CPO"], name="Test Charging B.V.")


def driver_account_for(issuer, *, contract_id=CONTRACT_ID, user=None, **fields) -> BillingAccount:
    contract = DriverContract.objects.create(
        contract_id=contract_id,
        user=user,
        name="Eva Driver",
        markup_percent=Decimal("10"),
        session_fee=Decimal("0.50"),
        vat_rate=Decimal("21"),
    )
    defaults = {
        "name": "Eva Driver",
        "street": "Keizersgracht 10",
        "postcode": "1015 CN",
        "city": "Amsterdam",
        "country": "NL",
        "email": "eva@example.com",
    }
    return BillingAccount.objects.create(
        kind=BillingAccount.Kind.DRIVER,
        issuer=issuer,
        contract=contract,
        **{**defaults, **fields},
    )


@pytest.fixture
def driver_account(emsp_issuer):
    return driver_account_for(emsp_issuer)


def cdr_document(
    cdr_id: str,
    *,
    start: str = "2026-10-14T10:00:00Z",
    minutes: int = 90,
    energy: float = 20.0,
    country: str = "DEU",
    price_per_kwh: float = 0.30,
    contract_id: str = CONTRACT_ID,
    party: tuple[str, str] = ("DE", "ABC"),
    emsp: tuple[str, str] = ("NL", "TME"),
    **extra,
) -> dict:
    """A partner CPO's CDR with its tariff embedded (so it is priced): energy at a price."""
    end = (parse_datetime(start) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cost = round(energy * price_per_kwh, 4)
    tariff = {
        "country_code": party[0],
        "party_id": party[1],
        "id": "T1",
        "currency": "EUR",
        "elements": [
            {"price_components": [{"type": "ENERGY", "price": price_per_kwh, "step_size": 1}]}
        ],
        "last_updated": "2025-01-01T00:00:00Z",
    }
    return {
        "country_code": party[0],
        "party_id": party[1],
        "id": cdr_id,
        "start_date_time": start,
        "end_date_time": end,
        "cdr_token": {
            "country_code": emsp[0],
            "party_id": emsp[1],
            "uid": "012345678",
            "type": "RFID",
            "contract_id": contract_id,
        },
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "LOC1",
            "name": "Marktplatz",
            "address": "Hauptstrasse 1",
            "city": "Berlin",
            "postal_code": "10115",
            "country": country,
            "coordinates": {"latitude": "52.520008", "longitude": "13.404954"},
            "evse_uid": "EVSE1",
            "evse_id": f"{party[0]}*{party[1]}*E1",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "tariffs": [tariff],
        "charging_periods": [
            {
                "start_date_time": start,
                "tariff_id": "T1",
                "dimensions": [
                    {"type": "ENERGY", "volume": energy},
                    {"type": "TIME", "volume": round(minutes / 60, 4)},
                ],
            }
        ],
        "total_cost": {"excl_vat": cost, "incl_vat": cost},
        "total_energy": energy,
        "total_time": round(minutes / 60, 4),
        "last_updated": end,
        **extra,
    }


@pytest.fixture
def store_cdr(partner, django_capture_on_commit_callbacks):
    """Store a partner's CDR as the CDR receiver does; it is priced on commit."""

    def store(document):
        with django_capture_on_commit_callbacks(execute=True):
            return cdrs.store_from_partner(connection=partner, document=document).instance

    return store


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered PDFs are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
