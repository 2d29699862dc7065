"""What keeps the portal safe: headers and policy, CSRF, login throttling, password reset,
and error pages that lead back."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client

from portal.staff.roles import FINANCE, SUPPORT
from tests.support.portal_factories import make_cdr, staff_member

STAFF_PAGES = ["/staff/", "/staff/cdrs/", "/staff/reports/", "/staff/traffic/", "/partners/"]


@pytest.fixture
def support_client(client, db):
    client.force_login(staff_member(SUPPORT))
    return client


def test_pages_carry_a_content_security_policy_and_secure_headers(support_client):
    response = support_client.get("/staff/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_pages_need_no_inline_script_or_style_the_policy_would_block(support_client, path):
    make_cdr(start=datetime(2026, 1, 5, tzinfo=UTC))
    page = support_client.get(path).content.decode()
    assert "<script" not in page
    assert not re.search(r"\son[a-z]+=", page)  # no onclick, onsubmit, ...
    assert not re.search(r"\sstyle=", page)


def test_a_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_member(FINANCE))
    cdr = make_cdr(start=datetime(2026, 1, 5, tzinfo=UTC), verdict="MISMATCH", our_cost="1")
    response = client.post(f"/staff/cdrs/{cdr.pk}/dispute/", {"resolution": "ACCEPTED"})
    assert response.status_code == 403


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, db):
    get_user_model().objects.create_user("mallory-target", password="right-password")
    for _ in range(5):
        client.post("/login/", {"username": "mallory-target", "password": "wrong"})
    response = client.post("/login/", {"username": "mallory-target", "password": "right-password"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, db):
    get_user_model().objects.create_user("ann", email="ann@example.org", password="old-password")
    response = client.post("/password-reset/", {"email": "ann@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"},
        follow=True,
    )
    assert "Password saved" in done.content.decode()
    assert get_user_model().objects.get(username="ann").check_password("a-new-long-password")


def test_unknown_pages_and_forbidden_pages_say_so_and_lead_back(client, db):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert 'href="/"' in missing.content.decode()
    client.force_login(get_user_model().objects.create_user("driver"))
    forbidden = client.get("/staff/")
    assert forbidden.status_code == 403
    assert "Not allowed" in forbidden.content.decode()
    assert "Back to the start page" in forbidden.content.decode()


def test_the_server_error_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "Something went wrong" in page and 'href="/"' in page
