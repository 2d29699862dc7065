"""Writes the portal makes itself; the handshake and its siblings live in ocpi.credentials."""

from django.db import transaction

from ocpi.models import Connection


class ConnectionStateError(Exception):
    pass


@transaction.atomic
def connection_suspend(*, connection: Connection) -> Connection:
    """Stop all traffic with a registered partner, keeping its tokens for a later resume.

    Its token is refused here (ocpi.transport.authentication accepts only pending and registered
    connections) and changes are pushed to registered connections only.
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
    locked = Connection.objects.select_for_update().get(pk=connection.pk)
    if locked.status != Connection.Status.SUSPENDED:
        raise ConnectionStateError(
            f"Only a suspended connection can be resumed; this one is {locked.status}."
        )
    locked.status = Connection.Status.REGISTERED
    locked.save(update_fields=["status", "updated_at"])
    return locked
