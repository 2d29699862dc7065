"""Pulling partners' objects from their sender endpoints, asking only for what changed.

Each (connection, module) keeps a watermark in SyncState: the time the last successful run
started. The next run asks for `date_from` = watermark, follows the Link pages, and stores every
object through the module's declared `store_from_partner`, the same service its receiver uses.
An object the module rejects is counted and logged; a failed call fails the run and leaves the
watermark where it was, so the next run asks again for everything since then. A partner
platform with several parties that send the module is asked once for each, addressed to it.
"""

import logging
from datetime import UTC

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import APIException

from ocpi import registry
from ocpi.client import OcpiClient
from ocpi.endpoints import SENDER
from ocpi.models import Connection, OwnParty
from ocpi.registry import OcpiModule
from ocpi.sync.models import SyncState
from ocpi.sync.selectors import pulled_modules
from ocpi.validation import read_in

logger = logging.getLogger(__name__)


class PullNotPossible(Exception):
    """The connection cannot be pulled for this module (not registered, or no sender endpoint)."""


def module_pull_scheduled(*, connection_id: int, module: str) -> dict | None:
    """The scheduled pull of one module from one partner; None when there is nothing to pull
    (the partner is gone or suspended, or no longer sends the module)."""
    connection = Connection.objects.filter(
        pk=connection_id, status=Connection.Status.REGISTERED
    ).first()
    if connection is None or module not in pulled_modules(connection=connection):
        return None
    return module_pull(connection=connection, module=module)


def module_pull(*, connection: Connection, module: str) -> dict:
    """Pull what changed in one module since the last successful run; returns the counts.

    Raises PullNotPossible, or OcpiClientError when a call to the partner fails.
    """
    declared = registry.module(module)
    if declared is None or declared.objects is None:
        raise PullNotPossible(f"{module} is not a module we pull")
    if connection.status != Connection.Status.REGISTERED:
        raise PullNotPossible(f"Connection {connection} is {connection.status}, not registered")
    url = connection.endpoint_url(module, SENDER)
    if not url:
        raise PullNotPossible(f"Connection {connection} has no {module} SENDER endpoint")
    store = declared.store_from_partner()

    state, _ = SyncState.objects.get_or_create(connection=connection, module=module)
    started = timezone.now()
    state.last_run_at = started
    state.save(update_fields=["last_run_at"])

    params = {"date_from": _ocpi_datetime(state.watermark)} if state.watermark else None
    counts = {"received": 0, "created": 0, "updated": 0, "unchanged": 0, "invalid": 0}
    try:
        for client in _clients(connection, declared):
            for page in client.get_pages(url, params):
                for document in page:
                    counts["received"] += 1
                    counts[_store_one(store, connection, declared, document)] += 1
    except Exception as exc:  # recorded for the partner page, whatever it was, then raised
        state.last_error = str(exc) or type(exc).__name__
        state.counts = counts
        state.save(update_fields=["last_error", "counts"])
        raise
    state.watermark = started
    state.last_success_at = timezone.now()
    state.last_error = ""
    state.counts = counts
    state.save()
    return counts


def _store_one(store, connection: Connection, declared: OcpiModule, document) -> str:
    """Store one pulled object; returns which count it belongs to."""
    module = declared.identifier
    if not isinstance(document, dict):
        logger.warning("Invalid %s item pulled from %s: not an object", module, connection)
        return "invalid"
    try:
        with transaction.atomic(), read_in(connection.version):
            result = store(connection=connection, document=document)
    except APIException as exc:
        object_id = document.get(declared.objects.id_field)
        logger.warning(
            "Invalid %s object %r pulled from %s: %s", module, object_id, connection, exc.detail
        )
        return "invalid"
    if result.created:
        return "created"
    return "updated" if result.applied else "unchanged"


def _clients(connection: Connection, declared: OcpiModule) -> list[OcpiClient]:
    """One client per partner party that sends the module (a platform hosts several), each
    addressing that party (OCPI-to-*); our party that receives the module calls."""
    our_party = OwnParty.objects.filter(role=declared.receiver_role).order_by("pk").first()
    their_parties = connection.parties.filter(role=declared.sender_role).order_by("id")
    return [
        OcpiClient(
            connection,
            from_party=our_party,
            to_party=(their_party.country_code, their_party.party_id) if their_party else None,
        )
        for their_party in list(their_parties) or [None]
    ]


def _ocpi_datetime(value) -> str:
    """UTC, whole seconds (rounded down: date_from is inclusive, so nothing is missed)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
