"""The port to our CPO's charge points: the interface the protocol calls, and its loader.

A charge point back end (an OCPP central system, or the built-in simulator in `chargepoints/`)
implements ChargePointAdapter. The portal calls it when a partner eMSP sends a command or a
charging profile request; the back end answers with an Outcome at once, or returns None and
reports the outcome later (command_result_report, charging_profile_result_report). Sessions,
meter values and CDRs flow the other way, through the back end's callbacks. The protocol knows
the back end only by the dotted path in settings.CHARGEPOINT_ADAPTER. See docs/chargepoints.md.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from ocpi.modules.chargingprofiles.models import ChargingProfileRequest
    from ocpi.modules.commands.models import Command


@dataclass(frozen=True)
class Outcome:
    """What the charge point did with a request.

    result: a CommandResultType value for commands, a ChargingProfileResultType value
    (ACCEPTED, REJECTED, UNKNOWN) for charging profile requests.
    profile: the ActiveChargingProfile, for get_active_charging_profile when ACCEPTED.
    """

    result: str
    message: str = ""
    profile: dict | None = None


class ChargePointAdapter(ABC):
    # Seconds we tell the eMSP to wait for a result; after it, the request is answered TIMEOUT.
    command_timeout: int = 60
    # Commands this back end can execute; any other is answered NOT_SUPPORTED at once.
    supported_commands: frozenset[str] = frozenset(
        {"START_SESSION", "STOP_SESSION", "RESERVE_NOW", "CANCEL_RESERVATION", "UNLOCK_CONNECTOR"}
    )
    supports_charging_profiles: bool = True

    # Commands. `command.request` is the validated command object as the eMSP sent it;
    # `command.party` is our CPO, `command.connection` the eMSP's platform.
    @abstractmethod
    def start_session(self, command: Command) -> Outcome | None: ...

    @abstractmethod
    def stop_session(self, command: Command) -> Outcome | None: ...

    @abstractmethod
    def reserve_now(self, command: Command) -> Outcome | None: ...

    @abstractmethod
    def cancel_reservation(self, command: Command) -> Outcome | None: ...

    @abstractmethod
    def unlock_connector(self, command: Command) -> Outcome | None: ...

    # Charging profiles. `request.session_id` names one of our CPO's sessions.
    @abstractmethod
    def set_charging_profile(self, request: ChargingProfileRequest) -> Outcome | None: ...

    @abstractmethod
    def get_active_charging_profile(self, request: ChargingProfileRequest) -> Outcome | None: ...

    @abstractmethod
    def clear_charging_profile(self, request: ChargingProfileRequest) -> Outcome | None: ...


def get_adapter() -> ChargePointAdapter:
    """The configured adapter (settings.CHARGEPOINT_ADAPTER)."""
    return _adapter_class(settings.CHARGEPOINT_ADAPTER)()


@cache
def _adapter_class(dotted_path: str) -> type[ChargePointAdapter]:
    return import_string(dotted_path)
