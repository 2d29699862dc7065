"""Check a billing document's PDF: PDF/A-3 structure, Factur-X embedding and EN 16931 rules."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from billing.invoices.check import check_pdf


class Command(BaseCommand):
    help = (
        "Print the PDF/A-3 and Factur-X findings of a PDF and the EN 16931 findings (XSD and "
        "schematron) of its embedded factur-x.xml. Exits non-zero on any fatal finding."
    )
    requires_system_checks = []  # reads a file: no models, no database

    def add_arguments(self, parser):
        parser.add_argument("pdf", help="the PDF file of an invoice, credit note or statement")

    def handle(self, *args, pdf: str, **options):
        try:
            content = Path(pdf).read_bytes()
        except OSError as error:
            raise CommandError(f"{pdf}: {error.strerror}") from None
        findings = check_pdf(content)
        for finding in findings:
            where = f" at {finding.location}" if finding.location else ""
            self.stdout.write(
                f"{finding.severity.upper():7} {finding.rule_id}: {finding.message}{where}"
            )
        fatal = sum(1 for finding in findings if finding.severity == "fatal")
        warnings = len(findings) - fatal
        if fatal:
            raise CommandError(f"{pdf}: {fatal} fatal finding(s), {warnings} warning(s)")
        self.stdout.write(f"{pdf}: PDF/A-3 and EN 16931 checks passed ({warnings} warning(s))")
