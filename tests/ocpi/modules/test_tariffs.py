"""Tariffs: our eMSP's receiver interface with version history, our CPO's sender interface."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.modules.tariffs.selectors import tariff_versions_at
from ocpi.modules.tariffs.services import store_from_partner
from ocpi.transport.exceptions import InvalidParameters, PartyMismatch
from tests.support.builders import example, tariff

RECEIVER = "/ocpi/2.2.1/emsp/tariffs"
SENDER = "/ocpi/2.2.1/cpo/tariffs"


def put(client, path: str, body) -> object:
    return client.put(path, data=json.dumps(body), content_type="application/json")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("name", ["tariff_complex", "tariff_step_size", "tariff_reservation"])
def test_put_of_a_tariff_is_stored_as_received(partner_client, name):
    document = example(name)

    response = put(partner_client, f"{RECEIVER}/DE/ABC/{document['id']}", document)

    assert response.status_code == 200, response.json()
    assert response.json()["status_code"] == 1000
    served = partner_client.get(f"{RECEIVER}/DE/ABC/{document['id']}/").json()["data"]
    assert served == document


def test_a_put_without_last_updated_is_2001(partner_client):
    document = tariff("12")
    del document["last_updated"]
    response = put(partner_client, f"{RECEIVER}/DE/ABC/12", document)
    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert "last_updated" in response.json()["status_message"]
    assert not Tariff.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(elements=[]), "elements"),
        (lambda d: d.update(currency="EURO"), "currency"),
        (lambda d: d.update(type="CHEAP"), "type"),
        (lambda d: d["elements"][0]["price_components"][0].update(type="KWH"), "type"),
        (lambda d: d["elements"][0]["price_components"][0].update(price="free"), "price"),
        (lambda d: d["elements"][0]["price_components"][0].pop("step_size"), "step_size"),
        (lambda d: d["elements"][0].update(restrictions={"start_time": "9:00"}), "start_time"),
        (
            lambda d: d["elements"][0].update(restrictions={"start_date": "2024-13-01"}),
            "start_date",
        ),
        (lambda d: d["elements"][0].update(restrictions={"day_of_week": ["MON"]}), "day_of_week"),
        (lambda d: d["elements"][0].update(restrictions={"reservation": "YES"}), "reservation"),
        (lambda d: d.update(min_price={"incl_vat": 1}), "min_price.excl_vat"),
        (lambda d: d.update(tariff_alt_text=[{"language": "en"}]), "tariff_alt_text.0.text"),
        (lambda d: d.update(energy_mix={"energy_sources": []}), "energy_mix.is_green_energy"),
    ],
)
def test_invalid_tariff_is_2001_naming_the_field(partner_client, change, field):
    document = tariff()
    change(document)
    response = put(partner_client, f"{RECEIVER}/DE/ABC/T1", document)
    assert response.status_code == 200
    assert response.json()["status_code"] == 2001
    assert field in response.json()["status_message"]
    assert not Tariff.objects.exists()


def test_put_with_a_body_id_other_than_the_url_is_2001(partner_client):
    response = put(partner_client, f"{RECEIVER}/DE/ABC/T2", tariff("T1"))
    assert response.json()["status_code"] == 2001


def test_partner_cannot_write_or_read_tariffs_of_another_party(partner_client):
    other = tariff(country_code="NL", party_id="TMC")
    assert put(partner_client, f"{RECEIVER}/NL/TMC/T1", other).status_code == 403
    assert partner_client.get(f"{RECEIVER}/NL/TMC/T1").status_code == 403
    assert partner_client.delete(f"{RECEIVER}/NL/TMC/T1").status_code == 403
    assert not Tariff.objects.exists()


def test_every_version_is_kept_and_the_valid_one_is_found_by_time(partner_client):
    for last_updated, price in (
        ("2024-01-01T00:00:00Z", 0.25),
        ("2024-02-01T00:00:00Z", 0.30),
        ("2024-03-01T00:00:00Z", 0.35),
    ):
        put(partner_client, f"{RECEIVER}/DE/ABC/T1", tariff(last_updated=last_updated, price=price))

    def price_at(moment: str):
        document = tariff_versions_at(
            country_code="de", party_id="abc", tariff_id="t1", at=at(moment)
        )
        return document["elements"][0]["price_components"][0]["price"]

    assert TariffVersion.objects.count() == 3
    assert price_at("2024-01-15T00:00:00Z") == 0.25
    assert price_at("2024-02-01T00:00:00Z") == 0.30  # a version is valid from its last_updated
    assert price_at("2024-12-31T00:00:00Z") == 0.35
    assert price_at("2023-06-01T00:00:00Z") == 0.25  # before the first version: the oldest
    served = partner_client.get(f"{RECEIVER}/DE/ABC/T1").json()["data"]
    assert served["last_updated"] == "2024-03-01T00:00:00Z"


def test_unknown_tariff_has_no_version(db):
    assert (
        tariff_versions_at(
            country_code="DE", party_id="ABC", tariff_id="NOPE", at=at("2024-01-01T00:00:00Z")
        )
        is None
    )


def test_a_late_older_version_joins_the_history_but_does_not_replace_the_tariff(partner_client):
    put(
        partner_client,
        f"{RECEIVER}/DE/ABC/T1",
        tariff(last_updated="2024-03-01T00:00:00Z", price=0.35),
    )

    response = put(
        partner_client,
        f"{RECEIVER}/DE/ABC/T1",
        tariff(last_updated="2024-01-01T00:00:00Z", price=0.25),
    )

    assert response.json()["status_code"] == 1000
    current = Tariff.objects.get()
    assert current.document["elements"][0]["price_components"][0]["price"] == 0.35
    january = tariff_versions_at(
        country_code="DE", party_id="ABC", tariff_id="T1", at=at("2024-02-01T00:00:00Z")
    )
    assert january["elements"][0]["price_components"][0]["price"] == 0.25


def test_redelivery_of_the_same_version_keeps_one_version(partner_client):
    for _ in range(2):
        put(partner_client, f"{RECEIVER}/DE/ABC/T1", tariff())
    assert TariffVersion.objects.count() == 1


def test_delete_marks_the_tariff_deleted_and_keeps_its_history(partner_client):
    put(partner_client, f"{RECEIVER}/DE/ABC/T1", tariff())

    response = partner_client.delete(f"{RECEIVER}/DE/ABC/T1")

    assert response.status_code == 200
    assert response.json()["status_code"] == 1000
    assert Tariff.objects.get().deleted_at is not None
    get = partner_client.get(f"{RECEIVER}/DE/ABC/T1")
    assert get.status_code == 404
    assert (
        tariff_versions_at(
            country_code="DE", party_id="ABC", tariff_id="T1", at=at("2024-06-01T00:00:00Z")
        )
        == tariff()
    )
    # A retried DELETE is harmless; a new version brings the tariff back.
    assert partner_client.delete(f"{RECEIVER}/DE/ABC/T1").status_code == 200
    put(partner_client, f"{RECEIVER}/DE/ABC/T1", tariff(last_updated="2024-07-01T00:00:00Z"))
    assert partner_client.get(f"{RECEIVER}/DE/ABC/T1").status_code == 200


def test_delete_or_get_of_an_unknown_tariff_is_404(partner_client):
    for response in (
        partner_client.delete(f"{RECEIVER}/DE/ABC/NOPE"),
        partner_client.get(f"{RECEIVER}/DE/ABC/NOPE"),
    ):
        assert response.status_code == 404
        assert response.json()["status_code"] == 2000


def test_store_from_partner_validates_and_checks_the_party(partner):
    with pytest.raises(InvalidParameters, match="currency"):
        store_from_partner(connection=partner, document={**tariff(), "currency": None})
    with pytest.raises(PartyMismatch):
        store_from_partner(connection=partner, document=tariff(party_id="XYZ"))
    result = store_from_partner(connection=partner, document=tariff())
    assert result.created and result.instance.source == partner


# Sender interface (our CPO).


def make_own_tariffs(count: int, start: datetime) -> list[Tariff]:
    rows = []
    for index in range(count):
        last_updated = start + timedelta(minutes=index)
        document = tariff(
            f"OWN{index:03}",
            last_updated=last_updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
            country_code="NL",
            party_id="TMC",
        )
        rows.append(
            Tariff(
                country_code="NL",
                party_id="TMC",
                ocpi_id=document["id"],
                last_updated=last_updated,
                document=document,
            )
        )
    return Tariff.objects.bulk_create(rows)


def test_sender_list_serves_our_tariffs_with_date_filters_and_headers(partner_client):
    make_own_tariffs(6, datetime(2024, 1, 1, tzinfo=UTC))
    put(partner_client, f"{RECEIVER}/DE/ABC/T1", tariff())
    deleted = Tariff.objects.get(ocpi_id="OWN005")
    deleted.deleted_at = datetime(2024, 2, 1, tzinfo=UTC)
    deleted.save()

    response = partner_client.get(f"{SENDER}?date_from=2024-01-01T00:01:00Z&limit=2")

    assert [d["id"] for d in response.json()["data"]] == ["OWN001", "OWN002"]
    assert response["X-Total-Count"] == "4"
    assert response["X-Limit"] == "2"
    assert "offset=2" in response["Link"]
    everything = partner_client.get(f"{SENDER}/").json()["data"]
    assert [d["id"] for d in everything] == [f"OWN00{i}" for i in range(5)]


def test_sender_list_queries_do_not_grow_with_the_page_size(
    partner_client, django_assert_max_num_queries
):
    make_own_tariffs(60, datetime(2024, 1, 1, tzinfo=UTC))
    with CaptureQueriesContext(db_connection) as small_page:
        assert len(partner_client.get(f"{SENDER}?limit=5").json()["data"]) == 5

    with django_assert_max_num_queries(len(small_page.captured_queries)):
        assert len(partner_client.get(f"{SENDER}?limit=50").json()["data"]) == 50


def test_version_details_list_both_interfaces(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1").json()["data"]["endpoints"]
    found = {
        (e["role"], e["url"].split("/2.2.1/")[1]) for e in endpoints if e["identifier"] == "tariffs"
    }
    assert found == {("SENDER", "cpo/tariffs"), ("RECEIVER", "emsp/tariffs")}


def test_admin_shows_a_tariff_with_its_versions(admin_client, partner):
    store_from_partner(connection=partner, document=tariff(last_updated="2024-01-01T00:00:00Z"))
    store_from_partner(
        connection=partner, document=tariff(last_updated="2024-02-01T00:00:00Z", price=0.4)
    )
    row = Tariff.objects.get()

    page = admin_client.get(f"/admin/ocpi_tariffs/tariff/{row.pk}/change/")

    assert page.status_code == 200
    assert "&quot;price&quot;: 0.4" in page.text
    assert "&quot;price&quot;: 0.25" in page.text  # the older version, in the history
    assert admin_client.get("/admin/ocpi_tariffs/tariff/").status_code == 200
