"""Staff see each CDR's verdict and breakdown in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from billing.models import PricedCdr
from ocpi.modules.cdrs import services as cdrs
from tests.support.priced_cdrs import cdr, tariff


@pytest.fixture
def staff_client(db):
    user = get_user_model().objects.create_superuser("staff", "staff@example.com", "pw-staff-1")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mismatch(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cdrs.store_from_partner(
            connection=partner, document=cdr("OVER", embedded=[tariff()], total_cost=(5, 5.5))
        )
        cdrs.store_from_partner(connection=partner, document=cdr("FINE", embedded=[tariff()]))
    return PricedCdr.objects.get(cdr__ocpi_id="OVER")


def test_the_list_filters_by_verdict_and_shows_the_difference(staff_client, mismatch):
    page = staff_client.get("/admin/billing/pricedcdr/", {"verdict__exact": "MISMATCH"})

    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    assert "1.0000" in page.content.decode()


def test_the_detail_page_shows_the_breakdown_beside_the_partner_totals(staff_client, mismatch):
    page = staff_client.get(f"/admin/billing/pricedcdr/{mismatch.pk}/change/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "<th>Dimension</th>" in html and "<td>TIME</td>" in html
    assert "<td>total_cost</td><td>4.0000</td><td>4.4000</td><td>5</td><td>5.5</td>" in html


def test_staff_price_selected_cdrs_again(staff_client, mismatch):
    answer = staff_client.post(
        "/admin/billing/pricedcdr/", {"action": "reprice", "_selected_action": [mismatch.pk]}
    )

    assert answer.status_code == 302
    assert PricedCdr.objects.get(pk=mismatch.pk).priced_at > mismatch.priced_at
