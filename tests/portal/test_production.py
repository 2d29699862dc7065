"""The portal served as in production: gunicorn, DEBUG off, static files collected with hashed
names and served by WhiteNoise, and /health for the load balancer."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    static_root = tmp_path_factory.mktemp("static")
    env = {**os.environ, "DJANGO_STATIC_ROOT": str(static_root), "DJANGO_DEBUG": "false"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    return static_root


@pytest.fixture
def gunicorn(collected, db, unused_port):
    """gunicorn with the production configuration, on the test database."""
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_ROOT": str(collected),
        "GUNICORN_BIND": f"127.0.0.1:{unused_port}",
        "GUNICORN_WORKERS": "1",
        "CELERY_BROKER_URL": "",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{unused_port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/health", timeout=5)
            break
        except requests.RequestException:
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_stylesheet_under_its_hashed_name(gunicorn):
    page = requests.get(gunicorn + "/login/", timeout=5)
    assert page.status_code == 200
    href = re.search(r'href="(/static/portal/portal\.[0-9a-f]{12}\.css)"', page.text)[1]
    stylesheet = requests.get(gunicorn + href, timeout=5)
    assert stylesheet.status_code == 200
    assert "text/css" in stylesheet.headers["Content-Type"]
    assert "immutable" in stylesheet.headers["Cache-Control"]
    assert ".topbar" in stylesheet.text


@pytest.mark.django_db(transaction=True)
def test_health_says_the_database_answers_and_a_missing_page_is_no_debug_page(gunicorn):
    health = requests.get(gunicorn + "/health", timeout=5)
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": "ok", "broker": "not used"}
    missing = requests.get(gunicorn + "/nowhere/", timeout=5)
    assert missing.status_code == 404
    assert "Page not found" in missing.text and "Traceback" not in missing.text


def test_health_is_unavailable_when_the_broker_cannot_be_reached(client, db, settings, unused_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port}/0"
    from portal.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get("/health")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}
