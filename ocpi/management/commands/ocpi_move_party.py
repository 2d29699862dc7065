"""Move a party to another partner connection, on record (staff only: partners cannot)."""

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from ocpi.credentials.ownership import PartyMoveError, party_move
from ocpi.credentials.services import connection_find
from ocpi.models import Connection, Role


class Command(BaseCommand):
    help = (
        "Give the party CC-PID in ROLE to the connection PARTNER (a connection id or any CC-PID "
        "of its parties), taking it from the connection that holds it. The move is recorded with "
        "who made it and why; the party's other roles under the same code move along. Prints "
        "the moves as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("party", help="The party's code, e.g. DE-ABC")
        parser.add_argument("role", choices=Role.values, type=str.upper)
        parser.add_argument("--to", required=True, help="Connection id or CC-PID of the partner")
        parser.add_argument("--reason", required=True, help="Why, for the record")
        parser.add_argument(
            "--by", default=None, help="Who moves it (default: the operating-system user)"
        )

    def handle(self, *args, **options):
        country_code, _, party_id = options["party"].strip().partition("-")
        if len(country_code) != 2 or not 1 <= len(party_id) <= 3:
            raise CommandError(f"Party {options['party']!r} is not CC-PID (e.g. DE-ABC)")
        try:
            target = connection_find(options["to"])
        except Connection.DoesNotExist as exc:
            raise CommandError(f"No partner {options['to']!r}") from exc
        try:
            moves = party_move(
                country_code=country_code,
                party_id=party_id,
                role=options["role"],
                to_connection=target,
                reason=options["reason"],
                moved_by=options["by"] or f"{getpass.getuser()} (command line)",
            )
        except PartyMoveError as exc:
            raise CommandError(f"Not moved: {exc}") from exc
        self.stdout.write(
            json.dumps(
                [
                    {
                        "party": move.code,
                        "role": move.role,
                        "from": move.from_connection_id,
                        "to": move.to_connection_id,
                        "moved_by": move.moved_by,
                    }
                    for move in moves
                ]
            )
        )
