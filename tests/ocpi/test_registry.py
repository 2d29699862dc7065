"""Each OCPI module is declared once (ocpi/registry.py, ocpi/modules/<module>/declaration.py):
the URLs, version details, pull, push, the schedules, ocpi_dump and our party at each endpoint
all follow the declaration."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import Resolver404, resolve
from django_celery_beat.models import PeriodicTask

from ocpi import registry
from ocpi.endpoints import RECEIVER, VERSION
from ocpi.models import OwnParty
from ocpi.modules.cdrs.declaration import CDRS
from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.tokens.declaration import TOKENS
from ocpi.sync.selectors import pulled_modules
from tests.ocpi.modules.test_cdrs import cdr_document
from tests.ocpi.modules.test_locations import location
from tests.ocpi.modules.test_sessions import session_document
from tests.ocpi.modules.test_tariffs import tariff
from tests.ocpi.modules.test_tokens import token_document
from tests.ocpi.sync.conftest import partner_endpoints
from tests.support.connections import make_connection

BASE = "http://127.0.0.1:8000/ocpi/2.2.1"


def declared_endpoints(our_roles: set[str]) -> list[dict]:
    """Version details as the declarations say: each module's endpoints our roles offer, one per
    module and interface role."""
    listed, seen = [], set()
    for declared in registry.modules():
        for endpoint in declared.endpoints[VERSION]:
            key = (declared.identifier, endpoint.role)
            if key not in seen and endpoint.party_role in (None, *our_roles):
                seen.add(key)
                listed.append(
                    {
                        "identifier": declared.identifier,
                        "role": endpoint.role,
                        "url": endpoint.url(),
                    }
                )
    return listed


def test_version_details_list_exactly_the_declared_endpoints(partner_client):
    endpoints = partner_client.get("/ocpi/2.2.1/").json()["data"]["endpoints"]

    assert endpoints == declared_endpoints({"CPO", "EMSP"})
    # What partners read stays what it was before the modules were declared.
    assert [(e["identifier"], e["role"], e["url"].removeprefix(BASE)) for e in endpoints] == [
        ("credentials", "SENDER", "/credentials"),
        ("credentials", "RECEIVER", "/credentials"),
        ("locations", "SENDER", "/cpo/locations"),
        ("locations", "RECEIVER", "/emsp/locations"),
        ("tariffs", "SENDER", "/cpo/tariffs"),
        ("tariffs", "RECEIVER", "/emsp/tariffs"),
        ("sessions", "SENDER", "/cpo/sessions"),
        ("sessions", "RECEIVER", "/emsp/sessions"),
        ("cdrs", "SENDER", "/cpo/cdrs"),
        ("cdrs", "RECEIVER", "/emsp/cdrs"),
        ("tokens", "SENDER", "/emsp/tokens"),
        ("tokens", "RECEIVER", "/cpo/tokens"),
        ("commands", "RECEIVER", "/cpo/commands"),
        ("commands", "SENDER", "/emsp/commands"),
        ("chargingprofiles", "RECEIVER", "/cpo/chargingprofiles"),
        ("chargingprofiles", "SENDER", "/emsp/chargingprofiles"),
        ("hubclientinfo", "RECEIVER", "/cpo/hubclientinfo"),
    ]


@pytest.mark.parametrize("role", ["CPO", "EMSP"])
def test_version_details_offer_only_what_our_hosted_roles_declare(partner_client, role):
    OwnParty.objects.exclude(role=role).delete()

    endpoints = partner_client.get("/ocpi/2.2.1/").json()["data"]["endpoints"]

    assert endpoints == declared_endpoints({role})
    assert {e["identifier"] for e in endpoints} >= {"credentials", "hubclientinfo"}


@pytest.mark.parametrize(
    ("identifier", "path"),
    [
        (declared.identifier, endpoint.path)
        for declared in registry.modules()
        for endpoint in declared.endpoints[VERSION]
    ],
)
def test_every_declared_endpoint_is_served_by_its_module(identifier, path):
    declared = registry.module(identifier)
    package = declared.urls.removesuffix(".urls")
    served = []
    # The bare endpoint, or an object under it ({id}, {country_code}/{party_id}/{id}, ...).
    for depth in range(4):
        try:
            match = resolve(f"/ocpi/{VERSION}/{path}" + "/X" * depth)
        except Resolver404:
            continue
        served.append(match.func.view_class.__module__)
    assert served
    assert all(module.startswith(package) for module in served)


def test_what_we_pull_dump_and_schedule_is_what_the_modules_declare(own_parties, settings):
    settings.OCPI_PULL_INTERVALS = {}
    stored = registry.modules_with_objects()
    partner = make_connection(
        "Full", "t-full", [("DE", "ABC", "CPO")], endpoints=partner_endpoints("http://p")
    )

    assert pulled_modules(connection=partner) == [declared.identifier for declared in stored]
    call_command("ocpi_schedules", stdout=StringIO())
    pulls = {
        json.loads(row.args)[1]: row.interval.every
        for row in PeriodicTask.objects.filter(name__startswith="ocpi-pull:")
    }
    assert pulls == {declared.identifier: declared.objects.pull_interval for declared in stored}
    declared_schedules = {name for m in registry.modules() for name in m.schedules}
    assert declared_schedules <= set(PeriodicTask.objects.values_list("name", flat=True))
    for declared in stored:
        call_command("ocpi_dump", declared.identifier, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("ocpi_dump", "commands", stdout=StringIO())


def test_an_interval_setting_overrides_the_declared_one(own_parties, settings):
    settings.OCPI_PULL_INTERVALS = {"tokens": 120}
    make_connection(
        "Full", "t-full", [("DE", "ABE", "EMSP")], endpoints=partner_endpoints("http://p")
    )

    call_command("ocpi_schedules", stdout=StringIO())

    intervals = {
        json.loads(row.args)[1]: row.interval.every
        for row in PeriodicTask.objects.filter(name__startswith="ocpi-pull:")
    }
    assert intervals["tokens"] == 120
    assert intervals["locations"] == LOCATIONS.objects.pull_interval


def test_a_pushed_change_goes_where_the_declaration_says():
    token = token_document("CARD/7 A", party=("NL", "TME"))
    assert TOKENS.object_path(token) == "/NL/TME/CARD%2F7%20A?type=RFID"
    assert CDRS.object_path(cdr_document(party=("NL", "TMC"))) == ""  # POSTed to the endpoint
    our_location = location(country_code="NL", party_id="TMC")
    assert LOCATIONS.object_path(our_location, "EVSE 1") == "/NL/TMC/LOC1/EVSE%201"


def test_push_keys_tell_objects_apart_and_ignore_the_case_of_ids():
    assert LOCATIONS.push_key(location("loc1")) == LOCATIONS.push_key(location("LOC1"))
    assert LOCATIONS.push_key(location("LOC1")) != LOCATIONS.push_key(location("LOC2"))
    rfid, app = token_document(type="RFID"), token_document(type="APP_USER")
    assert TOKENS.push_key(rfid) != TOKENS.push_key(app)


# A partner's object for each receiver interface, as (module, method, URL under 2.2.1, body).
RECEIVED = [
    ("locations", "put", "emsp/locations/DE/ABC/LOC1", location()),
    ("tariffs", "put", "emsp/tariffs/DE/ABC/T1", tariff()),
    ("sessions", "put", "emsp/sessions/DE/ABC/S1", session_document()),
    ("cdrs", "post", "emsp/cdrs", cdr_document()),
    ("tokens", "put", "cpo/tokens/DE/ABE/012345678", token_document()),
]
RECEIVED_IDS = [identifier for identifier, *_ in RECEIVED]


def send(client, method, path, body, **headers):
    send_method = getattr(client, method)
    return send_method(
        f"/ocpi/{VERSION}/{path}", json.dumps(body), content_type="application/json", **headers
    )


def addressed_to(party: OwnParty) -> dict:
    return {
        "HTTP_OCPI_TO_COUNTRY_CODE": party.country_code,
        "HTTP_OCPI_TO_PARTY_ID": party.party_id,
    }


@pytest.mark.parametrize(("identifier", "method", "path", "body"), RECEIVED, ids=RECEIVED_IDS)
def test_a_receiver_refuses_an_object_addressed_to_our_party_of_the_other_role(
    partner_client, own_parties, identifier, method, path, body
):
    declared = registry.module(identifier)
    role = declared.endpoint(RECEIVER).party_role
    other_role = next(r for r in own_parties if r != role)

    refused = send(partner_client, method, path, body, **addressed_to(own_parties[other_role]))

    assert refused.status_code == 200  # valid JSON to an existing resource: OCPI status only
    assert refused.json()["status_code"] == 2001
    assert refused.json()["status_message"] == f"OCPI-to party is not a {role} here"
    assert not declared.model().objects.exists()
    accepted = send(partner_client, method, path, body, **addressed_to(own_parties[role]))
    assert accepted.json()["status_code"] == 1000
    assert declared.model().objects.count() == 1


@pytest.mark.parametrize(("identifier", "method", "path", "body"), RECEIVED, ids=RECEIVED_IDS)
def test_a_receiver_refuses_an_object_when_we_host_no_party_of_its_role(
    partner_client, identifier, method, path, body
):
    declared = registry.module(identifier)
    role = declared.endpoint(RECEIVER).party_role
    OwnParty.objects.filter(role=role).delete()

    refused = send(partner_client, method, path, body)

    assert refused.status_code == 200  # valid JSON to an existing resource: OCPI status only
    assert refused.json()["status_code"] == 2001
    assert refused.json()["status_message"] == f"No {role} party is hosted here"
    assert not declared.model().objects.exists()
