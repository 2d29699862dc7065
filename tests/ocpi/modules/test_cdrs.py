"""The CDRs module: our eMSP receiving partner CDRs, our CPO creating and serving its own."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.cdrs.services import cdr_create_own
from ocpi.modules.cdrs.signals import cdr_stored
from ocpi.sync.models import PushDelivery
from ocpi.transport.exceptions import InvalidParameters
from tests.support.builders import cdr as cdr_document
from tests.support.builders import example, tariff
from tests.support.connections import make_connection
from tests.support.strategies import JSON_VALUES

RECEIVER = "/ocpi/2.2.1/emsp/cdrs"
SENDER = "/ocpi/2.2.1/cpo/cdrs"


def post(client, document):
    return client.post(RECEIVER, document, content_type="application/json")


def test_posted_cdr_answers_its_location_and_can_be_read_there(partner_client):
    document = cdr_document(x_partner_extension={"kept": True})
    response = post(partner_client, document)

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    location = response["Location"]
    assert location == "http://127.0.0.1:8000/ocpi/2.2.1/emsp/cdrs/DE/ABC/CDR1"
    fetched = partner_client.get(location.removeprefix("http://127.0.0.1:8000"))
    assert fetched.status_code == 200
    assert fetched.json()["data"] == document  # unknown fields survive

    cdr = Cdr.objects.get()
    assert (cdr.currency, cdr.total_cost_excl_vat) == ("EUR", Decimal("3.125"))
    assert (cdr.token_country_code, cdr.token_party_id, cdr.location_id) == ("NL", "TME", "LOC1")
    assert cdr.warnings == []


def test_the_same_cdr_delivered_twice_is_stored_once_with_the_same_answer(partner_client):
    first = post(partner_client, cdr_document())
    second = post(partner_client, cdr_document())

    assert second.status_code == 200
    assert second["Location"] == first["Location"]
    assert Cdr.objects.count() == 1


def test_a_different_cdr_under_an_existing_id_is_refused(partner_client):
    post(partner_client, cdr_document())
    changed = cdr_document(total_cost={"excl_vat": 9.99})

    response = post(partner_client, changed)

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "credit CDR" in response.json()["status_message"]
    assert Cdr.objects.get().document["total_cost"] == {"excl_vat": 3.125, "incl_vat": 3.7813}


def test_a_credit_cdr_is_stored_as_a_new_cdr_referencing_the_original(partner_client):
    post(partner_client, cdr_document())
    credit = cdr_document(
        "CDR1-C",
        credit=True,
        credit_reference_id="CDR1",
        total_cost={"excl_vat": -3.125, "incl_vat": -3.7813},
    )

    response = post(partner_client, credit)

    assert response.status_code == 200
    assert response["Location"].endswith("/emsp/cdrs/DE/ABC/CDR1-C")
    stored = Cdr.objects.get(ocpi_id="CDR1-C")
    assert stored.credit is True
    assert stored.credit_reference_id == "CDR1"
    assert stored.total_cost_excl_vat == Decimal("-3.125")
    assert stored.warnings == []
    assert Cdr.objects.count() == 2


def test_a_credit_cdr_without_reference_is_refused_naming_the_field(partner_client):
    response = post(partner_client, cdr_document("CDR1-C", credit=True))

    assert response.json()["status_code"] == 2001
    assert "credit_reference_id" in response.json()["status_message"]


def test_a_cdr_without_evse_uid_is_stored_with_a_warning(partner_client):
    document = cdr_document()
    del document["cdr_location"]["evse_uid"]
    document["cdr_location"]["city"] = "A" * 60

    response = post(partner_client, document)

    assert response.status_code == 200
    cdr = Cdr.objects.get()
    assert cdr.document == document
    assert cdr.evse_uid == ""
    assert any(w.startswith("cdr_location.evse_uid:") for w in cdr.warnings)
    assert any(w.startswith("cdr_location.city:") for w in cdr.warnings)


def test_admin_shows_a_cdrs_warnings_and_document(partner_client, admin_client):
    document = cdr_document(x_partner_extension={"kept": True})
    del document["cdr_location"]["evse_uid"]
    post(partner_client, document)
    cdr = Cdr.objects.get()

    listing = admin_client.get("/admin/ocpi_cdrs/cdr/", {"warnings": "yes"})
    page = admin_client.get(f"/admin/ocpi_cdrs/cdr/{cdr.pk}/change/")

    assert listing.status_code == 200
    assert "CDR1" in listing.content.decode()
    assert page.status_code == 200
    assert "cdr_location.evse_uid: This field is required." in page.content.decode()
    assert "x_partner_extension" in page.content.decode()


def test_rules_billing_relies_on_still_refuse_a_cdr_with_tolerated_faults(partner_client):
    document = cdr_document(end_date_time="2024-01-01T09:00:00Z")
    del document["cdr_location"]["evse_uid"]

    response = post(partner_client, document)

    assert response.json()["status_code"] == 2001
    assert "end_date_time" in response.json()["status_message"]
    assert not Cdr.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"total_cost": None}, "total_cost"),
        ({"auth_method": "MAGIC"}, "auth_method"),
        ({"currency": "EURO"}, "currency"),
        ({"charging_periods": []}, "charging_periods"),
        ({"cdr_token": {"uid": "1"}}, "cdr_token.country_code"),
        ({"start_date_time": "yesterday"}, "start_date_time"),
        ({"total_energy": "lots"}, "total_energy"),
        ({"x_note": {"text": "a\x00b"}}, "x_note.text: NUL"),
    ],
)
def test_invalid_cdr_is_refused_naming_the_field(partner_client, change, field):
    response = post(partner_client, cdr_document(**change))

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]
    assert not Cdr.objects.exists()


def test_explicit_null_for_optional_fields_is_accepted(partner_client):
    response = post(partner_client, cdr_document(remark=None, signed_data=None, session_id=None))

    assert response.json()["status_code"] == 1000


def test_a_body_that_is_not_an_object_is_refused(partner_client):
    response = partner_client.post(RECEIVER, [1, 2], content_type="application/json")

    assert response.json()["status_code"] == 2001


def test_a_partner_cannot_deliver_cdrs_of_another_party(partner_client):
    response = post(partner_client, cdr_document(party=("NL", "XYZ")))

    assert response.status_code == 403
    assert response.json()["status_code"] == 2001
    assert not Cdr.objects.exists()


def test_unknown_cdr_is_404(partner_client):
    response = partner_client.get(f"{RECEIVER}/DE/ABC/NOPE")

    assert response.status_code == 404
    assert response.json()["status_code"] == 2000


def test_storing_a_cdr_signals_billing_once_committed(
    partner_client, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, cdr, **kwargs):
        received.append(cdr.ocpi_id)

    cdr_stored.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(partner_client, cdr_document())
        with django_capture_on_commit_callbacks(execute=True):
            post(partner_client, cdr_document())  # a re-delivery is not a new CDR
    finally:
        cdr_stored.disconnect(receiver)

    assert received == ["CDR1"]


def test_posting_a_cdr_takes_a_fixed_number_of_queries(
    partner_client, django_assert_max_num_queries
):
    # Authentication (2), the insert in its savepoint (3), the traffic log (1).
    with django_assert_max_num_queries(6):
        response = post(partner_client, cdr_document())

    assert response.status_code == 200


# Our CPO's CDRs


@pytest.fixture
def own_cdrs(own_parties):
    def create(count, *, token_party=("DE", "ABE"), start=0):
        for number in range(start, start + count):
            document = cdr_document(
                f"OWN{number}",
                party=("NL", "TMC"),
                token_party=token_party,
                last_updated=f"2024-02-01T10:{number % 60:02d}:00Z",
            )
            cdr_create_own(party=own_parties["CPO"], document=document)

    return create


def test_sender_lists_our_cdrs_of_the_partners_drivers_only(partner_client, own_cdrs):
    own_cdrs(3)
    own_cdrs(2, token_party=("FR", "OTH"), start=3)

    response = partner_client.get(SENDER + "/")

    assert response.status_code == 200
    assert [cdr["id"] for cdr in response.json()["data"]] == ["OWN0", "OWN1", "OWN2"]
    assert response["X-Total-Count"] == "3"


def test_sender_filters_on_last_updated_and_paginates(partner_client, own_cdrs):
    own_cdrs(6)

    response = partner_client.get(
        SENDER,
        {"date_from": "2024-02-01T10:01:00Z", "date_to": "2024-02-01T10:05:00Z", "limit": 2},
    )

    assert [cdr["id"] for cdr in response.json()["data"]] == ["OWN1", "OWN2"]
    assert response["X-Total-Count"] == "4"
    assert "offset=2" in response["Link"]


@pytest.mark.parametrize("count", [5, 50])
def test_sender_page_takes_the_same_queries_for_5_or_50_cdrs(
    partner_client, own_cdrs, django_assert_max_num_queries, count
):
    own_cdrs(count)

    with django_assert_max_num_queries(6):
        response = partner_client.get(SENDER)

    assert len(response.json()["data"]) == count


def test_our_cdr_is_pushed_to_partners_with_a_cdrs_receiver(own_parties):
    make_connection(
        "Receiving eMSP",
        "receiving-token",
        [("BE", "EMS", "EMSP")],
        endpoints=[{"identifier": "cdrs", "role": "RECEIVER", "url": "https://emsp.example/cdrs/"}],
    )

    # The CDR of a driver of the receiving eMSP: it goes to that eMSP only.
    document = cdr_document(party=("NL", "TMC"), token_party=("BE", "EMS"))
    result = cdr_create_own(party=own_parties["CPO"], document=document)

    assert result.created
    delivery = PushDelivery.objects.get()
    assert (delivery.method, delivery.url, delivery.module) == (
        "POST",
        "https://emsp.example/cdrs",
        "cdrs",
    )
    assert delivery.body == document
    assert (delivery.to_country_code, delivery.to_party_id) == ("BE", "EMS")


def test_our_cdr_must_meet_every_rule(own_parties):
    document = cdr_document(party=("NL", "TMC"))
    del document["cdr_location"]["evse_uid"]

    with pytest.raises(InvalidParameters, match=r"cdr_location\.evse_uid"):
        cdr_create_own(party=own_parties["CPO"], document=document)


def test_our_cdr_must_carry_our_party(own_parties):
    with pytest.raises(InvalidParameters, match="NL-TMC"):
        cdr_create_own(party=own_parties["CPO"], document=cdr_document(party=("DE", "ABC")))


def test_a_full_cdr_is_received(partner_client):
    document = example("cdr_full")

    response = post(partner_client, document)

    assert response.json()["status_code"] == 1000
    cdr = Cdr.objects.get()
    assert (cdr.ocpi_id, cdr.total_energy, cdr.warnings) == ("CDR-2026-0815", Decimal("19.75"), [])
    assert cdr.document == document


# Whatever a partner sends, the answer is an OCPI answer: never a server error.

CDR_PATHS = [
    ("id",),
    ("start_date_time",),
    ("end_date_time",),
    ("currency",),
    ("total_energy",),
    ("total_time",),
    ("credit",),
    ("credit_reference_id",),
    ("last_updated",),
    ("tariffs",),
    ("charging_periods",),
    ("total_cost", "excl_vat"),
    ("total_cost", "incl_vat"),
    ("cdr_token", "uid"),
    ("cdr_token", "country_code"),
    ("cdr_location",),
    ("cdr_location", "id"),
    ("cdr_location", "evse_uid"),
    ("cdr_location", "coordinates"),
    ("charging_periods", 0, "dimensions"),
    ("charging_periods", 0, "start_date_time"),
    ("tariffs", 0, "elements"),
]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(CDR_PATHS), value=JSON_VALUES, number=st.integers(0, 10**9))
def test_any_mangled_cdr_gets_an_ocpi_answer(partner_client, path, value, number):
    document = cdr_document(f"FUZZ{number}", tariffs=[tariff()])
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    response = post(partner_client, document)

    assert response.status_code in (200, 400, 403)
    assert response.json()["status_code"] in (1000, 2001)


def test_version_details_offer_both_cdrs_interfaces(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]

    assert {(e["role"], e["url"]) for e in endpoints if e["identifier"] == "cdrs"} == {
        ("SENDER", "http://127.0.0.1:8000/ocpi/2.2.1/cpo/cdrs"),
        ("RECEIVER", "http://127.0.0.1:8000/ocpi/2.2.1/emsp/cdrs"),
    }


def test_a_pulled_cdr_with_a_nul_character_is_refused_not_a_server_error(partner):
    from ocpi.modules.cdrs.services import store_from_partner

    with pytest.raises(InvalidParameters, match=r"x_note\.0: NUL"):
        store_from_partner(connection=partner, document=cdr_document(x_note=["a\x00"]))
    assert not Cdr.objects.exists()
