"""Our CPO's own tariffs: saved with history, served by the sender interface, pushed."""

import pytest

from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.modules.tariffs.services import tariff_delete_own, tariff_save_own
from ocpi.transport.exceptions import InvalidParameters, UnknownObject
from tests.support.builders import tariff

SENDER = "/ocpi/2.2.1/cpo/tariffs"


def own_tariff(**fields) -> dict:
    return tariff(country_code="NL", party_id="TMC", **fields)


def test_a_saved_tariff_is_kept_served_and_pushed(
    own_parties,
    receiving_partner,
    partner_server,
    partner_client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        tariff_save_own(party=own_parties["CPO"], document=own_tariff())
        tariff_save_own(
            party=own_parties["CPO"], document=own_tariff(last_updated="2024-02-01T00:00:00Z")
        )

    assert [(c.method, c.path) for c in partner_server.calls] == [
        ("PUT", "/emsp/tariffs/NL/TMC/T1"),
        ("PUT", "/emsp/tariffs/NL/TMC/T1"),
    ]
    assert partner_server.calls[1].body == own_tariff(last_updated="2024-02-01T00:00:00Z")
    assert TariffVersion.objects.count() == 2
    served = partner_client.get(SENDER).json()["data"]
    assert served == [own_tariff(last_updated="2024-02-01T00:00:00Z")]


def test_a_deleted_tariff_is_withdrawn_from_the_list_and_pushed_as_delete(
    own_parties,
    receiving_partner,
    partner_server,
    partner_client,
    django_capture_on_commit_callbacks,
):
    tariff_save_own(party=own_parties["CPO"], document=own_tariff())

    with django_capture_on_commit_callbacks(execute=True):
        tariff_delete_own(party=own_parties["CPO"], tariff_id="t1")

    # The save's delivery, never sent before, goes first: one object's changes stay in order.
    assert [(c.method, c.path) for c in partner_server.calls] == [
        ("PUT", "/emsp/tariffs/NL/TMC/T1"),
        ("DELETE", "/emsp/tariffs/NL/TMC/T1"),
    ]
    assert partner_client.get(SENDER).json()["data"] == []
    assert Tariff.objects.get().versions.count() == 1


def test_own_tariff_must_carry_our_party_and_exist_to_be_deleted(own_parties):
    with pytest.raises(InvalidParameters, match="country_code"):
        tariff_save_own(party=own_parties["CPO"], document=tariff())
    with pytest.raises(UnknownObject):
        tariff_delete_own(party=own_parties["CPO"], tariff_id="NOPE")
