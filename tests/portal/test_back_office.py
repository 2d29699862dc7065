"""What staff do in the back office: settle disputes, block tokens, read CDRs and tariffs."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.disputes import Dispute
from billing.models import DriverContract
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_save_own
from ocpi.sync.models import PushDelivery
from portal.staff.roles import FINANCE, OPERATIONS, SUPPORT
from tests.support.connections import make_connection
from tests.support.portal_factories import make_cdr, staff_member


@pytest.fixture
def finance_client(client, db):
    client.force_login(staff_member(FINANCE, "fiona"))
    return client


@pytest.fixture
def operations_client(client, db):
    client.force_login(staff_member(OPERATIONS, "otto"))
    return client


def test_finance_claims_the_difference_of_a_mismatch_with_a_note(finance_client):
    cdr = make_cdr(start=datetime(2026, 2, 1, 9, tzinfo=UTC), cost="12.00", verdict="MISMATCH",
                   our_cost="10.50")  # fmt: skip
    page = finance_client.get(reverse("staff:cdr", args=[cdr.pk])).content.decode()
    assert "€1.50" in page  # the difference, theirs minus ours

    response = finance_client.post(
        reverse("staff:cdr-dispute", args=[cdr.pk]),
        {"resolution": "CLAIMED", "note": "Tariff says 0.35/kWh"},
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get(cdr=cdr)
    assert dispute.resolution == "CLAIMED"
    assert dispute.claimed_amount == Decimal("1.50")
    assert dispute.decided_by.username == "fiona"
    page = finance_client.get(reverse("staff:cdr", args=[cdr.pk])).content.decode()
    assert "Tariff says 0.35/kWh" in page and "Decided by fiona" in page

    again = finance_client.post(
        reverse("staff:cdr-dispute", args=[cdr.pk]), {"resolution": "ACCEPTED"}
    )
    assert again.status_code == 400
    assert "already been decided" in again.content.decode()
    assert Dispute.objects.get(cdr=cdr).resolution == "CLAIMED"


def test_a_matching_cdr_cannot_be_disputed(finance_client):
    cdr = make_cdr(start=datetime(2026, 2, 1, tzinfo=UTC), verdict="MATCH")
    response = finance_client.post(
        reverse("staff:cdr-dispute", args=[cdr.pk]), {"resolution": "CLAIMED"}
    )
    assert response.status_code == 400
    assert not Dispute.objects.exists()


def test_the_cdr_page_shows_the_session_on_the_locations_clock(finance_client):
    cdr = make_cdr(start=datetime(2026, 7, 1, 6, 30, tzinfo=UTC), time_zone="Europe/Amsterdam")
    page = finance_client.get(reverse("staff:cdr", args=[cdr.pk])).content.decode()
    assert "01/07/2026, 08:30 (UTC+02:00)" in page
    assert "Europe/Amsterdam" in page


def test_cdr_list_filters_by_verdict_partner_and_contract(finance_client, partner):
    start = datetime(2026, 2, 1, tzinfo=UTC)
    mismatch = make_cdr(
        start=start, verdict="MISMATCH", our_cost="1.00", source=partner, party=("DE", "ABC")
    )
    make_cdr(start=start, verdict="MATCH", contract_id="NL-TME-C99999999-Z")
    listed = finance_client.get("/staff/cdrs/", {"verdict": "MISMATCH"}).context["page"]
    assert [cdr.pk for cdr in listed] == [mismatch.pk]
    by_partner = finance_client.get("/staff/cdrs/", {"party": str(partner.pk)}).context["page"]
    assert [cdr.pk for cdr in by_partner] == [mismatch.pk]
    own = finance_client.get("/staff/cdrs/", {"contract": "nl-tme-c99999999-z"}).context["page"]
    assert [cdr.contract_id for cdr in own] == ["NL-TME-C99999999-Z"]


def test_blocking_a_token_tells_every_cpo_we_roam_with(operations_client, own_parties):
    for name in ("CPO one", "CPO two"):
        cpo = make_connection(name, f"token-{name}", [("DE", name[-3:].upper(), "CPO")])
        cpo.endpoints = [
            {"identifier": "tokens", "role": "RECEIVER", "url": f"https://{cpo.pk}.example/tokens"}
        ]
        cpo.save()
    contract = DriverContract.objects.create(contract_id="NL-TME-C00000042-B", name="Ann")
    token_save_own(
        party=own_parties["EMSP"],
        document={
            "country_code": "NL", "party_id": "TME", "uid": "04ABCDEF", "type": "RFID",
            "contract_id": contract.contract_id, "issuer": "Test", "valid": True,
            "whitelist": "ALLOWED", "last_updated": "2026-01-01T00:00:00Z",
        },
    )  # fmt: skip
    PushDelivery.objects.all().delete()
    token = Token.objects.get()

    response = operations_client.post(
        reverse("staff:token-validity", args=[token.pk]), {"valid": "false"}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.valid is False
    pushed = PushDelivery.objects.filter(module="tokens", method="PUT")
    assert pushed.count() == 2
    assert {delivery.body["valid"] for delivery in pushed} == {False}
    page = operations_client.get(reverse("staff:contract", args=[contract.pk])).content.decode()
    assert "Blocked" in page and "Unblock" in page


def test_operations_issue_a_token_under_a_contract(operations_client, own_parties):
    contract = DriverContract.objects.create(contract_id="NL-TME-C00000043-C", name="Bo")
    response = operations_client.post(
        reverse("staff:contract-token", args=[contract.pk]),
        {"token_type": "RFID", "uid": "04FF00AA", "visual_number": "NL-TME-000043"},
    )
    assert response.status_code == 302
    token = Token.objects.get(ocpi_id="04FF00AA")
    assert token.contract_id == contract.contract_id and token.valid


def energy(price: str) -> dict:
    return {"type": "ENERGY", "price": float(price), "vat": 21.0, "step_size": 1}


def test_the_tariff_page_says_its_elements_in_words_and_prices_a_simulated_session(
    client, own_parties
):
    from ocpi.modules.tariffs.services import tariff_save_own

    client.force_login(staff_member(SUPPORT))
    tariff = tariff_save_own(
        party=own_parties["CPO"],
        document={
            "country_code": "NL", "party_id": "TMC", "id": "NIGHT", "currency": "EUR",
            "elements": [
                {"price_components": [energy("0.30")],
                 "restrictions": {"start_time": "23:00", "end_time": "07:00"}},
                {"price_components": [energy("0.40")]},
            ],
            "last_updated": "2026-01-01T00:00:00Z",
        },
    ).instance  # fmt: skip
    url = reverse("staff:tariff", args=[tariff.pk])
    page = client.get(url).content.decode()
    assert "€0.30 per kWh, plus 21% VAT" in page and "from 23:00 to 07:00" in page
    # 06:30 in Amsterdam, where the tariff's party is (05:30 UTC): still the night rate.
    night = client.get(
        url, {"start": "2026-03-02T06:30", "minutes": "60", "energy_kwh": "10", "power_kw": "11"}
    )
    assert "€3.63" in night.content.decode()  # 10 kWh at 0.30 plus 21 % VAT
    day = client.get(
        url, {"start": "2026-03-02T12:00", "minutes": "60", "energy_kwh": "10", "power_kw": "11"}
    )
    assert "€4.84" in day.content.decode()


@pytest.mark.parametrize(
    ("tax_included", "vat", "words", "before_vat"),
    [
        # 10 kWh at 0.36 incl. 21 % VAT: 3.60 incl., 2.98 (2.9752) before VAT.
        ("YES", 21.0, "€0.36 per kWh, incl. taxes (21% VAT)", "€2.98"),
        ("YES", None, "€0.36 per kWh, incl. taxes", "€3.60"),
        ("N/A", 21.0, "€0.36 per kWh, no taxes", "€3.60"),
    ],
)
def test_the_tariff_page_says_what_an_ocpi_2_3_0_price_includes(
    client, own_parties, tax_included, vat, words, before_vat
):
    from ocpi.modules.tariffs.services import tariff_save_own

    client.force_login(staff_member(SUPPORT))
    component = {"type": "ENERGY", "price": 0.36, "step_size": 1}
    if vat is not None:
        component["vat"] = vat
    tariff = tariff_save_own(
        party=own_parties["CPO"],
        document={
            "country_code": "NL", "party_id": "TMC", "id": "TAXES", "currency": "EUR",
            "elements": [{"price_components": [component]}],
            "tax_included": tax_included,
            "last_updated": "2026-01-01T00:00:00Z",
        },
    ).instance  # fmt: skip
    url = reverse("staff:tariff", args=[tariff.pk])

    page = client.get(url).content.decode()
    assert words in page and "plus 21% VAT" not in page
    session = {"start": "2026-03-02T12:00", "minutes": "60", "energy_kwh": "10", "power_kw": "11"}
    simulation = client.get(url, session).content.decode()
    assert "€3.60 <small" in simulation and f"· {before_vat} " in simulation  # incl. · excl.


def test_the_dashboard_shows_each_partners_health_and_month_in_words(finance_client, partner):
    from django.utils import timezone

    from ocpi.sync.models import SyncState

    now = timezone.now()
    SyncState.objects.create(
        connection=partner, module="cdrs", last_run_at=now,
        last_error="GET https://p.example/cdrs answered HTTP 401, OCPI status 2001: invalid token",
    )  # fmt: skip
    PushDelivery.objects.create(
        connection=partner, module="tokens", method="PUT", url="https://p.example/tokens/1",
        object_key="token:1", status=PushDelivery.Status.FAILED, attempts=10,
        last_error="PUT https://p.example/tokens/1 failed after 1 attempt(s): ConnectionError: x",
    )  # fmt: skip
    PushDelivery.objects.create(
        connection=partner, module="locations", method="PUT", url="https://p.example/l/1",
        object_key="location:1", status=PushDelivery.Status.DELIVERED, delivered_at=now,
    )  # fmt: skip
    make_cdr(start=now, cost="12.00", verdict="MISMATCH", our_cost="10.50", source=partner,
             party=("DE", "ABC"), energy="20")  # fmt: skip
    make_cdr(start=now, cost="3.00", verdict="MATCH", source=partner, party=("DE", "ABC"))

    response = finance_client.get("/staff/")
    (health,) = [row for row in response.context["partners"] if row.connection == partner]
    assert health.month.verdicts == {"MISMATCH": 1, "MATCH": 1}
    assert health.month.disputed == {"EUR": Decimal("1.50")}
    assert health.month.energy_kwh == Decimal("30")
    assert health.failing_deliveries == 1
    assert [(row.module, bool(row.pull), bool(row.last_push)) for row in health.sync_rows] == [
        ("cdrs", True, False),
        ("locations", False, True),
    ]
    page = response.content.decode()
    assert "the partner answered HTTP 401: invalid token" in page
    assert "1 failing delivery" in page
    assert f"/staff/cdrs/?party={partner.pk}&amp;verdict=MISMATCH" in page


def test_push_now_sends_failed_deliveries_again_and_pull_now_says_why_it_cannot(
    client, partner, own_parties
):
    client.force_login(staff_member(OPERATIONS))
    failed = PushDelivery.objects.create(
        connection=partner, module="tokens", method="PUT", url="https://p.example/tokens/1",
        object_key="token:1", status=PushDelivery.Status.FAILED, attempts=10, last_error="x",
    )  # fmt: skip
    response = client.post(f"/partners/{partner.pk}/push/", follow=True)
    assert "1 waiting or failed deliveries sent again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == PushDelivery.Status.PENDING and failed.attempts == 0

    response = client.post(f"/partners/{partner.pk}/pull/", follow=True)
    assert "The partner offers no module we pull." in response.content.decode()


def test_the_traffic_log_is_searched_by_partner_status_request_id_and_text(finance_client, partner):
    from ocpi import traffic
    from ocpi.models import TrafficLog

    for status, request_id, url in (
        (200, "req-ok", "/ocpi/2.2.1/cdrs"),
        (401, "req-bad", "/ocpi/2.2.1/tokens"),
    ):
        traffic.record(
            direction=TrafficLog.Direction.INBOUND, method="GET", url=url, connection=partner,
            http_status=status, duration_ms=1, request_id=request_id,
        )  # fmt: skip

    def found(**query) -> list[str]:
        page = finance_client.get("/staff/traffic/", query).context["page"]
        return [entry.request_id for entry in page]

    assert found(status="error") == ["req-bad"]
    assert found(module="cdrs") == ["req-ok"]
    assert found(request_id="req-ok") == ["req-ok"]
    assert found(text="tokens", partner=str(partner.pk)) == ["req-bad"]


def test_operations_create_and_edit_a_contract_naming_the_drivers_login(operations_client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("carla")
    fields = {"contract_id": "nl-tme-c00000044-d", "name": "Carla", "method": "MARKUP",
              "markup_percent": "10", "session_fee": "0.25", "vat_rate": "21"}  # fmt: skip
    unknown = operations_client.post("/staff/drivers/new/", {**fields, "login": "nobody"})
    assert unknown.status_code == 400
    assert "No user logs in with this name." in unknown.content.decode()

    created = operations_client.post("/staff/drivers/new/", {**fields, "login": "carla"})
    contract = DriverContract.objects.get()
    assert created["Location"] == reverse("staff:contract", args=[contract.pk])
    assert (contract.contract_id, contract.user.username) == ("NL-TME-C00000044-D", "carla")

    operations_client.post(
        reverse("staff:contract", args=[contract.pk]),
        {**fields, "markup_percent": "12", "login": ""},
    )
    contract.refresh_from_db()
    assert contract.markup_percent == Decimal("12") and contract.user is None


def test_the_cdr_list_period_is_on_each_locations_clock(finance_client):
    # 23:30 UTC on 31 March: already 1 April in Amsterdam, still 31 March in New York.
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    amsterdam = make_cdr(start=late, time_zone="Europe/Amsterdam")
    new_york = make_cdr(start=late, time_zone="America/New_York")
    april = finance_client.get("/staff/cdrs/", {"date_from": "2026-04-01"}).context["page"]
    assert [cdr.pk for cdr in april] == [amsterdam.pk]
    march = finance_client.get("/staff/cdrs/", {"date_to": "2026-03-31"}).context["page"]
    assert [cdr.pk for cdr in march] == [new_york.pk]
