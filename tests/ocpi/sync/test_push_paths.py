"""Object ids in a push URL are escaped: CiString ids may hold '/', '?', '#' or spaces."""

from ocpi.modules.tariffs.services import tariff_save_own
from ocpi.modules.tokens.services import token_save_own
from ocpi.registry import escaped_path
from ocpi.sync.models import PushDelivery
from tests.support.builders import tariff, token
from tests.support.connections import make_connection
from tests.support.partners import partner_endpoints

BASE = "http://partner.test/ocpi/2.2.1"


def test_escaped_path_escapes_every_segment():
    assert escaped_path("NL", "TMC", "A/B C?#") == "/NL/TMC/A%2FB%20C%3F%23"


def test_pushed_token_and_tariff_urls_keep_the_id_in_one_segment(own_parties):
    make_connection(
        "Receiver",
        "t-receiver",
        [("DE", "ABC", "CPO"), ("DE", "ABE", "EMSP")],
        endpoints=partner_endpoints(BASE),
    )
    token_save_own(party=own_parties["EMSP"], document=token("CARD/7 A", party=("NL", "TME")))
    tariff_save_own(
        party=own_parties["CPO"],
        document=tariff("DAY?NIGHT", country_code="NL", party_id="TMC"),
    )
    urls = set(PushDelivery.objects.values_list("url", flat=True))
    assert f"{BASE}/cpo/tokens/NL/TME/CARD%2F7%20A?type=RFID" in urls
    assert f"{BASE}/emsp/tariffs/NL/TMC/DAY%3FNIGHT" in urls
