from ocpi import registry
from ocpi.modules.tariffs.declaration import TARIFFS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.tariffs"
    label = "ocpi_tariffs"
    verbose_name = "OCPI tariffs"
    declaration = TARIFFS
