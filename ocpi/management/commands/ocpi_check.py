"""Check a partner's OCPI endpoints (read-only) and print the report, one line per check."""

from django.core.management.base import BaseCommand, CommandError

from ocpi.check import FAIL, partner_check_record
from ocpi.credentials.services import connection_find
from ocpi.models import Connection


class Command(BaseCommand):
    help = (
        "Run the partner check: a read-only conformance check of a partner's endpoints in its "
        "negotiated version. Prints one line per check (pass, warn or fail, and what was seen), "
        "keeps the report with the connection, and exits with status 1 when any check failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Connection id or any CC-PID of its parties")

    def handle(self, *args, partner, **options):
        try:
            connection = connection_find(partner)
        except Connection.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        check = partner_check_record(connection=connection)
        for line in check.lines:
            self.stdout.write(f"{line['result'].upper():4}  {line['check']}: {line['seen']}")
        counts = check.counts
        self.stdout.write(
            f"{counts.get('pass', 0)} passed, {counts.get('warn', 0)} warned, "
            f"{counts.get('fail', 0)} failed"
        )
        if counts.get(FAIL):
            raise CommandError(f"The partner check of {connection} failed")
