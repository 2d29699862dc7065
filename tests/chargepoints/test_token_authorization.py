"""A driver holds an RFID card to one of our CPO's stations: the back end asks through
`token_authorization_requested`, our CPO asks the card's eMSP in real time over OCPI, and the
session the station then starts carries the eMSP's authorization.

The eMSP is this same project served by live_server: a loopback connection whose token works
both ways, so each question really crosses the wire."""

from datetime import UTC, datetime

import pytest

from chargepoints import callbacks
from ocpi.models import OwnParty
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_save_own
from ocpi.transport.exceptions import UnknownObject, UnknownToken
from tests.support.connections import make_connection

LOOPBACK_TOKEN = "loopback-token-0123456789"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def loopback_emsp(live_server, cpo_party: tuple[str, str]):
    """Our eMSP NL-TME, reached over HTTP on its tokens sender interface by `cpo_party`."""
    connection = make_connection(
        "Loopback eMSP",
        LOOPBACK_TOKEN,
        [("NL", "TME", "EMSP"), (*cpo_party, "CPO")],
        endpoints=[
            {
                "identifier": "tokens",
                "role": "SENDER",
                "url": f"{live_server.url}/ocpi/2.2.1/emsp/tokens/",
            }
        ],
    )
    connection.outbound_token = LOOPBACK_TOKEN
    connection.save()
    return connection


@pytest.fixture
def emsp_over_http(live_server, own_parties, our_location):
    return loopback_emsp(live_server, ("NL", "TMC"))


def rfid_card(uid: str, **changes) -> dict:
    """A card of our eMSP NL-TME."""
    return {
        "country_code": "NL",
        "party_id": "TME",
        "uid": uid,
        "type": "RFID",
        "contract_id": f"NL-TME-C{uid}-1",
        "issuer": "Test Mobility",
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": "2026-01-01T00:00:00Z",
        **changes,
    }


def test_a_card_its_emsp_allows_starts_a_session_carrying_the_authorization(
    own_parties, emsp_over_http
):
    token_save_own(party=own_parties["EMSP"], document=rfid_card("CARD01"))

    info = callbacks.token_authorization_requested(
        party=own_parties["CPO"], token_uid="card01", location_id="loc1", evse_uids=["evse1"]
    )
    session = callbacks.session_started(
        party=own_parties["CPO"],
        session_id="S1",
        location_id="LOC1",
        evse_uid="EVSE1",
        connector_id="1",
        token=info["token"],
        started_at=T0,
        auth_method="AUTH_REQUEST",
        authorization_reference=info["authorization_reference"],
    )

    assert info["allowed"] == "ALLOWED"
    assert info["location"] == {"location_id": "LOC1", "evse_uids": ["EVSE1"]}
    # The eMSP's answer came over the wire: its token is cached as the partner's.
    assert Token.objects.get(ocpi_id="CARD01", source=emsp_over_http).valid
    assert session["auth_method"] == "AUTH_REQUEST"
    assert session["authorization_reference"] == info["authorization_reference"]
    assert session["cdr_token"] == {
        "country_code": "NL",
        "party_id": "TME",
        "uid": "CARD01",
        "type": "RFID",
        "contract_id": "NL-TME-CCARD01-1",
    }


def test_a_blocked_card_is_not_allowed(own_parties, emsp_over_http):
    token_save_own(party=own_parties["EMSP"], document=rfid_card("CARD02", valid=False))

    info = callbacks.token_authorization_requested(party=own_parties["CPO"], token_uid="CARD02")

    assert info["allowed"] == "BLOCKED"


def test_a_card_no_emsp_knows_is_unknown(own_parties, emsp_over_http):
    with pytest.raises(UnknownToken):
        callbacks.token_authorization_requested(party=own_parties["CPO"], token_uid="STRANGER")


@pytest.mark.parametrize(
    ("location_id", "evse_uids", "message"),
    [("NOWHERE", [], "Unknown location NOWHERE"), ("LOC1", ["EVSE9"], "Unknown EVSE EVSE9")],
)
def test_a_station_our_cpo_does_not_have_is_refused_before_asking(
    own_parties, emsp_over_http, location_id, evse_uids, message
):
    token_save_own(party=own_parties["EMSP"], document=rfid_card("CARD03"))

    with pytest.raises(UnknownObject, match=message):
        callbacks.token_authorization_requested(
            party=own_parties["CPO"],
            token_uid="CARD03",
            location_id=location_id,
            evse_uids=evse_uids,
        )
    assert not Token.objects.filter(source=emsp_over_http).exists()


def test_the_emsp_is_asked_on_behalf_of_the_cpo_whose_station_asks(live_server, own_parties):
    # The eMSP's connection knows our second CPO only: asking as the first would be refused.
    second_cpo = OwnParty.objects.create(
        country_code="NL", party_id="TMD", role="CPO", name="Second CPO"
    )
    loopback_emsp(live_server, ("NL", "TMD"))
    token_save_own(party=own_parties["EMSP"], document=rfid_card("CARD04"))

    info = callbacks.token_authorization_requested(party=second_cpo, token_uid="CARD04")

    assert info["allowed"] == "ALLOWED"
