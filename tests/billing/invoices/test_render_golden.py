"""The golden set: every kind of billing document renders to a PDF/A-3 whose e-invoice is valid
EN 16931 and whose printed totals are the e-invoice's totals, to the cent."""

import functools
import io
import re
from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from django.utils import translation
from django.utils.translation import gettext
from facturx import get_xml_from_pdf
from lxml import etree
from pypdf import PdfReader

from billing.invoices.check import attachments, check_pdf
from billing.invoices.einvoice import FACTURX_FILENAME, NSMAP, cii_lines, cii_xml, fatal
from billing.invoices.render import render_pdf
from billing.invoices.snapshot import DocumentKind
from tests.support.invoice_snapshots import SCENARIOS


@functools.cache
def rendered(name: str) -> tuple[bytes, str]:
    """The scenario's PDF and its text, rendered once per test run."""
    pdf = render_pdf(SCENARIOS[name]())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return pdf, text


def xml_total(xml: bytes, element: str) -> Decimal:
    path = f".//ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:{element}"
    return Decimal(etree.fromstring(xml).find(path, NSMAP).text)


def printed_amount(text: str, label: str, language: str) -> Decimal:
    """The amount printed on the line that holds only `label` and an amount."""
    match = re.search(rf"^{re.escape(label)}\s+(.+)$", text, re.MULTILINE)
    assert match, f"no line {label!r} in the PDF text"
    number = re.sub(r"[^0-9.,-]", "", match.group(1))
    return parse_decimal(number, locale=language, strict=True)


def amount_after(text: str, label: str, language: str) -> Decimal:
    """The amount printed on the line after `label` (the amount-due box)."""
    lines = text.splitlines()
    index = lines.index(label)
    return parse_decimal(re.sub(r"[^0-9.,-]", "", lines[index + 1]), locale=language, strict=True)


def test_the_golden_set_covers_every_kind_of_document():
    kinds = {build().kind for build in SCENARIOS.values()}
    assert len(SCENARIOS) >= 10
    assert kinds == {
        DocumentKind.INVOICE,
        DocumentKind.CREDIT_NOTE,
        DocumentKind.STATEMENT,
        DocumentKind.SELF_BILLED,
    }


@pytest.mark.parametrize("name", SCENARIOS)
def test_pdf_passes_the_pdfa_structure_xsd_and_schematron(name):
    pdf, _ = rendered(name)

    findings = check_pdf(pdf)

    assert fatal(findings) == [], findings


@pytest.mark.parametrize("name", SCENARIOS)
def test_embedded_xml_is_the_documents_e_invoice(name):
    pdf, _ = rendered(name)
    xml = cii_xml(SCENARIOS[name]())

    assert attachments(pdf)[FACTURX_FILENAME] == xml
    # An independent Factur-X reader finds the same XML and accepts it against the XSD.
    assert get_xml_from_pdf(pdf, check_xsd=True) == (FACTURX_FILENAME, xml)


@pytest.mark.parametrize("name", SCENARIOS)
def test_printed_totals_equal_the_e_invoice_totals_to_the_cent(name):
    snapshot = SCENARIOS[name]()
    pdf, text = rendered(name)
    xml = attachments(pdf)[FACTURX_FILENAME]
    language = snapshot.language

    with translation.override(language):
        net = printed_amount(text, gettext("Total excl. VAT"), language)
        tax = printed_amount(text, gettext("Total VAT"), language)
        gross = printed_amount(text, gettext("Total incl. VAT"), language)
        due_label = {
            DocumentKind.CREDIT_NOTE: gettext("Amount credited to you"),
            DocumentKind.SELF_BILLED: gettext("Amount we pay you"),
        }.get(snapshot.kind, gettext("Amount due"))
        due = amount_after(text, due_label.upper(), language)

    assert net == xml_total(xml, "LineTotalAmount") == xml_total(xml, "TaxBasisTotalAmount")
    assert tax == xml_total(xml, "TaxTotalAmount")
    assert gross == xml_total(xml, "GrandTotalAmount")
    assert due == xml_total(xml, "DuePayableAmount")


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_session_and_price_line_is_printed_and_in_the_e_invoice(name):
    snapshot = SCENARIOS[name]()
    pdf, text = rendered(name)
    xml = etree.fromstring(attachments(pdf)[FACTURX_FILENAME])

    written = xml.findall(".//ram:IncludedSupplyChainTradeLineItem", NSMAP)

    assert len(written) == len(cii_lines(snapshot))
    for line in snapshot.lines:
        assert line.cdr_id in text
        assert line.evse_id in text
