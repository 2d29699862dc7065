"""Billing details a driver saved before they lived on the billing account are carried over
to it when the database is migrated, none lost."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("invoices", "0003_vat_rates_eu"), ("portal_driver", "0001_driver_profile")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_profiles_become_the_billing_accounts_of_the_drivers_contracts():
    old = _migrate(BEFORE)
    try:
        User = old.get_model("auth", "User")
        Contract = old.get_model("billing", "DriverContract")
        Profile = old.get_model("portal_driver", "DriverProfile")
        Account = old.get_model("invoices", "BillingAccount")
        party = old.get_model("ocpi", "OwnParty").objects.create(
            country_code="NL", party_id="TME", role="EMSP", name="Test eMSP"
        )
        issuer = old.get_model("invoices", "Issuer").objects.create(
            own_party=party, name="Test eMSP B.V.", street="Dam 1", postcode="1012 JS",
            city="Amsterdam", country="NL",
        )  # fmt: skip
        ann = User.objects.create(username="ann", email="ann@example.org")
        ann_contract = Contract.objects.create(contract_id="NL-TME-C00000001-A", user=ann)
        Profile.objects.create(
            user=ann, language="de", name="Ann Example", street="Hauptstr. 1", postcode="10115",
            city="Berlin", country="de", vat_id="DE123456789",
        )  # fmt: skip
        bob = User.objects.create(username="bob", email="bob@example.org")
        bob_contract = Contract.objects.create(contract_id="NL-TME-C00000002-B", user=bob)
        Account.objects.create(
            kind="DRIVER", issuer=issuer, contract=bob_contract, name="Bob", street="Kade 2",
            postcode="2611 AB", city="Delft", country="NL", email="invoices@bob.example",
        )  # fmt: skip
        Profile.objects.create(user=bob, language="fr")
    finally:
        latest = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Account = latest.get_model("invoices", "BillingAccount")
    ann_account = Account.objects.get(contract_id=ann_contract.pk)
    assert (ann_account.kind, ann_account.issuer_id, ann_account.language) == (
        "DRIVER",
        issuer.pk,
        "de",
    )
    assert (ann_account.name, ann_account.street, ann_account.country) == (
        "Ann Example", "Hauptstr. 1", "DE"
    )  # fmt: skip
    assert (ann_account.vat_id, ann_account.email) == ("DE123456789", "ann@example.org")
    # A profile with only a language leaves the account's address and e-mail as they were.
    bob_account = Account.objects.get(contract_id=bob_contract.pk)
    assert (bob_account.language, bob_account.street, bob_account.email) == (
        "fr", "Kade 2", "invoices@bob.example"
    )  # fmt: skip
