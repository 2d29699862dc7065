"""The time zone in which a CDR's local-time restrictions are evaluated."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .values import is_json_object

# ISO 3166-1 alpha-3 country -> the IANA zone of its capital (its main zone). Countries that
# span zones get their most populous one; pass the Location's own zone to price elsewhere.
COUNTRY_ZONES = {
    # European Union
    "AUT": "Europe/Vienna",
    "BEL": "Europe/Brussels",
    "BGR": "Europe/Sofia",
    "HRV": "Europe/Zagreb",
    "CYP": "Asia/Nicosia",
    "CZE": "Europe/Prague",
    "DNK": "Europe/Copenhagen",
    "EST": "Europe/Tallinn",
    "FIN": "Europe/Helsinki",
    "FRA": "Europe/Paris",
    "DEU": "Europe/Berlin",
    "GRC": "Europe/Athens",
    "HUN": "Europe/Budapest",
    "IRL": "Europe/Dublin",
    "ITA": "Europe/Rome",
    "LVA": "Europe/Riga",
    "LTU": "Europe/Vilnius",
    "LUX": "Europe/Luxembourg",
    "MLT": "Europe/Malta",
    "NLD": "Europe/Amsterdam",
    "POL": "Europe/Warsaw",
    "PRT": "Europe/Lisbon",
    "ROU": "Europe/Bucharest",
    "SVK": "Europe/Bratislava",
    "SVN": "Europe/Ljubljana",
    "ESP": "Europe/Madrid",
    "SWE": "Europe/Stockholm",
    # rest of the European Economic Area
    "ISL": "Atlantic/Reykjavik",
    "LIE": "Europe/Vaduz",
    "NOR": "Europe/Oslo",
    # other European neighbours
    "GBR": "Europe/London",
    "CHE": "Europe/Zurich",
    "AND": "Europe/Andorra",
    "MCO": "Europe/Monaco",
    "SMR": "Europe/San_Marino",
    # elsewhere
    "USA": "America/New_York",
    "CAN": "America/Toronto",
    "AUS": "Australia/Sydney",
    "NZL": "Pacific/Auckland",
    "JPN": "Asia/Tokyo",
}


def zone_for_country(country: object) -> str | None:
    """The main IANA zone of an ISO 3166-1 alpha-3 country, or None when unknown."""
    if not isinstance(country, str):
        return None
    return COUNTRY_ZONES.get(country.strip().upper())


def zone_from_cdr_location(location: object) -> tuple[ZoneInfo | None, str | None]:
    """The zone a CDR's location implies, and why it could not be had when it could not.

    A `time_zone` member (not OCPI 2.2.1, but some partners send it) wins over the country.
    """
    if not is_json_object(location):
        return None, "the CDR has no cdr_location"
    problem = None
    sent_zone = location.get("time_zone")
    if sent_zone is not None:
        try:
            return ZoneInfo(str(sent_zone)), None
        except (ZoneInfoNotFoundError, ValueError):
            problem = f"cdr_location.time_zone {sent_zone!r} is not a known IANA zone"
    country = location.get("country")
    zone = zone_for_country(country)
    if zone is not None:
        return ZoneInfo(zone), problem
    return None, problem or f"no time zone is known for cdr_location.country {country!r}"
