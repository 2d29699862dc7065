"""One change of our location (or tariff) reaches partners on 2.1.1, 2.2.1 and 2.3.0 from one
push, each in its own version."""

from ocpi.modules.locations.declaration import LOCATIONS
from ocpi.modules.tariffs.declaration import TARIFFS
from ocpi.sync.push import object_push
from tests.support.builders import our_location_document, tariff
from tests.support.connections import make_connection
from tests.support.partners import FakePartner, envelope

PATH = "/emsp/locations/NL/TMC/LOC1"


def receiving(version: str, partner: FakePartner, party: tuple[str, str, str], path=PATH):
    partner.routes[("PUT", path)] = (200, envelope(None))
    return make_connection(
        f"On {version}",
        f"token-{version}",
        [party],
        version=version,
        endpoints=[
            {"identifier": module, "role": "RECEIVER", "url": f"{partner.url}/emsp/{module}"}
            for module in ("locations", "tariffs")
        ],
    )


def test_each_partner_gets_the_change_in_its_own_version(
    own_parties, django_capture_on_commit_callbacks
):
    document = our_location_document()
    with FakePartner() as old, FakePartner() as new, FakePartner() as newest:
        receiving("2.1.1", old, ("DE", "OLD", "EMSP"))
        receiving("2.2.1", new, ("DE", "NEW", "EMSP"))
        receiving("2.3.0", newest, ("DE", "NST", "EMSP"))
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
    [to_newest] = newest.requests
    assert to_newest["body"] == document  # 2.3.0 shapes a location as 2.2.1 does
    [to_old] = old.requests
    assert to_old["path"] == PATH
    assert to_old["authorization"] == "Token our-token-b-On 2.1.1"  # plain, as 2.1.1 sends it
    body = to_old["body"]
    assert "country_code" not in body and "publish" not in body
    assert body["type"] == "UNKNOWN"
    connector = body["evses"][0]["connectors"][0]
    assert (connector["voltage"], connector["amperage"]) == (230, 16)
    assert "max_electric_power" not in connector


def test_a_tariff_goes_to_2_3_0_in_its_tax_terms(own_parties, django_capture_on_commit_callbacks):
    document = tariff("T1", price=0.40, country_code="NL", party_id="TMC")
    document["elements"][0]["price_components"][0]["vat"] = 21.0
    document["max_price"] = {"excl_vat": 50.0, "incl_vat": 60.5}
    path = "/emsp/tariffs/NL/TMC/T1"
    with FakePartner() as new, FakePartner() as newest:
        receiving("2.2.1", new, ("DE", "NEW", "EMSP"), path)
        receiving("2.3.0", newest, ("DE", "NST", "EMSP"), path)
        with django_capture_on_commit_callbacks(execute=True):
            object_push(
                module=TARIFFS,
                party=own_parties["CPO"],
                method="PUT",
                document=document,
                body=document,
            )

    [to_new], [to_newest] = new.requests, newest.requests
    assert to_new["body"] == document
    assert to_newest["body"] == {
        **document,
        "max_price": {"before_taxes": 50.0, "after_taxes": 60.5},
        "tax_included": "NO",
    }
