from django.apps import AppConfig


class DriverConfig(AppConfig):
    name = "portal.driver"
    label = "portal_driver"
    verbose_name = "Driver space"
