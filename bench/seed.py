"""Seeds the benchmark database: our parties, 10,000 CPO locations (2 EVSEs x 2 connectors, as
the floor's), and one registered partner (CPO DE-ABC, eMSP DE-ABE). Prints the partner's token."""

import os
import sys
from datetime import UTC, datetime

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from ocpi.credentials.services import own_parties_ensure  # noqa: E402
from ocpi.models import Connection, ConnectionParty  # noqa: E402
from ocpi.modules.locations.models import Location  # noqa: E402
from ocpi.tokens import new_token  # noqa: E402

LOCATIONS = int(os.environ.get("BENCH_LOCATIONS", "10000"))
STAMP = "2024-01-01T00:00:00Z"


def location_document(index: int) -> dict:
    return {
        "country_code": "NL",
        "party_id": "TMC",
        "id": f"LOC{index}",
        "publish": True,
        "name": f"Station {index}",
        "address": "Main street 1",
        "city": "Utrecht",
        "country": "NLD",
        "coordinates": {"latitude": "52.090737", "longitude": "5.121420"},
        "time_zone": "Europe/Amsterdam",
        "last_updated": STAMP,
        "evses": [
            {
                "uid": f"E{index}-{evse}",
                "evse_id": f"NL*TMC*E{index}*{evse}",
                "status": "AVAILABLE",
                "last_updated": STAMP,
                "connectors": [
                    {
                        "id": str(connector),
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 230,
                        "max_amperage": 32,
                        "tariff_ids": ["T1"],
                        "last_updated": STAMP,
                    }
                    for connector in (1, 2)
                ],
            }
            for evse in (1, 2)
        ],
    }


def main() -> None:
    own_parties_ensure()
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    Location.objects.bulk_create(
        [
            Location(
                country_code="NL",
                party_id="TMC",
                ocpi_id=f"LOC{index}",
                last_updated=stamp,
                document=location_document(index),
                time_zone="Europe/Amsterdam",
            )
            for index in range(LOCATIONS)
        ],
        batch_size=2000,
    )
    token = new_token()
    partner = Connection(name="Bench partner", version="2.2.1", status=Connection.Status.REGISTERED)
    partner.set_inbound_token(token)
    partner.save()
    for party_id, role in (("ABC", "CPO"), ("ABE", "EMSP")):
        ConnectionParty.objects.create(
            connection=partner, country_code="DE", party_id=party_id, role=role
        )
    print(token)


if __name__ == "__main__":
    main()
