"""Print the stored objects of a module as OCPI 2.2.1 JSON, one object per line."""

import json

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

# Module -> its model (app label ocpi_<module>).
MODELS = {
    "locations": "Location",
    "tariffs": "Tariff",
    "sessions": "Session",
    "cdrs": "Cdr",
    "tokens": "Token",
}


class Command(BaseCommand):
    help = "Print a module's stored objects (ours and partners') as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("module", choices=list(MODELS))
        parser.add_argument("--party", help="Only this party's objects, as CC-PID (e.g. NL-TMC)")

    def handle(self, *args, module, party, **options):
        model = apps.get_model(f"ocpi_{module}", MODELS[module])
        objects = model.objects.order_by("last_updated", "pk")
        if party:
            country_code, separator, party_id = party.partition("-")
            if not separator or len(country_code) != 2 or len(party_id) != 3:
                raise CommandError(f"--party must be CC-PID, like NL-TMC; got {party!r}")
            objects = objects.filter(country_code=country_code.upper(), party_id=party_id.upper())
        for document in objects.values_list("document", flat=True).iterator():
            self.stdout.write(json.dumps(document, ensure_ascii=False))
