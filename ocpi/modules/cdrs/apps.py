from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.cdrs"
    label = "ocpi_cdrs"
    verbose_name = "OCPI cdrs"
