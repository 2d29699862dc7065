"""Write the Celery beat schedules: pulls per partner and module, push retries, log purge."""

import json

from django.core.management.base import BaseCommand

from ocpi.sync.schedules import schedules_write


class Command(BaseCommand):
    help = "Create or update the periodic pull, push-retry and purge tasks; remove stale pulls."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(schedules_write()))
