"""A CDR that arrived before its tariff is priced once the tariff is stored."""

import json
from decimal import Decimal

import pytest

from billing.models import PricedCdr
from ocpi.models import OwnParty
from ocpi.modules.cdrs import services as cdrs
from ocpi.modules.locations import services as locations
from ocpi.modules.tariffs import services as tariffs
from tests.support.priced_cdrs import cdr, energy_tariff, location

TARIFFS_URL = "/ocpi/2.2.1/emsp/tariffs/DE/ABC"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write the way a request commits it: its on-commit work (pricing) runs too."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


@pytest.fixture
def store_cdr(partner, committed):
    def store(document) -> PricedCdr:
        result = committed(lambda: cdrs.store_from_partner(connection=partner, document=document))
        return PricedCdr.objects.get(cdr=result.instance)

    return store


@pytest.fixture
def put_tariff(partner_client, committed):
    """The partner PUTs a tariff to our eMSP's receiver interface."""

    def put(document) -> None:
        response = committed(
            lambda: partner_client.put(
                f"{TARIFFS_URL}/{document['id']}",
                json.dumps(document),
                content_type="application/json",
            )
        )
        assert response.status_code == 200, response.content

    return put


def priced(cdr_id: str) -> PricedCdr:
    return PricedCdr.objects.get(cdr__ocpi_id=cdr_id)


def test_a_cdr_naming_a_tariff_not_yet_stored_is_priced_when_the_tariff_arrives(
    store_cdr, put_tariff
):
    # 20 kWh at 0.30 EUR, 20 % VAT: 6.00 / 7.20 as the partner says; 7.00 is an overcharge
    assert store_cdr(cdr("RIGHT", total_cost=(6.00, 7.20))).verdict == "UNPRICEABLE"
    assert store_cdr(cdr("OVERCHARGED", total_cost=(7.00, 8.40))).verdict == "UNPRICEABLE"

    put_tariff(energy_tariff(0.30))

    right, overcharged = priced("RIGHT"), priced("OVERCHARGED")
    assert (right.verdict, right.tariff_source, right.reason) == ("MATCH", "STORED", "")
    assert right.total_cost_excl_vat == Decimal("6.0000")
    assert right.tariffs[0]["id"] == "T1"
    assert overcharged.verdict == "MISMATCH"
    assert overcharged.difference_excl_vat == Decimal("1.0000")


def test_a_cdr_whose_stored_connector_names_the_tariff_is_priced_when_it_arrives(
    partner, store_cdr, put_tariff, committed
):
    committed(lambda: locations.store_from_partner(connection=partner, document=location()))
    assert store_cdr(cdr(tariff_id=None, total_cost=(6.00, 7.20))).verdict == "UNPRICEABLE"

    put_tariff(energy_tariff(0.30))

    assert priced("CDR1").verdict == "MATCH"


def test_cdrs_waiting_for_another_tariff_are_left_alone(store_cdr, put_tariff):
    waiting = store_cdr(cdr("OTHER", tariff_id="T2"))

    put_tariff(energy_tariff(0.30, tariff_id="T1"))

    other = priced("OTHER")
    assert other.verdict == "UNPRICEABLE" and "T2" in other.reason
    assert other.priced_at == waiting.priced_at  # not even priced again


def test_an_own_tariff_saved_prices_our_cdrs_waiting_for_it(own_parties, committed):
    party = OwnParty.objects.get(country_code="NL", party_id="TMC")
    document = {**cdr(total_cost=(6.00, 7.20)), "country_code": "NL", "party_id": "TMC"}
    stored = committed(lambda: cdrs.cdr_create_own(party=party, document=document))
    assert PricedCdr.objects.get(cdr=stored.instance).verdict == "UNPRICEABLE"

    committed(
        lambda: tariffs.tariff_save_own(
            party=party, document={**energy_tariff(0.30), "country_code": "NL", "party_id": "TMC"}
        )
    )

    assert PricedCdr.objects.get(cdr=stored.instance).verdict == "MATCH"


def test_nothing_is_priced_again_before_the_tariff_commits(
    partner, store_cdr, django_capture_on_commit_callbacks
):
    store_cdr(cdr())

    with django_capture_on_commit_callbacks(execute=False):
        tariffs.store_from_partner(connection=partner, document=energy_tariff(0.30))

    assert priced("CDR1").verdict == "UNPRICEABLE"
