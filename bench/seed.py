"""Seeds the benchmark database: our parties, 10,000 CPO locations (2 EVSEs x 2 connectors, as
the floor's), one registered partner (CPO DE-ABC, eMSP DE-ABE), and the partner CPO's objects
that its PATCHes target: as many locations of its own and as many active sessions. Prints the
partner's token."""

import os
import sys
from datetime import UTC, datetime
from decimal import Decimal

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from ocpi.credentials.services import own_parties_ensure  # noqa: E402
from ocpi.models import Connection, ConnectionParty  # noqa: E402
from ocpi.modules.locations.models import Location  # noqa: E402
from ocpi.modules.sessions.models import Session  # noqa: E402
from ocpi.tokens import new_token  # noqa: E402

LOCATIONS = int(os.environ.get("BENCH_LOCATIONS", "10000"))
STAMP = "2024-01-01T00:00:00Z"
STAMP_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def location_document(index: int, *, party: tuple[str, str] = ("NL", "TMC")) -> dict:
    return {
        "country_code": party[0],
        "party_id": party[1],
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
                "evse_id": f"{party[0]}*{party[1]}*E{index}*{evse}",
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


def session_document(index: int) -> dict:
    """An active session of the partner CPO at its location `index`, 1.5 kWh into it."""
    return {
        "country_code": "DE",
        "party_id": "ABC",
        "id": f"S{index}",
        "start_date_time": STAMP,
        "kwh": 1.5,
        "cdr_token": {
            "country_code": "NL",
            "party_id": "TME",
            "uid": f"U{index}",
            "type": "RFID",
            "contract_id": f"NL-TME-C{index:08d}",
        },
        "auth_method": "WHITELIST",
        "location_id": f"LOC{index}",
        "evse_uid": f"E{index}-1",
        "connector_id": "1",
        "currency": "EUR",
        "charging_periods": [
            {"start_date_time": STAMP, "dimensions": [{"type": "ENERGY", "volume": 1.5}]}
        ],
        "status": "ACTIVE",
        "last_updated": STAMP,
    }


def locations_create(party: tuple[str, str], *, source: Connection | None) -> None:
    Location.objects.bulk_create(
        [
            Location(
                country_code=party[0],
                party_id=party[1],
                ocpi_id=f"LOC{index}",
                last_updated=STAMP_TIME,
                document=location_document(index, party=party),
                time_zone="Europe/Amsterdam",
                source=source,
            )
            for index in range(LOCATIONS)
        ],
        batch_size=2000,
    )


def sessions_create(*, source: Connection) -> None:
    Session.objects.bulk_create(
        [
            Session(
                country_code="DE",
                party_id="ABC",
                ocpi_id=f"S{index}",
                last_updated=STAMP_TIME,
                document=session_document(index),
                source=source,
                status="ACTIVE",
                start_date_time=STAMP_TIME,
                location_id=f"LOC{index}",
                evse_uid=f"E{index}-1",
                kwh=Decimal("1.5"),
                token_country_code="NL",
                token_party_id="TME",
                token_uid=f"U{index}",
                contract_id=f"NL-TME-C{index:08d}",
            )
            for index in range(LOCATIONS)
        ],
        batch_size=2000,
    )


def main() -> None:
    own_parties_ensure()
    locations_create(("NL", "TMC"), source=None)
    token = new_token()
    partner = Connection(name="Bench partner", version="2.2.1", status=Connection.Status.REGISTERED)
    partner.set_inbound_token(token)
    partner.save()
    for party_id, role in (("ABC", "CPO"), ("ABE", "EMSP")):
        ConnectionParty.objects.create(
            connection=partner, country_code="DE", party_id=party_id, role=role
        )
    locations_create(("DE", "ABC"), source=partner)
    sessions_create(source=partner)
    print(token)


if __name__ == "__main__":
    main()
