"""Pull now from one partner, the same way the schedule does, and print the counts as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi import registry
from ocpi.client import OcpiClientError
from ocpi.credentials.services import connection_find
from ocpi.models import Connection
from ocpi.sync.pull import PullNotPossible, module_pull
from ocpi.sync.selectors import pulled_modules


class Command(BaseCommand):
    help = "Pull changed objects from a partner (all modules it sends, or --module ones)."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="Connection id or any CC-PID of its parties")
        parser.add_argument(
            "--module",
            action="append",
            choices=[declared.identifier for declared in registry.modules_with_objects()],
            help="A module to pull (repeatable); default: every module the partner sends",
        )

    def handle(self, *args, partner, module, **options):
        try:
            connection = connection_find(partner)
        except Connection.DoesNotExist as exc:
            raise CommandError(str(exc)) from exc
        results = {}
        for name in module or pulled_modules(connection=connection):
            try:
                results[name] = module_pull(connection=connection, module=name)
            except (PullNotPossible, OcpiClientError) as exc:
                results[name] = {"error": str(exc)}
        self.stdout.write(json.dumps({"connection": connection.identifier, "modules": results}))
        failed = [name for name, result in results.items() if "error" in result]
        if failed:
            raise CommandError(f"Pull failed for: {', '.join(failed)}")
