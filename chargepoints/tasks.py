"""The simulator's periodic session updates."""

from celery import shared_task

from ocpi.models import OwnParty


@shared_task(acks_late=True)
def simulator_session_update_task(party_id: int, session_id: str) -> None:
    from chargepoints.simulator import SimulatorAdapter

    SimulatorAdapter().update_session(OwnParty.objects.get(pk=party_id), session_id)
