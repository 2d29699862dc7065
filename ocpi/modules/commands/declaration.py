"""The commands module: our CPO receives commands, our eMSP sends them and receives their
results (its Sender interface)."""

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, V2_3_0, VERSION, Endpoint
from ocpi.registry import OcpiModule, Schedule

SERIALIZERS = "ocpi.modules.commands.serializers"

# 2.3.0 has the same interfaces as 2.2.1.
ENDPOINTS = (
    Endpoint(RECEIVER, "CPO", "cpo/commands"),
    Endpoint(SENDER, "EMSP", "emsp/commands"),
)

COMMANDS = OcpiModule(
    identifier="commands",
    endpoints={
        V2_1_1: (
            Endpoint(RECEIVER, "CPO", "cpo/commands"),
            Endpoint(SENDER, "EMSP", "emsp/commands", listed=False),
        ),
        VERSION: ENDPOINTS,
        V2_3_0: ENDPOINTS,
    },
    translations={V2_1_1: "ocpi.translations.v2_1_1.COMMANDS"},
    urls="ocpi.modules.commands.urls",
    request_bodies={
        "POST cpo/commands/START_SESSION": SERIALIZERS + ".StartSessionIn",
        "POST cpo/commands/STOP_SESSION": SERIALIZERS + ".StopSessionIn",
        "POST cpo/commands/RESERVE_NOW": SERIALIZERS + ".ReserveNowIn",
        "POST cpo/commands/CANCEL_RESERVATION": SERIALIZERS + ".CancelReservationIn",
        "POST cpo/commands/UNLOCK_CONNECTOR": SERIALIZERS + ".UnlockConnectorIn",
        "POST emsp/commands/{command}/{uid}": SERIALIZERS + ".CommandResultIn",
    },
    # Commands whose result never came are marked TIMEOUT.
    schedules={
        "ocpi-commands-expire": Schedule("ocpi.modules.commands.tasks.commands_expire_task", 60),
    },
)
