"""What a driver or a partner reads in a billing document's PDF, and that it never changes."""

import dataclasses
import gettext
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from babel.messages.pofile import read_po
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from weasyprint import HTML

from billing.invoices.check import attachments, check_pdf, embedded_files
from billing.invoices.einvoice import EInvoiceError, cii_xml, fatal
from billing.invoices.render import (
    NO_FETCHING,
    DocumentHTML,
    page_style,
    render_html,
    render_pdf,
    signed_data_filename,
)
from tests.support import invoice_snapshots as build


def text_of(pdf: bytes) -> str:
    """The PDF's text, with the no-break spaces of money formats as plain spaces."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_same_snapshot_renders_the_same_bytes_whenever_it_is_rendered():
    snapshot = build.cross_border()

    with time_machine.travel(datetime(2027, 3, 1, 12, 0, tzinfo=UTC), tick=False):
        first = render_pdf(snapshot)
    with time_machine.travel(datetime(2031, 7, 9, 23, 59, tzinfo=UTC), tick=False):
        again = render_pdf(snapshot)

    assert first == again


def test_eichrecht_signed_data_is_attached_byte_for_byte_and_meter_values_printed():
    snapshot = build.cross_border()
    metered = [line for line in snapshot.lines if line.metering]
    pdf = render_pdf(snapshot)
    files = embedded_files(PdfReader(io.BytesIO(pdf)))
    text = text_of(pdf)

    assert metered
    for line in metered:
        spec, data = files[signed_data_filename(line)]
        assert data == line.metering.signed_data.encode()
        assert spec["/AFRelationship"] == "/Supplement"
        assert line.metering.meter_id in text
        assert f"{line.metering.start_value} kWh" in text
        assert f"{line.metering.end_value} kWh" in text


def test_a_driver_reads_each_session_in_local_time_with_its_offset_duration_and_energy():
    text = text_of(render_pdf(build.cross_border()))

    # Köln in October: UTC+2; 88 minutes; energy with three decimals in German notation.
    assert "12.10.2026 18:05 +02:00 \u2013 19:33 +02:00 · 1 h 28 min · 22,100 kWh" in text
    assert "Ladepunkt DE*ABC*E1234*2 Rheinallee 12, 50667 Köln (DE)" in text
    assert "Betreiber DE-ABC" in text
    assert "Startgebühr 1 Ladevorgang 0,9900 € / Ladevorgang 0,99 €" in text
    assert "USt. 19 %: 2,67 € · Summe brutto 16,70 €" in text


def test_price_dimensions_print_in_afir_order_whatever_order_the_snapshot_has():
    snapshot = build.multi_tariff()
    line = snapshot.lines[0]
    shuffled = dataclasses.replace(line, sub_lines=tuple(reversed(line.sub_lines)))
    text = text_of(render_pdf(dataclasses.replace(snapshot, lines=(shuffled,))))

    positions = [
        text.index(label) for label in ("Energy 12.500 kWh", "Charging time 95 min", "Session fee")
    ]
    assert positions == sorted(positions)
    assert text.index("Session fee") < text.index("Parking time")


@pytest.mark.parametrize(
    ("language", "title", "total"),
    [
        ("en", "Invoice", "Total incl. VAT €24.01"),
        ("de", "Rechnung", "Summe brutto 24,01 €"),
        ("nl", "Factuur", "Totaal incl. btw € 24,01"),
        ("fr", "Facture", "Total TTC 24,01 €"),
    ],
)
def test_document_speaks_the_readers_language(language, title, total):
    snapshot = dataclasses.replace(build.domestic_driver(), language=language)

    text = text_of(render_pdf(snapshot))

    assert title in text.splitlines()
    assert total in text


def test_credit_note_names_the_invoice_it_corrects():
    text = text_of(render_pdf(build.credit_note()))

    assert "Credit note" in text
    assert "This credit note corrects invoice INV-2026-000123 of Oct 1, 2026." in text
    assert "AMOUNT CREDITED TO YOU" in text


def test_reverse_charge_prints_the_legal_note_and_exemption_code():
    text = text_of(render_pdf(build.self_billed()))

    assert "Self-billed invoice" in text
    assert "issued by the buyer on behalf of the seller" in text
    assert "Reverse charge" in text
    assert "VATEX-EU-AE" in text
    assert "VAT ID DE123456789" in text


def test_footer_carries_the_issuers_registration_vat_id_and_bank_account():
    text = text_of(render_pdf(build.domestic_driver()))

    assert "KvK 12345678" in text
    assert "VAT ID NL123456789B01" in text
    assert "IBAN NL91ABNA0417164300" in text


def test_energy_table_beside_the_chart_shows_kwh_per_day():
    text = text_of(render_pdf(build.domestic_driver()))

    assert "Oct 3 18.432" in text
    assert "Oct 21 31.007" in text
    assert "Total 56.689" in text


def test_a_snapshot_whose_lines_do_not_add_up_is_not_rendered():
    snapshot = build.domestic_driver()
    wrong = dataclasses.replace(snapshot, total_net=snapshot.total_net + Decimal("0.01"))

    with pytest.raises(EInvoiceError) as refused:
        render_pdf(wrong)

    assert "BR-CO-13" in {finding.rule_id for finding in refused.value.findings}


def test_only_the_e_invoice_and_the_signed_data_are_attached():
    snapshot = build.domestic_driver()

    names = set(attachments(render_pdf(snapshot)))

    assert names == {"factur-x.xml", signed_data_filename(snapshot.lines[0])}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(address=st.text(min_size=1, max_size=80), evse_id=st.text(min_size=1, max_size=40))
def test_partner_supplied_text_never_breaks_the_pdf(address, evse_id):
    snapshot = build.cross_border()
    roaming = dataclasses.replace(snapshot.lines[1], location_address=address, evse_id=evse_id)

    pdf = render_pdf(dataclasses.replace(snapshot, lines=(snapshot.lines[0], roaming)))

    assert fatal(check_pdf(pdf)) == []


def test_credit_notes_and_sessions_without_energy_show_no_energy_chart():
    with_energy = text_of(render_pdf(build.domestic_driver()))
    credit = text_of(render_pdf(build.credit_note()))

    assert "\nDay kWh\n" in with_energy
    assert "\nDay kWh\n" not in credit


@pytest.mark.parametrize("language", ["de", "nl", "fr"])
def test_every_word_of_the_document_is_translated_and_compiled(language):
    folder = Path(django_settings.BASE_DIR) / "locale" / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as source:
        catalogue = read_po(source)
    with open(folder / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    messages = [message for message in catalogue if message.id]
    assert messages
    for message in messages:
        assert all(message.string), f"{message.id!r} has no {language} translation"
        if message.pluralizable:
            singular, plural = message.id
            compiled_forms = tuple(
                translations.ngettext(singular, plural, count) for count in (1, 2)
            )
            assert compiled_forms == tuple(message.string[:2]), "run compilemessages"
        else:
            assert translations.gettext(message.id) == message.string, "run compilemessages"


@pytest.mark.parametrize("scenario", [build.domestic_driver, build.credit_note, build.self_billed])
def test_the_lean_user_agent_style_renders_what_weasyprints_own_does(scenario):
    html = render_html(scenario())
    style, fonts = page_style()

    def pdf(page_class) -> bytes:
        document = page_class(string=html, url_fetcher=NO_FETCHING).render(
            stylesheets=[style], font_config=fonts
        )
        return document.write_pdf(pdf_identifier=b"same")

    assert pdf(DocumentHTML) == pdf(HTML)


def test_an_e_invoice_given_is_embedded_as_given_and_not_written_again():
    snapshot = build.domestic_driver()
    issued = cii_xml(dataclasses.replace(snapshot, number="INV-2026-000042"))

    pdf = render_pdf(snapshot, einvoice_xml=issued)

    assert attachments(pdf)["factur-x.xml"] == issued
