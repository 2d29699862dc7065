"""Functions that run inside an instance's own process, with its settings and database.

`Instance.call(name, **arguments)` runs `python -m tests.support.inside NAME` with the arguments
as a JSON object on stdin, and returns what the function returns (printed as JSON). Models and
services are imported inside each function: Django is set up only when the module runs.
"""

import json
import os
import sys


def connections() -> list[dict]:
    """Every partner connection, with the token we send to that partner."""
    from ocpi.models import Connection

    return [
        {
            "id": connection.pk,
            "name": connection.name,
            "status": connection.status,
            "version": connection.version,
            "plain_token": connection.plain_token,
            "parties": [party.code for party in connection.parties.order_by("id")],
            "outbound_token": connection.outbound_token,
        }
        for connection in Connection.objects.order_by("id")
    ]


def save_own(*, module: str, documents: list[dict]) -> None:
    """Our party's own objects, saved (and pushed) as our back office saves them."""
    from ocpi.models import OwnParty
    from ocpi.modules.locations.services import location_save_own
    from ocpi.modules.tariffs.services import tariff_save_own
    from ocpi.modules.tokens.services import token_save_own

    service, role = {
        "locations": (location_save_own, "CPO"),
        "tariffs": (tariff_save_own, "CPO"),
        "tokens": (token_save_own, "EMSP"),
    }[module]
    party = OwnParty.objects.get(role=role)
    for document in documents:
        service(party=party, document=document)


def store_own_location(*, document: dict) -> None:
    """Our CPO's location, stored without pushing it (as if it had always been there)."""
    from ocpi.modules.locations.models import Location
    from ocpi.objects import upsert_object

    upsert_object(
        Location,
        country_code=document["country_code"],
        party_id=document["party_id"],
        object_id=document["id"],
        document=document,
        source=None,
    )


def inbound_requests(*, method: str, url_prefix: str, http_status: int) -> int:
    """How many partner requests the traffic log holds with this method, URL and answer."""
    from ocpi.models import TrafficLog

    return TrafficLog.objects.filter(
        direction="in", method=method, url__startswith=url_prefix, http_status=http_status
    ).count()


def authorize_remotely(*, token_uid: str, token_type: str, location: dict) -> dict:
    """Our CPO asks the eMSP: the AuthorizationInfo, or {"error": OCPI status code}."""
    from ocpi.modules.tokens.services import token_authorize_remotely
    from ocpi.transport.exceptions import OcpiError

    try:
        return token_authorize_remotely(
            token_uid=token_uid, token_type=token_type, location=location
        )
    except OcpiError as error:
        return {"error": error.ocpi_status}


def active_session_id(*, location_id: str) -> str:
    from ocpi.modules.sessions.models import Session

    return Session.objects.get(location_id=location_id, status="ACTIVE").document["id"]


def sessions_and_cdrs(*, session_id: str) -> dict:
    """The statuses of the sessions with this id and the total_energy of their CDRs."""
    from ocpi.modules.cdrs.models import Cdr
    from ocpi.modules.sessions.models import Session

    sessions = Session.objects.filter(ocpi_id=session_id.upper())
    cdrs = Cdr.objects.filter(document__session_id=session_id)
    return {
        "sessions": [session.status for session in sessions],
        "cdrs": [cdr.document["total_energy"] for cdr in cdrs],
    }


def stored_documents(*, model: str, **filters) -> list[dict]:
    """The documents of the stored objects of `model` ("app_label.Model") matching `filters`."""
    from django.apps import apps

    found = apps.get_model(model).objects.filter(**filters).order_by("pk")
    return [stored.document for stored in found]


def inbound_paths() -> list[str]:
    """Every URL partners called, once each, as the traffic log holds it."""
    from ocpi.models import TrafficLog

    urls = TrafficLog.objects.filter(direction="in").values_list("url", flat=True)
    return sorted(set(urls))


def inbound_bodies(*, method: str, url_prefix: str) -> list:
    """The request bodies partners sent with this method under this URL, oldest first, as the
    traffic log holds them (what crossed the wire, before any translation)."""
    import json

    from ocpi.models import TrafficLog

    found = TrafficLog.objects.filter(direction="in", method=method, url__startswith=url_prefix)
    return [json.loads(log.request_body) for log in found.order_by("id") if log.request_body]


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    function = globals()[sys.argv[1]]
    print(json.dumps(function(**json.load(sys.stdin))))


if __name__ == "__main__":
    main()
