from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.tariffs"
    label = "ocpi_tariffs"
    verbose_name = "OCPI tariffs"
