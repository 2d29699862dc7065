"""The driver space kept billing details and language in a profile of its own (portal_driver's
DriverProfile); they live on the driver's billing account now. Each profile is copied onto the
account of each of the user's contracts (created, with our eMSP as issuer, where missing);
an account's own details are only replaced by ones the driver filled in."""

from django.db import migrations

ADDRESS = ["name", "street", "postcode", "city", "country", "vat_id"]


def emsp_issuer(Issuer, contract_id: str):
    issuers = Issuer.objects.filter(own_party__role="EMSP").order_by("pk")
    country, _dash, rest = contract_id.upper().replace("*", "-").partition("-")
    named = issuers.filter(own_party__country_code=country, own_party__party_id=rest[:3]).first()
    return named or issuers.first()


def copy_profiles(apps, schema_editor):
    DriverProfile = apps.get_model("portal_driver", "DriverProfile")
    DriverContract = apps.get_model("billing", "DriverContract")
    BillingAccount = apps.get_model("invoices", "BillingAccount")
    Issuer = apps.get_model("invoices", "Issuer")
    for profile in DriverProfile.objects.select_related("user").order_by("pk"):
        for contract in DriverContract.objects.filter(user_id=profile.user_id).order_by("pk"):
            account = BillingAccount.objects.filter(contract=contract).first()
            if account is None:
                issuer = emsp_issuer(Issuer, contract.contract_id)
                if issuer is None:
                    raise RuntimeError(
                        "Driver billing details need an issuer for our eMSP party: add it "
                        "(admin, Invoices, Issuers) and migrate again."
                    )
                account = BillingAccount(
                    kind="DRIVER", issuer=issuer, contract=contract, name=contract.name
                )
            for field in ADDRESS:
                value = getattr(profile, field)
                if value:
                    setattr(account, field, value.upper() if field == "country" else value)
            account.language = profile.language
            account.email = account.email or profile.user.email
            account.save()


class Migration(migrations.Migration):
    dependencies = [
        ("invoices", "0003_vat_rates_eu"),
        ("portal_driver", "0001_driver_profile"),
    ]

    operations = [migrations.RunPython(copy_profiles, migrations.RunPython.noop)]
