"""Staff move a party between connections, explicitly and on record: the service, the command,
the admin's list of moves and the form on the portal's partner page.

`partner` (tests/conftest.py) holds DE-ABC (CPO) and DE-ABE (EMSP); we are NL-TMC and NL-TME.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ocpi import tokens
from ocpi.credentials.ownership import PartyMoveError, party_move
from ocpi.credentials.services import credentials_unregistration_accept
from ocpi.models import Connection, ConnectionParty, PartyMove
from tests.support.builders import our_location_document
from tests.support.connections import PARTNER_TOKEN, make_connection

NEWCOMER_TOKEN = "newcomer-token-0123456789"


@pytest.fixture
def newcomer(partner) -> Connection:
    """A registered partner with its own eMSP, FR-NEW; it will take DE-ABC over."""
    return make_connection("Newcomer", NEWCOMER_TOKEN, [("FR", "NEW", "EMSP")])


def partner_client_for(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(token, plain=False))


def put_location(token: str, country_code: str, party_id: str):
    document = {**our_location_document(), "country_code": country_code, "party_id": party_id}
    return partner_client_for(token).put(
        f"/ocpi/2.2.1/emsp/locations/{country_code}/{party_id}/LOC1",
        data=json.dumps(document),
        content_type="application/json",
    )


def holders(country_code: str, party_id: str) -> list[tuple[str, str]]:
    return sorted(
        ConnectionParty.objects.filter(
            country_code=country_code, party_id=party_id, released_at=None
        ).values_list("connection__name", "role")
    )


def test_a_moved_party_belongs_to_its_new_connection_only(partner, newcomer):
    [move] = party_move(
        country_code="de",
        party_id="abc",
        role="CPO",
        to_connection=newcomer,
        reason="DE-ABC changed platforms (ticket 4711)",
        moved_by="alice",
    )

    assert (move.code, move.role, move.from_connection, move.to_connection) == (
        "DE-ABC",
        "CPO",
        partner,
        newcomer,
    )
    assert (move.reason, move.moved_by) == ("DE-ABC changed platforms (ticket 4711)", "alice")
    assert move.moved_at is not None
    assert holders("DE", "ABC") == [("Newcomer", "CPO")]
    assert put_location(PARTNER_TOKEN, "DE", "ABC").status_code == 403
    assert put_location(NEWCOMER_TOKEN, "DE", "ABC").status_code == 200
    # Nor can the old holder claim it back with its credentials.
    reclaim = partner_client_for(PARTNER_TOKEN).put(
        "/ocpi/2.2.1/credentials",
        data=json.dumps(
            {
                "token": "partner-new-token",
                "url": "https://partner.example.com/ocpi/versions",
                "roles": [
                    {
                        "role": "CPO",
                        "country_code": "DE",
                        "party_id": "ABC",
                        "business_details": {"name": "ABC"},
                    }
                ],
            }
        ),
        content_type="application/json",
    )
    assert reclaim.status_code == 200
    assert "party DE-ABC (CPO) belongs to another connection" in reclaim.json()["status_message"]


def test_the_other_roles_of_the_code_move_along(own_parties):
    make_connection("Platform", "platform-token", [("BE", "PLT", "CPO"), ("BE", "PLT", "EMSP")])
    newcomer = make_connection("Newcomer", NEWCOMER_TOKEN, [])

    moves = party_move(
        country_code="BE",
        party_id="PLT",
        role="CPO",
        to_connection=newcomer,
        reason="both roles changed platforms",
        moved_by="alice",
    )

    assert sorted((m.role, m.from_connection.name) for m in moves) == [
        ("CPO", "Platform"),
        ("EMSP", "Platform"),
    ]
    assert holders("BE", "PLT") == [("Newcomer", "CPO"), ("Newcomer", "EMSP")]


def test_a_party_nobody_holds_is_given_with_no_previous_holder(newcomer):
    [move] = party_move(
        country_code="ES",
        party_id="FRE",
        role="CPO",
        to_connection=newcomer,
        reason="announced by phone",
        moved_by="alice",
    )

    assert move.from_connection is None
    assert holders("ES", "FRE") == [("Newcomer", "CPO")]


@pytest.mark.parametrize(
    ("party", "reason", "message"),
    [
        (("NL", "TMC", "CPO"), "because", "NL-TMC is one of our own parties"),
        (("NL", "TMC", "EMSP"), "because", "NL-TMC is one of our own parties"),
        (("FR", "NEW", "EMSP"), "because", "FR-NEW (EMSP) belongs to Newcomer already"),
        (("DE", "ABC", "CPO"), "  ", "A reason is required"),
    ],
)
def test_a_move_that_cannot_be_made_changes_nothing(newcomer, party, reason, message):
    before = sorted(
        ConnectionParty.objects.values_list("connection_id", "country_code", "party_id", "role")
    )

    with pytest.raises(PartyMoveError, match=re.escape(message)):
        party_move(
            country_code=party[0],
            party_id=party[1],
            role=party[2],
            to_connection=newcomer,
            reason=reason,
            moved_by="alice",
        )

    assert (
        sorted(
            ConnectionParty.objects.values_list("connection_id", "country_code", "party_id", "role")
        )
        == before
    )
    assert not PartyMove.objects.exists()


def test_a_closed_connection_cannot_receive_a_party(partner, newcomer):
    credentials_unregistration_accept(connection=newcomer)

    with pytest.raises(PartyMoveError, match="closed"):
        party_move(
            country_code="DE",
            party_id="ABC",
            role="CPO",
            to_connection=newcomer,
            reason="too late",
            moved_by="alice",
        )

    assert holders("DE", "ABC") == [("Partner", "CPO")]


# The command ------------------------------------------------------------------------------------


def test_the_command_moves_the_party_and_prints_the_move(partner, newcomer):
    out = StringIO()

    call_command(
        "ocpi_move_party",
        "de-abc",
        "cpo",
        "--to",
        "FR-NEW",
        "--reason",
        "changed platforms",
        "--by",
        "alice",
        stdout=out,
    )

    assert json.loads(out.getvalue()) == [
        {
            "party": "DE-ABC",
            "role": "CPO",
            "from": partner.pk,
            "to": newcomer.pk,
            "moved_by": "alice",
        }
    ]
    assert holders("DE", "ABC") == [("Newcomer", "CPO")]


def test_the_command_records_the_system_user_when_no_name_is_given(partner, newcomer):
    call_command(
        "ocpi_move_party",
        "DE-ABC",
        "CPO",
        "--to",
        str(newcomer.pk),
        "--reason",
        "x",
        stdout=StringIO(),
    )

    assert PartyMove.objects.get().moved_by.endswith("(command line)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["DEABC", "CPO", "--to", "FR-NEW"], "is not CC-PID"),
        (["DE-ABC", "CPO", "--to", "XX-NONE"], "No partner 'XX-NONE'"),
        (["NL-TMC", "CPO", "--to", "FR-NEW"], "Not moved: NL-TMC is one of our own parties"),
    ],
)
def test_the_command_says_why_it_did_not_move(newcomer, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("ocpi_move_party", *args, "--reason", "test", stdout=StringIO())
    assert not PartyMove.objects.exists()


# The admin and the portal -----------------------------------------------------------------------


def test_the_admin_lists_the_moves_and_nobody_edits_them(admin_client, partner, newcomer):
    [move] = party_move(
        country_code="DE",
        party_id="ABC",
        role="CPO",
        to_connection=newcomer,
        reason="changed platforms",
        moved_by="alice",
    )

    listing = admin_client.get("/admin/ocpi/partymove/")
    assert listing.status_code == 200
    assert "DE-ABC" in listing.content.decode()
    assert admin_client.get("/admin/ocpi/partymove/add/").status_code == 403
    detail = admin_client.get(f"/admin/ocpi/partymove/{move.pk}/change/")
    assert detail.status_code == 200
    assert 'name="reason"' not in detail.content.decode()  # shown, not editable


def test_the_admin_shows_a_connections_parties_but_does_not_edit_them(admin_client, partner):
    page = admin_client.get(f"/admin/ocpi/connection/{partner.pk}/change/").content.decode()

    assert "ABC" in page
    assert 'name="parties-0-party_id"' not in page
    assert 'name="parties-0-DELETE"' not in page


def test_staff_move_a_party_from_the_partner_page(admin_client, partner, newcomer):
    page = admin_client.get(f"/partners/{newcomer.pk}/").content.decode()
    assert "Move a party here" in page

    response = admin_client.post(
        f"/partners/{newcomer.pk}/move-party/",
        {"party": "de-abc", "role": "CPO", "reason": "changed platforms"},
        follow=True,
    )

    assert response.redirect_chain == [(f"/partners/{newcomer.pk}/", 302)]
    assert "Moved to Newcomer: DE-ABC CPO." in response.content.decode()
    move = PartyMove.objects.get()
    assert (move.moved_by, move.from_connection, move.reason) == (
        "admin",
        partner,
        "changed platforms",
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"party": "DEABC", "role": "CPO", "reason": "x"}, "Enter the party as CC-PID"),
        ({"party": "DE-ABC", "role": "CPO", "reason": ""}, "This field is required"),
        ({"party": "NL-TME", "role": "EMSP", "reason": "x"}, "NL-TME is one of our own parties"),
    ],
)
def test_a_move_the_form_refuses_is_explained_on_the_page(admin_client, newcomer, form, message):
    response = admin_client.post(f"/partners/{newcomer.pk}/move-party/", form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartyMove.objects.exists()


def test_only_staff_move_parties(client, django_user_model, newcomer):
    client.force_login(django_user_model.objects.create_user("driver", password="pw"))

    response = client.post(
        f"/partners/{newcomer.pk}/move-party/",
        {"party": "DE-ABC", "role": "CPO", "reason": "mine now"},
    )

    assert response.status_code == 403
    assert not PartyMove.objects.exists()
