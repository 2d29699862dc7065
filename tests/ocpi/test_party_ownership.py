"""A party belongs to one connection: no registration or credentials update, in either direction
of the handshake, may claim a party that another connection or we hold.

`partner` (tests/conftest.py) holds DE-ABC (CPO) and DE-ABE (EMSP); we are NL-TMC (CPO) and
NL-TME (EMSP). The claimant is a real partner platform on loopback (`FakePartner`).
"""

import json
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi import tokens
from ocpi.credentials.services import (
    HandshakeError,
    connection_credentials_rotate,
    connection_register,
    connection_token_a_issue,
    credentials_unregistration_accept,
    own_parties_ensure,
)
from ocpi.models import Connection, ConnectionParty, OwnParty
from tests.support.connections import PARTNER_TOKEN
from tests.support.partners import FAKE_PARTNER_TOKEN, envelope

CREDENTIALS_PATH = "/ocpi/2.2.1/credentials"


def as_partner(token: str) -> Client:
    return Client(HTTP_AUTHORIZATION=tokens.authorization_header(token, plain=False))


def send_credentials(token: str, body: dict, method: str = "post"):
    return getattr(as_partner(token), method)(
        CREDENTIALS_PATH, data=json.dumps(body), content_type="application/json"
    )


def role(country_code: str, party_id: str, role_name: str) -> dict:
    return {
        "role": role_name,
        "country_code": country_code,
        "party_id": party_id,
        "business_details": {"name": f"{country_code}-{party_id}"},
    }


def claiming(fake_partner, *roles: dict, token: str = FAKE_PARTNER_TOKEN) -> dict:
    """The fake partner's credentials with its own eMSP DE-XYZ plus `roles`."""
    credentials = fake_partner.credentials(token)
    credentials["roles"] += list(roles)
    return credentials


def held_parties() -> list[tuple[str, str, str, str]]:
    """(connection name, code, role, released?) of every party row, for before/after checks."""
    return sorted(
        (row.connection.name, f"{row.country_code}-{row.party_id}", row.role, bool(row.released_at))
        for row in ConnectionParty.objects.select_related("connection")
    )


def assert_refused(response, *, naming: str) -> None:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status_code"] == 3001
    assert naming in body["status_message"]


@pytest.fixture
def token_a(partner):
    _, token = connection_token_a_issue(name="Newcomer")
    return token


def newcomer() -> Connection:
    return Connection.objects.get(name="Newcomer")


# We are the server: POST (registration with token A) -------------------------------------------


def test_registration_claiming_another_connections_party_is_refused_and_changes_nothing(
    fake_partner, token_a
):
    before = held_parties()

    response = send_credentials(token_a, claiming(fake_partner, role("DE", "ABC", "CPO")))

    assert_refused(response, naming="party DE-ABC (CPO) belongs to another connection")
    assert held_parties() == before
    assert newcomer().status == Connection.Status.PENDING
    assert fake_partner.requests == []  # refused before we called the claimant
    # Token A still works: the same partner registers with its own parties only.
    assert send_credentials(token_a, fake_partner.credentials()).status_code == 200
    assert [p.code for p in newcomer().parties.all()] == ["DE-XYZ"]


@pytest.mark.parametrize(
    ("claimed", "message"),
    [
        (("NL", "TMC", "CPO"), "party NL-TMC (CPO) is one of our own parties"),
        (("nl", "tme", "EMSP"), "party NL-TME (EMSP) is one of our own parties"),
        # Objects are keyed by code, not role: our code in another role is ours all the same.
        (("NL", "TMC", "EMSP"), "party NL-TMC (EMSP) is one of our own parties"),
        (("de", "abe", "CPO"), "party DE-ABE (CPO) belongs to another connection"),
    ],
)
def test_registration_claiming_our_party_or_a_code_held_in_another_role_is_refused(
    fake_partner, token_a, claimed, message
):
    before = held_parties()

    response = send_credentials(token_a, claiming(fake_partner, role(*claimed)))

    assert_refused(response, naming=message)
    assert held_parties() == before
    assert not newcomer().parties.exists()


CASE_VARIANTS = st.sampled_from(
    [("DE", "ABC"), ("de", "abc"), ("De", "aBc"), ("DE", "ABE"), ("nl", "TMC"), ("NL", "tme")]
)
ROLES = st.sampled_from(["CPO", "EMSP", "HUB", "NSP", "OTHER"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    claimed=st.tuples(CASE_VARIANTS, ROLES),
    own_codes=st.lists(st.sampled_from(["XYA", "XYB", "XYC"]), unique=True, max_size=2),
    claimed_first=st.booleans(),
)
def test_any_spelling_of_a_taken_code_in_any_role_is_refused(
    fake_partner, token_a, claimed, own_codes, claimed_first
):
    (country_code, party_id), role_name = claimed
    legit = [role("DE", code, "CPO") for code in own_codes]
    stolen = role(country_code, party_id, role_name)
    credentials = fake_partner.credentials()
    credentials["roles"] = [stolen, *legit] if claimed_first else [*legit, stolen]
    before = held_parties()

    response = send_credentials(token_a, credentials)

    code = f"{country_code.upper()}-{party_id.upper()}"
    assert_refused(response, naming=f"party {code} ({role_name})")
    assert held_parties() == before
    assert newcomer().status == Connection.Status.PENDING


# We are the server: PUT (a registered partner updates its credentials) -------------------------


@pytest.fixture
def registered_newcomer(fake_partner, token_a) -> str:
    """The newcomer registered with its eMSP DE-XYZ; returns its token C."""
    response = send_credentials(token_a, fake_partner.credentials())
    assert response.status_code == 200, response.content
    return response.json()["data"]["token"]


@pytest.mark.parametrize(
    ("claimed", "message"),
    [
        (("DE", "ABC", "CPO"), "party DE-ABC (CPO) belongs to another connection"),
        (("NL", "TMC", "CPO"), "party NL-TMC (CPO) is one of our own parties"),
    ],
)
def test_update_claiming_a_party_is_refused_and_the_old_token_still_works(
    fake_partner, registered_newcomer, claimed, message
):
    before = held_parties()
    connection = newcomer()
    requests_before = len(fake_partner.requests)

    response = send_credentials(
        registered_newcomer,
        claiming(fake_partner, role(*claimed), token="their-new-token"),
        method="put",
    )

    assert_refused(response, naming=message)
    assert held_parties() == before
    assert len(fake_partner.requests) == requests_before
    connection.refresh_from_db()
    assert connection.status == Connection.Status.REGISTERED
    assert connection.outbound_token == FAKE_PARTNER_TOKEN
    assert as_partner(registered_newcomer).get(CREDENTIALS_PATH).status_code == 200


def test_update_may_keep_rename_add_and_drop_its_own_parties(fake_partner, registered_newcomer):
    credentials = fake_partner.credentials("their-new-token")
    credentials["roles"] = [role("de", "xyz", "EMSP"), role("DE", "XYC", "CPO")]

    response = send_credentials(registered_newcomer, credentials, method="put")

    assert response.status_code == 200, response.content
    assert sorted((p.code, p.role) for p in newcomer().parties.all()) == [
        ("DE-XYC", "CPO"),
        ("DE-XYZ", "EMSP"),
    ]


# Release: a closed connection's parties are free -----------------------------------------------


def test_an_unregistered_connection_releases_its_parties(fake_partner, partner, token_a):
    as_partner(PARTNER_TOKEN).delete(CREDENTIALS_PATH)

    response = send_credentials(token_a, claiming(fake_partner, role("DE", "ABC", "CPO")))

    assert response.status_code == 200, response.content
    assert partner.parties.filter(released_at__isnull=False).count() == 2  # kept, as a record
    assert Connection.objects.get(name="Newcomer").owns_party("de", "abc")
    assert not Connection.objects.get(pk=partner.pk).owns_party("DE", "ABC")


def test_a_suspended_connection_keeps_its_parties(fake_partner, partner, token_a):
    Connection.objects.filter(pk=partner.pk).update(status=Connection.Status.SUSPENDED)

    response = send_credentials(token_a, claiming(fake_partner, role("DE", "ABC", "CPO")))

    assert_refused(response, naming="party DE-ABC (CPO) belongs to another connection")


def test_a_connection_closed_without_release_holds_nothing(fake_partner, partner, token_a):
    # A status set by hand (in the admin) leaves the rows held; the claim frees them.
    Connection.objects.filter(pk=partner.pk).update(status=Connection.Status.CLOSED)

    response = send_credentials(token_a, claiming(fake_partner, role("DE", "ABC", "CPO")))

    assert response.status_code == 200, response.content
    assert newcomer().owns_party("DE", "ABC")


# The database keeps the rule, whatever the code path ------------------------------------------


def test_the_database_refuses_a_second_holder_of_a_party(partner, token_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConnectionParty.objects.create(
            connection=newcomer(), country_code="de", party_id="abc", role="CPO"
        )
    # A released row is no holder: history of a closed connection may repeat the party.
    credentials_unregistration_accept(connection=partner)
    ConnectionParty.objects.create(
        connection=newcomer(), country_code="DE", party_id="ABC", role="CPO"
    )


class RendezvousRoutes(dict):
    """The fake partner's routes, where `key` is answered only once `parties` calls wait on it:
    both registrations are then past the early check and race for the party."""

    def __init__(self, routes: dict, key: tuple[str, str], parties: int):
        super().__init__(routes)
        self.key = key
        self.barrier = threading.Barrier(parties, timeout=30)

    def get(self, key, default=None):
        if key == self.key:
            self.barrier.wait()
        return super().get(key, default)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "second_role",
    [
        "EMSP",  # the very same party: the unique constraint alone would stop it
        "CPO",  # the same code in another role: the lock on the code stops it
    ],
)
def test_two_concurrent_registrations_claiming_one_party_exactly_one_wins(
    fake_partner, own_parties, second_role
):
    tokens_a = [connection_token_a_issue(name=f"Racer {n}")[1] for n in range(2)]
    claims = [fake_partner.credentials(), fake_partner.credentials()]
    claims[1]["roles"][0]["role"] = second_role  # both claim DE-XYZ
    fake_partner.routes = RendezvousRoutes(fake_partner.routes, ("GET", "/ocpi/2.2.1"), 2)
    answers = []

    def register(token, credentials):
        try:
            response = send_credentials(token, credentials)
            answers.append((response.status_code, response.json()["status_code"]))
        finally:
            db_connection.close()

    racers = [
        threading.Thread(target=register, args=racer)
        for racer in zip(tokens_a, claims, strict=True)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)

    assert sorted(answers) == [(200, 1000), (200, 3001)]
    holders = ConnectionParty.objects.filter(country_code="DE", party_id="XYZ", released_at=None)
    assert holders.count() == 1
    assert holders.get().connection.status == Connection.Status.REGISTERED
    statuses = sorted(Connection.objects.filter(name__startswith="Racer").values_list("status"))
    assert statuses == [(Connection.Status.PENDING,), (Connection.Status.REGISTERED,)]


# We initiate: the partner answers our credentials with roles ------------------------------------


TOKEN_A = "their-token-a"


@pytest.fixture
def partner_api(fake_partner, partner):
    """The fake partner accepts our registration and updates and answers with `answer_roles`."""
    fake_partner.routes[("DELETE", CREDENTIALS_PATH)] = (200, envelope(None))
    return fake_partner


def answering(fake_partner, method: str, credentials: dict) -> None:
    fake_partner.routes[(method, CREDENTIALS_PATH)] = (200, envelope(credentials))


def sent(fake_partner, method: str) -> list[dict]:
    return [r for r in fake_partner.requests_to(CREDENTIALS_PATH) if r["method"] == method]


@pytest.mark.parametrize(
    ("claimed", "message"),
    [
        (("DE", "ABC", "CPO"), "party DE-ABC (CPO) belongs to another connection"),
        (("NL", "TME", "EMSP"), "party NL-TME (EMSP) is one of our own parties"),
    ],
)
def test_our_registration_with_a_partner_claiming_a_party_is_refused(partner_api, claimed, message):
    answering(partner_api, "POST", claiming(partner_api, role(*claimed), token="their-token-c"))
    before = held_parties()
    connections_before = Connection.objects.count()

    with pytest.raises(HandshakeError) as refused:
        connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)

    assert refused.value.step == "credentials"
    assert message in refused.value.message
    assert held_parties() == before
    assert Connection.objects.count() == connections_before
    # The partner, which registered us already, is told that it is off.
    [withdrawal] = sent(partner_api, "DELETE")
    assert withdrawal["authorization"] == tokens.authorization_header("their-token-c", plain=False)


def test_our_rotation_answered_with_a_claim_keeps_the_tokens_but_not_the_claim(partner_api):
    answering(partner_api, "POST", partner_api.credentials())
    connection = connection_register(versions_url=partner_api.versions_url, token_a=TOKEN_A)
    answering(
        partner_api, "PUT", claiming(partner_api, role("DE", "ABC", "CPO"), token="rotated-c")
    )
    before = held_parties()

    with pytest.raises(HandshakeError, match=r"party DE-ABC \(CPO\) belongs to another"):
        connection_credentials_rotate(connection=connection)

    assert held_parties() == before
    connection.refresh_from_db()
    # The partner switched to our new token B and gave us its new token C: both stay usable.
    [put] = sent(partner_api, "PUT")
    assert tokens.token_matches(put["body"]["token"], connection.inbound_token_hash)
    assert connection.outbound_token == "rotated-c"
    assert [p.code for p in connection.parties.all()] == ["DE-XYZ"]


# Our own parties ------------------------------------------------------------------------------


def test_our_parties_may_not_take_a_code_a_partner_holds(partner, settings):
    settings.OCPI_OWN_PARTIES = "NL-TMC:CPO,de-abc:EMSP"

    with pytest.raises(ImproperlyConfigured, match=r"DE-ABC \(held by Partner\)"):
        own_parties_ensure()

    assert not OwnParty.objects.filter(party_id="ABC").exists()
