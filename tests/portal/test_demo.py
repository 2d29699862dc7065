"""`manage.py demo` builds a usable installation, and running it again changes nothing."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest

from billing.models import DriverContract, DriverPrice, PricedCdr
from billing.partner_invoices import Status, invoice_group_rows, invoice_groups
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
        for document in Location.objects.filter(party_id="TMC").values_list("document", flat=True)
        for evse in document["evses"]
        for connector in evse["connectors"]
        for tariff_id in connector["tariff_ids"]
    }
    assert connector_tariffs == tariff_ids == {"AC-STANDARD", "DC-FAST"}
    tokens = Token.objects.filter(country_code="NL", party_id="TME")
    assert tokens.count() == 8
    assert set(tokens.values_list("token_type", flat=True)) == {"RFID", "APP_USER"}
    assert all(re.fullmatch(r"NL-TME-C\d{8}-[0-9A-Z]", t.contract_id) for t in tokens)
    # Login throttling (django-axes) authenticates with the request, as the login page does.
    assert client.login(request=HttpRequest(), username="staff", password="staff")
    assert client.get("/partners/").status_code == 200
    assert client.login(request=HttpRequest(), username="driver", password="driver")
    assert client.get("/")["Location"] == "/me/"
    assert "Block this card" in client.get("/me/cards/").content.decode()
    assert "Staff login:   staff / staff" in output
    assert "OCPI versions: http://127.0.0.1:8000/ocpi/versions" in output


def test_demo_charges_completed_sessions_with_priced_cdrs(db, django_capture_on_commit_callbacks):
    # Billing prices each CDR once the storing transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        run_demo()
    assert Session.objects.filter(status="COMPLETED").count() == 3
    cdrs = list(Cdr.objects.filter(source=None))
    assert len(cdrs) == 3
    contract_ids = set(Token.objects.values_list("contract_id", flat=True))
    for cdr in cdrs:
        assert cdr.document["cdr_token"]["contract_id"].upper() in contract_ids
        assert cdr.document["total_energy"] > 0
        assert cdr.document["total_cost"]["excl_vat"] > 0
        assert cdr.document["tariffs"][0]["id"] in {"AC-STANDARD", "DC-FAST"}
    assert set(PricedCdr.objects.filter(cdr__source=None).values_list("verdict", flat=True)) == {
        "MATCH"
    }
    driver_contract = DriverContract.objects.get(user__username="driver")
    driver_cdrs = Cdr.objects.filter(contract_id=driver_contract.contract_id, source=None)
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


def test_demo_has_a_roaming_partner_with_a_mismatch_and_a_credit_and_a_user_per_role(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = run_demo()
    partner_cdrs = Cdr.objects.exclude(source=None)
    assert {cdr.source.name for cdr in partner_cdrs} == {"Rhein Charge"}
    verdicts = list(
        PricedCdr.objects.filter(cdr__source__isnull=False).values_list("verdict", flat=True)
    )
    assert verdicts.count("MISMATCH") == 1
    assert partner_cdrs.filter(credit=True, total_cost_excl_vat__lt=0).count() == 1
    months = {cdr.start_date_time.strftime("%Y-%m") for cdr in partner_cdrs}
    assert len(months) >= 4
    for role in ("support", "finance", "operations"):
        user = get_user_model().objects.get(username=role)
        assert user.check_password(role)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert not user.is_staff  # the Django admin stays for superusers
    assert "Staff roles:   support / support, finance / finance, operations / operations" in output


def test_demo_partner_invoices_are_one_reconciled_one_differing_and_the_rest_awaited(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_demo()
    groups = invoice_groups(invoice_group_rows())
    statuses = [group.status for group in sorted(groups, key=lambda group: group.reference)]
    # Not invoiced first (its reference is empty), then the invoices from the oldest.
    assert statuses[:3] == [Status.NOT_INVOICED, Status.RECONCILED, Status.DIFFERS]
    assert set(statuses[3:]) == {Status.AWAITING}
    assert sum(group.totals.cdrs for group in groups) == 7
