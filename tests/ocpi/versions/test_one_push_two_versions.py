"""One change of our location reaches a partner on 2.1.1 and a partner on 2.2.1 from one push,
each in its own version."""

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.sync.push import object_push
from tests.support.builders import our_location_document
from tests.support.connections import make_connection
from tests.support.partners import FakePartner, envelope

PATH = "/emsp/locations/NL/TMC/LOC1"


def receiving(version: str, partner: FakePartner, party: tuple[str, str, str]):
    partner.routes[("PUT", PATH)] = (200, envelope(None))
    return make_connection(
        f"On {version}",
        f"token-{version}",
        [party],
        version=version,
        endpoints=[
            {"identifier": "locations", "role": "RECEIVER", "url": f"{partner.url}/emsp/locations"}
        ],
    )


def test_each_partner_gets_the_change_in_its_own_version(
    own_parties, django_capture_on_commit_callbacks
):
    document = our_location_document()
    with FakePartner() as old, FakePartner() as new:
        receiving("2.1.1", old, ("DE", "OLD", "EMSP"))
        receiving("2.2.1", new, ("DE", "NEW", "EMSP"))
        with django_capture_on_commit_callbacks(execute=True):
            object_push(
                module=LOCATIONS,
                party=own_parties["CPO"],
                method="PUT",
                document=document,
                body=document,
            )

    [to_new] = new.requests
    assert to_new["body"] == document
    [to_old] = old.requests
    assert to_old["path"] == PATH
    assert to_old["authorization"] == "Token our-token-b-On 2.1.1"  # plain, as 2.1.1 sends it
    body = to_old["body"]
    assert "country_code" not in body and "publish" not in body
    assert body["type"] == "UNKNOWN"
    connector = body["evses"][0]["connectors"][0]
    assert (connector["voltage"], connector["amperage"]) == (230, 16)
    assert "max_electric_power" not in connector
