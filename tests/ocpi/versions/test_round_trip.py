"""A round trip 2.2.1 -> 2.1.1 -> 2.2.1 keeps every field 2.1.1 holds: only the fields
ocpi.translations.v2_1_1.LOST names (and docs/versions.md lists) are lost. The 2.2.1 documents
are generated from the test builders, varied where 2.1.1 can follow."""

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi.models import OwnParty
from ocpi.translations import Context
from ocpi.translations.v2_1_1 import (
    CAPABILITIES,
    DIMENSIONS,
    LOST,
    PARKING_TYPES,
    cdr_down,
    cdr_up,
    location_down,
    location_up,
    session_down,
    session_up,
    tariff_down,
    tariff_up,
    token_down,
    token_up,
)
from tests.support.builders import cdr as cdr_document
from tests.support.builders import our_location_document, partner_token

ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-", min_size=1, max_size=36)
amounts = st.decimals(min_value=0, max_value=10000, places=4).map(float)
stamps = st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ"))


def context_for(*, partner: tuple[str, str], location=None, token=None) -> Context:
    """A translation context that knows one stored location and one token, without a database."""
    return Context(
        our=OwnParty(country_code="DE", party_id="EMP", role="EMSP"),
        partner=partner,
        location=lambda cc, pid, location_id: location,
        token_by_contract=lambda contract_id: token,
        token_by_uid=lambda uid, token_type: token,
    )


def without_lost(document: dict, kind: str) -> dict:
    return {k: v for k, v in document.items() if k not in LOST.get(kind, set())}


@st.composite
def locations(draw) -> dict:
    document = our_location_document()
    document["id"] = draw(ids)
    document["last_updated"] = draw(stamps)
    if draw(st.booleans()):
        document["parking_type"] = draw(st.sampled_from(sorted(PARKING_TYPES)))
    if draw(st.booleans()):
        document["name"] = draw(st.text(max_size=40))
    document["publish"] = True
    evse = document["evses"][0]
    evse["uid"] = draw(ids)
    evse["capabilities"] = draw(st.lists(st.sampled_from(sorted(CAPABILITIES)), unique=True))
    connector = evse["connectors"][0]
    connector["max_voltage"] = draw(st.integers(min_value=100, max_value=1000))
    connector["max_amperage"] = draw(st.integers(min_value=6, max_value=500))
    connector["power_type"] = draw(st.sampled_from(["AC_1_PHASE", "AC_3_PHASE", "DC"]))
    if draw(st.booleans()):
        connector["tariff_ids"] = [draw(ids)]
    document["x_extension"] = draw(st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
    return document


def location_kept(document: dict) -> dict:
    kept = without_lost(document, "Location")
    kept["publish"] = True  # 2.1.1 knows only published locations
    kept["evses"] = [
        {**evse, "connectors": [without_lost(c, "Connector") for c in evse["connectors"]]}
        for evse in document["evses"]
    ]
    return kept


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(locations())
def test_a_location_keeps_what_2_1_1_holds(document):
    context = context_for(partner=("NL", "TMC"))
    down = location_down(copy.deepcopy(document), context, False)
    assert "country_code" not in down and "publish" not in down
    assert down["type"] in PARKING_TYPES | {"UNKNOWN"}
    assert location_up(down, context, False) == location_kept(document)


@st.composite
def tariffs(draw) -> dict:
    component = {
        "type": draw(st.sampled_from(["ENERGY", "FLAT", "PARKING_TIME", "TIME"])),
        "price": draw(amounts),
        "step_size": draw(st.integers(min_value=1, max_value=3600)),
    }
    if draw(st.booleans()):
        component["vat"] = draw(amounts)
    document = {
        "country_code": "NL",
        "party_id": "TMC",
        "id": draw(ids),
        "currency": draw(st.sampled_from(["EUR", "CHF"])),
        "elements": [{"price_components": [component]}],
        "last_updated": draw(stamps),
    }
    if draw(st.booleans()):
        document["min_price"] = {"excl_vat": draw(amounts)}
    if draw(st.booleans()):
        document["type"] = "REGULAR"
    return document


@settings(max_examples=60)
@given(tariffs())
def test_a_tariff_keeps_what_2_1_1_holds(document):
    context = context_for(partner=("NL", "TMC"))
    expected = without_lost(document, "Tariff")
    expected["elements"] = [
        {"price_components": [without_lost(c, "PriceComponent") for c in e["price_components"]]}
        for e in document["elements"]
    ]
    assert tariff_up(tariff_down(copy.deepcopy(document), context, False), context, False) == (
        expected
    )


@st.composite
def tokens(draw) -> dict:
    return partner_token(
        uid=draw(ids),
        type=draw(st.sampled_from(["RFID", "OTHER"])),
        contract_id=draw(ids),
        valid=draw(st.booleans()),
        whitelist=draw(st.sampled_from(["ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER"])),
        group_id=draw(ids),
    )


@settings(max_examples=60)
@given(tokens())
def test_a_token_keeps_what_2_1_1_holds(document):
    context = context_for(partner=("DE", "ABE"))
    down = token_down(copy.deepcopy(document), context, False)
    assert down["auth_id"] == document["contract_id"]
    assert token_up(down, context, False) == without_lost(document, "Token")


def periods(draw) -> list:
    return [
        {
            "start_date_time": draw(stamps),
            "dimensions": [
                {"type": draw(st.sampled_from(sorted(DIMENSIONS))), "volume": draw(amounts)}
            ],
        }
    ]


@st.composite
def sessions(draw) -> tuple[dict, dict]:
    location = draw(locations())
    evse = location["evses"][0]
    document = {
        "country_code": "NL",
        "party_id": "TMC",
        "id": draw(ids),
        "start_date_time": draw(stamps),
        "kwh": draw(amounts),
        "cdr_token": {
            "country_code": "DE",
            "party_id": "EMP",
            "uid": draw(ids),
            "type": "RFID",
            "contract_id": draw(ids),
        },
        "auth_method": draw(st.sampled_from(["AUTH_REQUEST", "WHITELIST"])),
        "location_id": location["id"],
        "evse_uid": evse["uid"],
        "connector_id": evse["connectors"][0]["id"],
        "currency": "EUR",
        "charging_periods": periods(draw),
        "total_cost": {"excl_vat": draw(amounts)},
        "status": draw(st.sampled_from(["ACTIVE", "COMPLETED", "INVALID", "PENDING"])),
        "last_updated": draw(stamps),
    }
    if draw(st.booleans()):
        document["end_date_time"] = draw(stamps)
        document["authorization_reference"] = draw(ids)
    return document, location


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(sessions())
def test_a_session_keeps_what_2_1_1_holds(drawn):
    document, location = drawn
    context = context_for(partner=("NL", "TMC"), location=location, token=document["cdr_token"])
    down = session_down(copy.deepcopy(document), context, False)
    assert down["location"]["id"] == location["id"] and "cdr_token" not in down
    assert isinstance(down["total_cost"], float)
    assert session_up(down, context, False) == without_lost(document, "Session")


@st.composite
def cdrs(draw) -> tuple[dict, dict]:
    location = draw(locations())
    document = cdr_document(
        draw(ids),
        party=("NL", "TMC"),
        charging_periods=periods(draw),
        total_cost={"excl_vat": draw(amounts), "incl_vat": draw(amounts)},
        total_energy=draw(amounts),
    )
    document["tariffs"] = [draw(tariffs())]
    document["cdr_location"]["id"] = location["id"]
    if draw(st.booleans()):
        document["total_energy_cost"] = {"excl_vat": draw(amounts)}
    return document, location


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(cdrs())
def test_a_cdr_keeps_what_2_1_1_holds(drawn):
    document, location = drawn
    context = context_for(partner=("NL", "TMC"), location=location, token=document["cdr_token"])
    down = cdr_down(copy.deepcopy(document), context, False)
    assert down["stop_date_time"] == document["end_date_time"]
    assert down["location"]["evses"][0]["uid"] == document["cdr_location"]["evse_uid"]
    expected = without_lost(document, "Cdr")
    expected["total_cost"] = without_lost(document["total_cost"], "Price")
    expected["tariffs"] = [
        {
            **without_lost(t, "Tariff"),
            "elements": [
                {
                    "price_components": [
                        without_lost(c, "PriceComponent") for c in e["price_components"]
                    ]
                }
                for e in t["elements"]
            ],
        }
        for t in document["tariffs"]
    ]
    back = cdr_up(down, context, False)
    # The place may come back richer (what the stored location adds, e.g. its name), never poorer.
    place = back.pop("cdr_location")
    assert place.items() >= without_lost(expected.pop("cdr_location"), "CdrLocation").items()
    assert back == expected
