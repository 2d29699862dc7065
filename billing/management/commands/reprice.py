"""Re-price stored CDRs in bulk and print the counts as JSON."""

import argparse
import json
import os
from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from billing.services import cdrs_reprice
from ocpi.timestamps import TimestampError, parse_timestamp


def parse_since(value: str) -> datetime:
    """A date (midnight UTC) or an ISO date-time (UTC when it has no offset)."""
    try:
        return parse_timestamp(value, "--since")
    except TimestampError:
        day = parse_date(value)
    if day is None:
        raise CommandError(f"--since: expected YYYY-MM-DD or an ISO date-time, got {value!r}")
    return datetime.combine(day, time(0), tzinfo=UTC)


def parse_party(value: str) -> tuple[str, str]:
    country_code, _, party_id = value.partition("-")
    if len(country_code) != 2 or not 1 <= len(party_id) <= 3:
        raise CommandError(f"--party: expected CC-PID such as NL-TMC, got {value!r}")
    return country_code.upper(), party_id.upper()


def worker_count(value: str) -> int:
    """--workers: how many processes share the work, 1 or more."""
    number = int(value) if value.strip().isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Price again every stored CDR whose session started on or after --since (optionally "
        "only one CPO party's), replacing its priced CDR, verdict and driver price. Prints "
        "JSON counts: priced, match, mismatch, unpriceable, seconds, cdrs_per_second."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="YYYY-MM-DD or ISO date-time (UTC)")
        parser.add_argument("--party", help="only CDRs of this CPO party, CC-PID (e.g. NL-TMC)")
        parser.add_argument(
            "--workers",
            type=worker_count,
            default=os.cpu_count() or 1,
            help="processes that share the work (default: one per CPU)",
        )

    def handle(self, *args, since: str, party: str | None, workers: int, **options):
        country_code, party_id = parse_party(party) if party else (None, None)
        counts = cdrs_reprice(
            since=parse_since(since),
            country_code=country_code,
            party_id=party_id,
            workers=workers,
        )
        self.stdout.write(json.dumps(counts))
