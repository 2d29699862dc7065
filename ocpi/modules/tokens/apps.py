from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.tokens"
    label = "ocpi_tokens"
    verbose_name = "OCPI tokens"
