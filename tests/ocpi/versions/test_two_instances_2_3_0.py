"""Two real instances over loopback HTTP and OCPI 2.3.0. The session's CPO (NL-TMC) and eMSP
(DE-EMP) instances offer every version, so they settle on 2.3.0 in either handshake direction,
and every other two-instance test roams on 2.3.0 (pull, push, authorization:
tests/ocpi/test_roaming_two_instances.py; commands, sessions and CDRs:
tests/chargepoints/test_chargepoints_two_instances.py). Here: the handshake picks 2.2.1 with an
instance that does not offer 2.3.0, and the tax model crosses the wire in 2.3.0's shape."""

import pytest

from tests.support.builders import tariff
from tests.support.instances import register, running_instance

STAMP = "2026-01-01T00:00:00Z"


@pytest.fixture(scope="module")
def cpo_2_2_1(tmp_path_factory, migrated_template_database):
    """A CPO instance (NL-MID) that offers 2.1.1 and 2.2.1, not 2.3.0."""
    with running_instance(
        "cpo221",
        "NL-MID:CPO",
        tmp_path_factory.mktemp("cpo221"),
        template=migrated_template_database,
        versions="2.1.1,2.2.1",
    ) as instance:
        yield instance


@pytest.fixture
def unconnected(cpo_instance, emsp_instance):
    cpo_instance.unregister_all()
    emsp_instance.unregister_all()
    yield
    cpo_instance.unregister_all()
    emsp_instance.unregister_all()


@pytest.mark.usefixtures("unconnected")
def test_the_handshake_picks_2_3_0_in_either_direction(cpo_instance, emsp_instance):
    at_emsp, at_cpo = register(emsp_instance, cpo_instance)
    assert (at_emsp["version"], at_cpo["version"]) == ("2.3.0", "2.3.0")

    emsp_instance.unregister_all()
    cpo_instance.unregister_all()
    at_cpo, at_emsp = register(cpo_instance, emsp_instance)
    assert (at_cpo["version"], at_emsp["version"]) == ("2.3.0", "2.3.0")


@pytest.mark.usefixtures("unconnected")
def test_the_handshake_picks_2_2_1_with_an_instance_without_2_3_0(cpo_2_2_1, emsp_instance):
    try:
        at_emsp, at_cpo = register(emsp_instance, cpo_2_2_1)
        assert (at_emsp["version"], at_cpo["version"]) == ("2.2.1", "2.2.1")

        emsp_instance.unregister_all()
        cpo_2_2_1.unregister_all()
        at_cpo, at_emsp = register(cpo_2_2_1, emsp_instance)
        assert (at_cpo["version"], at_emsp["version"]) == ("2.2.1", "2.2.1")
    finally:
        cpo_2_2_1.unregister_all()


@pytest.mark.usefixtures("unconnected")
def test_a_tariff_crosses_the_wire_in_2_3_0_terms_and_is_stored_in_ours(
    cpo_instance, emsp_instance
):
    register(emsp_instance, cpo_instance)
    document = tariff("T-TAX", price=0.40, country_code="NL", party_id="TMC", last_updated=STAMP)
    document["elements"][0]["price_components"][0]["vat"] = 19.0
    document["min_price"] = {"excl_vat": 2.0, "incl_vat": 2.38}

    cpo_instance.call("save_own", module="tariffs", documents=[document])

    [sent] = emsp_instance.call(
        "inbound_bodies", method="PUT", url_prefix="/ocpi/2.3.0/emsp/tariffs/NL/TMC/T-TAX"
    )
    assert sent["min_price"] == {"before_taxes": 2.0, "after_taxes": 2.38}
    assert sent["tax_included"] == "NO"  # the prices exclude the VAT their components state
    [stored] = emsp_instance.call("stored_documents", model="ocpi_tariffs.Tariff", ocpi_id="T-TAX")
    assert stored["min_price"] == {"excl_vat": 2.0, "incl_vat": 2.38}
    assert stored["elements"] == document["elements"]
