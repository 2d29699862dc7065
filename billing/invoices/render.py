"""The PDF of a billing document: PDF/A-3b with its EN 16931 e-invoice embedded (Factur-X).

`render_pdf(snapshot)` reads only the snapshot (and the e-invoice checked when the document was
issued, if given). It writes the page from the Django template `billing/invoice.html` in the
document's language (Django's catalogue for the words, Babel for money, numbers and dates),
styled by `billing/invoice.css`, and WeasyPrint writes the PDF/A-3b in one pass with:
- `factur-x.xml` (the validated CII, relationship Data) and the Factur-X XMP extension schema;
- for every session with Eichrecht data, the signed data exactly as received (Supplement);
- dates and the file identifier taken from the snapshot, so that the same snapshot always
  gives the same bytes and a re-render equals the stored file.
"""

import functools
import hashlib
import re
import threading
from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, format_skeleton
from babel.numbers import format_currency, format_decimal, parse_pattern
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.css.counters import CounterStyle
from weasyprint.html import UA as USER_AGENT_CSS
from weasyprint.pdf.metadata import DocumentMetadata
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from billing.charts import Bar, bar_chart_svg
from billing.invoices.einvoice import (
    FACTURX_FILENAME,
    afir_ordered,
    validated_cii_xml,
    xml_text,
)
from billing.invoices.snapshot import DocumentKind, DocumentSnapshot, Line, TaxCategory

TEMPLATE = "billing/invoice.html"
STYLESHEET = "billing/invoice.css"
PDF_VARIANT = "pdf/a-3b"
FACTURX_URN = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
FACTURX_CONFORMANCE = "EN 16931"
# Nothing in a billing document is fetched: the page and its chart are inline, its style given.
NO_FETCHING = URLFetcher(allowed_protocols=("data",))


def _titles() -> dict[str, str]:
    return {
        DocumentKind.INVOICE: _("Invoice"),
        DocumentKind.CREDIT_NOTE: _("Credit note"),
        DocumentKind.STATEMENT: _("Settlement statement"),
        DocumentKind.SELF_BILLED: _("Self-billed invoice"),
    }


def _unit_labels() -> dict[str, str]:
    return {"KWH": "kWh", "MIN": "min", "HUR": "h", "C62": _("session")}


def _category_labels() -> dict[str, str]:
    return {
        TaxCategory.STANDARD: _("VAT"),
        TaxCategory.ZERO_RATED: _("VAT, zero rate"),
        TaxCategory.EXEMPT: _("Exempt from VAT"),
        TaxCategory.REVERSE_CHARGE: _("Reverse charge"),
        TaxCategory.NOT_SUBJECT: _("Not subject to VAT"),
    }


class Formats:
    """Money, numbers and dates as a reader of `language` writes them."""

    def __init__(self, language: str, currency: str):
        self.locale = Locale.parse(language)
        self.currency = currency
        unit_price = parse_pattern(self.locale.currency_formats["standard"].pattern)
        unit_price.frac_prec = (4, 4)
        self._unit_price = unit_price

    def money(self, amount: Decimal) -> str:
        return format_currency(amount, self.currency, locale=self.locale)

    def unit_price(self, amount: Decimal) -> str:
        return self._unit_price.apply(
            amount, self.locale, currency=self.currency, currency_digits=False
        )

    def kwh(self, value: Decimal) -> str:
        return format_decimal(value, format="#,##0.000", locale=self.locale)

    def quantity(self, value: Decimal) -> str:
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def percent(self, rate: Decimal) -> str:
        return f"{format_decimal(rate, format='#,##0.##', locale=self.locale)} %"

    def date(self, day: date) -> str:
        return format_date(day, format="medium", locale=self.locale)

    def period(self, start: date, end: date) -> str:
        return format_interval(start, end, "yMMMd", locale=self.locale)

    def short_date(self, day: date) -> str:
        return format_skeleton("MMMd", day, locale=self.locale)

    def clock(self, moment: datetime) -> str:
        """Time and UTC offset at the charging location, e.g. "18:05 +02:00"."""
        return format_datetime(moment, "HH:mm xxx", tzinfo=moment.tzinfo, locale=self.locale)

    def local_time(self, moment: datetime) -> str:
        """Date, time and UTC offset at the charging location, e.g. "3 Oct 2026 18:05 +02:00"."""
        return f"{self.date(moment.date())} {self.clock(moment)}"


def _duration(seconds: int) -> str:
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _session(line: Line, formats: Formats, units: dict[str, str], categories: dict) -> dict:
    same_day = line.start.date() == line.end.date()
    return {
        "line": line,
        "start": formats.local_time(line.start),
        "end": formats.clock(line.end) if same_day else formats.local_time(line.end),
        "duration": _duration(line.duration_seconds),
        "energy": formats.kwh(line.energy_kwh),
        "sub_lines": [
            {
                # The catalogue has the names lines use (Energy, Charging time, Session fee,
                # Parking time, Reservation); any other name is printed as written.
                "description": _(sub_line.description),
                "quantity": formats.kwh(sub_line.quantity)
                if sub_line.unit == "KWH"
                else formats.quantity(sub_line.quantity),
                "unit": units.get(sub_line.unit, sub_line.unit),
                "unit_price": formats.unit_price(sub_line.unit_price),
                "net": formats.money(sub_line.net),
            }
            for sub_line in afir_ordered(line.sub_lines)
        ],
        "net": formats.money(line.net),
        "category": categories.get(line.tax_category, line.tax_category),
        "rate": formats.percent(line.tax_rate),
        "tax": formats.money(line.tax),
        "gross": formats.money(line.gross),
    }


def energy_per_day(snapshot: DocumentSnapshot) -> list[tuple[date, Decimal]]:
    """kWh per local day of the sessions' start, in date order: the chart and its table."""
    days: dict[date, Decimal] = defaultdict(Decimal)
    for line in snapshot.lines:
        days[line.start.date()] += line.energy_kwh
    return sorted(days.items())


def document_context(snapshot: DocumentSnapshot) -> dict:
    """What the template shows, every value already worded for the document's language."""
    formats = Formats(snapshot.language, snapshot.currency)
    units = _unit_labels()
    categories = _category_labels()
    energy = energy_per_day(snapshot)
    # A credit note gives money back for sessions already shown; a chart of nothing says nothing.
    show_energy = snapshot.kind != DocumentKind.CREDIT_NOTE and any(kwh > 0 for _day, kwh in energy)
    chart = bar_chart_svg(
        [Bar(label=formats.short_date(day), value=kwh) for day, kwh in energy],
        title=_("Energy per day"),
        unit="kWh",
    )
    return {
        "snapshot": snapshot,
        "title": _titles()[snapshot.kind],
        "is_credit": snapshot.kind == DocumentKind.CREDIT_NOTE,
        "is_self_billed": snapshot.kind == DocumentKind.SELF_BILLED,
        "issue_date": formats.date(snapshot.issue_date),
        "period": formats.period(snapshot.period_start, snapshot.period_end),
        "due_date": formats.date(snapshot.payment.due_date) if snapshot.payment.due_date else "",
        "references": [
            {"number": reference.number, "date": formats.date(reference.issue_date)}
            for reference in snapshot.references
        ],
        "sessions": [_session(line, formats, units, categories) for line in snapshot.lines],
        "total_energy": formats.kwh(sum((line.energy_kwh for line in snapshot.lines), Decimal(0))),
        "metered": [line for line in snapshot.lines if line.metering],
        "show_energy": show_energy,
        "chart": chart,
        "energy_table": [(formats.short_date(day), formats.kwh(kwh)) for day, kwh in energy],
        "tax_rows": [
            {
                "label": categories.get(row.category, row.category),
                "rate": formats.percent(row.rate)
                if row.category != TaxCategory.NOT_SUBJECT
                else "",
                "taxable": formats.money(row.taxable),
                "tax": formats.money(row.tax),
                "reason": row.exemption_reason,
                "code": row.exemption_code,
            }
            for row in snapshot.tax_summary
        ],
        "total_net": formats.money(snapshot.total_net),
        "total_tax": formats.money(snapshot.total_tax),
        "total_gross": formats.money(snapshot.total_gross),
    }


_per_thread = threading.local()


def page_style() -> tuple[CSS, FontConfiguration]:
    """The documents' style sheet, parsed, and the fonts, loaded: once per thread, not per
    document (Pango's font map must not be shared between threads)."""
    if not hasattr(_per_thread, "style"):
        fonts = FontConfiguration()
        style = CSS(string=render_to_string(STYLESHEET), font_config=fonts, url_fetcher=NO_FETCHING)
        _per_thread.style = (style, fonts)
    return _per_thread.style


# The user agent's rules for pseudo-elements of every element that no billing document has:
# list markers and footnotes. WeasyPrint computes their style on each element of the page,
# about a quarter of its time on a 20-session invoice, for nothing.
UNUSED_PSEUDO_RULES = re.compile(
    r"^::(marker|footnote-call|footnote-marker|note-call|note-marker|note-callback) \{.*\}$",
    re.MULTILINE,
)


@functools.cache
def user_agent_style() -> CSS:
    """WeasyPrint's user agent style sheet without UNUSED_PSEUDO_RULES."""
    lean, removed = UNUSED_PSEUDO_RULES.subn("", USER_AGENT_CSS)
    if removed != 6:
        raise RuntimeError(f"WeasyPrint's user agent style changed: {removed} rules of 6 found")
    # Its @counter-style rules go to a counter style of their own; each document copies
    # WeasyPrint's, which has them already.
    return CSS(string=lean, counter_style=CounterStyle())


class DocumentHTML(HTML):
    """A billing document's page: styled by `user_agent_style`, then `page_style`."""

    def _ua_stylesheets(self, forms=False):
        return [user_agent_style()]


def render_html(snapshot: DocumentSnapshot) -> str:
    """The document's page as HTML, in its language (its style is `page_style`)."""
    with translation.override(snapshot.language):
        html = render_to_string(TEMPLATE, document_context(snapshot))
    # Partners' text may hold control characters or lone surrogates no PDF text can carry.
    return xml_text(html)


def _issued_at(snapshot: DocumentSnapshot) -> datetime:
    return datetime.combine(snapshot.issue_date, time(0), tzinfo=UTC)


def _facturx_descriptions() -> str:
    """The Factur-X XMP: the PDF/A extension schema that declares `fx`, and its values."""
    properties = "".join(
        f"<rdf:li rdf:parseType='Resource'><pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        for name, description in (
            ("DocumentFileName", "The name of the embedded XML document"),
            ("DocumentType", "The type of the hybrid document in capital letters"),
            ("Version", "The version of the standard of the embedded XML document"),
            ("ConformanceLevel", "The conformance level of the embedded XML document"),
        )
    )
    return (
        "<rdf:Description rdf:about='' "
        "xmlns:pdfaExtension='http://www.aiim.org/pdfa/ns/extension/' "
        "xmlns:pdfaSchema='http://www.aiim.org/pdfa/ns/schema#' "
        "xmlns:pdfaProperty='http://www.aiim.org/pdfa/ns/property#'>"
        "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType='Resource'>"
        "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{FACTURX_URN}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>fx</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
        f"<rdf:Description rdf:about='' xmlns:fx='{FACTURX_URN}'>"
        "<fx:DocumentType>INVOICE</fx:DocumentType>"
        f"<fx:DocumentFileName>{FACTURX_FILENAME}</fx:DocumentFileName>"
        "<fx:Version>1.0</fx:Version>"
        f"<fx:ConformanceLevel>{FACTURX_CONFORMANCE}</fx:ConformanceLevel>"
        "</rdf:Description>"
    )


class FacturXMetadata(DocumentMetadata):
    """WeasyPrint's XMP with the Factur-X descriptions inside its one rdf:RDF element."""

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = super().generate_rdf_metadata(variant, version, conformance)
        closing = b"</rdf:RDF>"
        assert rdf.endswith(closing), "WeasyPrint's XMP no longer ends with its rdf:RDF"
        return rdf[: -len(closing)] + _facturx_descriptions().encode() + closing


def signed_data_filename(line: Line) -> str:
    """The attachment name of a session's Eichrecht data, unique per document."""
    safe = "".join(char if char.isalnum() or char in "-_." else "_" for char in line.cdr_id)
    return f"signed-data-{line.position}-{safe}.json"


def _attachments(snapshot: DocumentSnapshot, xml: bytes) -> list[Attachment]:
    issued = _issued_at(snapshot)
    attachments = [
        Attachment(
            string=xml,
            name=FACTURX_FILENAME,
            description="Factur-X XML file",
            relationship="Data",
            created=issued,
            modified=issued,
        )
    ]
    for line in snapshot.lines:
        if line.metering and line.metering.signed_data:
            attachments.append(
                Attachment(
                    string=line.metering.signed_data.encode(),
                    name=signed_data_filename(line),
                    description=f"Eichrecht signed meter data, CDR {line.cdr_id}",
                    relationship="Supplement",
                    created=issued,
                    modified=issued,
                )
            )
    return attachments


def _single_af_entries(document, pdf) -> None:
    """WeasyPrint lists each attachment twice in the catalog's /AF; PDF/A-3 wants it once."""
    if "AF" in pdf.catalog:
        entries = pdf.catalog["AF"]
        unique = list(dict.fromkeys(entries))
        entries.clear()
        entries.extend(unique)


def render_pdf(snapshot: DocumentSnapshot, *, einvoice_xml: bytes | None = None) -> bytes:
    """The document's PDF/A-3b with its validated e-invoice: `einvoice_xml`, the one checked
    when the document was issued, or else written from the snapshot and checked now (raises
    EInvoiceError if invalid)."""
    xml = einvoice_xml if einvoice_xml is not None else validated_cii_xml(snapshot)
    html = DocumentHTML(string=render_html(snapshot), url_fetcher=NO_FETCHING)
    style, fonts = page_style()
    document = html.render(stylesheets=[style], font_config=fonts)
    issued = _issued_at(snapshot).isoformat()
    # Title and language come from the page's <title> and <html lang>.
    metadata = document.metadata = FacturXMetadata(**vars(document.metadata))
    metadata.authors = [snapshot.seller.name]
    metadata.created = issued
    metadata.modified = issued
    metadata.attachments = _attachments(snapshot, xml)
    identifier = hashlib.md5(
        f"{snapshot.number}|{snapshot.issue_date}".encode(), usedforsecurity=False
    ).hexdigest()
    return document.write_pdf(
        pdf_variant=PDF_VARIANT, pdf_identifier=identifier.encode(), finisher=_single_af_entries
    )
