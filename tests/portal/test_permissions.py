"""The permission matrix: every staff URL against anonymous visitors, drivers and each role.

Support reads everything and changes nothing; finance also decides disputes, cancels invoices
by credit notes, starts invoice runs and records partners' invoices as received; operations also
acts on partners, drivers and tokens.
A staff view added without its role check fails the coverage test below.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, reverse

from billing.invoices import services
from billing.models import DriverContract
from ocpi.modules.cdrs import services as cdrs
from ocpi.modules.locations.models import Location
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tokens.models import Token
from portal.staff import urls as staff_urls
from portal.staff.roles import FINANCE, OPERATIONS, ROLES, SUPPORT
from portal.web import urls as web_urls
from tests.support.invoices import cdr_document, driver_account_for, issuer_for
from tests.support.portal_factories import make_cdr, staff_member

READ = None  # any staff role may
INVOICE = {"party": "DE-ABC", "reference": "RC-2026-03"}  # a partner's invoice of the fixture
# (method, URL name, arguments from the objects fixture, the role needed beyond reading)
MATRIX = [
    ("get", "staff:dashboard", {}, READ),
    ("get", "staff:cdrs", {}, READ),
    ("get", "staff:cdr", {"cdr_id": "cdr"}, READ),
    ("post", "staff:cdr-dispute", {"cdr_id": "cdr"}, FINANCE),
    ("get", "staff:sessions", {}, READ),
    ("get", "staff:locations", {}, READ),
    ("get", "staff:location", {"location_pk": "location"}, READ),
    ("get", "staff:tariffs", {}, READ),
    ("get", "staff:tariff", {"tariff_pk": "tariff"}, READ),
    ("get", "staff:contracts", {}, READ),
    ("get", "staff:contract-create", {}, OPERATIONS),
    ("get", "staff:contract", {"contract_pk": "contract"}, READ),
    ("post", "staff:contract", {"contract_pk": "contract"}, OPERATIONS),
    ("post", "staff:contract-token", {"contract_pk": "contract"}, OPERATIONS),
    ("post", "staff:token-validity", {"token_pk": "token"}, OPERATIONS),
    ("get", "staff:traffic", {}, READ),
    ("get", "staff:report", {}, READ),
    ("get", "staff:report-csv", {}, READ),
    ("get", "staff:report-pdf", {}, READ),
    ("get", "staff:invoices", {}, READ),
    ("get", "staff:invoice", {"document_id": "document"}, READ),
    ("get", "staff:invoice-pdf", {"document_id": "document"}, READ),
    ("get", "staff:invoice-cancel", {"document_id": "document"}, FINANCE),
    ("post", "staff:invoice-cancel", {"document_id": "document"}, FINANCE),
    ("get", "staff:invoice-runs", {}, READ),
    ("post", "staff:invoice-run-start", {}, FINANCE),
    ("get", "staff:partner-invoices", {}, READ),
    ("get", "staff:partner-invoice", INVOICE, READ),
    ("post", "staff:partner-invoice", INVOICE, FINANCE),
    ("get", "staff:partner-invoice-csv", INVOICE, READ),
    ("get", "staff:partner-not-invoiced", {"party": "DE-ABC"}, READ),
    ("get", "staff:partner-not-invoiced-csv", {"party": "DE-ABC"}, READ),
    ("get", "portal:partners", {}, READ),
    ("get", "portal:partner", {"connection_id": "partner"}, READ),
    ("post", "portal:partner-handshake", {}, OPERATIONS),
    ("post", "portal:partner-token-a", {}, OPERATIONS),
    ("post", "portal:partner-action", {"connection_id": "partner", "action": "pull"}, OPERATIONS),
]
VISITORS = ["anonymous", "driver", *ROLES]
STAFF_WEB_VIEWS = {"partners", "partner", "partner-handshake", "partner-token-a", "partner-action"}


@pytest.fixture
def objects(own_parties, partner, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Tariff.objects.create(
        country_code="NL",
        party_id="TMC",
        ocpi_id="T1",
        last_updated=datetime.now(UTC),
        document={"id": "T1", "currency": "EUR", "elements": []},
    )
    Location.objects.create(
        country_code="NL",
        party_id="TMC",
        ocpi_id="LOC1",
        last_updated=datetime.now(UTC),
        document={"id": "LOC1", "name": "Depot", "evses": []},
    )
    contract = DriverContract.objects.create(contract_id="NL-TME-C00000001-A", name="Ann")
    Token.objects.create(
        country_code="NL", party_id="TME", ocpi_id="04AA", last_updated=datetime.now(UTC),
        document={"uid": "04AA", "valid": False}, token_type="RFID",
        contract_id=contract.contract_id, valid=False, whitelist="ALLOWED",
    )  # fmt: skip
    make_cdr(start=datetime(2026, 3, 1, tzinfo=UTC), verdict="MATCH")
    make_cdr(
        start=datetime(2026, 3, 1, tzinfo=UTC), source=partner, party=("DE", "ABC"),
        invoice_reference=INVOICE["reference"],
    )  # fmt: skip
    return {
        "cdr": make_cdr(start=datetime(2026, 3, 2, tzinfo=UTC)).pk,
        "location": Location.objects.get().pk,
        "tariff": Tariff.objects.get().pk,
        "contract": contract.pk,
        "token": Token.objects.get().pk,
        "partner": partner.pk,
        "document": _issued_invoice(own_parties, partner, django_capture_on_commit_callbacks).pk,
    }


def _issued_invoice(own_parties, partner, capture_on_commit):
    """An invoice issued by the real services for a partner's priced CDR."""
    account = driver_account_for(issuer_for(own_parties["EMSP"]))
    with capture_on_commit(execute=True):
        cdrs.store_from_partner(connection=partner, document=cdr_document("INV-CDR1"))
    [invoice] = services.account_bill(
        account=account, period=services.period_parse("2026-10")
    ).documents
    return invoice


def _url(name: str, arguments: dict, objects: dict) -> str:
    kwargs = {key: objects.get(value, value) for key, value in arguments.items()}
    return reverse(name, kwargs=kwargs)


def _log_in(client, visitor: str):
    if visitor == "driver":
        client.force_login(get_user_model().objects.create_user("driver"))
    elif visitor != "anonymous":
        client.force_login(staff_member(visitor))


def _allowed(visitor: str, role: str | None) -> bool:
    if visitor in ("anonymous", "driver"):
        return False
    return role is None or role == visitor


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_staff_url_answers_each_visitor_as_its_role_allows(client, objects, visitor):
    _log_in(client, visitor)
    answers = {}
    for method, name, arguments, role in MATRIX:
        url = _url(name, arguments, objects)
        response = getattr(client, method)(url)
        answers[f"{method.upper()} {url}"] = response.status_code
        if visitor == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/login/?next="), url
        elif _allowed(visitor, role):
            # Allowed: the page, or the action's answer (a redirect, or a form's errors).
            assert response.status_code in (200, 302, 400), (url, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith("/login/"), url
        else:
            assert response.status_code == 403, (url, response.status_code)
            assert "Not allowed" in response.content.decode()
    assert len(answers) == len(MATRIX)


def test_the_matrix_covers_every_staff_view_and_each_carries_its_role_check():
    staff_names = {f"staff:{p.name}" for p in staff_urls.urlpatterns if isinstance(p, URLPattern)}
    web_names = {f"portal:{name}" for name in STAFF_WEB_VIEWS}
    assert {name for _m, name, _a, _r in MATRIX} == staff_names | web_names
    for pattern in staff_urls.urlpatterns + web_urls.urlpatterns:
        if pattern.name in STAFF_WEB_VIEWS or f"staff:{pattern.name}" in staff_names:
            assert hasattr(pattern.callback, "staff_role"), pattern.name


def test_support_sees_no_buttons_that_change_anything(client, objects):
    client.force_login(staff_member(SUPPORT))
    contract = client.get(reverse("staff:contract", args=[objects["contract"]])).content.decode()
    assert "Unblock" not in contract and "Issue" not in contract
    partner = client.get(reverse("portal:partner", args=[objects["partner"]])).content.decode()
    assert "Pull now" not in partner and "Rotate credentials" not in partner
    invoice = client.get(reverse("staff:invoice", args=[objects["document"]])).content.decode()
    assert "Download PDF" in invoice and "Cancel with a credit note" not in invoice
    runs = client.get(reverse("staff:invoice-runs")).content.decode()
    assert "Start the run" not in runs
