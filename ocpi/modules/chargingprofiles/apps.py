from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.chargingprofiles"
    label = "ocpi_chargingprofiles"
    verbose_name = "OCPI chargingprofiles"
