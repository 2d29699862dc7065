"""Real-time authorization with an eMSP on 2.1.1: its AuthorizationInfo names no token, so the
answer carries the token we asked about, and that token is cached for the next time."""

from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_authorize, token_authorize_remotely
from ocpi.translations import Context
from ocpi.translations.v2_1_1 import TOKENS
from tests.support.builders import partner_token
from tests.support.connections import make_connection
from tests.support.partners import FakePartner, envelope


def test_our_cpo_asks_a_2_1_1_emsp(own_parties):
    with FakePartner() as emsp:
        emsp.routes[("POST", "/2.1.1/tokens/CARD-7/authorize?type=RFID")] = (
            200,
            envelope({"allowed": "ALLOWED", "location": {"location_id": "LOC1"}}),
        )
        make_connection(
            "Old eMSP",
            "old-emsp-token",
            [("DE", "OLD", "EMSP")],
            version="2.1.1",
            endpoints=[
                {"identifier": "tokens", "role": "SENDER", "url": f"{emsp.url}/2.1.1/tokens"}
            ],
        )

        answer = token_authorize_remotely(
            token_uid="CARD-7", token_type="RFID", location={"location_id": "LOC1"}
        )

    assert answer["allowed"] == "ALLOWED"
    assert (answer["token"]["country_code"], answer["token"]["party_id"]) == ("DE", "OLD")
    assert answer["token"]["uid"] == "CARD-7"
    assert Token.objects.get().ocpi_id == "CARD-7"  # cached: its eMSP is known next time
    [asked] = emsp.requests
    assert asked["authorization"] == "Token our-token-b-Old eMSP"
    assert asked["body"] == {"location_id": "LOC1"}


def test_our_emsps_answer_goes_down_without_the_token(own_parties):
    from ocpi.modules.tokens.services import token_save_own

    token_save_own(
        party=own_parties["EMSP"],
        document=partner_token(country_code="NL", party_id="TME", uid="CARD-8", type="RFID"),
    )
    info = token_authorize(token_uid="CARD-8", token_type="RFID", location_references=None)

    down = TOKENS.down["AuthorizationInfo"](info, Context(), False)

    assert down == {"allowed": "ALLOWED"}
