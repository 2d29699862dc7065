from django.apps import AppConfig


class ChargepointsConfig(AppConfig):
    """Our CPO's charge-point back end: the simulator and the callbacks any back end reports
    through. The protocol reaches it only through ocpi.chargepoint_port."""

    name = "chargepoints"
    verbose_name = "Charge points"
