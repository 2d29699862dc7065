"""Billing documents: our issuers, a driver's account, and CDRs stored and priced as a partner
CPO sends them."""

import pytest

from ocpi.modules.cdrs import services as cdrs
from tests.support.invoices import driver_account_for, issuer_for


@pytest.fixture
def emsp_issuer(own_parties):
    return issuer_for(own_parties["EMSP"])


@pytest.fixture
def cpo_issuer(own_parties):
    return issuer_for(own_parties["CPO"], name="Test Charging B.V.")


@pytest.fixture
def driver_account(emsp_issuer):
    return driver_account_for(emsp_issuer)


@pytest.fixture
def store_cdr(partner, django_capture_on_commit_callbacks):
    """Store a partner's CDR as the CDR receiver does; it is priced on commit."""

    def store(document):
        with django_capture_on_commit_callbacks(execute=True):
            return cdrs.store_from_partner(connection=partner, document=document).instance

    return store


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered PDFs are stored under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
