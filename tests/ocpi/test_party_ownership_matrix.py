"""The party matrix: every module endpoint we serve, every method, and whose party a partner
names in it (in the URL, in the body, in the routing headers): its own, another partner's, ours.

The caller is `partner` (DE-ABC as CPO, DE-ABE as eMSP). Another partner holds FR-OTH (CPO) and
FR-OTE (eMSP); we are NL-TMC (CPO) and NL-TME (eMSP). Every party has stored objects, so that a
refusal is tested against something that exists. A partner's own party is served; another's and
ours are refused, and then nothing changed in the database. Refusal is HTTP 403 with 2001 for an
object of another party; commands and charging profiles answer, as their modules define, with a
REJECTED response (HTTP 200, 1000); a result for a request we did not send this partner is 404.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from ocpi.models import Connection, ConnectionParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.cdrs.services import cdr_create_own
from ocpi.modules.cdrs.services import store_from_partner as cdr_store
from ocpi.modules.chargingprofiles.models import ActiveChargingProfile, ChargingProfileRequest
from ocpi.modules.commands.models import Command
from ocpi.modules.hubclientinfo.models import ClientInfo
from ocpi.modules.locations.models import Location
from ocpi.modules.locations.services import location_save_own
from ocpi.modules.locations.services import store_from_partner as location_store
from ocpi.modules.sessions.models import Session
from ocpi.modules.sessions.services import session_save_own
from ocpi.modules.sessions.services import store_from_partner as session_store
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tariffs.services import store_from_partner as tariff_store
from ocpi.modules.tariffs.services import tariff_save_own
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import store_from_partner as token_store
from ocpi.modules.tokens.services import token_save_own
from ocpi.objects import upsert_object
from tests.support.builders import our_location_document, partner_token
from tests.support.connections import make_connection

OWN, OTHER, OURS = "own", "other", "ours"
KINDS = [OWN, OTHER, OURS]
PARTIES = {
    OWN: {"CPO": ("DE", "ABC"), "EMSP": ("DE", "ABE")},
    OTHER: {"CPO": ("FR", "OTH"), "EMSP": ("FR", "OTE")},
    OURS: {"CPO": ("NL", "TMC"), "EMSP": ("NL", "TME")},
}
COUNTERPART = {"CPO": "EMSP", "EMSP": "CPO"}
BASE = "/ocpi/2.2.1"
STORED = "2026-01-01T00:00:00Z"
NEWER = "2026-06-01T00:00:00Z"
RESPONSE_URL = "https://partner.example.com/ocpi/results/1"


# Documents of any party --------------------------------------------------------------------------


def location_document(country_code, party_id, **changes) -> dict:
    return {
        **our_location_document(),
        "country_code": country_code,
        "party_id": party_id,
        **changes,
    }


def tariff_document(country_code, party_id, **changes) -> dict:
    return {
        "country_code": country_code,
        "party_id": party_id,
        "id": "TAR1",
        "currency": "EUR",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}]}],
        "last_updated": STORED,
        **changes,
    }


def cdr_token(token_party) -> dict:
    country_code, party_id = token_party
    return {
        "country_code": country_code,
        "party_id": party_id,
        "uid": "TOK1",
        "type": "RFID",
        "contract_id": f"{country_code}-{party_id}-C00001-1",
    }


def session_document(
    country_code, party_id, session_id="SES1", token_party=("NL", "TME"), **changes
):
    return {
        "country_code": country_code,
        "party_id": party_id,
        "id": session_id,
        "start_date_time": "2026-01-01T10:00:00Z",
        "kwh": 1.5,
        "cdr_token": cdr_token(token_party),
        "auth_method": "WHITELIST",
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "connector_id": "1",
        "currency": "EUR",
        "status": "ACTIVE",
        "last_updated": STORED,
        **changes,
    }


def cdr_document(country_code, party_id, cdr_id="CDR1", **changes) -> dict:
    return {
        "country_code": country_code,
        "party_id": party_id,
        "id": cdr_id,
        "start_date_time": "2026-01-01T10:00:00Z",
        "end_date_time": "2026-01-01T11:00:00Z",
        "cdr_token": cdr_token(("NL", "TME")),
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": "LOC1",
            "address": "Stationsplein 1",
            "city": "Utrecht",
            "country": "NLD",
            "coordinates": {"latitude": "52.08917", "longitude": "5.11012"},
            "evse_uid": "EVSE1",
            "evse_id": "NL*TMC*E1",
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
        "total_cost": {"excl_vat": 2.5, "incl_vat": 3.0},
        "total_energy": 10,
        "total_time": 1.0,
        "last_updated": "2026-01-01T11:00:00Z",
        **changes,
    }


def token_document(country_code, party_id, **changes) -> dict:
    fields = {
        "country_code": country_code,
        "party_id": party_id,
        "uid": "TOK1",
        "type": "RFID",
        "contract_id": f"{country_code}-{party_id}-C00001-1",
        "last_updated": STORED,
    }
    return partner_token(**{**fields, **changes})


def client_info_document(country_code, party_id, **changes) -> dict:
    return {
        "country_code": country_code,
        "party_id": party_id,
        "role": "CPO",
        "status": "CONNECTED",
        "last_updated": STORED,
        **changes,
    }


# The world: every party with its objects ---------------------------------------------------------


@dataclass
class World:
    connections: dict  # kind -> the connection holding that kind's parties (None for ours)
    command_uids: dict = field(default_factory=dict)  # kind -> a command's uid
    profile_uids: dict = field(default_factory=dict)  # kind -> a charging profile request's uid


@pytest.fixture
def world(partner, own_parties, our_location) -> World:
    other = make_connection(
        "Other partner", "other-token-0123456789", [("FR", "OTH", "CPO"), ("FR", "OTE", "EMSP")]
    )
    for kind, connection in ((OWN, partner), (OTHER, other)):
        cpo, emsp = PARTIES[kind]["CPO"], PARTIES[kind]["EMSP"]
        location_store(connection=connection, document=location_document(*cpo))
        tariff_store(connection=connection, document=tariff_document(*cpo))
        session_store(connection=connection, document=session_document(*cpo))
        cdr_store(connection=connection, document=cdr_document(*cpo))
        token_store(connection=connection, document=token_document(*emsp))
    tariff_save_own(party=own_parties["CPO"], document=tariff_document("NL", "TMC"))
    session_save_own(party=own_parties["CPO"], document=session_document("NL", "TMC"))
    cdr_create_own(party=own_parties["CPO"], document=cdr_document("NL", "TMC"))
    token_save_own(party=own_parties["EMSP"], document=token_document("NL", "TME"))
    location_save_own(party=own_parties["CPO"], document=location_document("NL", "TMC"))
    sources = {OWN: partner, OTHER: other, OURS: None}
    for kind, source in sources.items():
        cc, pid = PARTIES[kind]["CPO"]
        upsert_object(
            ClientInfo,
            country_code=cc,
            party_id=pid,
            object_id="CPO",
            document=client_info_document(cc, pid),
            source=source,
            extra={"status": "CONNECTED"},
        )
        # Our CPO's session of a driver of this kind's eMSP: charging profiles and STOP_SESSION.
        session_save_own(
            party=own_parties["CPO"],
            document=session_document(
                "NL", "TMC", session_id=f"CPS-{kind}", token_party=PARTIES[kind]["EMSP"]
            ),
        )
    world = World(connections={OWN: partner, OTHER: other, OURS: None})
    # A request our eMSP sent to this partner (own), to the other one (other); one our CPO
    # received (ours): only the first may get a result from this partner.
    for kind, connection, direction, party in (
        (OWN, partner, Command.Direction.SENT, own_parties["EMSP"]),
        (OTHER, other, Command.Direction.SENT, own_parties["EMSP"]),
        (OURS, other, Command.Direction.RECEIVED, own_parties["CPO"]),
    ):
        world.command_uids[kind] = Command.objects.create(
            direction=direction,
            connection=connection,
            party=party,
            command="START_SESSION",
            request={},
            response_url=RESPONSE_URL,
        ).uid
        world.profile_uids[kind] = ChargingProfileRequest.objects.create(
            direction=direction,
            connection=connection,
            party=party,
            kind=ChargingProfileRequest.Kind.SET,
            session_id="CPS-own",
            response_url=RESPONSE_URL,
        ).uid
    return world


def database_state() -> dict:
    """Everything a partner could change, as plain values (what was refused is recorded, as a
    request NOT_ACCEPTED, but changes nothing)."""

    def rows(queryset):
        return [
            {name: value for name, value in row.items() if name != "updated_at"}
            for row in queryset.order_by("pk").values()
        ]

    return {
        "objects": [
            rows(model.objects.all())
            for model in (Location, Tariff, Session, Cdr, Token, ClientInfo)
        ],
        "parties": rows(ConnectionParty.objects.all()),
        "connections": rows(Connection.objects.all()),
        "requests": [
            rows(model.objects.exclude(status=model.Status.NOT_ACCEPTED))
            for model in (Command, ChargingProfileRequest)
        ],
        "profiles": rows(ActiveChargingProfile.objects.all()),
    }


# The endpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Whose party a request names: the country code and party id in the operation's role."""

    kind: str
    country_code: str
    party_id: str
    world: World


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: Callable[[Target], str]
    role: str  # the role the caller plays, and the named party has
    body: Callable[[Target], dict] | None = None
    writes: bool = True
    refused: tuple = (403, 2001)
    # Modules that answer with a response object: what data.result says when allowed / refused.
    result: tuple[str, str] | None = None

    def __str__(self):
        return self.name


def emsp_url(module: str, rest: str = "") -> Callable[[Target], str]:
    return lambda t: f"{BASE}/emsp/{module}/{t.country_code}/{t.party_id}{rest}"


def cpo_url(module: str, rest: str = "") -> Callable[[Target], str]:
    return lambda t: f"{BASE}/cpo/{module}/{t.country_code}/{t.party_id}{rest}"


def start_session(t: Target) -> dict:
    return {
        "response_url": RESPONSE_URL,
        "token": cdr_token((t.country_code, t.party_id)),
        "location_id": "LOC1",
        "evse_uid": "EVSE1",
        "connector_id": "1",
    }


PROFILE_RESPONSE = ("ACCEPTED", "REJECTED")
NOT_OURS_TO_ANSWER = (404, 2000)

PARTY_OPERATIONS = [
    # locations: our eMSP's receiver
    Operation("locations GET", "GET", emsp_url("locations", "/LOC1"), "CPO", writes=False),
    Operation(
        "locations GET evse", "GET", emsp_url("locations", "/LOC1/EVSE1"), "CPO", writes=False
    ),
    Operation(
        "locations PUT",
        "PUT",
        emsp_url("locations", "/LOC1"),
        "CPO",
        lambda t: location_document(
            t.country_code, t.party_id, name="Taken over", last_updated=NEWER
        ),
    ),
    Operation(
        "locations PUT new",
        "PUT",
        emsp_url("locations", "/LOC9"),
        "CPO",
        lambda t: location_document(t.country_code, t.party_id, id="LOC9"),
    ),
    Operation(
        "locations PATCH",
        "PATCH",
        emsp_url("locations", "/LOC1"),
        "CPO",
        lambda t: {"name": "Taken over", "last_updated": NEWER},
    ),
    Operation(
        "locations PATCH evse",
        "PATCH",
        emsp_url("locations", "/LOC1/EVSE1"),
        "CPO",
        lambda t: {"status": "BLOCKED", "last_updated": NEWER},
    ),
    # tariffs: our eMSP's receiver
    Operation("tariffs GET", "GET", emsp_url("tariffs", "/TAR1"), "CPO", writes=False),
    Operation(
        "tariffs PUT",
        "PUT",
        emsp_url("tariffs", "/TAR1"),
        "CPO",
        lambda t: tariff_document(t.country_code, t.party_id, last_updated=NEWER, currency="CHF"),
    ),
    Operation("tariffs DELETE", "DELETE", emsp_url("tariffs", "/TAR1"), "CPO"),
    # sessions: our eMSP's receiver
    Operation("sessions GET", "GET", emsp_url("sessions", "/SES1"), "CPO", writes=False),
    Operation(
        "sessions PUT",
        "PUT",
        emsp_url("sessions", "/SES1"),
        "CPO",
        lambda t: session_document(t.country_code, t.party_id, kwh=99, last_updated=NEWER),
    ),
    Operation(
        "sessions PATCH",
        "PATCH",
        emsp_url("sessions", "/SES1"),
        "CPO",
        lambda t: {"kwh": 99, "last_updated": NEWER},
    ),
    # cdrs: our eMSP's receiver (the party is in the body of the POST)
    Operation("cdrs GET", "GET", emsp_url("cdrs", "/CDR1"), "CPO", writes=False),
    Operation(
        "cdrs POST",
        "POST",
        lambda t: f"{BASE}/emsp/cdrs",
        "CPO",
        lambda t: cdr_document(t.country_code, t.party_id, cdr_id="CDR9"),
    ),
    # tokens: our CPO's receiver
    Operation("tokens GET", "GET", cpo_url("tokens", "/TOK1"), "EMSP", writes=False),
    Operation(
        "tokens PUT",
        "PUT",
        cpo_url("tokens", "/TOK1"),
        "EMSP",
        lambda t: token_document(t.country_code, t.party_id, valid=False, last_updated=NEWER),
    ),
    Operation(
        "tokens PATCH",
        "PATCH",
        cpo_url("tokens", "/TOK1?type=RFID"),
        "EMSP",
        lambda t: {"valid": False, "last_updated": NEWER},
    ),
    # commands: our CPO's receiver (the party is the token's) and our eMSP's sender (results)
    Operation(
        "commands POST START_SESSION",
        "POST",
        lambda t: f"{BASE}/cpo/commands/START_SESSION",
        "EMSP",
        start_session,
        refused=(200, 1000),
        result=PROFILE_RESPONSE,
    ),
    Operation(
        "commands POST STOP_SESSION",
        "POST",
        lambda t: f"{BASE}/cpo/commands/STOP_SESSION",
        "EMSP",
        lambda t: {"response_url": RESPONSE_URL, "session_id": f"CPS-{t.kind}"},
        refused=(200, 1000),
        result=PROFILE_RESPONSE,
    ),
    Operation(
        "commands POST result",
        "POST",
        lambda t: f"{BASE}/emsp/commands/START_SESSION/{t.world.command_uids[t.kind]}",
        "CPO",
        lambda t: {"result": "ACCEPTED"},
        refused=NOT_OURS_TO_ANSWER,
    ),
    # chargingprofiles: our CPO's receiver (on a session of the party's driver) and our eMSP's
    # sender (results)
    Operation(
        "chargingprofiles PUT",
        "PUT",
        lambda t: f"{BASE}/cpo/chargingprofiles/CPS-{t.kind}",
        "EMSP",
        lambda t: {"charging_profile": {"charging_rate_unit": "W"}, "response_url": RESPONSE_URL},
        refused=(200, 1000),
        result=PROFILE_RESPONSE,
    ),
    Operation(
        "chargingprofiles GET",
        "GET",
        lambda t: (
            f"{BASE}/cpo/chargingprofiles/CPS-{t.kind}?duration=60&response_url={RESPONSE_URL}"
        ),
        "EMSP",
        refused=(200, 1000),
        result=PROFILE_RESPONSE,
    ),
    Operation(
        "chargingprofiles DELETE",
        "DELETE",
        lambda t: f"{BASE}/cpo/chargingprofiles/CPS-{t.kind}?response_url={RESPONSE_URL}",
        "EMSP",
        refused=(200, 1000),
        result=PROFILE_RESPONSE,
    ),
    Operation(
        "chargingprofiles POST result",
        "POST",
        lambda t: f"{BASE}/emsp/chargingprofiles/{t.world.profile_uids[t.kind]}",
        "CPO",
        lambda t: {"result": "ACCEPTED"},
        refused=NOT_OURS_TO_ANSWER,
    ),
    # hubclientinfo: our receiver, on both sides
    Operation("hubclientinfo GET", "GET", emsp_url("hubclientinfo"), "CPO", writes=False),
    Operation(
        "hubclientinfo PUT",
        "PUT",
        cpo_url("hubclientinfo"),
        "CPO",
        lambda t: client_info_document(
            t.country_code, t.party_id, status="OFFLINE", last_updated=NEWER
        ),
    ),
]

# Endpoints that name no partner party: our senders, and real-time authorization.
SENDER_OPERATIONS = [
    Operation(
        f"{module} GET list",
        "GET",
        (lambda m: lambda t: f"{BASE}/cpo/{m}")(module),
        "EMSP",
        writes=False,
    )
    for module in ("locations", "tariffs", "sessions", "cdrs")
] + [
    Operation("tokens GET list", "GET", lambda t: f"{BASE}/emsp/tokens", "CPO", writes=False),
    Operation(
        "tokens POST authorize",
        "POST",
        lambda t: f"{BASE}/emsp/tokens/TOK1/authorize",
        "CPO",
        lambda t: {},
        writes=False,
    ),
]


def call(client, operation: Operation, target: Target, **headers):
    body = operation.body(target) if operation.body else None
    return getattr(client, operation.method.lower())(
        operation.path(target),
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **headers,
    )


def target(world: World, kind: str, role: str) -> Target:
    return Target(kind, *PARTIES[kind][role], world)


def assert_answer(response, expected: tuple, result: str | None) -> None:
    assert (response.status_code, response.json()["status_code"]) == expected, response.content
    if result is not None:
        assert response.json()["data"]["result"] == result


def routing(sender: tuple[str, str], receiver: tuple[str, str]) -> dict:
    return {
        "HTTP_OCPI_FROM_COUNTRY_CODE": sender[0],
        "HTTP_OCPI_FROM_PARTY_ID": sender[1],
        "HTTP_OCPI_TO_COUNTRY_CODE": receiver[0],
        "HTTP_OCPI_TO_PARTY_ID": receiver[1],
    }


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", PARTY_OPERATIONS, ids=str)
def test_a_partner_acts_only_for_its_own_party(partner_client, world, operation, kind):
    before = database_state()

    response = call(partner_client, operation, target(world, kind, operation.role))

    allowed = kind == OWN
    expected = (200, 1000) if allowed else operation.refused
    result = operation.result and operation.result[0 if allowed else 1]
    assert_answer(response, expected, result)
    changed = database_state() != before
    assert changed == (allowed and operation.writes)
    if not allowed and response.status_code == 403:
        country_code, party_id = PARTIES[kind][operation.role]
        assert f"{country_code}-{party_id}" in response.json()["status_message"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", PARTY_OPERATIONS + SENDER_OPERATIONS, ids=str)
def test_the_ocpi_from_party_must_be_the_partners_own(partner_client, world, operation, kind):
    before = database_state()
    sender = PARTIES[kind][operation.role]
    receiver = PARTIES[OURS][COUNTERPART[operation.role]]

    response = call(
        partner_client, operation, target(world, OWN, operation.role), **routing(sender, receiver)
    )

    if kind == OWN:
        assert response.status_code == 200, response.content
    else:
        assert_answer(response, (403, 2001), None)
        assert (
            f"{sender[0]}-{sender[1]} is not a party of this connection"
            in (response.json()["status_message"])
        )
        assert database_state() == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("operation", PARTY_OPERATIONS + SENDER_OPERATIONS, ids=str)
def test_the_ocpi_to_party_must_be_ours(partner_client, world, operation, kind):
    before = database_state()
    sender = PARTIES[OWN][operation.role]
    receiver = PARTIES[kind][COUNTERPART[operation.role]]

    response = call(
        partner_client, operation, target(world, OWN, operation.role), **routing(sender, receiver)
    )

    if kind == OURS:
        assert response.status_code == 200, response.content
    else:
        assert_answer(response, (200, 2001), None)
        assert (
            f"{receiver[0]}-{receiver[1]} is not hosted here" in response.json()["status_message"]
        )
        assert database_state() == before


@pytest.mark.parametrize("module", ["sessions", "cdrs"])
def test_our_senders_show_a_partner_only_its_own_drivers(
    partner_client, world, own_parties, module
):
    # Our CPO's CDR of a driver of each kind, beside the sessions the world has.
    for kind in KINDS:
        cdr_create_own(
            party=own_parties["CPO"],
            document=cdr_document(
                "NL", "TMC", cdr_id=f"CDR-{kind}", cdr_token=cdr_token(PARTIES[kind]["EMSP"])
            ),
        )

    served = partner_client.get(f"{BASE}/cpo/{module}").json()["data"]

    drivers = {
        (item["cdr_token"]["country_code"], item["cdr_token"]["party_id"]) for item in served
    }
    assert drivers == {PARTIES[OWN]["EMSP"]}


def test_a_partner_that_lost_a_party_can_no_longer_act_for_it(partner_client, world):
    """A released party row (its connection closed) is no longer the connection's party."""
    ConnectionParty.objects.filter(connection=world.connections[OWN], role="CPO").update(
        released_at=timezone.now()
    )

    response = partner_client.put(
        f"{BASE}/emsp/locations/DE/ABC/LOC1",
        data=json.dumps(location_document("DE", "ABC", last_updated=NEWER)),
        content_type="application/json",
    )

    assert_answer(response, (403, 2001), None)
