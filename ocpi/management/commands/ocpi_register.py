"""Register with a partner: the credentials handshake, started by us with their token A."""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi.credentials.services import HandshakeError, connection_register


def connection_summary(connection) -> dict:
    """What the handshake commands print: identifiers the other commands accept, version, roles."""
    return {
        "partner": connection.identifier,
        "connection_id": connection.pk,
        "name": connection.name,
        "status": connection.status,
        "version": connection.version,
        "roles": [
            {"party": party.code, "role": party.role} for party in connection.parties.order_by("id")
        ],
    }


class Command(BaseCommand):
    help = (
        "Register with a partner's OCPI platform using the token A and versions URL they gave "
        "you. Prints JSON: partner (its first party's CC-PID, accepted by ocpi_rotate and "
        'ocpi_unregister), connection_id, name, status, version and roles ([{"party": "NL-TMC", '
        '"role": "CPO"}, ...]). On failure, one line on stderr names the step that failed and '
        "what the partner answered, and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("versions_url", help="The partner's OCPI versions URL")
        parser.add_argument("--token", required=True, help="Token A, issued by the partner")
        parser.add_argument("--name", help="Our name for the partner (default: from its roles)")
        parser.add_argument(
            "--plain-token",
            action="store_true",
            help="Send the token without base64 (partners on OCPI 2.1.1 conventions)",
        )

    def handle(self, *args, **options):
        try:
            connection = connection_register(
                versions_url=options["versions_url"],
                token_a=options["token"],
                name=options["name"],
                plain_token=options["plain_token"],
            )
        except HandshakeError as exc:
            raise CommandError(f"Registration failed at {exc}") from exc
        self.stdout.write(json.dumps(connection_summary(connection)))
