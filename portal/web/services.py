"""Writes the portal makes itself; the handshake and its siblings live in ocpi.credentials."""

from django.db import transaction

from ocpi.models import Connection
from ocpi.sync.push import push_deliveries_release


class ConnectionStateError(Exception):
    pass


@transaction.atomic
def connection_suspend(*, connection: Connection) -> Connection:
    """Stop all traffic with a registered partner, keeping its tokens for a later resume.

    Its token is refused here (ocpi.transport.authentication accepts only pending and registered
    connections); our changes meanwhile are held for it and sent on resume.
    """
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if locked.status != Connection.Status.REGISTERED:
        raise ConnectionStateError(
            f"Only a registered connection can be suspended; this one is {locked.status}."
        )
    locked.status = Connection.Status.SUSPENDED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def connection_resume(*, connection: Connection) -> Connection:
    """Let traffic flow again; the changes held while the partner was suspended go out, oldest
    first per object, once this commits."""
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if locked.status != Connection.Status.SUSPENDED:
        raise ConnectionStateError(
            f"Only a suspended connection can be resumed; this one is {locked.status}."
        )
    locked.status = Connection.Status.REGISTERED
    locked.save(update_fields=["status", "updated_at"])
    push_deliveries_release(connection=locked)
    return locked
