"""The location page shows what a CPO on OCPI 2.3.0 says about parking and access: the help
line, each parking place in words with the EVSEs that reach it, the contracts accepted at an
EVSE and a connector's Plug & Charge capability; a location without them shows none of it."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from ocpi.modules.locations.models import Location
from portal.staff.roles import SUPPORT
from tests.support.builders import example, our_location_document
from tests.support.portal_factories import staff_member


@pytest.fixture
def support_client(client, db):
    client.force_login(staff_member(SUPPORT, "sam"))
    return client


def stored(document: dict) -> Location:
    return Location.objects.create(
        country_code=document["country_code"],
        party_id=document["party_id"],
        ocpi_id=document["id"],
        last_updated=datetime(2026, 3, 1, 8, tzinfo=UTC),
        document=document,
        time_zone=document["time_zone"],
    )


def test_parking_places_and_access_are_told_in_words(support_client):
    location = stored(example("location", version="2.3.0"))

    page = support_client.get(reverse("staff:location", args=[location.pk])).content.decode()

    assert 'href="tel:+4934112345678"' in page
    assert "P1 (01)" in page and "car, van" in page and "height ≤ 275 cm" in page
    assert "P2" in page and "truck with trailer, semi-tractor" in page
    assert "weight ≤ 40,000 kg" in page and "reservation required" in page
    assert "at most 90 min" in page and "no dangerous goods" in page and "drive-through" in page
    assert "DE*NEW*E2302" in page.split("P2")[-1]  # the EVSE that reaches P2
    assert "Rhein Charge, Lindenau Mobil" in page
    assert "ISO_15118_2_PLUG_AND_CHARGE" in page


def test_a_location_without_parking_data_has_no_parking_section(support_client):
    location = stored(our_location_document())

    page = support_client.get(reverse("staff:location", args=[location.pk])).content.decode()

    assert "Parking places" not in page and "Help line" not in page
