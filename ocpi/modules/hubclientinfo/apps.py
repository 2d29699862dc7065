from ocpi import registry
from ocpi.modules.hubclientinfo.declaration import HUBCLIENTINFO


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.hubclientinfo"
    label = "ocpi_hubclientinfo"
    verbose_name = "OCPI hubclientinfo"
    declaration = HUBCLIENTINFO
