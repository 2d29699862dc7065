"""Commands: our CPO receives and executes them; our eMSP sends them and receives results.

Token policy (START_SESSION, RESERVE_NOW): the spec says the eMSP authorised the token before
sending it and the CPO shall not check it, so we trust it as sent. We only require that the
token belongs to one of the sending connection's parties (an eMSP may use only its own tokens).
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ocpi.asyncresults import (
    claim_for_execution,
    deliver_result,
    expire_after,
    overdue,
    record_response,
    send_request,
    sent_request_for_update,
)
from ocpi.chargepoint_port import Outcome, get_adapter
from ocpi.endpoints import RECEIVER, SENDER
from ocpi.models import Connection, OwnParty, Role
from ocpi.modules.commands.declaration import COMMANDS
from ocpi.modules.commands.models import (
    Command,
    CommandResponseType,
    CommandResultType,
    CommandType,
)
from ocpi.modules.commands.serializers import (
    REQUEST_SERIALIZERS,
    CommandResponseIn,
    CommandResultIn,
)
from ocpi.modules.commands.tasks import (
    command_execute_task,
    command_result_deliver_task,
    commands_expire_task,
)
from ocpi.modules.locations.selectors import unknown_location_part
from ocpi.modules.sessions.selectors import own_session, session_belongs_to
from ocpi.transport import status
from ocpi.transport.exceptions import InvalidParameters, NoMatchingEndpoints, UnknownObject
from ocpi.validation import validate_document

logger = logging.getLogger(__name__)


def display_text(message: str) -> list[dict]:
    return [{"language": "en", "text": message[:512]}] if message else []


def command_type(value: str) -> str:
    """The CommandType a URL names (case-insensitive); an unknown one is an unknown endpoint."""
    if value.upper() not in CommandType.values:
        raise UnknownObject(
            f"Unknown command {value!r}: expected one of {', '.join(CommandType.values)}"
        )
    return value.upper()


# Our CPO: the Receiver interface.


def command_receive(
    *, connection: Connection, party: OwnParty, command: str, document: dict
) -> Command:
    """Validate a partner's command, decide the CommandResponse and store both; an accepted
    command is passed to the charge point adapter once the transaction commits."""
    command = command_type(command)
    request = validate_document(REQUEST_SERIALIZERS[command], document)
    adapter = get_adapter()
    response_result, ocpi_status, message = _response_for(
        adapter=adapter, connection=connection, party=party, command=command, request=request
    )
    now = timezone.now()
    accepted = response_result == CommandResponseType.ACCEPTED
    stored = Command.objects.create(
        direction=Command.Direction.RECEIVED,
        connection=connection,
        party=party,
        command=command,
        request=document,
        response_url=request["response_url"],
        status=Command.Status.PENDING if accepted else Command.Status.NOT_ACCEPTED,
        response_result=response_result,
        response_ocpi_status=ocpi_status,
        response_message=display_text(message),
        timeout=adapter.command_timeout,
        deadline=now + timedelta(seconds=adapter.command_timeout) if accepted else None,
    )
    if accepted:
        command_execute_task.delay_on_commit(stored.pk)
        expire_after(commands_expire_task, stored.timeout)
    return stored


def _response_for(
    *, adapter, connection: Connection, party: OwnParty, command: str, request: dict
) -> tuple[str, int, str]:
    """(CommandResponseType, OCPI status code, message) for a valid command."""
    if command not in adapter.supported_commands:
        return CommandResponseType.NOT_SUPPORTED, status.SUCCESS, f"{command} is not supported"
    if "location_id" in request:
        unknown = unknown_location_part(
            party=party,
            location_id=request["location_id"],
            evse_uid=request.get("evse_uid"),
            connector_id=request.get("connector_id"),
        )
        if unknown:
            return CommandResponseType.REJECTED, status.UNKNOWN_LOCATION, unknown
    token = request.get("token")
    if token and not connection.owns_party(token["country_code"], token["party_id"]):
        return (
            CommandResponseType.REJECTED,
            status.SUCCESS,
            "The token belongs to a party that is not on this connection",
        )
    if command == CommandType.STOP_SESSION:
        session = own_session(party=party, session_id=request["session_id"])
        if session is None:
            return CommandResponseType.UNKNOWN_SESSION, status.SUCCESS, "Unknown session"
        if not session_belongs_to(session, connection):
            return (
                CommandResponseType.REJECTED,
                status.SUCCESS,
                "The session is not one of this connection's customers",
            )
    return CommandResponseType.ACCEPTED, status.SUCCESS, ""


def command_execute(*, command_id: int) -> None:
    """Pass an accepted command to the charge point adapter; report its outcome if it has one
    (an adapter that answers later reports it through command_result_report)."""
    if not claim_for_execution(Command, command_id):
        return  # executed already, or timed out meanwhile
    command = Command.objects.select_related("connection", "party").get(pk=command_id)
    try:
        outcome = getattr(get_adapter(), command.command.lower())(command)
    except Exception as exc:  # never run twice: the charge point may have acted already
        logger.exception("The charge point adapter failed on command %s", command.uid)
        outcome = Outcome(CommandResultType.FAILED, f"{type(exc).__name__}: {exc}")
    if outcome is not None:
        command_result_report(command_id=command.pk, result=outcome.result, message=outcome.message)


@transaction.atomic
def command_result_report(*, command_id: int, result: str, message: str = "") -> Command:
    """The charge point's result for a command our CPO received: store it and deliver it to
    the eMSP. A repeated report of the same result changes nothing; a different one (a
    reservation cancelled later, a result after the timeout) is delivered as news."""
    if result not in CommandResultType.values:
        raise InvalidParameters(f"result: {result!r} is not a CommandResultType")
    command = Command.objects.select_for_update().get(
        pk=command_id, direction=Command.Direction.RECEIVED
    )
    if command.result == result:
        return command
    command.result = result
    command.result_message = display_text(message)
    command.result_at = timezone.now()
    command.result_delivered_at = None
    timed_out = result == CommandResultType.TIMEOUT
    command.status = Command.Status.TIMED_OUT if timed_out else Command.Status.COMPLETED
    command.save()
    command_result_deliver_task.delay_on_commit(command.pk)
    return command


def command_result_deliver(*, command_id: int) -> None:
    """POST the CommandResult to the eMSP's response_url. Raises OcpiClientError on failure
    (the task retries with backoff); delivered results are not sent twice."""
    command = Command.objects.select_related("connection", "party").get(pk=command_id)
    if command.result_delivered_at or not command.result:
        return
    body = {"result": command.result}
    if command.result_message:
        body["message"] = command.result_message
    token = command.request.get("token") or {}
    to_party = (token["country_code"], token["party_id"]) if token else None
    deliver_result(command, body, to_party=to_party)


# Our eMSP: the Sender interface.


def result_url(command: Command) -> str:
    """Where the partner CPO POSTs the CommandResult: our Sender interface, naming the uid."""
    return f"{COMMANDS.endpoint(SENDER).url()}/{command.command}/{command.uid}"


def command_send(*, connection: Connection, command: str, body: dict) -> Command:
    """Send a command from our eMSP to a partner CPO and store its CommandResponse.

    `body` is the command object without response_url (ours is added). The command is stored
    before the call, so that a result arriving before the response finds it.
    """
    command = command_type(command)
    url = connection.endpoint_url(COMMANDS.identifier, RECEIVER)
    if not url:
        raise NoMatchingEndpoints(f"{connection} has no commands receiver endpoint")
    party = _sending_party(body)
    stored = Command(
        direction=Command.Direction.SENT, connection=connection, party=party, command=command
    )
    request = {**body, "response_url": result_url(stored)}
    validate_document(REQUEST_SERIALIZERS[command], request)
    stored.request = request
    stored.response_url = request["response_url"]
    stored.save()

    response, ocpi_status, error = send_request(
        stored,
        "POST",
        f"{url.rstrip('/')}/{command}",
        response_serializer=CommandResponseIn,
        body=request,
    )
    return _record_response(stored.pk, ocpi_status=ocpi_status, error=error, **response)


def _sending_party(body: dict) -> OwnParty:
    """Our eMSP that owns the command's token, else our first eMSP."""
    token = body.get("token") if isinstance(body.get("token"), dict) else {}
    emsps = OwnParty.objects.filter(role=Role.EMSP).order_by("pk")
    owner = emsps.filter(
        country_code__iexact=token.get("country_code", ""),
        party_id__iexact=token.get("party_id", ""),
    ).first()
    party = owner or emsps.first()
    if party is None:
        raise InvalidParameters("No eMSP party is hosted here to send the command")
    return party


@transaction.atomic
def _record_response(
    command_id: int,
    *,
    result: str = "",
    timeout: int = 0,
    message: list | None = None,
    ocpi_status: int | None = None,
    error: str = "",
) -> Command:
    command = Command.objects.select_for_update().get(pk=command_id)
    command.response_result = result
    command.response_ocpi_status = ocpi_status
    command.response_message = message or []
    command.error = error[:300]
    record_response(
        command,
        accepted=result == CommandResponseType.ACCEPTED,
        timeout=timeout,
        expire_task=commands_expire_task,
    )
    command.save()
    return command


@transaction.atomic
def command_result_receive(
    *, connection: Connection, command: str, uid: str, document: dict
) -> Command:
    """A partner CPO POSTs the result of a command our eMSP sent."""
    command = command_type(command)
    stored = sent_request_for_update(
        Command.objects.filter(command=command), connection=connection, uid=uid
    )
    if stored is None:
        raise UnknownObject(f"Unknown {command} command {uid}")
    stored.result = validate_document(CommandResultIn, document)["result"]
    stored.result_message = document.get("message") or []
    stored.result_at = timezone.now()
    stored.status = Command.Status.COMPLETED
    stored.save()
    return stored


# Both directions.


def commands_expire(*, now: datetime | None = None) -> int:
    """Commands whose result is overdue get the result TIMEOUT; a received command's TIMEOUT
    is delivered to the eMSP. Returns how many commands timed out."""
    now = now or timezone.now()
    timed_out = list(overdue(Command, now=now).values_list("pk", "direction"))
    for command_id, direction in timed_out:
        if direction == Command.Direction.RECEIVED:
            command_result_report(
                command_id=command_id,
                result=CommandResultType.TIMEOUT,
                message="The charge point did not answer in time",
            )
        else:
            Command.objects.filter(pk=command_id, status=Command.Status.PENDING, result="").update(
                status=Command.Status.TIMED_OUT, result=CommandResultType.TIMEOUT, result_at=now
            )
    return len(timed_out)
