"""A partner on OCPI 2.3.0: the project's own 2.3.0 documents (tests/support/documents/v2_3_0)
are accepted, stored in 2.2.1 shape with the 2.3.0 members kept, and served back exactly as sent;
the tax model is translated both ways; the enumerations 2.3.0 made open take values we do not
know, where 2.2.1 still refuses them."""

import json
from decimal import Decimal

import hypothesis
import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from ocpi import tokens
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tokens.models import Token
from ocpi.translations import Context
from ocpi.translations.v2_3_0 import cdr_down, cdr_up, tariff_down, tariff_up
from ocpi.validation import open_choice, read_in
from tests.support.builders import cdr as cdr_document
from tests.support.builders import example
from tests.support.connections import make_connection
from tests.support.requests import put

BASE = "/ocpi/2.3.0"
NEW_TOKEN = "new-partner-token-0123456789"
LOCATION = f"{BASE}/emsp/locations/DE/NEW/LOC-230"


@pytest.fixture
def new_client(own_parties):
    """A client of a registered partner on 2.3.0 with a CPO (DE-NEW) and an eMSP (DE-NEM)."""
    make_connection(
        "New Partner", NEW_TOKEN, [("DE", "NEW", "CPO"), ("DE", "NEM", "EMSP")], version="2.3.0"
    )
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(NEW_TOKEN, plain=False))


def post(client, url: str, document) -> dict:
    response = client.post(url, json.dumps(document), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_location_with_the_new_fields_is_kept_and_served_back(new_client):
    sent = example("location", version="2.3.0")

    assert put(new_client, LOCATION, sent)["status_code"] == 1000

    stored = Location.objects.get().document
    assert stored["parking_places"][1]["vehicle_types"] == ["TRUCK_WITH_TRAILER", "SEMI_TRACTOR"]
    assert stored["evses"][1]["connectors"][0]["standard"] == "MCS"
    assert new_client.get(LOCATION).json()["data"] == sent


def test_a_tariff_with_taxes_included_is_stored_in_2_2_1_terms_and_served_back(new_client):
    sent = example("tariff", version="2.3.0")

    assert put(new_client, f"{BASE}/emsp/tariffs/DE/NEW/TARIFF-230", sent)["status_code"] == 1000

    stored = Tariff.objects.get().document
    assert stored["min_price"] == {"excl_vat": 2.0, "incl_vat": 2.38}
    assert stored["max_price"] == {"excl_vat": 100.0}
    assert stored["tax_included"] == "YES"
    served = new_client.get(f"{BASE}/emsp/tariffs/DE/NEW/TARIFF-230").json()["data"]
    assert served == sent


def test_a_session_price_with_taxes_becomes_excl_and_incl_vat(new_client):
    put(new_client, LOCATION, example("location", version="2.3.0"))
    sent = example("session", version="2.3.0")

    assert put(new_client, f"{BASE}/emsp/sessions/DE/NEW/SESSION-230", sent)["status_code"] == 1000

    cost = Session.objects.get().document["total_cost"]
    assert (cost["excl_vat"], cost["incl_vat"]) == (9.92, 11.8)
    served = new_client.get(f"{BASE}/emsp/sessions/DE/NEW/SESSION-230").json()["data"]
    assert served == sent


def test_a_cdr_is_posted_priced_and_served_back(new_client):
    put(new_client, LOCATION, example("location", version="2.3.0"))
    sent = example("cdr", version="2.3.0")

    assert post(new_client, f"{BASE}/emsp/cdrs", sent)["status_code"] == 1000

    stored = Cdr.objects.get().document
    assert stored["total_cost"]["excl_vat"] == 19.83 and stored["total_cost"]["incl_vat"] == 23.6
    assert stored["tariffs"][0]["min_price"] == {"excl_vat": 2.0, "incl_vat": 2.38}
    assert stored["invoice_reference_id"] == "INV-NEW-2026-03"
    assert new_client.get(f"{BASE}/emsp/cdrs/DE/NEW/CDR-230").json()["data"] == sent


def test_a_token_of_a_type_2_2_1_does_not_know_is_taken_on_2_3_0(new_client):
    sent = example("token", version="2.3.0")
    url = "cpo/tokens/DE/NEM/DENEMC00230X?type=EMAID"

    assert put(new_client, f"{BASE}/{url}", sent)["status_code"] == 1000

    assert Token.objects.get().token_type == "EMAID"
    assert new_client.get(f"{BASE}/{url}").json()["data"] == sent


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("evses", 0, "connectors", 0, "standard"), "MCS"),
        (("evses", 0, "capabilities"), ["REMOTE_START_STOP_CAPABLE", "PLUG_AND_PARK"]),
        (("evses", 0, "parking_restrictions"), ["TAXIS"]),
        (("parking_type",), "ROOFTOP"),
        (("facilities",), ["HYDROGEN_STATION"]),
    ],
)
def test_open_enumerations_take_unknown_values_on_2_3_0_and_not_on_2_2_1(new_client, path, value):
    document = example("location", version="2.3.0")
    holder = document
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value

    on_2_3_0 = put(new_client, LOCATION, document)
    on_2_2_1 = put(new_client, LOCATION.replace("2.3.0", "2.2.1"), document)

    assert on_2_3_0["status_code"] == 1000
    assert on_2_2_1["status_code"] == 2001 and path[-1] in on_2_2_1["status_message"]


@given(value=st.text(min_size=1, max_size=60))
def test_an_unknown_open_value_must_look_like_an_enumeration_value(value):
    field = open_choice(["KNOWN"], max_length=11)
    plain = value.isascii() and value.replace("_", "a").isalnum()
    with read_in("2.3.0"):
        try:
            accepted = field.run_validation(value) == value
        except ValidationError:
            accepted = False

    assert accepted == (plain and len(value) <= 11)


taxes = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["VAT", "GST", "QST"]), "amount": st.decimals(0, 500, places=2)},
        optional={"percentage": st.decimals(0, 30, places=1).map(float)},
    ).map(lambda tax: {**tax, "amount": float(tax["amount"])}),
    max_size=3,
)
amounts = st.decimals(min_value=0, max_value=10000, places=4).map(float)


@given(before=amounts, taxes=taxes, limit=st.one_of(st.none(), amounts))
def test_the_2_3_0_tax_model_survives_a_round_trip_through_our_documents(before, taxes, limit):
    price = {"before_taxes": before, "taxes": taxes}
    cdr = {**cdr_document("CDR-1"), "total_cost": price, "total_energy_cost": price}
    tariff = {"id": "T1", "tax_included": "NO", "elements": []}
    if limit is not None:
        tariff["min_price"] = {"before_taxes": limit, "after_taxes": limit}
    cdr["tariffs"] = [tariff]

    assert cdr_down(cdr_up(cdr, Context(), False), Context(), False) == cdr
    assert tariff_down(tariff_up(tariff, Context(), False), Context(), False) == tariff


@given(excl=amounts, vat=amounts, with_vat=st.booleans())
def test_a_2_2_1_price_keeps_its_amounts_through_2_3_0(excl, vat, with_vat):
    incl = float(Decimal(str(excl)) + Decimal(str(vat)))
    price = {"excl_vat": excl, "incl_vat": incl} if with_vat else {"excl_vat": excl}
    cdr = {**cdr_document("CDR-1"), "total_cost": price}

    back = cdr_up(cdr_down(cdr, Context(), False), Context(), False)["total_cost"]

    assert (back["excl_vat"], back.get("incl_vat")) == (excl, price.get("incl_vat"))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
numbers = st.floats() | st.integers(min_value=-(10**30), max_value=10**30)
tax_lists = st.lists(st.fixed_dictionaries({"amount": numbers | json_values}), max_size=3)
prices = st.fixed_dictionaries(
    {},
    optional={
        "before_taxes": numbers | json_values,
        "after_taxes": numbers | json_values,
        "taxes": tax_lists | json_values,
        "excl_vat": numbers | json_values,
        "incl_vat": numbers | json_values,
    },
)


@given(price=st.one_of(prices, json_values), limit=st.one_of(prices, json_values))
@hypothesis.example(price={"before_taxes": float("inf"), "taxes": [{"amount": 1}]}, limit=None)
def test_any_price_a_partner_sends_is_translated_without_an_error(price, limit):
    """Whatever shape a partner's price has (numbers that overflow, strings, nesting), the edge
    translates it or leaves it for validation to refuse by name; it never fails itself."""
    cdr = {"total_cost": price, "total_time_cost": price, "tariffs": [{"min_price": limit}]}

    for convert in (cdr_up, cdr_down):
        convert(cdr, Context(), False)


def test_a_2_2_1_tariff_says_whether_taxes_apply_when_it_goes_down():
    with_vat = {"elements": [{"price_components": [{"type": "TIME", "price": 2, "vat": 7}]}]}
    without = {"elements": [{"price_components": [{"type": "TIME", "price": 2}]}]}

    assert tariff_down(with_vat, Context(), False)["tax_included"] == "NO"
    assert tariff_down(without, Context(), False)["tax_included"] == "N/A"
    assert "tax_included" not in tariff_down({"last_updated": "x"}, Context(), True)


def test_2_3_0_answers_carry_the_request_ids_as_2_2_1_does(new_client):
    response = new_client.get(
        f"{BASE}/emsp/tariffs/DE/NEW/NONE", HTTP_X_REQUEST_ID="req-1", HTTP_X_CORRELATION_ID="cor-1"
    )

    assert (response["X-Request-ID"], response["X-Correlation-ID"]) == ("req-1", "cor-1")
