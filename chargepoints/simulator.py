"""The built-in charge point simulator: the default adapter, for demos and tests.

Every EVSE of our CPO's locations behaves like a charge point with a car plugged in. A started
session charges at the connector's power (at most `power_kw`) until the car has taken
`battery_kwh`, then stays plugged in without charging (parking time) until it is stopped. The
energy at any moment follows from the start time, so a session can be brought up to date at any
moment: every `update_interval` seconds while it runs (a Celery task chain), and when it stops.
With eager Celery (no broker) there is no later, so the session is only brought up to date when
it stops. The clock is injectable; tests use time-machine.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from celery import current_app
from django.db import transaction
from django.utils import timezone

from chargepoints import callbacks
from ocpi.chargepoint_port import ChargePointAdapter, Outcome
from ocpi.models import OwnParty
from ocpi.modules.chargingprofiles.models import ChargingProfileRequest
from ocpi.modules.chargingprofiles.selectors import charging_profile_in_force
from ocpi.modules.commands.models import Command
from ocpi.modules.commands.selectors import reservation_is_active
from ocpi.modules.locations.selectors import find_connector, find_evse, own_location
from ocpi.modules.sessions.selectors import own_session
from ocpi.timestamps import format_timestamp, parse_timestamp

INOPERATIVE = {"INOPERATIVE", "OUTOFORDER", "REMOVED", "UNKNOWN"}


class SimulatorAdapter(ChargePointAdapter):
    command_timeout = 30
    power_kw = Decimal("11")
    battery_kwh = Decimal("30")
    update_interval = 900  # seconds between the charging periods of a running session

    def __init__(self, clock: Callable[[], datetime] = timezone.now):
        self.clock = clock

    # Commands.

    def start_session(self, command: Command) -> Outcome:
        request, party = command.request, command.party
        location = own_location(party=party, location_id=request["location_id"])
        evses = location.document.get("evses") or []
        if request.get("evse_uid"):
            evse = find_evse(location.document, request["evse_uid"])
        else:
            evse = next((e for e in evses if e.get("status") == "AVAILABLE"), None)
            if evse is None:
                return Outcome("EVSE_OCCUPIED", "No EVSE of this location is available")
        refusal = self._evse_refusal(evse)
        if refusal:
            return refusal
        connector_id = request.get("connector_id") or evse["connectors"][0]["id"]
        session_id = str(uuid.uuid4())
        callbacks.session_started(
            party=party,
            session_id=session_id,
            location_id=location.document["id"],
            evse_uid=evse["uid"],
            connector_id=connector_id,
            token=request["token"],
            started_at=self.clock(),
            authorization_reference=request.get("authorization_reference"),
        )
        self._schedule_update(party, session_id)
        return Outcome("ACCEPTED", f"Session {session_id} started")

    def stop_session(self, command: Command) -> Outcome:
        party = command.party
        session = own_session(party=party, session_id=command.request["session_id"])
        if session is None or session.status != "ACTIVE":
            return Outcome("REJECTED", "The session is not active")
        ended_at = self.clock()
        energy = self.bring_up_to_date(party, session.document, ended_at)
        callbacks.session_ended(
            party=party, session_id=session.document["id"], ended_at=ended_at, energy_kwh=energy
        )
        return Outcome("ACCEPTED")

    def reserve_now(self, command: Command) -> Outcome:
        request = command.request
        location = own_location(party=command.party, location_id=request["location_id"])
        if request.get("evse_uid"):
            return self._evse_refusal(find_evse(location.document, request["evse_uid"])) or Outcome(
                "ACCEPTED"
            )
        if any(e.get("status") == "AVAILABLE" for e in location.document.get("evses") or []):
            return Outcome("ACCEPTED")
        return Outcome("EVSE_OCCUPIED", "No EVSE of this location is available")

    def cancel_reservation(self, command: Command) -> Outcome:
        if reservation_is_active(
            connection=command.connection,
            reservation_id=command.request["reservation_id"],
            now=self.clock(),
        ):
            return Outcome("ACCEPTED")
        return Outcome("UNKNOWN_RESERVATION")

    def unlock_connector(self, command: Command) -> Outcome:
        return Outcome("ACCEPTED")

    # Charging profiles: the simulated car does not slow down for them.

    def set_charging_profile(self, request: ChargingProfileRequest) -> Outcome:
        return self._refusal_unless_active(request) or Outcome("ACCEPTED")

    def get_active_charging_profile(self, request: ChargingProfileRequest) -> Outcome:
        refusal = self._refusal_unless_active(request)
        if refusal:
            return refusal
        profile = charging_profile_in_force(party=request.party, session_id=request.session_id)
        if profile is None:  # no profile set: the EVSE's maximum (mod_charging_profiles)
            session = own_session(party=request.party, session_id=request.session_id)
            profile = {
                "charging_rate_unit": "W",
                "charging_profile_period": [
                    {
                        "start_period": 0,
                        "limit": float(self.power(request.party, session.document) * 1000),
                    }
                ],
            }
        duration = int(request.request.get("duration") or 0)
        return Outcome(
            "ACCEPTED",
            profile={
                "start_date_time": format_timestamp(self.clock()),
                "charging_profile": {**profile, "duration": duration} if duration else profile,
            },
        )

    def clear_charging_profile(self, request: ChargingProfileRequest) -> Outcome:
        refusal = self._refusal_unless_active(request)
        if refusal:
            return refusal
        if charging_profile_in_force(party=request.party, session_id=request.session_id) is None:
            return Outcome("UNKNOWN")
        return Outcome("ACCEPTED")

    # The simulated charge point.

    def power(self, party: OwnParty, session: dict) -> Decimal:
        """kW: the connector's max_electric_power (W), at most power_kw."""
        location = own_location(party=party, location_id=session["location_id"])
        evse = find_evse(location.document, session["evse_uid"]) or {}
        connector = find_connector(evse, session["connector_id"]) or {}
        watts = connector.get("max_electric_power")
        return min(self.power_kw, Decimal(str(watts)) / 1000) if watts else self.power_kw

    def energy_at(self, party: OwnParty, session: dict, at: datetime) -> Decimal:
        started = parse_timestamp(session["start_date_time"], "start_date_time")
        hours = Decimal((at - started).total_seconds()) / 3600
        return min(self.power(party, session) * max(hours, Decimal(0)), self.battery_kwh)

    def full_at(self, party: OwnParty, session: dict) -> datetime:
        hours = self.battery_kwh / self.power(party, session)
        started = parse_timestamp(session["start_date_time"], "start_date_time")
        return started + timedelta(seconds=int(hours * 3600))

    def bring_up_to_date(self, party: OwnParty, session: dict, until: datetime) -> Decimal:
        """Report the moment the car became full if it lies before `until`, so that charging
        and parking fall in separate periods; returns the energy at `until`."""
        full_at = self.full_at(party, session)
        if parse_timestamp(session["last_updated"], "last_updated") < full_at < until:
            callbacks.meter_values(
                party=party, session_id=session["id"], at=full_at, energy_kwh=self.battery_kwh
            )
        return self.energy_at(party, session, until)

    def update_session(self, party: OwnParty, session_id: str) -> None:
        """A running session's periodic meter reading; schedules the next one."""
        session = own_session(party=party, session_id=session_id)
        if session is None or session.status != "ACTIVE":
            return
        now = self.clock()
        energy = self.bring_up_to_date(party, session.document, now)
        callbacks.meter_values(party=party, session_id=session_id, at=now, energy_kwh=energy)
        self._schedule_update(party, session_id)

    def _schedule_update(self, party: OwnParty, session_id: str) -> None:
        if current_app.conf.task_always_eager:
            return  # no later to wait for: the session is brought up to date when it stops
        from chargepoints.tasks import simulator_session_update_task

        transaction.on_commit(
            lambda: simulator_session_update_task.apply_async(
                (party.pk, session_id), countdown=self.update_interval
            )
        )

    def _evse_refusal(self, evse: dict) -> Outcome | None:
        status = evse.get("status")
        if status in INOPERATIVE:
            return Outcome("EVSE_INOPERATIVE", f"EVSE {evse['uid']} is {status}")
        if status != "AVAILABLE":
            return Outcome("EVSE_OCCUPIED", f"EVSE {evse['uid']} is {status}")
        return None

    def _refusal_unless_active(self, request: ChargingProfileRequest) -> Outcome | None:
        session = own_session(party=request.party, session_id=request.session_id)
        if session is None or session.status != "ACTIVE":
            return Outcome("REJECTED")
        return None
