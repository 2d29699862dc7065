"""Deterministic OCPI 2.2.1 documents for the demo: locations, tariffs and tokens.

Everything comes from a seeded `random.Random`, and every document carries the same fixed
`last_updated`, so generating twice gives identical documents and storing them again is a no-op.
"""

import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEMO_LAST_UPDATED = "2026-01-01T00:00:00Z"
SESSIONS_FROM = datetime(2026, 1, 2, tzinfo=UTC)
SESSION_MONTHS = 4  # the demo's sessions spread over this many months before today
CURRENCY = "EUR"
VAT_PERCENT = 21.0

AC_TARIFF_ID = "AC-STANDARD"
DC_TARIFF_ID = "DC-FAST"

# (city, postal code prefix, latitude, longitude) of the centre; locations scatter around it.
DUTCH_CITIES = [
    ("Amsterdam", "10", 52.3728, 4.8936),
    ("Rotterdam", "30", 51.9225, 4.4792),
    ("Den Haag", "25", 52.0799, 4.3113),
    ("Utrecht", "35", 52.0907, 5.1214),
    ("Eindhoven", "56", 51.4416, 5.4697),
    ("Groningen", "97", 53.2194, 6.5665),
    ("Tilburg", "50", 51.5555, 5.0913),
    ("Almere", "13", 52.3508, 5.2647),
    ("Breda", "48", 51.5719, 4.7683),
    ("Nijmegen", "65", 51.8126, 5.8372),
    ("Apeldoorn", "73", 52.2112, 5.9699),
    ("Haarlem", "20", 52.3874, 4.6462),
    ("Arnhem", "68", 51.9851, 5.8987),
    ("Enschede", "75", 52.2215, 6.8937),
    ("Amersfoort", "38", 52.1561, 5.3878),
    ("Zwolle", "80", 52.5168, 6.0830),
    ("Leiden", "23", 52.1601, 4.4970),
    ("Maastricht", "62", 50.8514, 5.6910),
    ("Delft", "26", 52.0116, 4.3571),
    ("Leeuwarden", "89", 53.2012, 5.7999),
]
STREETS = [
    "Kerkstraat",
    "Stationsweg",
    "Dorpsstraat",
    "Molenweg",
    "Schoolstraat",
    "Julianastraat",
    "Wilhelminastraat",
    "Beatrixlaan",
    "Marktplein",
    "Parallelweg",
    "Industrieweg",
    "Havenweg",
    "Nieuwstraat",
    "Hoofdstraat",
    "Prins Bernhardlaan",
    "Oranjelaan",
    "Lindenlaan",
    "Sportlaan",
    "Emmastraat",
    "Kastanjelaan",
]
# (parking type, name pattern, facilities); on-street chargers are the common case.
SITES = [
    ("ON_STREET", "{street}", []),
    ("ON_STREET", "{street}", []),
    ("ON_STREET", "{street}", []),
    ("PARKING_GARAGE", "Parkeergarage {city} Centrum", ["MALL", "CAFE"]),
    ("PARKING_LOT", "P+R {city} {street}", ["TRAIN_STATION", "BUS_STOP"]),
    ("PARKING_LOT", "Supermarkt {street}", ["SUPERMARKET"]),
    ("ALONG_MOTORWAY", "Snellaadstation {city}", ["FUEL_STATION", "RESTAURANT", "WIFI"]),
]
# (power type, standard, format, max voltage, max amperage, max electric power in W, tariff)
CHARGERS = {
    "AC11": ("AC_3_PHASE", "IEC_62196_T2", "SOCKET", 230, 16, 11000, AC_TARIFF_ID),
    "AC22": ("AC_3_PHASE", "IEC_62196_T2", "SOCKET", 230, 32, 22000, AC_TARIFF_ID),
    "DC50": ("DC", "IEC_62196_T2_COMBO", "CABLE", 500, 125, 50000, DC_TARIFF_ID),
    "DC50CHADEMO": ("DC", "CHADEMO", "CABLE", 500, 125, 50000, DC_TARIFF_ID),
    "DC150": ("DC", "IEC_62196_T2_COMBO", "CABLE", 920, 200, 150000, DC_TARIFF_ID),
}
POSTAL_CODE_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
STATUS_WEIGHTS = {"AVAILABLE": 80, "CHARGING": 15, "OUTOFORDER": 3, "INOPERATIVE": 2}


def _coordinate(value: float) -> str:
    """OCPI coordinates are strings with 5 to 7 decimals."""
    return f"{value:.6f}"


def _connector(number: int, kind: str) -> dict:
    power_type, standard, fmt, voltage, amperage, power, tariff_id = CHARGERS[kind]
    return {
        "id": str(number),
        "standard": standard,
        "format": fmt,
        "power_type": power_type,
        "max_voltage": voltage,
        "max_amperage": amperage,
        "max_electric_power": power,
        "tariff_ids": [tariff_id],
        "last_updated": DEMO_LAST_UPDATED,
    }


def _evse(rng: random.Random, *, party: tuple[str, str], location_number: int, n: int, fast: bool):
    country_code, party_id = party
    if fast:
        connectors = [_connector(1, rng.choice(["DC50", "DC150", "DC150"]))]
        if rng.random() < 0.4:
            connectors.append(_connector(2, "DC50CHADEMO"))
    else:
        kind = rng.choice(["AC11", "AC11", "AC22"])
        connectors = [_connector(c, kind) for c in range(1, rng.choice([1, 2, 2]) + 1)]
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    return {
        "uid": f"{country_code}{party_id}E{location_number:05d}{n}",
        "evse_id": f"{country_code}*{party_id}*E{location_number:05d}*{n}",
        "status": status,
        "capabilities": ["RFID_READER", "REMOTE_START_STOP_CAPABLE", "UNLOCK_CAPABLE"],
        "connectors": connectors,
        "physical_reference": str(n),
        "last_updated": DEMO_LAST_UPDATED,
    }


def location_document(
    rng: random.Random, *, party: tuple[str, str], operator_name: str, number: int
) -> dict:
    country_code, party_id = party
    city, postal_prefix, latitude, longitude = rng.choice(DUTCH_CITIES)
    street = rng.choice(STREETS)
    parking_type, name_pattern, facilities = rng.choice(SITES)
    fast = parking_type == "ALONG_MOTORWAY" or rng.random() < 0.1
    evse_count = rng.randint(2, 4) if fast else rng.randint(1, 4)
    evses = [
        _evse(rng, party=party, location_number=number, n=n, fast=fast)
        for n in range(1, evse_count + 1)
    ]
    if parking_type == "PARKING_GARAGE" and rng.random() < 0.5:
        opening_times = {
            "twentyfourseven": False,
            "regular_hours": [
                {"weekday": day, "period_begin": "07:00", "period_end": "23:00"}
                for day in range(1, 8)
            ],
        }
    else:
        opening_times = {"twentyfourseven": True}
    letters = "".join(rng.choice(POSTAL_CODE_LETTERS) for _ in range(2))
    postal_code = f"{postal_prefix}{rng.randint(10, 99)} {letters}"
    document = {
        "country_code": country_code,
        "party_id": party_id,
        "id": f"LOC{number:05d}",
        "publish": True,
        "name": name_pattern.format(city=city, street=street),
        "address": f"{street} {rng.randint(1, 250)}",
        "city": city,
        "postal_code": postal_code,
        "country": "NLD",
        # About 0.03 degrees either way: a few kilometres around the centre.
        "coordinates": {
            "latitude": _coordinate(latitude + rng.uniform(-0.03, 0.03)),
            "longitude": _coordinate(longitude + rng.uniform(-0.045, 0.045)),
        },
        "parking_type": parking_type,
        "evses": evses,
        "operator": {"name": operator_name},
        "time_zone": "Europe/Amsterdam",
        "opening_times": opening_times,
        "last_updated": DEMO_LAST_UPDATED,
    }
    if facilities:
        document["facilities"] = facilities
    return document


def location_documents(
    *, seed: int, party: tuple[str, str], operator_name: str, count: int
) -> list[dict]:
    rng = random.Random(seed)
    return [
        location_document(rng, party=party, operator_name=operator_name, number=number)
        for number in range(1, count + 1)
    ]


def _price(component_type: str, price: float, step_size: int) -> dict:
    return {"type": component_type, "price": price, "vat": VAT_PERCENT, "step_size": step_size}


def tariff_documents(*, party: tuple[str, str]) -> list[dict]:
    """AC: energy and charging time, cheaper at night; DC: energy plus an idle fee after 45 min."""
    country_code, party_id = party
    common = {"country_code": country_code, "party_id": party_id, "currency": CURRENCY}
    return [
        {
            **common,
            "id": AC_TARIFF_ID,
            "type": "REGULAR",
            "tariff_alt_text": [
                {
                    "language": "en",
                    "text": "Day (07-23h) €0.45/kWh + €1.20/h, night €0.35/kWh + €0.60/h, ex VAT",
                },
                {
                    "language": "nl",
                    "text": "Dag (07-23u) €0,45/kWh + €1,20/u, nacht €0,35/kWh + €0,60/u, ex btw",
                },
            ],
            "elements": [
                {
                    "price_components": [_price("ENERGY", 0.45, 1), _price("TIME", 1.20, 60)],
                    "restrictions": {"start_time": "07:00", "end_time": "23:00"},
                },
                {"price_components": [_price("ENERGY", 0.35, 1), _price("TIME", 0.60, 60)]},
            ],
            "last_updated": DEMO_LAST_UPDATED,
        },
        {
            **common,
            "id": DC_TARIFF_ID,
            "type": "REGULAR",
            "tariff_alt_text": [
                {
                    "language": "en",
                    "text": "€0.50 per session, €0.69/kWh; €12.00/h after 45 minutes (excl. VAT).",
                },
                {
                    "language": "nl",
                    "text": "€0,50 per sessie, €0,69/kWh; €12,00/u na 45 minuten (excl. btw).",
                },
            ],
            "elements": [
                {"price_components": [_price("FLAT", 0.50, 1), _price("ENERGY", 0.69, 1)]},
                {
                    "price_components": [_price("TIME", 12.00, 60)],
                    "restrictions": {"min_duration": 2700},
                },
            ],
            "last_updated": DEMO_LAST_UPDATED,
        },
    ]


CONTRACT_ALPHABET = string.digits + string.ascii_uppercase


def contract_id(country_code: str, party_id: str, number: int) -> str:
    """An eMA id, NL-TME-C12345678-X, ending in a check character (Luhn mod 36)."""
    body = f"{country_code}{party_id}C{number:08d}"
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * CONTRACT_ALPHABET.index(char)
        total += addend // 36 + addend % 36
        factor = 1 if factor == 2 else 2
    check = CONTRACT_ALPHABET[(36 - total % 36) % 36]
    return f"{country_code}-{party_id}-C{number:08d}-{check}"


def token_document(
    rng: random.Random,
    *,
    party: tuple[str, str],
    issuer: str,
    number: int,
    contract_number: int,
    token_type: str,
) -> dict:
    country_code, party_id = party
    if token_type == "RFID":
        uid = "04" + "".join(rng.choice("0123456789ABCDEF") for _ in range(12))
        whitelist = "ALLOWED"
    else:
        uid = f"APP{number:07d}"
        whitelist = "ALWAYS"
    document = {
        "country_code": country_code,
        "party_id": party_id,
        "uid": uid,
        "type": token_type,
        "contract_id": contract_id(country_code, party_id, contract_number),
        "issuer": issuer,
        "valid": True,
        "whitelist": whitelist,
        "language": rng.choice(["nl", "nl", "en"]),
        "last_updated": DEMO_LAST_UPDATED,
    }
    if token_type == "RFID":
        document["visual_number"] = f"{country_code}-{party_id}-{number:08d}"
    return document


def token_documents(*, seed: int, party: tuple[str, str], issuer: str, count: int) -> list[dict]:
    """Mostly RFID cards, every fourth an app user."""
    rng = random.Random(seed)
    contract_numbers = rng.sample(range(10_000_000, 100_000_000), count)
    return [
        token_document(
            rng,
            party=party,
            issuer=issuer,
            number=number,
            contract_number=contract_number,
            token_type="APP_USER" if number % 4 == 0 else "RFID",
        )
        for number, contract_number in enumerate(contract_numbers, start=1)
    ]


@dataclass(frozen=True)
class SessionPlan:
    """One completed charging session to replay through the charge point callbacks."""

    session_id: str
    location_id: str
    evse_uid: str
    connector_id: str
    token: dict
    started_at: datetime
    ended_at: datetime


def session_plans(
    *,
    seed: int,
    locations: list[dict],
    tokens: list[dict],
    count: int,
    until: datetime | None = None,
) -> list[SessionPlan]:
    """Sessions over the four months before `until` (never before the tariffs' start), by day and
    by night, from half an hour to six hours, each on a different available EVSE."""
    first = SESSIONS_FROM
    if until is not None:
        first = max(SESSIONS_FROM, until - timedelta(days=SESSION_MONTHS * 30))
    span_days = max(((until or first + timedelta(days=28)) - first).days - 1, 0)
    rng = random.Random(seed)
    evses = [
        (location["id"], evse)
        for location in locations
        for evse in location["evses"]
        if evse["status"] == "AVAILABLE"
    ]
    plans = []
    for number, (location_id, evse) in enumerate(rng.sample(evses, min(count, len(evses))), 1):
        started_at = first + timedelta(
            days=rng.randint(0, span_days), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        plans.append(
            SessionPlan(
                session_id=f"DEMO-SESSION-{number:04d}",
                location_id=location_id,
                evse_uid=evse["uid"],
                connector_id=rng.choice(evse["connectors"])["id"],
                # The first token is the demo driver's: every third session is theirs.
                token=tokens[0] if number % 3 == 1 else rng.choice(tokens),
                started_at=started_at,
                ended_at=started_at + timedelta(minutes=rng.randint(30, 360)),
            )
        )
    return plans
