"""The staff pages that check a partner CPO's invoices against the CDRs it sent us: the groups
of CDRs per invoice reference, one invoice with its CDRs and its CSV, and recording the invoice
as received (finance). Thin views over billing.partner_invoices."""

import re
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing.partner_invoices import (
    NOT_INVOICED,
    Check,
    PartnerInvoiceError,
    group_status,
    invoice_cdrs,
    invoice_check,
    invoice_group_rows,
    invoice_groups,
    invoice_totals,
    partner_invoice_get,
    partner_invoice_record,
)
from portal.csv_files import CsvDownload
from portal.staff import selectors
from portal.staff.forms import PartnerInvoiceFilterForm, PartnerInvoiceForm
from portal.staff.roles import FINANCE, staff_view
from portal.templatetags.portal_format import money, zone_named

PARTY = re.compile(r"^([A-Za-z]{2})-([A-Za-z0-9]{3})$")
GROUPS_PER_PAGE = 50
CDRS_PER_PAGE = 100


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_view()
def invoice_list(request):
    form = PartnerInvoiceFilterForm(request.GET or None)
    # Groups are few beside their CDRs: one aggregation, paged here rather than counted again.
    rows = list(invoice_group_rows(**form.filters()))
    page = selectors.paginate(rows, request.GET.get("page"), per_page=GROUPS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "groups": invoice_groups(page.object_list),
        "query": _query_without_page(request),
    }
    return render(request, "portal/staff/partner_invoice_list.html", context)


def _invoice(party: str, reference: str) -> dict:
    """What the page and the CSV of one invoice (or of the CDRs not yet invoiced) show."""
    match = PARTY.match(party)
    if match is None:
        raise Http404("No such party")
    country_code, party_id = (part.upper() for part in match.groups())
    reference = reference.upper()
    cdrs = invoice_cdrs(country_code=country_code, party_id=party_id, reference=reference)
    totals = invoice_totals(cdrs)
    if not totals:
        raise Http404("No CDR of the party names this invoice")
    recorded = None
    if reference != NOT_INVOICED:
        recorded = partner_invoice_get(
            country_code=country_code, party_id=party_id, reference=reference
        )
    checks = [
        invoice_check(invoice=recorded, totals=total)
        for total in totals
        if recorded is not None and recorded.currency == total.currency
    ]
    check = checks[0] if checks else None
    return {
        "party": f"{country_code}-{party_id}",
        "country_code": country_code,
        "party_id": party_id,
        "reference": reference,
        "cdrs": cdrs,
        "totals": totals,
        "recorded": recorded,
        "check": check,
        "check_words": _check_in_words(check, recorded.currency) if check else [],
        "status": group_status(
            reference=reference, check=check, mismatches=sum(t.mismatches for t in totals)
        ),
    }


def _check_in_words(check: Check, currency: str) -> list[str]:
    if check.matches:
        return [_("Matches: their invoice states the sum of its CDRs, to the cent.")]
    sentences = []
    for difference, more, less in (
        (
            check.excl_vat,
            _("Their invoice states %(amount)s more excl. VAT than its CDRs add up to."),
            _("Their invoice states %(amount)s less excl. VAT than its CDRs add up to."),
        ),
        (
            check.incl_vat,
            _("Their invoice states %(amount)s more incl. VAT than its CDRs add up to."),
            _("Their invoice states %(amount)s less incl. VAT than its CDRs add up to."),
        ),
    ):
        if difference:
            sentence = more if difference > 0 else less
            sentences.append(sentence % {"amount": money(abs(difference), currency)})
    return sentences


def _as_typed(amount: Decimal | None) -> Decimal | None:
    """A stored amount (4 decimals) without its trailing zeros: 20.5000 as 20.5, 100 as 100."""
    return None if amount is None else Decimal(format(amount.normalize(), "f"))


def _invoice_page(request, invoice: dict, *, form=None, status=200):
    currencies = [total.currency for total in invoice["totals"]]
    if form is None:
        initial = {"currency": currencies[0], "received_on": timezone.localdate()}
        if invoice["recorded"] is not None:
            recorded = invoice["recorded"]
            initial = {
                "stated_excl_vat": _as_typed(recorded.stated_excl_vat),
                "stated_incl_vat": _as_typed(recorded.stated_incl_vat),
                "currency": recorded.currency,
                "received_on": recorded.received_on,
                "note": recorded.note,
            }
        form = PartnerInvoiceForm(initial=initial, currencies=currencies)
    page = selectors.paginate(invoice["cdrs"], request.GET.get("page"), per_page=CDRS_PER_PAGE)
    partner = next((cdr.source for cdr in page.object_list if cdr.source_id), None)
    context = {
        **invoice,
        "page": page,
        "partner": partner,
        "form": form,
        "query": _query_without_page(request),
        "invoiced": invoice["reference"] != NOT_INVOICED,
    }
    return render(request, "portal/staff/partner_invoice_detail.html", context, status=status)


@staff_view()
def invoice_detail(request, party: str, reference: str = NOT_INVOICED):
    """Every staff role reads the invoice; recording it as received (POST) takes finance."""
    invoice = _invoice(party, reference)
    if request.method == "POST":
        return _invoice_record(request, invoice)
    return _invoice_page(request, invoice)


@staff_view(FINANCE)
def _invoice_record(request, invoice: dict):
    if invoice["reference"] == NOT_INVOICED:
        raise Http404("CDRs that no invoice names are not recorded as invoiced")
    currencies = [total.currency for total in invoice["totals"]]
    form = PartnerInvoiceForm(request.POST, currencies=currencies)
    if form.is_valid():
        try:
            partner_invoice_record(
                country_code=invoice["country_code"],
                party_id=invoice["party_id"],
                reference=invoice["reference"],
                user=request.user,
                **form.cleaned_data,
            )
        except PartnerInvoiceError as error:
            form.add_error(None, str(error))
    if form.errors:
        return _invoice_page(request, invoice, form=form, status=400)
    messages.success(request, _("Invoice %(reference)s recorded.") % invoice)
    return redirect("staff:partner-invoice", party=invoice["party"], reference=invoice["reference"])


@staff_view()
def invoice_csv(request, party: str, reference: str = NOT_INVOICED):
    """The invoice's CDRs and totals as on its page (portal.csv_files)."""
    invoice = _invoice(party, reference)
    name = invoice["reference"] or "not-invoiced"
    download = CsvDownload(f"{invoice['party']}-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}.csv")
    download.row(
        [
            _("CDR"),
            _("Start (local time)"),
            _("Time zone"),
            _("Location"),
            _("Currency"),
            _("Energy (kWh)"),
            _("Their price excl. VAT"),
            _("Their price incl. VAT"),
            _("Our price excl. VAT"),
            _("Our price incl. VAT"),
            _("Verdict"),
        ]
    )
    for cdr in invoice["cdrs"].iterator():
        priced = getattr(cdr, "priced", None)
        zone = (priced.time_zone if priced else "") or "UTC"
        download.row(
            [
                cdr.ocpi_id,
                _local_time(cdr.start_date_time, zone),
                zone,
                cdr.location_id,
                cdr.currency,
                download.energy(cdr.total_energy),
                download.money(cdr.total_cost_excl_vat, cdr.currency),
                download.money(cdr.total_cost_incl_vat, cdr.currency),
                download.money(priced.total_cost_excl_vat if priced else None, cdr.currency),
                download.money(priced.total_cost_incl_vat if priced else None, cdr.currency),
                _verdict(priced),
            ]
        )
    for total in invoice["totals"]:
        download.row(
            [
                _("Total"),
                "",
                "",
                "",
                total.currency,
                download.energy(total.energy_kwh),
                download.money(total.theirs_excl_vat, total.currency),
                download.money(total.theirs_incl_vat, total.currency),
                download.money(total.ours_excl_vat, total.currency),
                download.money(total.ours_incl_vat, total.currency),
                ngettext("%(count)s mismatch", "%(count)s mismatches", total.mismatches)
                % {"count": total.mismatches},
            ]
        )
    return download.response


def _local_time(moment, zone: str) -> str:
    """ISO 8601 on the location's clock, with its offset: spreadsheets sort it as written."""
    return moment.astimezone(zone_named(zone)).isoformat(timespec="minutes")


def _verdict(priced) -> str:
    if priced is None:
        return _("Not priced")
    return {
        "MATCH": _("Match"),
        "MISMATCH": _("Mismatch"),
        "UNPRICEABLE": _("Unpriceable"),
    }[priced.verdict]
