"""Print the stored objects of a module as OCPI 2.2.1 JSON, one object per line."""

import json

from django.core.management.base import BaseCommand, CommandError

from ocpi import registry


class Command(BaseCommand):
    help = "Print a module's stored objects (ours and partners') as JSON lines."

    def add_arguments(self, parser):
        modules = [declared.identifier for declared in registry.modules_with_objects()]
        parser.add_argument("module", choices=modules)
        parser.add_argument("--party", help="Only this party's objects, as CC-PID (e.g. NL-TMC)")

    def handle(self, *args, module, party, **options):
        objects = registry.module(module).model().objects.order_by("last_updated", "pk")
        if party:
            country_code, separator, party_id = party.partition("-")
            if not separator or len(country_code) != 2 or len(party_id) != 3:
                raise CommandError(f"--party must be CC-PID, like NL-TMC; got {party!r}")
            objects = objects.filter(country_code=country_code.upper(), party_id=party_id.upper())
        for document in objects.values_list("document", flat=True).iterator():
            self.stdout.write(json.dumps(document, ensure_ascii=False))
