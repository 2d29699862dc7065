from ocpi import registry
from ocpi.modules.chargingprofiles.declaration import CHARGINGPROFILES


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.chargingprofiles"
    label = "ocpi_chargingprofiles"
    verbose_name = "OCPI chargingprofiles"
    declaration = CHARGINGPROFILES
