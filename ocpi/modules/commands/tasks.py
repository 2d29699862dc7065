"""Command tasks: ids only, idempotent, retried with backoff. Services are imported inside the
tasks because the services queue these tasks."""

from celery import shared_task

from ocpi.asyncresults import DELIVERY_RETRIES


@shared_task(acks_late=False)  # at most once: a charge point must not get a command twice
def command_execute_task(command_id: int) -> None:
    from ocpi.modules.commands.services import command_execute

    command_execute(command_id=command_id)


@shared_task(**DELIVERY_RETRIES)
def command_result_deliver_task(command_id: int) -> None:
    from ocpi.modules.commands.services import command_result_deliver

    command_result_deliver(command_id=command_id)


@shared_task
def commands_expire_task() -> int:
    """Periodic (every minute): overdue commands get the result TIMEOUT."""
    from ocpi.modules.commands.services import commands_expire

    return commands_expire()
