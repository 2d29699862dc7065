"""Create our own OCPI parties from OCPI_OWN_PARTIES."""

import json

from django.core.management.base import BaseCommand

from ocpi.credentials.services import own_parties_ensure


class Command(BaseCommand):
    help = (
        "Create the parties named in OCPI_OWN_PARTIES (CC-PID:ROLE, comma separated, e.g. "
        '"NL-TMC:CPO,NL-TME:EMSP"); existing ones are kept. Prints JSON: '
        '[{"party": "NL-TMC", "role": "CPO", "name": ...}, ...].'
    )

    def handle(self, *args, **options):
        parties = own_parties_ensure()
        output = [{"party": p.code, "role": p.role, "name": p.name} for p in parties]
        self.stdout.write(json.dumps(output))
