from ocpi.models import OwnParty
from ocpi.modules.chargingprofiles.models import ChargingProfileRequest


def charging_profile_in_force(*, party: OwnParty, session_id: str) -> dict | None:
    """The ChargingProfile last set, with the charge point's acceptance, on one of our CPO's
    sessions and not cleared since; None when the charge point runs without one."""
    latest = (
        ChargingProfileRequest.objects.filter(
            direction=ChargingProfileRequest.Direction.RECEIVED,
            party=party,
            session_id__iexact=session_id,
            kind__in=[ChargingProfileRequest.Kind.SET, ChargingProfileRequest.Kind.CLEAR],
            result="ACCEPTED",
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.kind != ChargingProfileRequest.Kind.SET:
        return None
    return latest.request.get("charging_profile")
