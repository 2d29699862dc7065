from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.hubclientinfo"
    label = "ocpi_hubclientinfo"
    verbose_name = "OCPI hubclientinfo"
