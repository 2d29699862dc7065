from django.apps import AppConfig


class ModuleConfig(AppConfig):
    name = "ocpi.modules.commands"
    label = "ocpi_commands"
    verbose_name = "OCPI commands"
