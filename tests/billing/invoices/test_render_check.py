"""`manage.py invoice_check FILE.pdf`: staff check a document's PDF and its e-invoice."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from billing.invoices.check import check_pdf
from billing.invoices.render import render_pdf
from tests.support import invoice_snapshots as build


def run_check(path) -> str:
    out = io.StringIO()
    call_command("invoice_check", str(path), stdout=out)
    return out.getvalue()


def test_a_rendered_document_passes(tmp_path):
    path = tmp_path / "invoice.pdf"
    path.write_bytes(render_pdf(build.settlement_statement()))

    assert "PDF/A-3 and EN 16931 checks passed" in run_check(path)


def test_a_plain_pdf_without_e_invoice_fails_naming_what_is_missing(tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(HTML(string="<p>Invoice 1</p>").write_pdf())
    out = io.StringIO()

    with pytest.raises(CommandError, match="fatal finding"):
        call_command("invoice_check", str(path), stdout=out)

    printed = out.getvalue()
    assert "PDFA-XMP" in printed
    assert "PDFA-OUTPUT-INTENT" in printed
    assert "FX-ATTACHMENT" in printed


def test_a_second_factur_x_attachment_is_refused():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(build.exempt()))))
    writer.add_attachment("factur-x.xml", b"<other/>")
    out = io.BytesIO()
    writer.write(out)

    rule_ids = {finding.rule_id for finding in check_pdf(out.getvalue())}

    assert "FX-ATTACHMENT" in rule_ids


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_check(tmp_path / "missing.pdf")
