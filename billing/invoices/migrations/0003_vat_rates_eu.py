"""The EU standard VAT rates the table starts with (billing.invoices.vat.SEED_RATES)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

SEED_RATES = [
    *((country, "2024-01-01", rate) for country, rate in {
        "AT": "20", "BE": "21", "BG": "20", "HR": "25", "CY": "19", "CZ": "21", "DK": "25",
        "EE": "22", "FI": "24", "FR": "20", "DE": "19", "GR": "24", "HU": "27", "IE": "23",
        "IT": "22", "LV": "21", "LT": "21", "LU": "17", "MT": "18", "NL": "21", "PL": "23",
        "PT": "23", "RO": "19", "SK": "20", "SI": "22", "ES": "21", "SE": "25",
    }.items()),
    ("FI", "2024-09-01", "25.5"),
    ("SK", "2025-01-01", "23"),
    ("EE", "2025-07-01", "24"),
    ("RO", "2025-08-01", "21"),
]  # fmt: skip


def seed(apps, schema_editor):
    VatRate = apps.get_model("invoices", "VatRate")
    for country, valid_from, rate in SEED_RATES:
        VatRate.objects.get_or_create(
            country=country,
            valid_from=date.fromisoformat(valid_from),
            defaults={"rate": Decimal(rate), "category": "S"},
        )


class Migration(migrations.Migration):
    dependencies = [("invoices", "0002_issued_documents_frozen")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
