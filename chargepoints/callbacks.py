"""How a charge point back end feeds the portal: command and charging profile results, a driver's
token to authorize, sessions, meter readings, and the end of a session with its CDR.

Everything here is in terms of one of our CPO's sessions. The portal keeps the session as an
OCPI Session document; each meter reading appends a charging period (PATCH to the eMSPs), and
the end of the session turns the periods into a priced CDR. The time of the previous reading is
the session's `last_updated`: only these callbacks change our own sessions.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from billing.cdr_pricing.pricer import cdr_tariffs
from billing.invoices.services import cdr_statement_reference
from billing.services import cdr_document_price
from ocpi.models import OwnParty
from ocpi.modules.cdrs.services import cdr_create_own
from ocpi.modules.chargingprofiles.models import ChargingProfileRequest
from ocpi.modules.chargingprofiles.services import (
    active_charging_profile_push,
    charging_profile_result_report,
)
from ocpi.modules.commands.models import Command
from ocpi.modules.commands.services import command_result_report
from ocpi.modules.locations.selectors import find_connector, find_evse, own_location
from ocpi.modules.locations.services import evse_status_set_own
from ocpi.modules.sessions.selectors import own_session
from ocpi.modules.sessions.services import session_patch_own, session_save_own
from ocpi.modules.tokens.services import token_authorize_remotely
from ocpi.timestamps import format_timestamp, parse_timestamp
from ocpi.transport.exceptions import UnknownObject

# Without a tariff on the connector, sessions are stated (free of charge) in this currency.
DEFAULT_CURRENCY = "EUR"
FOUR_DECIMALS = Decimal("0.0001")


def ocpi_number(value: Decimal) -> float:
    """A JSON number with at most 4 decimals (OCPI fields)."""
    return float(Decimal(value).quantize(FOUR_DECIMALS))


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


# Results of requests the portal passed to the back end.


def command_result(*, command_uid: str, result: str, message: str = "") -> Command:
    """The charge point's result of a command, for a back end that returned None at first."""
    command = Command.objects.get(uid=command_uid, direction=Command.Direction.RECEIVED)
    return command_result_report(command_id=command.pk, result=result, message=message)


def charging_profile_result(
    *, request_uid: str, result: str, profile: dict | None = None
) -> ChargingProfileRequest:
    """The charge point's result of a charging profile request (profile: for a GET)."""
    request = ChargingProfileRequest.objects.get(
        uid=request_uid, direction=ChargingProfileRequest.Direction.RECEIVED
    )
    return charging_profile_result_report(request_id=request.pk, result=result, profile=profile)


def active_charging_profile_changed(*, party: OwnParty, session_id: str, profile: dict) -> bool:
    """The station changed a session's ActiveChargingProfile by itself (local limits, load
    balancing): the eMSP that set a profile on the session is told. Returns whether it was."""
    return active_charging_profile_push(party=party, session_id=session_id, profile=profile)


# A driver at a station.


def token_authorization_requested(
    *,
    party: OwnParty,
    token_uid: str,
    token_type: str = "RFID",
    location_id: str | None = None,
    evse_uids: Sequence[str] = (),
) -> dict:
    """A driver presented a token (an RFID card) at one of our stations, which asks whether it
    may charge (OCPP Authorize): our CPO asks the token's eMSP in real time, naming the location
    and EVSEs when given. Returns the AuthorizationInfo: charge only if `allowed` is ALLOWED,
    then report the session with `session_started(token=info["token"],
    auth_method="AUTH_REQUEST", authorization_reference=info.get("authorization_reference"))`.

    Raises UnknownObject for a location or EVSE our CPO does not have, UnknownToken when no
    partner eMSP knows the token, UnableToUseClientApi when no eMSP could answer and the
    token's whitelist does not let us decide alone (the station then goes by its local list).
    """
    location_references = None
    if location_id is not None:
        location = own_location(party=party, location_id=location_id)
        if location is None:
            raise UnknownObject(f"Unknown location {location_id}")
        location_references = {"location_id": location.document["id"]}
        for evse_uid in evse_uids:
            evse = find_evse(location.document, evse_uid)
            if evse is None:
                raise UnknownObject(f"Unknown EVSE {evse_uid} at location {location_id}")
            location_references.setdefault("evse_uids", []).append(evse["uid"])
    return token_authorize_remotely(
        party=party, token_uid=token_uid, token_type=token_type, location=location_references
    )


# Sessions.


def evse_status_changed(*, party: OwnParty, location_id: str, evse_uid: str, status: str) -> None:
    evse_status_set_own(party=party, location_id=location_id, evse_uid=evse_uid, status=status)


def session_started(
    *,
    party: OwnParty,
    session_id: str,
    location_id: str,
    evse_uid: str,
    connector_id: str,
    token: dict,
    started_at: datetime,
    auth_method: str = "COMMAND",
    authorization_reference: str | None = None,
) -> dict:
    """A charging session began: store it ACTIVE (pushed to the eMSPs) and mark the EVSE
    CHARGING. `token` is the eMSP's Token (or its CdrToken fields). Returns the Session."""
    started_at = _whole_seconds(started_at)
    location = own_location(party=party, location_id=location_id)
    if location is None:
        raise UnknownObject(f"Unknown location {location_id}")
    where = {"id": location.document["id"], "evse_uid": evse_uid, "connector_id": connector_id}
    tariffs = _tariffs(party, where, started_at)
    document = {
        "country_code": party.country_code,
        "party_id": party.party_id,
        "id": session_id,
        "start_date_time": format_timestamp(started_at),
        "kwh": 0,
        "cdr_token": {
            name: token[name] for name in ("country_code", "party_id", "uid", "type", "contract_id")
        },
        "auth_method": auth_method,
        "location_id": location.document["id"],
        "evse_uid": evse_uid,
        "connector_id": connector_id,
        "currency": tariffs[0]["currency"] if tariffs else DEFAULT_CURRENCY,
        "charging_periods": [],
        "status": "ACTIVE",
        "last_updated": format_timestamp(started_at),
    }
    if authorization_reference:
        document["authorization_reference"] = authorization_reference
    with transaction.atomic():
        session_save_own(party=party, document=document)
        evse_status_changed(
            party=party, location_id=location_id, evse_uid=evse_uid, status="CHARGING"
        )
    return document


def meter_values(
    *, party: OwnParty, session_id: str, at: datetime, energy_kwh: Decimal
) -> dict | None:
    """The session's meter read `energy_kwh` (since the start) at `at`: the time since the last
    reading becomes a charging period (charging if energy flowed, parking if not). Returns the
    updated Session, or None for a reading no newer than the last one."""
    session = _active_session(party, session_id)
    patch = _period_patch(session.document, _whole_seconds(at), Decimal(energy_kwh))
    if patch is None:
        return None
    return session_patch_own(party=party, session_id=session_id, patch=patch).instance.document


def session_ended(
    *, party: OwnParty, session_id: str, ended_at: datetime, energy_kwh: Decimal
) -> dict:
    """The session ended with the final meter reading: complete it, free the EVSE and create
    its priced CDR (pushed to the eMSPs). Returns the CDR."""
    ended_at = _whole_seconds(ended_at)
    session = _active_session(party, session_id)
    patch = _period_patch(session.document, ended_at, Decimal(energy_kwh)) or {
        "last_updated": format_timestamp(ended_at)
    }
    patch.update({"status": "COMPLETED", "end_date_time": format_timestamp(ended_at)})
    with transaction.atomic():
        completed = session_patch_own(party=party, session_id=session_id, patch=patch)
        document = completed.instance.document
        cdr = _cdr_document(party, document)
        cdr_create_own(party=party, document=cdr)
        evse_status_changed(
            party=party,
            location_id=document["location_id"],
            evse_uid=document["evse_uid"],
            status="AVAILABLE",
        )
    return cdr


def _active_session(party: OwnParty, session_id: str):
    session = own_session(party=party, session_id=session_id)
    if session is None or session.status != "ACTIVE":
        raise UnknownObject(f"No active session {session_id} of {party.code}")
    return session


def _period_patch(session: dict, at: datetime, energy_kwh: Decimal) -> dict | None:
    previous_at = parse_timestamp(session["last_updated"], "last_updated")
    if at <= previous_at:
        return None
    energy = energy_kwh - Decimal(str(session["kwh"]))
    hours = Decimal((at - previous_at).total_seconds()) / 3600
    if energy > 0:
        dimensions = [
            {"type": "ENERGY", "volume": ocpi_number(energy)},
            {"type": "TIME", "volume": ocpi_number(hours)},
        ]
    else:
        dimensions = [{"type": "PARKING_TIME", "volume": ocpi_number(hours)}]
    return {
        "kwh": ocpi_number(max(energy_kwh, Decimal(str(session["kwh"])))),
        "charging_periods": [
            {"start_date_time": session["last_updated"], "dimensions": dimensions}
        ],
        "last_updated": format_timestamp(at),
    }


def _tariffs(party: OwnParty, where: dict, at: datetime) -> list[dict]:
    """Our tariffs for a connector as they were at `at`."""
    return cdr_tariffs(
        cdr={
            "country_code": party.country_code,
            "party_id": party.party_id,
            "start_date_time": format_timestamp(at),
            "cdr_location": where,
        }
    )


def _cdr_document(party: OwnParty, session: dict) -> dict:
    """The CDR of a completed session: its periods, location, tariffs and priced totals."""
    start = parse_timestamp(session["start_date_time"], "start_date_time")
    end = parse_timestamp(session["end_date_time"], "end_date_time")
    location = own_location(party=party, location_id=session["location_id"]).document
    evse = find_evse(location, session["evse_uid"]) or {}
    connector = find_connector(evse, session["connector_id"]) or {}
    cdr_location = {
        "id": location["id"],
        **{
            k: location[k]
            for k in ("name", "address", "city", "postal_code", "state")
            if k in location
        },
        "country": location["country"],
        "coordinates": location["coordinates"],
        "evse_uid": evse.get("uid", session["evse_uid"]),
        "evse_id": evse.get("evse_id") or evse.get("uid", session["evse_uid"]),
        "connector_id": connector.get("id", session["connector_id"]),
        "connector_standard": connector.get("standard"),
        "connector_format": connector.get("format"),
        "connector_power_type": connector.get("power_type"),
    }
    # A CDR has at least one period, even for a session stopped within its first second.
    periods = session.get("charging_periods") or [
        {
            "start_date_time": session["start_date_time"],
            "dimensions": [{"type": "TIME", "volume": 0}],
        }
    ]
    parking_hours = sum(
        (
            Decimal(str(d["volume"]))
            for period in periods
            for d in period["dimensions"]
            if d["type"] == "PARKING_TIME"
        ),
        Decimal(0),
    )
    cdr = {
        "country_code": party.country_code,
        "party_id": party.party_id,
        "id": session["id"],
        "start_date_time": session["start_date_time"],
        "end_date_time": session["end_date_time"],
        "session_id": session["id"],
        "cdr_token": session["cdr_token"],
        "auth_method": session["auth_method"],
        "cdr_location": cdr_location,
        "currency": session["currency"],
        "charging_periods": periods,
        "total_energy": ocpi_number(Decimal(str(session["kwh"]))),
        "total_time": ocpi_number(Decimal((end - start).total_seconds()) / 3600),
        "total_parking_time": ocpi_number(parking_hours),
        "last_updated": session["last_updated"],
    }
    if session.get("authorization_reference"):
        cdr["authorization_reference"] = session["authorization_reference"]
    # The settlement statement the eMSP will get this CDR on: known now, as CDRs never change.
    cdr["invoice_reference_id"] = cdr_statement_reference(
        cpo=party.code, document=cdr, time_zone=location.get("time_zone")
    )
    tariffs = _tariffs(party, cdr_location, start)
    if not tariffs:
        cdr["total_cost"] = {"excl_vat": 0, "incl_vat": 0}
        return cdr
    cdr["tariffs"] = tariffs
    return cdr_document_price(cdr, tz=location.get("time_zone") or None)
