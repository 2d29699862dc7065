from ocpi import registry
from ocpi.modules.sessions.declaration import SESSIONS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.sessions"
    label = "ocpi_sessions"
    verbose_name = "OCPI sessions"
    declaration = SESSIONS
