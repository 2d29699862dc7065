"""Our versions endpoint lists every version we offer, OCPI_VERSIONS limits them, and each
version's details list its endpoints (2.1.1 without roles, one per module)."""

import pytest

from ocpi.credentials.services import HandshakeError, discover_partner_api
from ocpi.models import Connection
from tests.support.partners import envelope


def test_every_version_is_offered_by_default(partner_client):
    versions = partner_client.get("/ocpi/versions").json()["data"]

    assert [v["version"] for v in versions] == ["2.1.1", "2.2.1", "2.3.0"]


def test_the_setting_limits_the_versions_offered(partner_client, settings):
    settings.OCPI_VERSIONS = ["2.1.1"]

    versions = partner_client.get("/ocpi/versions").json()["data"]
    refused = partner_client.get("/ocpi/2.2.1/cpo/locations")

    assert [v["version"] for v in versions] == ["2.1.1"]
    assert refused.status_code == 404 and refused.json()["status_code"] == 3002
    assert partner_client.get("/ocpi/2.2.1").json()["status_code"] == 3002


def test_2_1_1_details_list_one_endpoint_per_module_without_roles(partner_client):
    details = partner_client.get("/ocpi/2.1.1").json()["data"]

    assert details["version"] == "2.1.1"
    identifiers = [e["identifier"] for e in details["endpoints"]]
    assert len(identifiers) == len(set(identifiers))
    assert "hubclientinfo" not in identifiers and "chargingprofiles" not in identifiers
    assert all(set(e) == {"identifier", "url"} for e in details["endpoints"])
    # Our first party (the CPO here) speaks 2.1.1: its endpoints are listed.
    locations = next(e for e in details["endpoints"] if e["identifier"] == "locations")
    assert locations["url"] == "http://127.0.0.1:8000/ocpi/2.1.1/cpo/locations"


def test_2_3_0_details_list_the_endpoints_of_2_2_1_with_their_roles(partner_client):
    def listed(version: str) -> set[tuple[str, str, str]]:
        endpoints = partner_client.get(f"/ocpi/{version}").json()["data"]["endpoints"]
        return {(e["identifier"], e["role"], e["url"].replace(version, "V")) for e in endpoints}

    assert listed("2.3.0") == listed("2.2.1")
    assert ("hubclientinfo", "RECEIVER") in {(i, r) for i, r, _ in listed("2.3.0")}


def offering(fake_partner, *versions: str) -> None:
    fake_partner.routes[("GET", "/ocpi/versions")] = (
        200,
        envelope([{"version": v, "url": f"{fake_partner.url}/ocpi/{v}"} for v in versions]),
    )
    for version in versions:
        fake_partner.routes[("GET", f"/ocpi/{version}")] = (
            200,
            envelope(
                {
                    "version": version,
                    "endpoints": [
                        {"identifier": "credentials", "url": f"{fake_partner.url}/c"},
                        {"identifier": "locations", "url": f"{fake_partner.url}/{version}/loc"},
                    ],
                }
            ),
        )


@pytest.mark.parametrize(
    ("theirs", "ours", "picked"),
    [
        (("2.1.1", "2.2.1"), ["2.1.1", "2.2.1"], "2.2.1"),
        (("2.1.1",), ["2.1.1", "2.2.1"], "2.1.1"),
        (("2.1.1", "2.2.1"), ["2.1.1"], "2.1.1"),
        (("2.1.1", "2.2.1", "2.3.0"), ["2.1.1", "2.2.1", "2.3.0"], "2.3.0"),
        (("2.2.1", "2.3.0"), ["2.1.1", "2.2.1"], "2.2.1"),
        (("2.1.1", "2.2.1"), ["2.1.1", "2.2.1", "2.3.0"], "2.2.1"),
    ],
)
def test_discovery_picks_the_highest_mutual_version(
    fake_partner, own_parties, settings, theirs, ours, picked
):
    settings.OCPI_VERSIONS = ours
    offering(fake_partner, *theirs)

    api = discover_partner_api(
        connection=Connection(name="x"), versions_url=fake_partner.versions_url, token="t"
    )

    assert api.version == picked
    locations = next(e for e in api.endpoints if e["identifier"] == "locations")
    if picked == "2.1.1":
        # 2.1.1 names no roles: the partner of our CPO is an eMSP, whose locations receive.
        assert locations["role"] == "RECEIVER"


def test_a_partner_that_registers_on_2_1_1_is_held_to_it(fake_partner, own_parties):
    offering(fake_partner, "2.2.1")

    with pytest.raises(HandshakeError, match="no mutual OCPI version"):
        discover_partner_api(
            connection=Connection(name="x"),
            versions_url=fake_partner.versions_url,
            token="t",
            version="2.1.1",
        )
