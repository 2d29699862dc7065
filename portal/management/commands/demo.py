"""`manage.py demo`: our parties, a staff and a driver login, and a realistic set of OCPI objects.

Running it again changes nothing: see portal.demo.loader.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from ocpi.endpoints import versions_url
from portal.demo.loader import DEMO_USERS, ROLE_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent): parties, users, tariffs, locations, tokens, sessions, CDRs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="seed of the generator")
        parser.add_argument(
            "--locations", type=int, default=300, help="how many locations our CPO gets"
        )
        parser.add_argument(
            "--tokens", type=int, default=40, help="how many tokens our eMSP issues"
        )
        parser.add_argument(
            "--sessions", type=int, default=12, help="how many completed sessions to charge"
        )

    def handle(self, *args, seed, locations, tokens, sessions, **options):
        summary = demo_load(
            seed=seed, location_count=locations, token_count=tokens, session_count=sessions
        )
        parties = ", ".join(str(party) for party in summary.parties)
        self.stdout.write(f"Our parties: {parties}")
        for name, stored in summary.stored.items():
            saved = summary.saved.get(name, 0)
            self.stdout.write(f"{name:12} {stored:4} ({saved} new or changed)")
        staff_password = DEMO_USERS["staff"][0]
        driver_password = DEMO_USERS["driver"][0]
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Portal:        {settings.OCPI_BASE_URL}/"))
        self.stdout.write(f"Staff login:   staff / {staff_password}")
        self.stdout.write(f"Driver login:  driver / {driver_password}")
        roles = ", ".join(f"{role} / {role}" for role in ROLE_USERS)
        self.stdout.write(f"Staff roles:   {roles}")
        self.stdout.write(f"OCPI versions: {versions_url()}")
