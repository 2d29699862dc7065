from ocpi import registry
from ocpi.modules.locations.declaration import LOCATIONS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.locations"
    label = "ocpi_locations"
    verbose_name = "OCPI locations"
    declaration = LOCATIONS
