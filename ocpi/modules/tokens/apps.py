from ocpi import registry
from ocpi.modules.tokens.declaration import TOKENS


class ModuleConfig(registry.OcpiModuleConfig):
    name = "ocpi.modules.tokens"
    label = "ocpi_tokens"
    verbose_name = "OCPI tokens"
    declaration = TOKENS
