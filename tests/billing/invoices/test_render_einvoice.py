"""The EN 16931 e-invoice: what it says, and that validation names the rule a document breaks."""

import dataclasses
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from billing.invoices.einvoice import NSMAP, cii_xml, fatal, validate_cii, xml_text
from tests.support import invoice_snapshots as build


def parsed(snapshot) -> etree._Element:
    return etree.fromstring(cii_xml(snapshot))


def value(root: etree._Element, path: str) -> str:
    return root.find(path, NSMAP).text


def rule_ids(xml: bytes) -> set[str]:
    return {finding.rule_id for finding in fatal(validate_cii(xml))}


def tampered(xml: bytes, path: str, text: str) -> bytes:
    root = etree.fromstring(xml)
    root.find(path, NSMAP).text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


HEADER_TOTALS = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def test_line_totals_that_do_not_add_up_are_reported_as_br_co_10():
    xml = tampered(cii_xml(build.multi_tariff()), f"{HEADER_TOTALS}/ram:LineTotalAmount", "99.99")

    assert "BR-CO-10" in rule_ids(xml)


def test_a_wrong_tax_total_is_reported_by_its_rules():
    xml = tampered(cii_xml(build.cross_border()), f"{HEADER_TOTALS}/ram:TaxTotalAmount", "1.00")

    assert {"BR-CO-14", "BR-CO-15"} <= rule_ids(xml)


def test_xml_that_breaks_the_schema_is_fatal_before_any_business_rule():
    root = parsed(build.domestic_driver())
    root.find(".//ram:InvoiceCurrencyCode", NSMAP).tag = f"{{{NSMAP['ram']}}}Currency"

    findings = validate_cii(etree.tostring(root))

    assert findings
    assert {finding.rule_id for finding in findings} == {"XSD"}
    assert all(finding.severity == "fatal" for finding in findings)


def test_text_that_is_not_xml_is_a_fatal_finding():
    assert rule_ids(b"<rsm:CrossIndustryInvoice") == {"XML"}


def test_document_kinds_map_to_their_type_codes():
    codes = {
        name: value(parsed(scenario()), "rsm:ExchangedDocument/ram:TypeCode")
        for name, scenario in build.SCENARIOS.items()
    }

    assert codes["domestic_driver"] == "380"
    assert codes["settlement_statement"] == "380"
    assert codes["credit_note"] == codes["partial_credit"] == "381"
    assert codes["self_billed"] == "389"


def test_credit_note_refers_to_the_invoice_number_and_date_with_positive_amounts():
    root = parsed(build.credit_note())
    reference = root.find(".//ram:InvoiceReferencedDocument", NSMAP)

    assert value(reference, "ram:IssuerAssignedID") == "INV-2026-000123"
    assert value(reference, "ram:FormattedIssueDateTime/qdt:DateTimeString") == "20261001"
    assert Decimal(value(root, f"{HEADER_TOTALS}/ram:GrandTotalAmount")) > 0


def test_parties_carry_vat_ids_addresses_and_the_buyer_reference():
    root = parsed(build.self_billed())
    seller = root.find(".//ram:SellerTradeParty", NSMAP)
    vat_id = seller.find("ram:SpecifiedTaxRegistration/ram:ID", NSMAP)

    assert vat_id.text == "DE123456789"
    assert vat_id.get("schemeID") == "VA"
    assert value(seller, "ram:PostalTradeAddress/ram:CountryID") == "DE"
    assert value(root, ".//ram:BuyerReference") == "DE-ABC"


def test_reverse_charge_rows_carry_category_ae_reason_and_vatex_code():
    root = parsed(build.reverse_charge())
    tax = root.find(".//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax", NSMAP)

    assert value(tax, "ram:CategoryCode") == "AE"
    assert value(tax, "ram:ExemptionReason") == "Reverse charge"
    assert value(tax, "ram:ExemptionReasonCode") == "VATEX-EU-AE"
    assert value(tax, "ram:RateApplicablePercent") == "0"


def test_each_price_dimension_is_a_line_with_its_unit_code_and_net_price():
    root = parsed(build.multi_tariff())
    items = root.findall(".//ram:IncludedSupplyChainTradeLineItem", NSMAP)

    written = [
        (
            item.find(".//ram:BilledQuantity", NSMAP).get("unitCode"),
            value(item, ".//ram:BilledQuantity"),
            value(item, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount"),
            value(item, ".//ram:LineTotalAmount"),
        )
        for item in items
    ]

    assert written == [
        ("KWH", "12.500", "0.3900", "4.88"),
        ("KWH", "9.275", "0.2900", "2.69"),
        ("MIN", "95", "0.0500", "4.75"),
        ("C62", "1", "0.3500", "0.35"),
        ("HUR", "0.75", "2.4000", "1.80"),
    ]


def test_payment_means_is_a_credit_transfer_to_the_iban_with_due_date():
    root = parsed(build.domestic_driver())

    assert value(root, ".//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") == "58"
    assert value(root, ".//ram:IBANID") == "NL91ABNA0417164300"
    assert value(root, ".//ram:DueDateDateTime/udt:DateTimeString") == "20261115"


# Ids, addresses and names come from partners over OCPI: any text, control characters too.
partner_text = st.text(min_size=1, max_size=60).filter(lambda text: xml_text(text).strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cdr_id=partner_text, evse_id=partner_text, address=partner_text, name=partner_text)
def test_partner_supplied_text_never_breaks_the_e_invoice(cdr_id, evse_id, address, name):
    snapshot = build.cross_border()
    line = dataclasses.replace(
        snapshot.lines[1], cdr_id=cdr_id, evse_id=evse_id, location_address=address
    )
    buyer = dataclasses.replace(snapshot.buyer, name=name)
    snapshot = dataclasses.replace(snapshot, lines=(snapshot.lines[0], line), buyer=buyer)

    xml = cii_xml(snapshot)

    assert fatal(validate_cii(xml)) == []
    root = etree.fromstring(xml)
    assert value(root, ".//ram:BuyerTradeParty/ram:Name") == xml_text(name)
    assert xml_text(cdr_id) in [v.text for v in root.iterfind(".//ram:Value", NSMAP)]
