import socket

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English, whatever language an earlier request left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "alice", password="pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def driver_client(client, db):
    client.force_login(get_user_model().objects.create_user("bob", password="pw"))
    return client


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on: bound once by us, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
