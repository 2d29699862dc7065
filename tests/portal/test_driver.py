"""A driver logs in and sees their own cards and charging sessions, and nothing else."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.models import DriverContract, DriverPrice, PricedCdr
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.tokens.models import Token

CONTRACT = "NL-TME-C12345678-X"


def token(uid: str, contract_id: str, *, valid: bool = True) -> Token:
    return Token.objects.create(
        country_code="NL",
        party_id="TME",
        ocpi_id=uid,
        token_type="RFID",
        contract_id=contract_id,
        valid=valid,
        whitelist="ALLOWED",
        last_updated=timezone.now(),
        document={"uid": uid, "type": "RFID", "contract_id": contract_id, "visual_number": uid},
    )


@pytest.fixture
def driver(db):
    user = get_user_model().objects.create_user("dora", password="s3cret-pw")
    DriverContract.objects.create(contract_id=CONTRACT, user=user, name="Dora")
    return user


def test_a_driver_logs_in_and_sees_only_their_own_tokens(client, driver):
    token("04AABBCCDD0001", CONTRACT)
    token("04AABBCCDD0002", CONTRACT, valid=False)
    token("04FFFFFFFF9999", "NL-TME-C87654321-Y")

    response = client.post("/login/", {"username": "dora", "password": "s3cret-pw"}, follow=True)

    page = response.content.decode()
    assert "My cards and apps" in page
    assert "04AABBCCDD0001" in page and "04AABBCCDD0002" in page
    assert "Blocked" in page
    assert "04FFFFFFFF9999" not in page


def test_a_driver_sees_their_sessions_in_local_time_with_their_price(client, driver):
    start = datetime(2026, 1, 5, 17, 30, tzinfo=UTC)
    cdr = Cdr.objects.create(
        country_code="NL",
        party_id="TMC",
        ocpi_id="CDR1",
        last_updated=start,
        document={
            "cdr_location": {"name": "Stationsweg", "address": "Stationsweg 4", "city": "Delft"}
        },
        start_date_time=start,
        end_date_time=start + timedelta(minutes=90),
        location_id="LOC1",
        token_country_code="NL",
        token_party_id="TME",
        token_uid="04AABBCCDD0001",
        contract_id=CONTRACT,
        currency="EUR",
        total_cost_excl_vat=Decimal("5.00"),
        total_energy=Decimal("12.5"),
        total_time=Decimal("1.5"),
    )
    DriverPrice.objects.create(
        cdr=cdr,
        contract=DriverContract.objects.get(),
        method="MARKUP",
        currency="EUR",
        excl_vat=Decimal("6.10"),
        incl_vat=Decimal("7.38"),
        vat_rate=Decimal("21"),
        explanation="",
        priced_at=timezone.now(),
    )
    PricedCdr.objects.create(
        cdr=cdr,
        verdict="MATCH",
        currency="EUR",
        time_zone="Europe/Amsterdam",
        tariff_source="STORED",
        priced_at=timezone.now(),
    )
    client.force_login(driver)

    page = client.get("/").content.decode()

    assert "Stationsweg, Stationsweg 4, Delft" in page
    assert "12.50 kWh" in page
    assert "1 h 30 min" in page
    assert "EUR 7.38" in page
    assert "Mon 5 Jan 2026, 18:30" in page  # 17:30 UTC is 18:30 in Delft in winter


def test_a_driver_cannot_open_the_staff_pages(client, driver):
    client.force_login(driver)
    assert client.get("/partners/").status_code == 403
