"""Send a command from our eMSP to a partner CPO and print the stored command as JSON.

    manage.py ocpi_command DE-ABC START_SESSION --location LOC1 --evse EVSE1 --token APP0001
    manage.py ocpi_command DE-ABC STOP_SESSION --session 3f1c...
    manage.py ocpi_command DE-ABC RESERVE_NOW --location LOC1 --token APP0001 --reservation R1 \\
        --expiry 2026-03-02T10:00:00Z
    manage.py ocpi_command DE-ABC CANCEL_RESERVATION --reservation R1
    manage.py ocpi_command DE-ABC UNLOCK_CONNECTOR --location LOC1 --evse EVSE1 --connector 1

The token is our eMSP's stored token with that uid and type; a uid we have not stored is sent as
an APP_USER token of our eMSP.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi.credentials.services import connection_find
from ocpi.models import Connection, OwnParty, Role
from ocpi.modules.commands.models import Command as StoredCommand
from ocpi.modules.commands.models import CommandType
from ocpi.modules.commands.services import command_send
from ocpi.modules.tokens.selectors import own_token
from ocpi.timestamps import now_timestamp
from ocpi.transport.exceptions import OcpiError


class Command(BaseCommand):
    help = "Send a command (START_SESSION, STOP_SESSION, ...) to a partner CPO"

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Connection id or one of its parties, e.g. DE-ABC")
        parser.add_argument("command", choices=CommandType.values)
        parser.add_argument("--location", help="location_id")
        parser.add_argument("--evse", help="evse_uid")
        parser.add_argument("--connector", help="connector_id")
        parser.add_argument("--token", help="uid of our eMSP's token")
        parser.add_argument("--token-type", default="APP_USER")
        parser.add_argument("--session", help="session_id (STOP_SESSION)")
        parser.add_argument("--reservation", help="reservation_id")
        parser.add_argument("--expiry", help="expiry_date (RESERVE_NOW), RFC 3339")
        parser.add_argument("--authorization-reference")

    def handle(self, *args, **options):
        try:
            connection = connection_find(options["partner"])
        except Connection.DoesNotExist:
            raise CommandError(f"No partner connection {options['partner']!r}") from None
        body = {
            "location_id": options["location"],
            "evse_uid": options["evse"],
            "connector_id": options["connector"],
            "session_id": options["session"],
            "reservation_id": options["reservation"],
            "expiry_date": options["expiry"],
            "authorization_reference": options["authorization_reference"],
        }
        if options["token"]:
            body["token"] = token_document(options["token"], options["token_type"])
        body = {name: value for name, value in body.items() if value is not None}
        try:
            command = command_send(connection=connection, command=options["command"], body=body)
        except OcpiError as exc:
            raise CommandError(str(exc.detail)) from None
        self.stdout.write(json.dumps(command_json(command), indent=2))


def token_document(uid: str, token_type: str) -> dict:
    stored = own_token(token_uid=uid, token_type=token_type)
    if stored is not None:
        return stored.document
    party = OwnParty.objects.filter(role=Role.EMSP).order_by("pk").first()
    if party is None:
        raise CommandError("No eMSP party is hosted here")
    return {
        "country_code": party.country_code,
        "party_id": party.party_id,
        "uid": uid,
        "type": token_type,
        "contract_id": uid,
        "issuer": party.name,
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": now_timestamp(),
    }


def command_json(command: StoredCommand) -> dict:
    return {
        "uid": str(command.uid),
        "command": command.command,
        "partner": command.connection.name,
        "status": command.status,
        "request": command.request,
        "response": {
            "result": command.response_result,
            "timeout": command.timeout,
            "message": command.response_message,
            "ocpi_status": command.response_ocpi_status,
        },
        "result": {"result": command.result, "message": command.result_message}
        if command.result
        else None,
        "error": command.error,
    }
