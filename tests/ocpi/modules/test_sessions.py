"""The sessions module: our eMSP receiving partner sessions, our CPO serving and pushing its own."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi.modules.sessions.models import Session
from ocpi.modules.sessions.services import session_patch_own, session_save_own
from ocpi.sync.models import PushDelivery
from ocpi.transport.exceptions import UnknownObject
from tests.support.builders import charging_period as period
from tests.support.builders import example
from tests.support.builders import session as session_document
from tests.support.connections import make_connection
from tests.support.strategies import JSON_VALUES

RECEIVER = "/ocpi/2.2.1/emsp/sessions"
SENDER = "/ocpi/2.2.1/cpo/sessions"


def put(client, document, url=None):
    url = url or f"{RECEIVER}/{document['country_code']}/{document['party_id']}/{document['id']}"
    return client.put(url, document, content_type="application/json")


def patch(client, body, url=f"{RECEIVER}/DE/ABC/S1"):
    return client.patch(url, body, content_type="application/json")


def test_put_session_is_stored_and_read_back(partner_client):
    document = session_document(x_extension="kept")

    response = put(partner_client, document)

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    fetched = partner_client.get(f"{RECEIVER}/de/abc/s1/")  # CiString, trailing slash
    assert fetched.json()["data"] == document
    session = Session.objects.get()
    assert (session.status, session.location_id, session.token_uid) == (
        "ACTIVE",
        "LOC1",
        "012345678",
    )


def test_put_replaces_the_session_and_its_charging_periods(partner_client):
    put(partner_client, session_document())
    replacement = session_document(
        charging_periods=[], status="COMPLETED", last_updated="2024-01-01T11:00:00Z"
    )

    put(partner_client, replacement)

    assert Session.objects.get().document == replacement


def test_an_older_put_does_not_overwrite_a_newer_session(partner_client):
    put(partner_client, session_document(kwh=5, last_updated="2024-01-01T12:00:00Z"))

    response = put(partner_client, session_document(kwh=1, last_updated="2024-01-01T11:00:00Z"))

    assert response.json()["status_code"] == 1000
    assert Session.objects.get().kwh == Decimal("5")


def test_patch_appends_charging_periods_and_updates_fields(partner_client):
    put(partner_client, session_document())

    response = patch(
        partner_client,
        {
            "kwh": 3.5,
            "charging_periods": [period("2024-01-01T10:30:00Z", 2.0)],
            "last_updated": "2024-01-01T10:30:00Z",
        },
    )

    assert response.json()["status_code"] == 1000
    session = Session.objects.get()
    assert session.document["charging_periods"] == [
        period("2024-01-01T10:00:00Z", 1.5),
        period("2024-01-01T10:30:00Z", 2.0),
    ]
    assert session.kwh == Decimal("3.5")
    assert session.document["status"] == "ACTIVE"


def test_patch_without_charging_periods_keeps_them(partner_client):
    put(partner_client, session_document())

    patch(partner_client, {"status": "COMPLETED", "last_updated": "2024-01-01T11:00:00Z"})

    session = Session.objects.get()
    assert session.status == "COMPLETED"
    assert session.document["charging_periods"] == [period("2024-01-01T10:00:00Z", 1.5)]


def test_patch_without_last_updated_is_refused(partner_client):
    put(partner_client, session_document())

    response = patch(partner_client, {"kwh": 3})

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "last_updated" in response.json()["status_message"]


def test_patch_of_an_unknown_session_is_404(partner_client):
    response = patch(partner_client, {"kwh": 3, "last_updated": "2024-01-01T11:00:00Z"})

    assert response.status_code == 404


def test_patch_that_makes_the_session_invalid_is_refused(partner_client):
    put(partner_client, session_document())

    response = patch(partner_client, {"status": "PAUSED", "last_updated": "2024-01-01T11:00:00Z"})

    assert response.json()["status_code"] == 2001
    assert "status" in response.json()["status_message"]
    assert Session.objects.get().status == "ACTIVE"


def test_url_and_body_ids_must_match(partner_client):
    response = put(partner_client, session_document("S1"), url=f"{RECEIVER}/DE/ABC/S2")

    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "id" in response.json()["status_message"]
    assert not Session.objects.exists()


def test_a_partner_cannot_write_sessions_of_another_party(partner_client):
    response = put(partner_client, session_document(party=("NL", "XYZ")))

    assert response.status_code == 403
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cdr_token": {"country_code": "NL"}}, "cdr_token.party_id"),
        ({"auth_method": "PIN"}, "auth_method"),
        ({"kwh": None}, "kwh"),
        ({"id": "X" * 37}, "id"),
        ({"charging_periods": [{"start_date_time": "2024-01-01T10:00:00Z"}]}, "dimensions"),
    ],
)
def test_invalid_session_is_refused_naming_the_field(partner_client, change, field):
    document = session_document(**change)

    response = put(partner_client, document, url=f"{RECEIVER}/DE/ABC/{document['id']}")

    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]


def test_unknown_session_is_404(partner_client):
    assert partner_client.get(f"{RECEIVER}/DE/ABC/NOPE").status_code == 404


# Our CPO's sessions


@pytest.fixture
def own_sessions(own_parties):
    def create(count, *, token_party=("DE", "ABE"), start=0):
        for number in range(start, start + count):
            session_save_own(
                party=own_parties["CPO"],
                document=session_document(
                    f"OWN{number}",
                    party=("NL", "TMC"),
                    token_party=token_party,
                    last_updated=f"2024-02-01T10:{number % 60:02d}:00Z",
                ),
            )

    return create


def test_sender_lists_our_sessions_of_the_partners_drivers(partner_client, own_sessions):
    own_sessions(2)
    own_sessions(2, token_party=("FR", "OTH"), start=2)

    response = partner_client.get(SENDER, {"date_from": "2024-02-01T10:01:00Z"})

    assert [session["id"] for session in response.json()["data"]] == ["OWN1"]
    assert response["X-Total-Count"] == "1"


@pytest.mark.parametrize("count", [5, 50])
def test_sender_page_takes_the_same_queries_for_5_or_50_sessions(
    partner_client, own_sessions, django_assert_max_num_queries, count
):
    own_sessions(count)

    with django_assert_max_num_queries(6):
        response = partner_client.get(SENDER)

    assert len(response.json()["data"]) == count


@pytest.fixture
def receiving_emsp(own_parties):
    return make_connection(
        "Receiving eMSP",
        "receiving-token",
        [("BE", "EMS", "EMSP")],
        endpoints=[
            {"identifier": "sessions", "role": "RECEIVER", "url": "https://emsp.example/sessions"}
        ],
    )


def test_our_session_changes_are_pushed_as_put_then_patch(own_parties, receiving_emsp):
    cpo = own_parties["CPO"]
    # The session of a driver of the receiving eMSP: it goes to that eMSP only.
    session_save_own(
        party=cpo, document=session_document(party=("NL", "TMC"), token_party=("BE", "EMS"))
    )

    session_patch_own(
        party=cpo,
        session_id="s1",
        patch={"kwh": 4, "charging_periods": [period("2024-01-01T10:15:00Z", 2.5)]},
    )

    session = Session.objects.get()
    assert session.kwh == Decimal("4")
    assert len(session.document["charging_periods"]) == 2
    put_delivery, patch_delivery = PushDelivery.objects.order_by("pk")
    assert (put_delivery.method, put_delivery.url) == (
        "PUT",
        "https://emsp.example/sessions/NL/TMC/S1",
    )
    assert (patch_delivery.method, patch_delivery.url) == (
        "PATCH",
        "https://emsp.example/sessions/NL/TMC/S1",
    )
    assert patch_delivery.body["charging_periods"] == [period("2024-01-01T10:15:00Z", 2.5)]
    assert "last_updated" in patch_delivery.body
    assert put_delivery.object_key == patch_delivery.object_key


def test_patching_an_unknown_own_session_raises(own_parties):
    with pytest.raises(UnknownObject):
        session_patch_own(party=own_parties["CPO"], session_id="NOPE", patch={"kwh": 1})


def test_admin_lists_sessions_and_shows_their_document(partner_client, admin_client):
    put(partner_client, session_document())
    session = Session.objects.get()

    listing = admin_client.get("/admin/ocpi_sessions/session/")
    page = admin_client.get(f"/admin/ocpi_sessions/session/{session.pk}/change/")

    assert "S1" in listing.content.decode()
    assert "NL-TME-C12345678-X" in page.content.decode()


def test_a_session_started_then_patched_twice(partner_client):
    url = f"{RECEIVER}/DE/ABC/SES-0815"
    assert put(partner_client, example("session_start"), url=url).json()["status_code"] == 1000
    for name in ("session_patch_total_cost", "session_patch_charging_period"):
        assert patch(partner_client, example(name), url=url).json()["status_code"] == 1000

    document = Session.objects.get().document
    assert document["kwh"] == 9.8
    assert (
        document["charging_periods"] == example("session_patch_charging_period")["charging_periods"]
    )
    assert document["total_cost"] == {"excl_vat": 5.8, "incl_vat": 6.9}
    assert document["last_updated"] == "2026-02-03T18:15:00Z"


# Whatever a partner sends, the answer is an OCPI answer: never a server error.

SESSION_PATHS = [
    ("id",),
    ("kwh",),
    ("status",),
    ("start_date_time",),
    ("last_updated",),
    ("charging_periods",),
    ("cdr_token",),
    ("cdr_token", "uid"),
    ("total_cost",),
    ("charging_periods", 0, "dimensions"),
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(SESSION_PATHS), value=JSON_VALUES, as_patch=st.booleans())
def test_any_mangled_session_gets_an_ocpi_answer(partner_client, path, value, as_patch):
    document = session_document()
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value

    if as_patch:
        put(partner_client, session_document())
        response = patch(partner_client, {path[0]: document[path[0]], "last_updated": value})
    else:
        response = put(partner_client, document, url=f"{RECEIVER}/DE/ABC/S1")

    assert response.status_code in (200, 400, 403, 404)
    assert response.json()["status_code"] in (1000, 2000, 2001)


def test_version_details_offer_both_sessions_interfaces(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]

    assert {(e["role"], e["url"]) for e in endpoints if e["identifier"] == "sessions"} == {
        ("SENDER", "http://127.0.0.1:8000/ocpi/2.2.1/cpo/sessions"),
        ("RECEIVER", "http://127.0.0.1:8000/ocpi/2.2.1/emsp/sessions"),
    }
