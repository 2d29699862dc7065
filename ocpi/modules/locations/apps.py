from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.locations"
    label = "ocpi_locations"
    verbose_name = "OCPI locations"
