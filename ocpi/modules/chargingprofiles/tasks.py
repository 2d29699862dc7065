"""Charging profile tasks: ids only, idempotent, retried with backoff. Services are imported
inside the tasks because the services queue these tasks."""

from celery import shared_task

from ocpi.asyncresults import DELIVERY_RETRIES


@shared_task(acks_late=False)  # at most once: a charge point must not get a request twice
def charging_profile_execute_task(request_id: int) -> None:
    from ocpi.modules.chargingprofiles.services import charging_profile_execute

    charging_profile_execute(request_id=request_id)


@shared_task(**DELIVERY_RETRIES)
def charging_profile_result_deliver_task(request_id: int) -> None:
    from ocpi.modules.chargingprofiles.services import charging_profile_result_deliver

    charging_profile_result_deliver(request_id=request_id)


@shared_task
def charging_profile_requests_expire_task() -> int:
    """Periodic (every minute): overdue requests are marked timed out."""
    from ocpi.modules.chargingprofiles.services import charging_profile_requests_expire

    return charging_profile_requests_expire()


@shared_task(**DELIVERY_RETRIES)
def active_charging_profile_push_task(request_id: int, profile: dict) -> None:
    from ocpi.modules.chargingprofiles.services import active_charging_profile_deliver

    active_charging_profile_deliver(request_id=request_id, profile=profile)
