from ocpi.models import Connection
from ocpi.modules.commands.models import Command, CommandResultType, CommandType
from ocpi.validation import ocpi_time


def reservation_is_active(*, connection: Connection, reservation_id: str, now) -> bool:
    """Whether the eMSP on this connection holds an accepted, unexpired, uncancelled reservation.

    Reservation ids are the eMSP's: the same id from another eMSP is another reservation.
    """
    received = Command.objects.filter(direction=Command.Direction.RECEIVED, connection=connection)
    latest = (
        received.filter(
            command__in=[CommandType.RESERVE_NOW, CommandType.CANCEL_RESERVATION],
            request__reservation_id__iexact=reservation_id,
            result=CommandResultType.ACCEPTED,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.command != CommandType.RESERVE_NOW:
        return False
    expiry = latest.request.get("expiry_date")
    return expiry is None or ocpi_time(expiry, "expiry_date") > now
