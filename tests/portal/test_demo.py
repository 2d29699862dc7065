"""`manage.py demo` builds a usable installation, and running it again changes nothing."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from billing.models import DriverContract, DriverPrice, PricedCdr
from ocpi.models import OwnParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tokens.models import Token
from ocpi.sync.models import PushDelivery
from tests.support.connections import make_connection


def run_demo(sessions: int = 3) -> str:
    out = StringIO()
    call_command(
        "demo", "--locations", "25", "--tokens", "8", "--sessions", str(sessions), stdout=out
    )
    return out.getvalue()


STORED = [Location, Tariff, Token, Session, Cdr]


def counts() -> dict:
    return {
        "users": get_user_model().objects.count(),
        "parties": OwnParty.objects.count(),
        **{model.__name__: model.objects.count() for model in STORED},
        "last_changed": max(
            changed
            for model in STORED
            for changed in model.objects.values_list("updated_at", flat=True)
        ),
    }


def test_demo_creates_parties_logins_tariffs_locations_and_tokens(db, client):
    output = run_demo()
    assert {str(p) for p in OwnParty.objects.all()} == {"NL-TMC CPO", "NL-TME EMSP"}
    assert Location.objects.filter(country_code="NL", party_id="TMC").count() == 25
    tariff_ids = set(Tariff.objects.values_list("ocpi_id", flat=True))
    connector_tariffs = {
        tariff_id
        for document in Location.objects.values_list("document", flat=True)
        for evse in document["evses"]
        for connector in evse["connectors"]
        for tariff_id in connector["tariff_ids"]
    }
    assert connector_tariffs == tariff_ids == {"AC-STANDARD", "DC-FAST"}
    tokens = Token.objects.filter(country_code="NL", party_id="TME")
    assert tokens.count() == 8
    assert set(tokens.values_list("token_type", flat=True)) == {"RFID", "APP_USER"}
    assert all(re.fullmatch(r"NL-TME-C\d{8}-[0-9A-Z]", t.contract_id) for t in tokens)
    assert client.login(username="staff", password="staff")
    assert client.get("/partners/").status_code == 200
    assert client.login(username="driver", password="driver")
    assert "My cards and apps" in client.get("/").content.decode()
    assert "Staff login:   staff / staff" in output
    assert "OCPI versions: http://127.0.0.1:8000/ocpi/versions" in output


def test_demo_charges_completed_sessions_with_priced_cdrs(db, django_capture_on_commit_callbacks):
    # Billing prices each CDR once the storing transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        run_demo()
    assert Session.objects.filter(status="COMPLETED").count() == 3
    cdrs = list(Cdr.objects.all())
    assert len(cdrs) == 3
    contract_ids = set(Token.objects.values_list("contract_id", flat=True))
    for cdr in cdrs:
        assert cdr.document["cdr_token"]["contract_id"].upper() in contract_ids
        assert cdr.document["total_energy"] > 0
        assert cdr.document["total_cost"]["excl_vat"] > 0
        assert cdr.document["tariffs"][0]["id"] in {"AC-STANDARD", "DC-FAST"}
    assert set(PricedCdr.objects.values_list("verdict", flat=True)) == {"MATCH"}
    driver_contract = DriverContract.objects.get(user__username="driver")
    driver_cdrs = Cdr.objects.filter(contract_id=driver_contract.contract_id)
    assert driver_cdrs.count() == 1  # the first of every three sessions
    assert DriverPrice.objects.get(cdr=driver_cdrs.get()).incl_vat > 0


def test_demo_twice_changes_nothing_and_pushes_nothing(db):
    run_demo()
    first = counts()
    partner = make_connection("Partner", "partner-token", [("DE", "ABE", "EMSP")])
    partner.endpoints = [
        {"identifier": module, "role": "RECEIVER", "url": f"http://127.0.0.1:9/{module}"}
        for module in ("locations", "tariffs", "tokens", "sessions", "cdrs")
    ]
    partner.save()

    run_demo()

    assert counts() == first
    assert not PushDelivery.objects.exists()


def test_demo_locations_are_the_same_every_time(db):
    # Without sessions: charging changes EVSE statuses at the time it runs.
    run_demo(sessions=0)
    documents = dict(Location.objects.values_list("ocpi_id", "document"))
    Location.objects.all().delete()
    run_demo(sessions=0)
    assert dict(Location.objects.values_list("ocpi_id", "document")) == documents
