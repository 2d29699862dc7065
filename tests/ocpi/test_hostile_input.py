"""Hostile and broken input, generated: every answer is an OCPI envelope, never a 5xx, and a
refusal names what was wrong. Whatever we answer 1000 to can be read back where we said."""

import json
import string
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi import tokens
from ocpi.models import TrafficLog
from ocpi.modules.cdrs.models import Cdr
from tests.support.builders import partner_token
from tests.support.connections import PARTNER_TOKEN

LOCATIONS = "/ocpi/2.2.1/cpo/locations"
CDRS = "/ocpi/2.2.1/emsp/cdrs"
TOKENS = "/ocpi/2.2.1/cpo/tokens/DE/ABE"

fuzz = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def client(authorization: str | None = None) -> Client:
    header = authorization or tokens.authorization_header(PARTNER_TOKEN, plain=False)
    return Client(HTTP_AUTHORIZATION=header)


def answer(response) -> dict:
    """The envelope of an answer, after checking that it is one and that nothing failed on our
    side."""
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = json.loads(response.content)
    assert isinstance(body["status_code"], int) and body["timestamp"], body
    return body


def refused_naming(body: dict, field: str) -> bool:
    return body["status_code"] == 2001 and field in body.get("status_message", "")


two_digits = st.integers(min_value=0, max_value=99).map("{:02d}".format)
date_times = st.builds(
    lambda year, month, day, hour, minute, second, zone: (
        f"{year:04d}-{month}-{day}T{hour}:{minute}:{second}{zone}"
    ),
    st.integers(min_value=0, max_value=9999),
    two_digits,
    two_digits,
    two_digits,
    two_digits,
    two_digits,
    st.one_of(
        st.just(""),
        st.just("Z"),
        st.builds(
            lambda sign, h, m: f"{sign}{h}:{m}", st.sampled_from("+-"), two_digits, two_digits
        ),
    ),
)


@fuzz
@given(name=st.sampled_from(["date_from", "date_to"]), value=date_times)
def test_any_date_filter_is_used_or_refused_naming_the_parameter(partner, name, value):
    body = answer(client().get(LOCATIONS, {name: value}))
    assert body["status_code"] == 1000 or refused_naming(body, name), body


@fuzz
@given(
    name=st.sampled_from(["offset", "limit"]),
    value=st.integers(min_value=-(10**40), max_value=10**40).map(str) | st.text(max_size=30),
)
def test_any_offset_or_limit_is_used_or_refused_naming_the_parameter(partner, name, value):
    body = answer(client().get(LOCATIONS, {name: value}))
    assert body["status_code"] == 1000 or refused_naming(body, name), body


@fuzz
@given(credential=st.text(min_size=1, max_size=80))
@pytest.mark.parametrize("path", ["/ocpi/versions", LOCATIONS])
def test_any_authorization_header_gets_an_envelope(partner, path, credential):
    try:
        response = client(f"Token {credential}").get(path)
    except UnicodeEncodeError:
        return  # not expressible as an HTTP header
    body = answer(response)
    assert response.status_code == 401 and body["status_code"] == 2000, body


@fuzz
@given(depth=st.integers(min_value=1, max_value=20_000))
def test_json_nested_to_any_depth_is_answered(partner, depth):
    raw = "[" * depth + "]" * depth
    response = client().put(f"{TOKENS}/T1", raw, content_type="application/json")
    body = answer(response)
    assert body["status_code"] == 2001, body


surrogates = st.integers(min_value=0xD800, max_value=0xDFFF).map(lambda code: f"\\u{code:04x}")


@fuzz
@given(member=st.sampled_from(["issuer", "x_unknown_extension"]), escape=surrogates)
def test_a_lone_surrogate_anywhere_is_refused_naming_the_member(partner, member, escape):
    document = json.dumps(partner_token(uid="T1")).rstrip("}")
    raw = f'{document}, "{member}": "a{escape}b"}}'
    if member == "issuer":
        raw = raw.replace('"issuer": "ABE Mobility", ', "")
    body = answer(client().put(f"{TOKENS}/T1", raw, content_type="application/json"))
    assert refused_naming(body, member), body


# Characters whose upper-case form is longer ('ß' -> 'SS'): ids are stored upper-cased.
growing_ids = st.text(alphabet="ßŉﬁ", min_size=13, max_size=36)
ids = (
    growing_ids
    | st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=45)
    | st.text(alphabet=string.printable, min_size=1, max_size=40)
)


def cdr(cdr_id: str) -> dict:
    return {
        "country_code": "DE",
        "party_id": "ABC",
        "id": cdr_id,
        "start_date_time": "2026-01-01T10:00:00Z",
        "end_date_time": "2026-01-01T11:00:00Z",
        "cdr_token": {
            "country_code": "NL",
            "party_id": "TME",
            "uid": "012345678",
            "type": "RFID",
            "contract_id": "NL-TME-C12345678-X",
        },
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "LOC1",
            "address": "Main street 1",
            "city": "Utrecht",
            "country": "NLD",
            "coordinates": {"latitude": "52.090737", "longitude": "5.121420"},
            "evse_uid": "E1",
            "evse_id": "DE*ABC*E1",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "charging_periods": [
            {
                "start_date_time": "2026-01-01T10:00:00Z",
                "dimensions": [{"type": "ENERGY", "volume": 10}],
            }
        ],
        "total_cost": {"excl_vat": 2.5},
        "total_energy": 10,
        "total_time": 1,
        "last_updated": "2026-01-01T11:00:00Z",
    }


@fuzz
@given(cdr_id=ids)
def test_a_cdr_answered_1000_can_be_read_at_its_location(partner, cdr_id):
    Cdr.objects.all().delete()
    response = client().post(CDRS, json.dumps(cdr(cdr_id)), content_type="application/json")
    body = answer(response)
    if body["status_code"] != 1000:
        assert refused_naming(body, "id"), body
        return
    read_back = answer(client().get(response["Location"]))
    assert read_back["status_code"] == 1000 and read_back["data"]["id"] == cdr_id


@fuzz
@given(uid=ids)
def test_a_token_answered_1000_is_stored_under_its_id(partner, uid):
    document = partner_token(uid=uid)
    response = client().put(
        f"{TOKENS}/{quote(uid, safe='')}", json.dumps(document), content_type="application/json"
    )
    body = answer(response)
    assert body["status_code"] == 1000 or refused_naming(body, "uid") or response.status_code == 404


def test_a_body_over_our_limit_gets_413_in_an_envelope(partner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client().post(
        CDRS, json.dumps(cdr("C" * 10) | {"x": "y" * 2000}), content_type="application/json"
    )
    body = json.loads(response.content)
    assert response.status_code == 413 and body["status_code"] == 2001
    assert "1000 bytes" in body["status_message"]


def test_a_url_over_our_limit_gets_414_in_an_envelope(partner, settings):
    settings.OCPI_MAX_URL_LENGTH = 100
    response = client().get(LOCATIONS, {"x": "y" * 200})
    body = json.loads(response.content)
    assert response.status_code == 414 and body["status_code"] == 2001


@fuzz
@given(method=st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=20))
def test_every_request_gets_its_traffic_log_line_whatever_its_method(partner, method):
    before = TrafficLog.objects.count()
    answer(client().generic(method, LOCATIONS))
    assert TrafficLog.objects.count() == before + 1
