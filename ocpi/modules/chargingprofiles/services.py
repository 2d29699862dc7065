"""Charging profiles: our CPO receives set/get/clear requests and passes them to the charge
point adapter; our eMSP sends them to partner CPOs and receives results and profile updates."""

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
from ocpi.client import OcpiClient
from ocpi.endpoints import RECEIVER, SENDER
from ocpi.models import Connection, OwnParty, Role
from ocpi.modules.chargingprofiles.declaration import CHARGINGPROFILES
from ocpi.modules.chargingprofiles.models import (
    ActiveChargingProfile,
    ChargingProfileRequest,
    ChargingProfileResponseType,
    ChargingProfileResultType,
)
from ocpi.modules.chargingprofiles.serializers import (
    ActiveChargingProfileIn,
    ActiveChargingProfileResultIn,
    ChargingProfileIn,
    ChargingProfileResponseIn,
    ChargingProfileResultIn,
    ClearChargingProfileIn,
    GetActiveChargingProfileIn,
    SetChargingProfileIn,
)
from ocpi.modules.chargingprofiles.tasks import (
    active_charging_profile_push_task,
    charging_profile_execute_task,
    charging_profile_requests_expire_task,
    charging_profile_result_deliver_task,
)
from ocpi.modules.sessions.selectors import own_session, session_belongs_to
from ocpi.transport.exceptions import InvalidParameters, NoMatchingEndpoints, UnknownObject
from ocpi.validation import validate_document

logger = logging.getLogger(__name__)

Kind = ChargingProfileRequest.Kind

REQUEST_SERIALIZERS = {
    Kind.SET: SetChargingProfileIn,
    Kind.GET: GetActiveChargingProfileIn,
    Kind.CLEAR: ClearChargingProfileIn,
}
RESULT_SERIALIZERS = {
    Kind.SET: ChargingProfileResultIn,
    Kind.GET: ActiveChargingProfileResultIn,
    Kind.CLEAR: ChargingProfileResultIn,
}
# How each request reaches the Receiver interface, and which adapter method executes it.
HTTP_METHODS = {Kind.SET: "PUT", Kind.GET: "GET", Kind.CLEAR: "DELETE"}
ADAPTER_METHODS = {
    Kind.SET: "set_charging_profile",
    Kind.GET: "get_active_charging_profile",
    Kind.CLEAR: "clear_charging_profile",
}


# Our CPO: the Receiver interface.


def charging_profile_receive(
    *, connection: Connection, party: OwnParty, kind: str, session_id: str, document: dict
) -> ChargingProfileRequest:
    """Validate a request on one of our sessions, answer it and store it; an accepted request
    goes to the charge point adapter once the transaction commits."""
    request = validate_document(REQUEST_SERIALIZERS[kind], document)
    adapter = get_adapter()
    if not adapter.supports_charging_profiles:
        response = ChargingProfileResponseType.NOT_SUPPORTED
    else:
        session = own_session(party=party, session_id=session_id)
        if session is None:
            response = ChargingProfileResponseType.UNKNOWN_SESSION
        elif not session_belongs_to(session, connection):
            response = ChargingProfileResponseType.REJECTED
        else:
            response = ChargingProfileResponseType.ACCEPTED
    accepted = response == ChargingProfileResponseType.ACCEPTED
    stored = ChargingProfileRequest.objects.create(
        direction=ChargingProfileRequest.Direction.RECEIVED,
        connection=connection,
        party=party,
        kind=kind,
        session_id=session_id,
        request=document,
        response_url=request["response_url"],
        status=(
            ChargingProfileRequest.Status.PENDING
            if accepted
            else ChargingProfileRequest.Status.NOT_ACCEPTED
        ),
        response_result=response,
        timeout=adapter.command_timeout,
        deadline=timezone.now() + timedelta(seconds=adapter.command_timeout) if accepted else None,
    )
    if accepted:
        charging_profile_execute_task.delay_on_commit(stored.pk)
        expire_after(charging_profile_requests_expire_task, stored.timeout)
    return stored


def charging_profile_execute(*, request_id: int) -> None:
    """Pass an accepted request to the adapter; report its outcome if it has one at once."""
    if not claim_for_execution(ChargingProfileRequest, request_id):
        return  # executed already, or timed out meanwhile
    request = ChargingProfileRequest.objects.select_related("connection", "party").get(
        pk=request_id
    )
    try:
        outcome = getattr(get_adapter(), ADAPTER_METHODS[request.kind])(request)
    except Exception:  # never run twice: the charge point may have acted already
        logger.exception("The charge point adapter failed on charging profile %s", request.uid)
        outcome = Outcome(ChargingProfileResultType.REJECTED)
    if outcome is not None:
        charging_profile_result_report(
            request_id=request.pk, result=outcome.result, profile=outcome.profile
        )


@transaction.atomic
def charging_profile_result_report(
    *, request_id: int, result: str, profile: dict | None = None
) -> ChargingProfileRequest:
    """The charge point's result for a request our CPO received: store it and deliver it."""
    request = ChargingProfileRequest.objects.select_for_update().get(
        pk=request_id, direction=ChargingProfileRequest.Direction.RECEIVED
    )
    document = {"result": result}
    if request.kind == Kind.GET and profile is not None:
        document["profile"] = profile
    validate_document(RESULT_SERIALIZERS[request.kind], document)
    if request.result_document == document:
        return request
    request.result = result
    request.result_document = document
    request.result_at = timezone.now()
    request.result_delivered_at = None
    request.status = ChargingProfileRequest.Status.COMPLETED
    request.save()
    charging_profile_result_deliver_task.delay_on_commit(request.pk)
    return request


def charging_profile_result_deliver(*, request_id: int) -> None:
    """POST the result to the requester's response_url; raises OcpiClientError on failure."""
    request = ChargingProfileRequest.objects.select_related("connection", "party").get(
        pk=request_id
    )
    if request.result_delivered_at or not request.result_document:
        return
    deliver_result(request, request.result_document)


def active_charging_profile_push(*, party: OwnParty, session_id: str, profile: dict) -> bool:
    """A charge point changed a session's ActiveChargingProfile on its own: PUT it to the eMSP
    that set a profile on the session. The spec allows this push only to an eMSP whose
    SetChargingProfile for the session was accepted. Returns whether a push was queued."""
    validate_document(ActiveChargingProfileIn, profile)
    profile_set = (
        ChargingProfileRequest.objects.filter(
            direction=ChargingProfileRequest.Direction.RECEIVED,
            party=party,
            session_id__iexact=session_id,
            kind=Kind.SET,
            response_result=ChargingProfileResponseType.ACCEPTED,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if profile_set is None:
        return False
    # The profile travels in the task: it is the message, and a PUT of it is idempotent.
    active_charging_profile_push_task.delay_on_commit(profile_set.pk, profile)
    return True


def active_charging_profile_deliver(*, request_id: int, profile: dict) -> None:
    """PUT an ActiveChargingProfile on the Sender interface of the eMSP that made `request`."""
    request = ChargingProfileRequest.objects.select_related("connection", "party").get(
        pk=request_id
    )
    url = request.connection.endpoint_url(CHARGINGPROFILES.identifier, SENDER)
    if not url:
        return  # the eMSP offers no Sender interface to receive it
    client = OcpiClient(request.connection, from_party=request.party)
    client.call("PUT", f"{url.rstrip('/')}/{request.session_id}", body=profile, retries=0)


# Our eMSP: sending requests to a partner CPO.


def result_url(request: ChargingProfileRequest) -> str:
    return f"{CHARGINGPROFILES.endpoint(SENDER).url()}/{request.uid}"


def charging_profile_set(
    *, connection: Connection, session_id: str, charging_profile: dict
) -> ChargingProfileRequest:
    """PUT a ChargingProfile on one of the partner CPO's sessions."""
    validate_document(ChargingProfileIn, charging_profile)
    return _send(connection, Kind.SET, session_id, {"charging_profile": charging_profile})


def active_charging_profile_get(
    *, connection: Connection, session_id: str, duration: int
) -> ChargingProfileRequest:
    """Ask the partner CPO for a session's ActiveChargingProfile over the next `duration` s."""
    return _send(connection, Kind.GET, session_id, {"duration": duration})


def charging_profile_clear(*, connection: Connection, session_id: str) -> ChargingProfileRequest:
    """Ask the partner CPO to remove the profile we set on a session."""
    return _send(connection, Kind.CLEAR, session_id, {})


def _send(
    connection: Connection, kind: str, session_id: str, parameters: dict
) -> ChargingProfileRequest:
    url = connection.endpoint_url(CHARGINGPROFILES.identifier, RECEIVER)
    if not url:
        raise NoMatchingEndpoints(f"{connection} has no chargingprofiles receiver endpoint")
    party = OwnParty.objects.filter(role=Role.EMSP).order_by("pk").first()
    if party is None:
        raise InvalidParameters("No eMSP party is hosted here to send the request")
    stored = ChargingProfileRequest(
        direction=ChargingProfileRequest.Direction.SENT,
        connection=connection,
        party=party,
        kind=kind,
        session_id=session_id,
    )
    stored.response_url = result_url(stored)
    stored.request = {**parameters, "response_url": stored.response_url}
    validate_document(REQUEST_SERIALIZERS[kind], stored.request)
    stored.save()

    target = f"{url.rstrip('/')}/{session_id}"
    body, params = stored.request, None
    if kind != Kind.SET:  # GET and DELETE carry their parameters in the query string
        body, params = None, stored.request
    response, _ocpi_status, error = send_request(
        stored,
        HTTP_METHODS[kind],
        target,
        response_serializer=ChargingProfileResponseIn,
        body=body,
        params=params,
    )
    return _record_response(stored.pk, error=error, **response)


@transaction.atomic
def _record_response(
    request_id: int, *, result: str = "", timeout: int = 0, error: str = ""
) -> ChargingProfileRequest:
    request = ChargingProfileRequest.objects.select_for_update().get(pk=request_id)
    request.response_result = result
    request.error = error[:300]
    record_response(
        request,
        accepted=result == ChargingProfileResponseType.ACCEPTED,
        timeout=timeout,
        expire_task=charging_profile_requests_expire_task,
    )
    request.save()
    return request


@transaction.atomic
def charging_profile_result_receive(
    *, connection: Connection, uid: str, document: dict
) -> ChargingProfileRequest:
    """A partner CPO POSTs the result of a request our eMSP sent (the response_url we gave)."""
    request = sent_request_for_update(
        ChargingProfileRequest.objects, connection=connection, uid=uid
    )
    if request is None:
        raise UnknownObject(f"Unknown charging profile request {uid}")
    validated = validate_document(RESULT_SERIALIZERS[request.kind], document)
    request.result = validated["result"]
    request.result_document = document
    request.result_at = timezone.now()
    request.status = ChargingProfileRequest.Status.COMPLETED
    request.save()
    if request.kind == Kind.GET and document.get("profile"):
        _store_active_profile(connection, request.session_id, document["profile"])
    return request


def active_charging_profile_receive(
    *, connection: Connection, session_id: str, document: dict
) -> ActiveChargingProfile:
    """A partner CPO pushes a changed ActiveChargingProfile of one of its sessions."""
    validate_document(ActiveChargingProfileIn, document)
    return _store_active_profile(connection, session_id, document)


def _store_active_profile(
    connection: Connection, session_id: str, document: dict
) -> ActiveChargingProfile:
    profile, _created = ActiveChargingProfile.objects.update_or_create(
        connection=connection, session_id=session_id.upper(), defaults={"document": document}
    )
    return profile


def charging_profile_requests_expire(*, now: datetime | None = None) -> int:
    """Requests whose result is overdue are marked timed out (the result types have no
    TIMEOUT: the requester applies its own timeout, so nothing is sent)."""
    return overdue(ChargingProfileRequest, now=now or timezone.now()).update(
        status=ChargingProfileRequest.Status.TIMED_OUT
    )
