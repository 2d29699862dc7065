from ocpi import registry
from ocpi.modules.commands.declaration import COMMANDS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.commands"
    label = "ocpi_commands"
    verbose_name = "OCPI commands"
    declaration = COMMANDS
