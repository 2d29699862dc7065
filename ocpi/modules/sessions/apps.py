from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.sessions"
    label = "ocpi_sessions"
    verbose_name = "OCPI sessions"
