from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "ocpi.sync"
    label = "ocpi_sync"
    verbose_name = "OCPI synchronisation"
