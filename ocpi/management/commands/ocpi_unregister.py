"""End the connection with a partner: DELETE our credentials there, close it here."""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi.credentials.services import HandshakeError, connection_find, connection_unregister
from ocpi.management.commands.ocpi_register import connection_summary
from ocpi.models import Connection


class Command(BaseCommand):
    help = (
        "Unregister from a partner (DELETE on its credentials endpoint) and close the connection "
        "here, even when the partner cannot be reached (then the exit status is 1). PARTNER is a "
        "connection id or any CC-PID of the partner's parties. Prints the same JSON as "
        "ocpi_register."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Connection id or CC-PID, e.g. DE-ABC")

    def handle(self, *args, **options):
        try:
            connection = connection_find(options["partner"])
        except Connection.DoesNotExist as exc:
            raise CommandError(f"No partner {options['partner']!r}") from exc
        try:
            connection_unregister(connection=connection)
        except HandshakeError as exc:
            raise CommandError(f"Partner not told at {exc}") from exc
        self.stdout.write(json.dumps(connection_summary(connection)))
