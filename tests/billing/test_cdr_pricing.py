"""Stored CDRs priced on commit: tariffs, time zone, verdict, driver price, our own CDRs."""

import copy
from decimal import Decimal

import pytest

from billing.cdr_pricing.pricer import cdr_tariffs
from billing.models import DriverContract, DriverPrice, PricedCdr
from billing.services import UnpriceableCdr, cdr_document_price, cdr_price
from ocpi.modules.cdrs import services as cdrs
from ocpi.modules.locations import services as locations
from ocpi.modules.tariffs import services as tariffs
from tests.support.priced_cdrs import CONTRACT_ID, cdr, energy_tariff, location, tariff


@pytest.fixture
def store_cdr(partner, django_capture_on_commit_callbacks):
    """Store a partner's CDR the way the CDR receiver does, committing (pricing runs on commit)."""

    def store(document):
        with django_capture_on_commit_callbacks(execute=True):
            result = cdrs.store_from_partner(connection=partner, document=document)
        return PricedCdr.objects.get(cdr=result.instance)

    return store


def test_a_stored_cdr_is_priced_on_commit_and_matches(store_cdr):
    # 2 hours at 2.00/hour excl. VAT, 10 % VAT: the partner's 4.00 / 4.40 is right
    priced = store_cdr(cdr(embedded=[tariff()], tariff_id=None))

    assert priced.verdict == "MATCH"
    assert priced.tariff_source == "EMBEDDED"
    assert (priced.total_cost_excl_vat, priced.total_cost_incl_vat) == (
        Decimal("4.0000"),
        Decimal("4.4000"),
    )
    assert priced.total_time_cost_excl_vat == Decimal("4.0000")
    assert priced.breakdown[0]["dimension"] == "TIME"
    assert priced.difference_excl_vat == Decimal("0")


def test_nothing_is_priced_before_commit(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cdrs.store_from_partner(connection=partner, document=cdr(embedded=[tariff()]))

    assert callbacks and not PricedCdr.objects.exists()


def test_the_largest_total_a_partner_may_state_is_priced_and_stored(store_cdr):
    # OCPI validation accepts amounts below 10**13; our columns must hold them and a difference.
    largest = 9_999_999_999_999.99
    priced = store_cdr(cdr(embedded=[tariff()], tariff_id=None, total_cost=(largest, largest)))

    assert priced.verdict == "MISMATCH"
    assert priced.difference_excl_vat == Decimal("9999999999995.99")


def test_a_mismatch_records_the_difference_and_the_dimensions(store_cdr):
    document = cdr(
        embedded=[tariff()],
        total_cost=(5.00, 5.50),
        total_time_cost=(5.00, 5.50),
        total_energy_cost=(0, 0),
    )

    priced = store_cdr(document)

    assert priced.verdict == "MISMATCH"
    assert (priced.difference_excl_vat, priced.difference_incl_vat) == (
        Decimal("1.0000"),
        Decimal("1.1000"),
    )
    assert priced.differing_dimensions == ["total_time_cost"]


def test_a_cdr_without_any_tariff_is_unpriceable(store_cdr):
    priced = store_cdr(cdr(tariff_id="NOT-STORED"))

    assert priced.verdict == "UNPRICEABLE"
    assert priced.tariff_source == "NONE"
    assert "no tariff" in priced.reason and "NOT-STORED" in priced.reason
    assert priced.total_cost_excl_vat is None


def test_a_tariff_in_another_currency_is_unpriceable(store_cdr):
    priced = store_cdr(cdr(embedded=[tariff(currency="USD")]))

    assert priced.verdict == "UNPRICEABLE"
    assert "currency mismatch" in priced.reason


def test_an_old_cdr_is_priced_with_the_tariff_version_valid_at_its_start(partner, store_cdr):
    tariffs.store_from_partner(
        connection=partner, document=energy_tariff(0.30, last_updated="2025-01-01T00:00:00Z")
    )
    tariffs.store_from_partner(
        connection=partner, document=energy_tariff(0.50, last_updated="2025-06-01T00:00:00Z")
    )

    # 20 kWh: 6.00 with the January version, 10.00 with the June one
    march = store_cdr(cdr("MARCH", total_cost=(6.00, 7.20)))
    july = store_cdr(
        cdr("JULY", start="2025-07-01T10:00:00Z", end="2025-07-01T12:00:00Z", total_cost=(6, 7.2))
    )

    assert march.verdict == "MATCH"
    assert march.tariff_source == "STORED"
    assert march.tariffs[0]["last_updated"] == "2025-01-01T00:00:00Z"
    assert july.total_cost_excl_vat == Decimal("10.0000")
    assert july.verdict == "MISMATCH"


def test_the_connector_tariff_of_the_stored_location_prices_a_cdr_naming_none(partner, store_cdr):
    tariffs.store_from_partner(connection=partner, document=energy_tariff(0.30))
    locations.store_from_partner(connection=partner, document=location())

    priced = store_cdr(cdr(tariff_id=None, total_cost=(6.00, 7.20)))

    assert (priced.tariff_source, priced.verdict) == ("STORED", "MATCH")


def test_one_rule_names_the_tariffs_of_a_cdr_document(partner):
    """The rule pricing applies, also for a CDR not stored yet: the CDR's own tariffs, else the
    versions valid at its start of those its periods name, else of its connector's."""
    tariffs.store_from_partner(connection=partner, document=energy_tariff(0.30))
    tariffs.store_from_partner(
        connection=partner, document=energy_tariff(0.50, last_updated="2025-06-01T00:00:00Z")
    )
    tariffs.store_from_partner(connection=partner, document=energy_tariff(0.90, tariff_id="T2"))
    locations.store_from_partner(connection=partner, document=location())

    by_connector = cdr_tariffs(cdr=cdr(tariff_id=None))
    by_period = cdr_tariffs(cdr=cdr(tariff_id="T2"))
    own = cdr_tariffs(cdr=cdr(embedded=[energy_tariff(0.10, tariff_id="OWN")]))

    assert [(t["id"], t["last_updated"]) for t in by_connector] == [("T1", "2025-01-01T00:00:00Z")]
    assert [t["id"] for t in by_period] == ["T2"]
    assert [t["id"] for t in own] == ["OWN"]


def test_restrictions_are_read_in_the_stored_location_time_zone(partner, store_cdr):
    # 02:30 UTC on 15 March is 19:30 in Los Angeles (the stored location) but 22:30 in New
    # York (the zone the CDR's country alone would give): only the former is evening rate.
    evening = energy_tariff(0.20, start_time="19:00", end_time="21:00")
    evening["elements"].append(
        {"price_components": [{"type": "ENERGY", "price": 0.40, "vat": 20.0, "step_size": 1}]}
    )
    tariffs.store_from_partner(connection=partner, document=evening)
    locations.store_from_partner(
        connection=partner, document=location(time_zone="America/Los_Angeles")
    )
    document = cdr(
        start="2025-03-15T02:30:00Z", end="2025-03-15T03:00:00Z", hours=0.5, country="USA"
    )

    priced = store_cdr(document)

    assert priced.time_zone == "America/Los_Angeles"
    assert priced.total_energy_cost_excl_vat == Decimal("4.0000")  # 20 kWh at 0.20


def test_the_engine_falls_back_to_the_cdr_country_without_a_stored_location(partner, store_cdr):
    evening = energy_tariff(0.20, start_time="19:00", end_time="21:00")
    evening["elements"].append(
        {"price_components": [{"type": "ENERGY", "price": 0.40, "vat": 20.0, "step_size": 1}]}
    )
    tariffs.store_from_partner(connection=partner, document=evening)
    document = cdr(
        start="2025-03-15T02:30:00Z", end="2025-03-15T03:00:00Z", hours=0.5, country="USA"
    )

    priced = store_cdr(document)

    assert priced.time_zone == "America/New_York"
    assert priced.total_energy_cost_excl_vat == Decimal("8.0000")


def test_the_driver_price_by_markup(store_cdr):
    DriverContract.objects.create(
        contract_id=CONTRACT_ID.lower(),
        name="Alice",
        method=DriverContract.Method.MARKUP,
        markup_percent=Decimal("10"),
        session_fee=Decimal("0.50"),
        vat_rate=Decimal("21"),
    )

    priced = store_cdr(cdr(embedded=[tariff()]))

    price = DriverPrice.objects.get(cdr_id=priced.cdr_id)
    # 4.00 + 10 % + 0.50 = 4.90; VAT 1.029 -> 1.03
    assert (price.excl_vat, price.incl_vat, price.method) == (
        Decimal("4.90"),
        Decimal("5.93"),
        "MARKUP",
    )
    assert price.contract.name == "Alice"


def test_the_markup_applies_to_our_price_not_an_overcharge(store_cdr):
    DriverContract.objects.create(contract_id=CONTRACT_ID, name="Bob", vat_rate=Decimal("0"))

    priced = store_cdr(cdr(embedded=[tariff()], total_cost=(9.00, 9.90)))

    assert priced.verdict == "MISMATCH"
    assert DriverPrice.objects.get(cdr_id=priced.cdr_id).excl_vat == Decimal("4.00")


def test_the_driver_price_by_our_emsp_tariff(store_cdr):
    emsp_tariff = energy_tariff(0.45, tariff_id="DRIVER-FLEX") | {
        "country_code": "NL",
        "party_id": "TME",
    }
    DriverContract.objects.create(
        contract_id=CONTRACT_ID,
        name="Carol",
        method=DriverContract.Method.TARIFF,
        tariff=emsp_tariff,
        vat_rate=Decimal("21"),
    )

    priced = store_cdr(cdr(embedded=[tariff()]))

    price = DriverPrice.objects.get(cdr_id=priced.cdr_id)
    # 20 kWh at 0.45 = 9.00; VAT 21 % = 1.89
    assert (price.excl_vat, price.incl_vat, price.method) == (
        Decimal("9.00"),
        Decimal("10.89"),
        "TARIFF",
    )
    assert "DRIVER-FLEX" in price.explanation


def test_a_credit_cdr_matches_with_a_negative_total_and_credits_the_driver(store_cdr):
    DriverContract.objects.create(contract_id=CONTRACT_ID, name="Erin", vat_rate=Decimal("21"))
    store_cdr(cdr("ORIGINAL", embedded=[tariff()]))
    credit = {
        **cdr("ORIGINAL-C", embedded=[tariff()], total_cost=(-4.00, -4.40)),
        "credit": True,
        "credit_reference_id": "ORIGINAL",
    }

    priced = store_cdr(credit)

    assert priced.verdict == "MATCH"
    assert priced.total_cost_excl_vat == Decimal("-4.0000")
    price = DriverPrice.objects.get(cdr_id=priced.cdr_id)
    assert (price.excl_vat, price.incl_vat) == (Decimal("-4.00"), Decimal("-4.84"))
    assert price.explanation.startswith("Credit of")


def test_pricing_again_replaces_the_result(store_cdr):
    priced = store_cdr(cdr(embedded=[tariff()]))
    contract = DriverContract.objects.create(contract_id=CONTRACT_ID, name="Dan")

    again = cdr_price(cdr_id=priced.cdr_id)
    assert DriverPrice.objects.filter(cdr_id=priced.cdr_id).exists()
    contract.delete()
    cdr_price(cdr_id=priced.cdr_id)

    assert again.priced_at > priced.priced_at
    assert PricedCdr.objects.count() == 1
    assert not DriverPrice.objects.exists()


def test_our_own_cdr_gets_its_totals_from_the_engine(own_parties):
    tariffs.tariff_save_own(
        party=own_parties["CPO"],
        document={**energy_tariff(0.25, start_time="18:00", end_time="23:00"), **OWN},
    )
    document = {**cdr(start="2025-03-14T17:30:00Z", end="2025-03-14T18:30:00Z"), **OWN}
    del document["total_cost"]

    # 17:30 UTC is 18:30 in Amsterdam: the evening element applies
    priced = cdr_document_price(document, tz="Europe/Amsterdam")

    assert priced["total_cost"] == {"excl_vat": 5.0, "incl_vat": 6.0}
    assert priced["total_energy_cost"] == {"excl_vat": 5.0, "incl_vat": 6.0}
    assert priced["total_energy"] == 20.0
    assert "total_cost" not in document  # the caller's document is left as it was


OWN = {"country_code": "NL", "party_id": "TMC"}


def test_our_own_cdr_without_a_tariff_cannot_be_priced(own_parties):
    document = {**cdr(tariff_id="NONE"), **OWN}

    with pytest.raises(UnpriceableCdr, match="no tariff"):
        cdr_document_price(copy.deepcopy(document))
