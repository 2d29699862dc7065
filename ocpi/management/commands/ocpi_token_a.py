"""Issue a token A for a partner who will register with us."""

import json

from django.core.management.base import BaseCommand

from ocpi.credentials.services import connection_token_a_issue
from ocpi.endpoints import versions_url


class Command(BaseCommand):
    help = (
        "Create a pending connection and print JSON with its token A and our versions URL "
        '({"connection_id": ..., "token": ..., "versions_url": ...}). Hand both to the partner '
        "over a secure channel; the token works until the partner registers with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default="", help="Our name for the partner")

    def handle(self, *args, **options):
        connection, token = connection_token_a_issue(name=options["name"])
        output = {"connection_id": connection.pk, "token": token, "versions_url": versions_url()}
        self.stdout.write(json.dumps(output))
