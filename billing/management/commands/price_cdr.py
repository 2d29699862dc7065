"""Price one OCPI 2.2.1 CDR file with the billing pricing engine and print the result as JSON."""

import json
from collections.abc import Mapping
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from billing.pricing import PricingInputError, Tariff, compile_tariff, price_cdr


class Command(BaseCommand):
    help = (
        "Price an OCPI 2.2.1 CDR from its charging periods and print one JSON object with the "
        "OCPI totals, a per-period breakdown and warnings. Totals already in the CDR are ignored."
    )
    requires_system_checks = []  # pure computation: no models, no database

    def add_arguments(self, parser):
        parser.add_argument("cdr", help="file with one OCPI CDR object (or {'data': CDR})")
        parser.add_argument(
            "--tariff",
            action="append",
            dest="tariffs",
            metavar="TARIFF.json",
            help="file with an OCPI Tariff object, a list of them, or an OCPI response "
            "envelope; repeatable. Given tariffs replace the CDR's own tariffs.",
        )
        parser.add_argument(
            "--tz",
            help="IANA time zone of the location, e.g. Europe/Amsterdam; without it the "
            "CDR's location decides",
        )

    def handle(self, *args, cdr: str, tariffs: list[str] | None, tz: str | None, **options):
        zone = _zone(tz)
        compiled = None if tariffs is None else [t for path in tariffs for t in _read_tariffs(path)]
        cdr_json = _unwrap(_read_json(cdr, "CDR"))
        if not isinstance(cdr_json, Mapping):
            raise CommandError(f"{cdr}: expected one OCPI CDR object")
        try:
            priced = price_cdr(cdr_json, compiled, zone)
        except PricingInputError as error:
            raise CommandError(f"{cdr}: {error}") from None
        self.stdout.write(priced.to_json(indent=2))


def _zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"--tz: unknown time zone {name!r}") from None


def _read_json(path: str, what: str) -> object:
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file, parse_float=Decimal)
    except OSError as error:
        raise CommandError(f"cannot read {what} file {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{what} file {path} is not valid JSON: {error}") from None


def _unwrap(document: object) -> object:
    """The payload of an OCPI response envelope ({"data": ..., "status_code": ...})."""
    if isinstance(document, Mapping) and "data" in document:
        return document["data"]
    return document


def _read_tariffs(path: str) -> list[Tariff]:
    document = _unwrap(_read_json(path, "tariff"))
    found = document if isinstance(document, list) else [document]
    try:
        return [compile_tariff(tariff) for tariff in found]
    except PricingInputError as error:
        raise CommandError(f"{path}: {error}") from None
