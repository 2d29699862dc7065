"""Rotate the credentials with a registered partner: new tokens both ways (PUT credentials)."""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi.credentials.services import HandshakeError, connection_credentials_rotate, connection_find
from ocpi.management.commands.ocpi_register import connection_summary
from ocpi.models import Connection


class Command(BaseCommand):
    help = (
        "Send fresh credentials to a registered partner and store the token it answers with. "
        "PARTNER is a connection id or any CC-PID of the partner's parties. Prints the same JSON "
        "as ocpi_register."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Connection id or CC-PID, e.g. DE-ABC")

    def handle(self, *args, **options):
        try:
            connection = connection_credentials_rotate(
                connection=connection_find(options["partner"])
            )
        except Connection.DoesNotExist as exc:
            raise CommandError(f"No partner {options['partner']!r}") from exc
        except HandshakeError as exc:
            raise CommandError(f"Rotation failed at {exc}") from exc
        self.stdout.write(json.dumps(connection_summary(connection)))
