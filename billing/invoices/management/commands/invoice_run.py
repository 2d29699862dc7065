"""`manage.py invoice_run --period 2026-10`: bill a period now, with a progress bar."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from billing.invoices.services import invoice_run, invoice_run_workers_refusal, period_parse

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Bill a period: invoices (and credit notes) for the driver accounts billed at its "
        "frequency (a month: monthly accounts and partner statements; 2026-W42: weekly; a day: "
        "per session). Started again, it finishes what is left and issues nothing twice. "
        "Prints a JSON summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-10, 2026-W42 or 2026-10-05")
        parser.add_argument("--account", type=int, help="only this billing account (its id)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would be issued; change nothing"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes billing at once, each account by one of them (default 1)",
        )

    def handle(self, *args, period, account, dry_run, workers, **options):
        try:
            period_parse(period)
        except ValueError as error:
            raise CommandError(f"--period: {error}") from None
        refusal = invoice_run_workers_refusal(workers=workers, dry_run=dry_run)
        if refusal:
            raise CommandError(f"--{refusal}")
        summary = invoice_run(
            period=period,
            account_id=account,
            dry_run=dry_run,
            workers=workers,
            progress=self.progress,
        )
        sys.stderr.write("\n")
        self.stdout.write(json.dumps(summary, default=str))

    def progress(self, done: int, total: int, counts: dict) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} accounts, "
            f"{counts['documents_issued']} documents, {counts['failed']} failed"
        )
        sys.stderr.flush()
