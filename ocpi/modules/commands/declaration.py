"""The commands module: our CPO receives commands, our eMSP sends them and receives their
results (its Sender interface)."""

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint
from ocpi.registry import OcpiModule, Schedule

COMMANDS = OcpiModule(
    identifier="commands",
    endpoints={
        VERSION: (
            Endpoint(RECEIVER, "CPO", "cpo/commands"),
            Endpoint(SENDER, "EMSP", "emsp/commands"),
        ),
    },
    urls="ocpi.modules.commands.urls",
    # Commands whose result never came are marked TIMEOUT.
    schedules={
        "ocpi-commands-expire": Schedule("ocpi.modules.commands.tasks.commands_expire_task", 60),
    },
)
