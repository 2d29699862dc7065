from ocpi import registry
from ocpi.modules.cdrs.declaration import CDRS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.cdrs"
    label = "ocpi_cdrs"
    verbose_name = "OCPI cdrs"
    declaration = CDRS
