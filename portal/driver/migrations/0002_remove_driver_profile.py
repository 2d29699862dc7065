"""Billing details and language are the driver's billing account's (invoices 0004 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal_driver", "0001_driver_profile"),
        ("invoices", "0004_driver_details_from_profiles"),
    ]

    operations = [migrations.DeleteModel(name="DriverProfile")]
