from ocpi import registry
from ocpi.credentials.declaration import CREDENTIALS


class OcpiConfig(registry.OcpiModuleConfig):
    name = "ocpi"
    verbose_name = "OCPI"
    declaration = CREDENTIALS
