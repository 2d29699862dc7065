from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self):
        from billing.signals import price_cdrs_waiting_for_tariff, price_stored_cdr
        from ocpi.modules.cdrs.signals import cdr_stored
        from ocpi.modules.tariffs.signals import tariff_stored

        cdr_stored.connect(price_stored_cdr, dispatch_uid="billing.price_stored_cdr")
        tariff_stored.connect(
            price_cdrs_waiting_for_tariff, dispatch_uid="billing.price_cdrs_waiting_for_tariff"
        )
