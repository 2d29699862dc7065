"""The chargingprofiles module: our CPO receives charging profiles, our eMSP sends them and
receives their results (its Sender interface)."""

from ocpi.endpoints import RECEIVER, SENDER, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, Schedule

SERIALIZERS = "ocpi.modules.chargingprofiles.serializers"

# 2.3.0 has the same interfaces as 2.2.1.
ENDPOINTS = (
    Endpoint(RECEIVER, "CPO", "cpo/chargingprofiles"),
    Endpoint(SENDER, "EMSP", "emsp/chargingprofiles"),
)

CHARGINGPROFILES = OcpiModule(
    identifier="chargingprofiles",
    endpoints={
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    urls="ocpi.modules.chargingprofiles.urls",
    request_bodies={
        "PUT cpo/chargingprofiles/{session_id}": SERIALIZERS + ".SetChargingProfileIn",
        "POST emsp/chargingprofiles/{identifier}": SERIALIZERS + ".ChargingProfileResultIn",
        "PUT emsp/chargingprofiles/{identifier}": SERIALIZERS + ".ActiveChargingProfileIn",
    },
    # Requests whose result never came are marked TIMEOUT.
    schedules={
        "ocpi-chargingprofiles-expire": Schedule(
            "ocpi.modules.chargingprofiles.tasks.charging_profile_requests_expire_task", 60
        ),
    },
)
