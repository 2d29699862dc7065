"""Locations: our eMSP's receiver interface (partner CPO pushes) and our CPO's sender interface."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from ocpi.modules.locations.models import Location
from ocpi.modules.locations.selectors import location_time_zone
from ocpi.modules.locations.services import store_from_partner
from ocpi.transport.exceptions import InvalidParameters, PartyMismatch
from tests.support.builders import connector, evse, example, location

RECEIVER = "/ocpi/2.2.1/emsp/locations"
SENDER = "/ocpi/2.2.1/cpo/locations"


def put(client, path: str, body) -> object:
    return client.put(path, data=json.dumps(body), content_type="application/json")


def patch(client, path: str, body) -> object:
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def stored(location_id: str = "LOC1", country_code: str = "DE", party_id: str = "ABC") -> dict:
    return Location.objects.get(
        country_code=country_code, party_id=party_id, ocpi_id=location_id
    ).document


# Receiver interface (our eMSP): PUT, PATCH, GET by the partner CPO that owns the location.


def test_put_of_a_full_location_is_stored_as_received(partner_client):
    document = example("location_full")
    document["x_operator_note"] = "unknown fields survive"

    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC-FULL", document)

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    assert stored("LOC-FULL") == document
    served = partner_client.get(f"{RECEIVER}/DE/ABC/LOC-FULL/").json()
    assert served["data"] == document
    assert location_time_zone(country_code="de", party_id="abc", location_id="loc-full") == (
        "Europe/Berlin"
    )


@pytest.mark.parametrize("name", ["location_limited_visibility", "location_destination_charger"])
def test_locations_of_other_kinds_are_accepted(partner_client, name):
    document = example(name)
    response = put(partner_client, f"{RECEIVER}/DE/ABC/{document['id']}", document)
    assert response.json()["status_code"] == 1000, response.json()
    assert stored(document["id"]) == document


def test_ids_compare_case_insensitively_and_keep_the_partners_spelling(partner_client):
    document = location(location_id="loc-a", party_id="abc", country_code="de")
    assert put(partner_client, f"{RECEIVER}/DE/ABC/LOC-A", document).status_code == 200

    response = partner_client.get(f"{RECEIVER}/de/abc/Loc-A/evse1/1")
    assert response.json()["data"]["id"] == "1"
    assert stored("LOC-A")["id"] == "loc-a"


def test_put_with_a_body_id_other_than_the_url_is_2001(partner_client):
    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC2", location("LOC1"))
    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "id" in response.json()["status_message"]
    assert not Location.objects.exists()


def test_put_with_a_body_party_other_than_the_url_is_2001(partner_client):
    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location(party_id="ABE"))
    assert response.json()["status_code"] == 2001


def test_partner_cannot_write_locations_of_a_party_that_is_not_its_own(partner_client):
    response = put(
        partner_client, f"{RECEIVER}/NL/XYZ/LOC1", location(country_code="NL", party_id="XYZ")
    )
    assert response.status_code == 403
    assert response.json()["status_code"] == 2001
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("coordinates"), "coordinates"),
        (lambda d: d.update(city="x" * 46), "city"),
        (lambda d: d.update(address="x" * 256), "address"),
        (lambda d: d.update(parking_type="ROOFTOP"), "parking_type"),
        (lambda d: d.update(publish="sometimes"), "publish"),
        (lambda d: d["coordinates"].update(latitude="north"), "coordinates.latitude"),
        (lambda d: d["evses"][0].update(status="BROKEN"), "evses.0.status"),
        (lambda d: d["evses"][0].update(connectors=[]), "evses.0.connectors"),
        (lambda d: d["evses"][0]["connectors"][0].update(standard="PLUG"), "standard"),
        (lambda d: d["evses"][0]["connectors"][0].pop("max_voltage"), "max_voltage"),
        (lambda d: d.update(facilities=["CASINO"]), "facilities"),
        (lambda d: d.update(publish_allowed_to=[{"uid": "123"}]), "publish_allowed_to.0.type"),
        (
            lambda d: d.update(
                opening_times={
                    "twentyfourseven": False,
                    "regular_hours": [
                        {"weekday": 8, "period_begin": "08:00", "period_end": "18:00"}
                    ],
                }
            ),
            "weekday",
        ),
        (lambda d: d.update(last_updated="yesterday"), "last_updated"),
    ],
)
def test_invalid_location_is_2001_naming_the_field(partner_client, change, field):
    document = location()
    change(document)
    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", document)
    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 2001
    assert field in body["status_message"]
    assert not Location.objects.exists()


def test_explicit_null_for_an_optional_field_is_an_absent_field(partner_client):
    document = location(name=None, parking_type=None, operator=None, facilities=None)
    assert put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", document).json()["status_code"] == 1000


def test_a_body_that_is_not_json_is_2001(partner_client):
    response = partner_client.put(
        f"{RECEIVER}/DE/ABC/LOC1", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["status_code"] == 2001


def test_stale_put_answers_success_and_keeps_the_newer_location(partner_client):
    newer = location(name="Newer", last_updated="2024-02-01T00:00:00Z")
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", newer)

    response = put(
        partner_client,
        f"{RECEIVER}/DE/ABC/LOC1",
        location(name="Older", last_updated="2024-01-01T00:00:00Z"),
    )

    assert response.json()["status_code"] == 1000
    assert stored()["name"] == "Newer"


def test_put_of_a_new_evse_adds_it_and_raises_the_location_last_updated(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    new_evse = evse("EVSE2", last_updated="2024-03-01T12:00:00Z")

    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE2", new_evse)

    assert response.json()["status_code"] == 1000
    document = stored()
    assert [e["uid"] for e in document["evses"]] == ["EVSE1", "EVSE2"]
    assert document["last_updated"] == "2024-03-01T12:00:00Z"
    row = Location.objects.get()
    assert row.last_updated == datetime(2024, 3, 1, 12, tzinfo=UTC)
    listed = partner_client.get(f"{RECEIVER}/DE/ABC/LOC1/EVSE2").json()["data"]
    assert listed == new_evse


def test_put_of_an_evse_replaces_the_one_with_the_same_uid(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    replacement = evse("evse1", last_updated="2024-03-01T12:00:00Z", status="CHARGING")

    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE1", replacement)

    assert stored()["evses"] == [replacement]


def test_put_of_an_evse_into_an_unknown_location_is_404_2003(partner_client):
    response = put(partner_client, f"{RECEIVER}/DE/ABC/NOPE/EVSE1", evse())
    assert response.status_code == 404
    assert response.json()["status_code"] == 2003


def test_put_of_an_evse_whose_uid_differs_from_the_url_is_2001(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE9", evse("EVSE1"))
    assert response.json()["status_code"] == 2001


def test_an_evse_put_whose_connector_lacks_required_fields_is_2001_naming_them(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = put(
        partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE2", example("evse_without_connector_fields")
    )
    assert response.json()["status_code"] == 2001
    assert "connectors.0.power_type" in response.json()["status_message"]
    assert [e["uid"] for e in stored()["evses"]] == ["EVSE1"]


def test_put_of_a_connector_cascades_last_updated_to_evse_and_location(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    new_connector = connector("2", last_updated="2024-05-05T05:05:05Z", standard="CHADEMO")

    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE1/2", new_connector)

    document = stored()
    assert document["evses"][0]["connectors"][1] == new_connector
    assert document["evses"][0]["last_updated"] == "2024-05-05T05:05:05Z"
    assert document["last_updated"] == "2024-05-05T05:05:05Z"


def test_put_of_a_connector_of_an_unknown_evse_is_404_2003(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = put(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE9/1", connector())
    assert response.status_code == 404
    assert response.json()["status_code"] == 2003


def test_patch_of_an_evse_status_updates_the_evse_and_cascades(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location(last_updated="2019-01-01T00:00:00Z"))
    body = example("evse_patch_status")

    response = patch(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE1", body)

    assert response.json()["status_code"] == 1000
    document = stored()
    assert document["evses"][0]["status"] == "CHARGING"
    assert document["evses"][0]["last_updated"] == body["last_updated"]
    assert document["last_updated"] == body["last_updated"]
    assert document["evses"][0]["connectors"] == [connector(last_updated="2019-01-01T00:00:00Z")]


def test_patch_of_a_connector_cascades_to_evse_and_location(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location(last_updated="2019-01-01T00:00:00Z"))
    body = example("connector_patch_tariff")

    patch(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE1/1", body)

    document = stored()
    assert document["evses"][0]["connectors"][0]["tariff_ids"] == ["T2"]
    assert document["evses"][0]["connectors"][0]["standard"] == "IEC_62196_T2"
    assert document["evses"][0]["last_updated"] == body["last_updated"]
    assert document["last_updated"] == body["last_updated"]
    assert Location.objects.get().last_updated == datetime(2026, 2, 1, 8, 20, tzinfo=UTC)


def test_patch_of_the_location_name_keeps_everything_else(partner_client):
    original = location(last_updated="2019-01-01T00:00:00Z")
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", original)
    body = example("location_patch_name")

    patch(partner_client, f"{RECEIVER}/DE/ABC/LOC1", body)

    assert stored() == {**original, **body}


def test_patch_without_last_updated_is_2001(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = patch(partner_client, f"{RECEIVER}/DE/ABC/LOC1/EVSE1", {"status": "CHARGING"})
    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "last_updated" in response.json()["status_message"]
    assert stored()["evses"][0]["status"] == "AVAILABLE"


def test_patch_with_an_invalid_member_is_2001_naming_it(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = patch(
        partner_client,
        f"{RECEIVER}/DE/ABC/LOC1",
        {"coordinates": {"latitude": "52.52"}, "last_updated": "2024-06-01T00:00:00Z"},
    )
    assert response.json()["status_code"] == 2001
    assert "coordinates.longitude" in response.json()["status_message"]


@pytest.mark.parametrize(
    ("path", "key"),
    [("LOC1", {"id": "LOC2"}), ("LOC1/EVSE1", {"uid": "EVSE2"}), ("LOC1/EVSE1/1", {"id": "2"})],
)
def test_patch_whose_body_key_differs_from_the_url_is_2001_naming_it(partner_client, path, key):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    response = patch(
        partner_client,
        f"{RECEIVER}/DE/ABC/{path}",
        {**key, "last_updated": "2024-06-01T00:00:00Z"},
    )
    assert response.json()["status_code"] == 2001
    assert next(iter(key)) in response.json()["status_message"]
    assert stored()["last_updated"] == location()["last_updated"]


def test_patch_of_an_unknown_location_is_404_2003(partner_client):
    response = patch(
        partner_client,
        f"{RECEIVER}/DE/ABC/NOPE",
        {"name": "x", "last_updated": "2024-06-01T00:00:00Z"},
    )
    assert response.status_code == 404
    assert response.json()["status_code"] == 2003


def test_stale_patch_answers_success_and_changes_nothing(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location(last_updated="2024-06-01T00:00:00Z"))
    before = stored()

    response = patch(
        partner_client,
        f"{RECEIVER}/DE/ABC/LOC1/EVSE1",
        {"status": "OUTOFORDER", "last_updated": "2024-05-01T00:00:00Z"},
    )

    assert response.json()["status_code"] == 1000
    assert stored() == before


def test_an_older_evse_change_does_not_lower_the_location_last_updated(partner_client):
    document = location(last_updated="2024-06-01T00:00:00Z")
    document["evses"][0]["last_updated"] = "2024-01-01T00:00:00Z"
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", document)

    patch(
        partner_client,
        f"{RECEIVER}/DE/ABC/LOC1/EVSE1",
        {"status": "BLOCKED", "last_updated": "2024-02-01T00:00:00Z"},
    )

    assert stored()["evses"][0]["status"] == "BLOCKED"
    assert stored()["last_updated"] == "2024-06-01T00:00:00Z"


def test_receiver_get_of_unknown_objects_is_404_2003(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    for path in ("NOPE", "LOC1/EVSE9", "LOC1/EVSE1/9"):
        response = partner_client.get(f"{RECEIVER}/DE/ABC/{path}")
        assert response.status_code == 404, path
        assert response.json()["status_code"] == 2003


def test_partner_cannot_read_another_partys_locations(partner_client):
    response = partner_client.get(f"{RECEIVER}/NL/TMC/LOC1")
    assert response.status_code == 403


def test_store_from_partner_validates_and_checks_the_party(partner):
    with pytest.raises(InvalidParameters, match="time_zone"):
        store_from_partner(connection=partner, document={**location(), "time_zone": None})
    with pytest.raises(PartyMismatch):
        store_from_partner(connection=partner, document=location(party_id="XYZ"))
    result = store_from_partner(connection=partner, document=location())
    assert result.created and result.applied
    assert result.instance.source == partner


# Sender interface (our CPO): paginated list and single objects.


def make_own_locations(count: int, start: datetime) -> list[Location]:
    rows = []
    for index in range(count):
        last_updated = start + timedelta(minutes=index)
        document = location(
            f"OWN{index:03}",
            last_updated=last_updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            country_code="NL",
            party_id="TMC",
        )
        rows.append(
            Location(
                country_code="NL",
                party_id="TMC",
                ocpi_id=document["id"],
                last_updated=last_updated,
                document=document,
                time_zone=document["time_zone"],
            )
        )
    return Location.objects.bulk_create(rows)


def test_sender_list_serves_only_our_cpo_locations_as_stored(partner_client):
    make_own_locations(2, datetime(2024, 1, 1, tzinfo=UTC))
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())

    response = partner_client.get(SENDER)

    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 1000
    assert [d["id"] for d in body["data"]] == ["OWN000", "OWN001"]
    assert body["data"][0] == Location.objects.get(ocpi_id="OWN000").document


def test_sender_list_pages_with_date_filters_and_pagination_headers(partner_client):
    make_own_locations(10, datetime(2024, 1, 1, tzinfo=UTC))
    # date_from inclusive (OWN002), date_to exclusive (before OWN008): six locations.
    query = "date_from=2024-01-01T00:02:00Z&date_to=2024-01-01T00:08:00Z&limit=4"

    first = partner_client.get(f"{SENDER}/?{query}")

    assert [d["id"] for d in first.json()["data"]] == ["OWN002", "OWN003", "OWN004", "OWN005"]
    assert first["X-Total-Count"] == "6"
    assert first["X-Limit"] == "4"
    next_url = first["Link"].split(";")[0].strip("<>")
    assert 'rel="next"' in first["Link"]
    assert "offset=4" in next_url

    second = partner_client.get(next_url)
    assert [d["id"] for d in second.json()["data"]] == ["OWN006", "OWN007"]
    assert "Link" not in second


def test_sender_list_queries_do_not_grow_with_the_page_size(
    partner_client, django_assert_max_num_queries
):
    make_own_locations(60, datetime(2024, 1, 1, tzinfo=UTC))
    with CaptureQueriesContext(db_connection) as small_page:
        assert len(partner_client.get(f"{SENDER}?limit=5").json()["data"]) == 5

    with django_assert_max_num_queries(len(small_page.captured_queries)):
        assert len(partner_client.get(f"{SENDER}?limit=50").json()["data"]) == 50


def test_sender_get_of_a_location_an_evse_and_a_connector(partner_client):
    (own,) = make_own_locations(1, datetime(2024, 1, 1, tzinfo=UTC))

    assert partner_client.get(f"{SENDER}/own000").json()["data"] == own.document
    assert partner_client.get(f"{SENDER}/OWN000/EVSE1/").json()["data"] == own.document["evses"][0]
    assert (
        partner_client.get(f"{SENDER}/OWN000/EVSE1/1").json()["data"]
        == own.document["evses"][0]["connectors"][0]
    )


def test_sender_get_of_unknown_objects_is_404_2003(partner_client):
    make_own_locations(1, datetime(2024, 1, 1, tzinfo=UTC))
    put(partner_client, f"{RECEIVER}/DE/ABC/LOC1", location())
    # A partner's location is not ours to serve.
    for path in ("LOC1", "OWN000/EVSE9", "OWN000/EVSE1/7"):
        response = partner_client.get(f"{SENDER}/{path}")
        assert response.status_code == 404, path
        assert response.json()["status_code"] == 2003


def test_version_details_list_both_interfaces(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]
    urls = {
        (e["role"], e["url"].split("/2.2.1/")[1])
        for e in endpoints
        if e["identifier"] == "locations"
    }
    assert urls == {("SENDER", "cpo/locations"), ("RECEIVER", "emsp/locations")}


def test_admin_lists_locations_and_shows_the_document_read_only(admin_client, partner):
    store_from_partner(connection=partner, document=location(name="Gare <Centrale>"))
    row = Location.objects.get()

    listing = admin_client.get("/admin/ocpi_locations/location/")
    page = admin_client.get(f"/admin/ocpi_locations/location/{row.pk}/change/")

    assert listing.status_code == 200
    assert "LOC1" in listing.text
    assert page.status_code == 200
    assert "&quot;name&quot;: &quot;Gare &lt;Centrale&gt;&quot;" in page.text  # indented, escaped
    assert 'name="document"' not in page.text  # no form field: never edited here
