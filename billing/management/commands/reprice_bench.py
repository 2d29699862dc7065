"""Benchmark of `reprice`: seed N synthetic CDRs in bulk, re-price them all, print JSON."""

import json
import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from billing.management.commands.reprice import worker_count
from billing.models import DriverContract
from billing.pricing import compile_tariff, price_cdr
from billing.services import cdrs_reprice
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.tariffs.models import Tariff, TariffVersion
from ocpi.timestamps import format_timestamp, parse_timestamp

# The bench CPO party: its objects (and the BENCH- driver contracts) are replaced on every run
# and nothing else is touched.
COUNTRY_CODE, PARTY_ID = "NL", "BEN"
TIME_ZONE = "Europe/Amsterdam"
ZONE = ZoneInfo(TIME_ZONE)
TARIFF_ID = "BENCH-DAY-NIGHT"
FIRST_START = datetime(2025, 3, 1, tzinfo=UTC)
CDR_INTERVAL = timedelta(minutes=2)
LOCATIONS = 50
CONTRACTS = 20  # half of them are driver contracts of our eMSP
CONTRACT_PREFIX = "BENCH-C"  # no real contract id looks like this


def tariff_document(version: int, last_updated: datetime) -> dict:
    """A day/night tariff; version 2 (from July) is dearer."""
    energy_day, energy_night = (0.39, 0.29) if version == 1 else (0.45, 0.33)
    return {
        "country_code": COUNTRY_CODE,
        "party_id": PARTY_ID,
        "id": TARIFF_ID,
        "currency": "EUR",
        "elements": [
            {
                "price_components": [
                    {"type": "FLAT", "price": 0.35, "vat": 21.0, "step_size": 1},
                    {"type": "ENERGY", "price": energy_day, "vat": 21.0, "step_size": 1},
                    {"type": "TIME", "price": 1.20, "vat": 21.0, "step_size": 60},
                ],
                "restrictions": {"start_time": "07:00", "end_time": "22:00"},
            },
            {
                "price_components": [
                    {"type": "ENERGY", "price": energy_night, "vat": 21.0, "step_size": 1},
                    {"type": "PARKING_TIME", "price": 2.00, "vat": 21.0, "step_size": 300},
                ]
            },
        ],
        "last_updated": format_timestamp(last_updated),
    }


VERSIONS = [
    (datetime(2025, 1, 1, tzinfo=UTC), tariff_document(1, datetime(2025, 1, 1, tzinfo=UTC))),
    (datetime(2025, 7, 1, tzinfo=UTC), tariff_document(2, datetime(2025, 7, 1, tzinfo=UTC))),
]


def z(moment: datetime) -> str:
    return format_timestamp(moment)


def cdr_document(index: int) -> dict:
    """CDR number `index`: three charging periods; every fifth embeds its tariff."""
    start = FIRST_START + index * CDR_INTERVAL
    energy = 6 + index % 7
    location = f"BENCH-LOC-{index % LOCATIONS}"
    document = {
        "country_code": COUNTRY_CODE,
        "party_id": PARTY_ID,
        "id": f"BENCH-{index:07d}",
        "start_date_time": z(start),
        "end_date_time": z(start + timedelta(minutes=150)),
        "cdr_token": {
            "country_code": "NL",
            "party_id": "TME",
            "uid": f"BENCH-TOKEN-{index % CONTRACTS}",
            "type": "RFID",
            "contract_id": f"{CONTRACT_PREFIX}{index % CONTRACTS:08d}",
        },
        "auth_method": "WHITELIST",
        "cdr_location": {
            "id": location,
            "address": "Benchstraat 1",
            "city": "Utrecht",
            "country": "NLD",
            "coordinates": {"latitude": "52.090737", "longitude": "5.121420"},
            "evse_uid": f"{location}-EVSE",
            "evse_id": f"NL*BEN*E{index % LOCATIONS:05d}",
            "connector_id": "1",
            "connector_standard": "IEC_62196_T2",
            "connector_format": "SOCKET",
            "connector_power_type": "AC_3_PHASE",
        },
        "currency": "EUR",
        "charging_periods": [
            {
                "start_date_time": z(start),
                "tariff_id": TARIFF_ID,
                "dimensions": [
                    {"type": "ENERGY", "volume": energy},
                    {"type": "TIME", "volume": 0.75},
                ],
            },
            {
                "start_date_time": z(start + timedelta(minutes=45)),
                "tariff_id": TARIFF_ID,
                "dimensions": [
                    {"type": "ENERGY", "volume": energy / 2},
                    {"type": "TIME", "volume": 0.75},
                ],
            },
            {
                "start_date_time": z(start + timedelta(minutes=90)),
                "tariff_id": TARIFF_ID,
                "dimensions": [{"type": "PARKING_TIME", "volume": 1.0}],
            },
        ],
        "total_energy": energy * 1.5,
        "total_time": 2.5,
        "last_updated": z(start + timedelta(minutes=155)),
    }
    if index % 5 == 0:
        document["tariffs"] = [VERSIONS[0][1] if start < VERSIONS[1][0] else VERSIONS[1][1]]
    return document


def location_document(index: int) -> dict:
    location_id = f"BENCH-LOC-{index}"
    return {
        "country_code": COUNTRY_CODE,
        "party_id": PARTY_ID,
        "id": location_id,
        "publish": True,
        "address": "Benchstraat 1",
        "city": "Utrecht",
        "country": "NLD",
        "coordinates": {"latitude": "52.090737", "longitude": "5.121420"},
        "time_zone": TIME_ZONE,
        "evses": [
            {
                "uid": f"{location_id}-EVSE",
                "status": "AVAILABLE",
                "connectors": [
                    {
                        "id": "1",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "max_voltage": 400,
                        "max_amperage": 32,
                        "tariff_ids": [TARIFF_ID],
                        "last_updated": "2025-01-01T00:00:00Z",
                    }
                ],
                "last_updated": "2025-01-01T00:00:00Z",
            }
        ],
        "last_updated": "2025-01-01T00:00:00Z",
    }


class PartnerTotals:
    """What the bench CPO claims: our engine's price, one CDR in ten a euro too much."""

    def __init__(self):
        self.tariffs = [compile_tariff(document) for _, document in VERSIONS]
        self.cache: dict[tuple, dict] = {}

    def __call__(self, index: int, document: dict) -> dict:
        start = FIRST_START + index * CDR_INTERVAL
        version = 0 if start < VERSIONS[1][0] else 1
        local = start.astimezone(ZONE)  # the price depends on the local time of day
        key = (version, local.hour, local.minute, index % 7)
        if key not in self.cache:
            priced = price_cdr(document, [self.tariffs[version]], TIME_ZONE)
            self.cache[key] = {
                "total_cost": priced.total_cost.rounded(),
                "total_energy_cost": priced.total_energy_cost.rounded(),
                "total_time_cost": priced.total_time_cost.rounded(),
            }
        totals = self.cache[key]
        claimed = {name: {k: float(v) for k, v in price.items()} for name, price in totals.items()}
        if index % 10 == 3:
            claimed["total_cost"] = {k: v + 1.0 for k, v in claimed["total_cost"].items()}
        return claimed


def cdr_row(index: int, partner_totals: PartnerTotals) -> Cdr:
    document = cdr_document(index)
    document.update(partner_totals(index, document))
    token, location = document["cdr_token"], document["cdr_location"]
    return Cdr(
        country_code=COUNTRY_CODE,
        party_id=PARTY_ID,
        ocpi_id=document["id"],
        last_updated=parse_timestamp(document["last_updated"], "last_updated"),
        document=document,
        start_date_time=parse_timestamp(document["start_date_time"], "start_date_time"),
        end_date_time=parse_timestamp(document["end_date_time"], "end_date_time"),
        location_id=location["id"],
        evse_uid=location["evse_uid"],
        token_country_code=token["country_code"],
        token_party_id=token["party_id"],
        token_uid=token["uid"],
        contract_id=token["contract_id"],
        currency="EUR",
        total_cost_excl_vat=Decimal(str(document["total_cost"]["excl_vat"])),
        total_cost_incl_vat=Decimal(str(document["total_cost"]["incl_vat"])),
        total_energy=Decimal(str(document["total_energy"])),
        total_time=Decimal(str(document["total_time"])),
    )


@transaction.atomic
def seed(cdrs: int) -> None:
    """Replace the bench party's locations, tariff versions, CDRs and driver contracts."""
    party = {"country_code": COUNTRY_CODE, "party_id": PARTY_ID}
    Cdr.objects.filter(**party).delete()
    Location.objects.filter(**party).delete()
    Tariff.objects.filter(**party).delete()
    DriverContract.objects.filter(contract_id__startswith=CONTRACT_PREFIX).delete()

    Location.objects.bulk_create(
        Location(
            **party,
            ocpi_id=f"BENCH-LOC-{index}",
            last_updated=datetime(2025, 1, 1, tzinfo=UTC),
            document=location_document(index),
            time_zone=TIME_ZONE,
        )
        for index in range(LOCATIONS)
    )
    tariff = Tariff.objects.create(
        **party, ocpi_id=TARIFF_ID, last_updated=VERSIONS[-1][0], document=VERSIONS[-1][1]
    )
    TariffVersion.objects.bulk_create(
        TariffVersion(tariff=tariff, last_updated=last_updated, document=document)
        for last_updated, document in VERSIONS
    )
    DriverContract.objects.bulk_create(
        DriverContract(
            contract_id=f"{CONTRACT_PREFIX}{index:08d}",
            name=f"Bench driver {index}",
            method=DriverContract.Method.MARKUP,
            markup_percent=Decimal("12.5"),
            session_fee=Decimal("0.30"),
            vat_rate=Decimal("21"),
        )
        for index in range(0, CONTRACTS, 2)
    )
    partner_totals = PartnerTotals()
    Cdr.objects.bulk_create(
        (cdr_row(index, partner_totals) for index in range(cdrs)), batch_size=2000
    )


class Command(BaseCommand):
    help = (
        "Seed N synthetic CDRs of the bench CPO party NL-BEN (stored tariff with two versions, "
        "50 locations, driver contracts; one CDR in five embeds its tariff, one in ten is "
        "overcharged), then time `reprice` of them. Prints one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cdrs", type=int, default=100_000, help="CDRs to seed")
        parser.add_argument(
            "--workers", type=worker_count, default=os.cpu_count() or 1, help="as for reprice"
        )

    def handle(self, *args, cdrs: int, workers: int, **options):
        seed(cdrs)
        counts = cdrs_reprice(
            since=FIRST_START, country_code=COUNTRY_CODE, party_id=PARTY_ID, workers=workers
        )
        self.stdout.write(json.dumps({"cdrs": cdrs, **counts}))
