"""The fault tests use the scripted partner platform of the sync tests."""

from tests.ocpi.sync.conftest import partner_server, remote_partner  # noqa: F401  (fixtures)
