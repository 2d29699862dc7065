"""The staff back office: thin views over portal.staff.selectors and the services they call."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import HTML

from billing.charts import Bar, bar_chart_svg
from billing.disputes import DisputeError, dispute_decide
from billing.models import DriverContract
from billing.reports import BY_MONTH, energy_revenue_report
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.tariffs.models import Tariff
from portal.csv_files import CsvDownload
from portal.staff import selectors
from portal.staff.forms import (
    CdrFilterForm,
    ContractForm,
    DisputeForm,
    ReportForm,
    SearchForm,
    SimulatorForm,
    TokenIssueForm,
    TrafficFilterForm,
)
from portal.staff.parking import parking_places
from portal.staff.roles import FINANCE, OPERATIONS, staff_view
from portal.staff.services import (
    StaffActionError,
    contract_token_issue,
    token_validity_set,
)
from portal.staff.tariffs import tariff_in_words, tariff_simulate, tariff_zone


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_view()
def dashboard(request):
    context = {
        "partners": selectors.dashboard(),
        "month_start": selectors.month_start(),
    }
    return render(request, "portal/staff/dashboard.html", context)


@staff_view()
def cdr_list(request):
    form = CdrFilterForm(request.GET or None)
    page = selectors.paginate(selectors.cdr_list(filters=form.filters()), request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "portal/staff/cdr_list.html", context)


def _cdr_or_404(cdr_id: int):
    try:
        return selectors.cdr_get(cdr_id=cdr_id)
    except Cdr.DoesNotExist:
        raise Http404("No such CDR") from None


def _cdr_page(request, cdr, *, dispute_form=None, status=200):
    priced = getattr(cdr, "priced", None)
    context = {
        "cdr": cdr,
        "priced": priced,
        "zone": (priced.time_zone if priced else "") or "UTC",
        "breakdown": selectors.cdr_breakdown(cdr=cdr, priced=priced),
        "driver_price": getattr(cdr, "driver_price", None),
        "dispute": getattr(cdr, "dispute", None),
        "dispute_form": dispute_form or DisputeForm(),
        "location": cdr.document.get("cdr_location") or {},
    }
    return render(request, "portal/staff/cdr_detail.html", context, status=status)


@staff_view()
def cdr_detail(request, cdr_id: int):
    return _cdr_page(request, _cdr_or_404(cdr_id))


@staff_view(FINANCE)
@require_POST
def cdr_dispute(request, cdr_id: int):
    cdr = _cdr_or_404(cdr_id)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _cdr_page(request, cdr, dispute_form=form, status=400)
    try:
        dispute_decide(
            cdr_id=cdr.pk,
            resolution=form.cleaned_data["resolution"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
    except DisputeError as error:
        form.add_error(None, str(error))
        return _cdr_page(request, cdr, dispute_form=form, status=400)
    messages.success(request, _("Decision recorded."))
    return redirect("staff:cdr", cdr_id=cdr.pk)


@staff_view()
def session_list(request):
    page = selectors.paginate(selectors.active_sessions(), request.GET.get("page"))
    return render(request, "portal/staff/session_list.html", {"page": page})


@staff_view()
def location_list(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.paginate(selectors.location_search(text=text), request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "portal/staff/location_list.html", context)


@staff_view()
def location_detail(request, location_pk: int):
    location = get_object_or_404(Location, pk=location_pk)
    context = {"location": location, "parking_places": parking_places(location.document)}
    return render(request, "portal/staff/location_detail.html", context)


@staff_view()
def tariff_list(request):
    return render(request, "portal/staff/tariff_list.html", {"tariffs": selectors.tariff_list()})


@staff_view()
def tariff_detail(request, tariff_pk: int):
    """The tariff in words, its versions, and (GET, no change) a price simulation."""
    tariff = get_object_or_404(Tariff.objects.select_related("source"), pk=tariff_pk)
    simulation = None
    if "minutes" in request.GET:
        form = SimulatorForm(request.GET)
        if form.is_valid():
            simulation = tariff_simulate(document=tariff.document, **form.cleaned_data)
    else:
        form = SimulatorForm(initial=SimulatorForm.initial_values())
    versions = list(tariff.versions.order_by("-last_updated"))
    for version in versions:
        version.elements_in_words = tariff_in_words(version.document)
    context = {
        "tariff": tariff,
        "elements": tariff_in_words(tariff.document),
        "versions": versions,
        "form": form,
        "simulation": simulation,
        "zone": str(tariff_zone(tariff.document)),
    }
    return render(request, "portal/staff/tariff_detail.html", context)


@staff_view()
def contract_list(request):
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.paginate(selectors.contract_list(text=text), request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "portal/staff/contract_list.html", context)


@staff_view(OPERATIONS)
def contract_create(request):
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contract = form.save()
        messages.success(request, _("Contract created."))
        return redirect("staff:contract", contract_pk=contract.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/staff/contract_form.html", {"form": form}, status=status)


def _contract_page(request, contract, *, form=None, token_form=None, status=200):
    context = {
        "contract": contract,
        "form": form or ContractForm(instance=contract),
        "token_form": token_form or TokenIssueForm(),
        "tokens": selectors.contract_tokens(contract=contract),
    }
    return render(request, "portal/staff/contract_detail.html", context, status=status)


@staff_view()
def contract_detail(request, contract_pk: int):
    """Every staff role reads the contract; saving it (POST) takes operations."""
    contract = get_object_or_404(DriverContract, pk=contract_pk)
    if request.method == "POST":
        return _contract_edit(request, contract)
    return _contract_page(request, contract)


@staff_view(OPERATIONS)
def _contract_edit(request, contract):
    form = ContractForm(request.POST, instance=contract)
    if not form.is_valid():
        return _contract_page(request, contract, form=form, status=400)
    form.save()
    messages.success(request, _("Contract saved."))
    return redirect("staff:contract", contract_pk=contract.pk)


@staff_view(OPERATIONS)
@require_POST
def contract_token_create(request, contract_pk: int):
    contract = get_object_or_404(DriverContract, pk=contract_pk)
    form = TokenIssueForm(request.POST)
    if form.is_valid():
        try:
            contract_token_issue(contract=contract, **form.cleaned_data)
        except StaffActionError as error:
            form.add_error(None, str(error))
    if form.errors:
        return _contract_page(request, contract, token_form=form, status=400)
    messages.success(request, _("Token issued and sent to the CPOs we roam with."))
    return redirect("staff:contract", contract_pk=contract.pk)


@staff_view(OPERATIONS)
@require_POST
def token_validity(request, token_pk: int):
    valid = request.POST.get("valid") == "true"
    try:
        token = token_validity_set(token_pk=token_pk, valid=valid)
    except StaffActionError as error:
        messages.error(request, str(error))
        return redirect("staff:contracts")
    if valid:
        messages.success(request, _("Token unblocked; the CPOs we roam with are told."))
    else:
        messages.success(request, _("Token blocked; the CPOs we roam with are told."))
    contract = DriverContract.objects.filter(contract_id=token.contract_id).first()
    if contract is None:
        return redirect("staff:contracts")
    return redirect("staff:contract", contract_pk=contract.pk)


@staff_view()
def traffic(request):
    form = TrafficFilterForm(request.GET or None)
    page = selectors.paginate(
        selectors.traffic_search(filters=form.filters()), request.GET.get("page"), per_page=25
    )
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "portal/staff/traffic.html", context)


# Reports ---------------------------------------------------------------------------------------

# The page charts the first rows and lists the largest ones (per location or driver there may be
# thousands); the totals cover every row, and the CSV has them all.
CHART_BARS = 24
TABLE_ROWS = 200


def _report(request):
    form = ReportForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    report = energy_revenue_report(
        by=data.get("by") or BY_MONTH,
        month_from=data.get("month_from") or None,
        month_to=data.get("month_to") or None,
    )
    return form, report


def _report_page(request) -> dict:
    """What the report page and its PDF show: the rows, the totals and the two charts."""
    form, report = _report(request)
    energy_chart = bar_chart_svg(
        [Bar(row.label, row.energy_kwh) for row in report.rows[:CHART_BARS]],
        title=_("Energy per %(by)s") % {"by": report.dimension},
        unit="kWh",
    )
    currencies = {row.currency for row in report.rows}
    revenue_chart = ""
    if len(currencies) == 1:
        currency = currencies.pop()
        revenue_chart = bar_chart_svg(
            [Bar(row.label, max(row.revenue, Decimal(0))) for row in report.rows[:CHART_BARS]],
            title=_("Revenue excl. VAT per %(by)s") % {"by": report.dimension},
            unit=currency,
        )
    return {
        "form": form,
        "report": report,
        "rows": report.rows[:TABLE_ROWS],
        "energy_chart": mark_safe(energy_chart),  # built by bar_chart_svg, which escapes
        "revenue_chart": mark_safe(revenue_chart),
        "query": request.GET.urlencode(),
    }


@staff_view()
def report(request):
    return render(request, "portal/staff/report.html", _report_page(request))


@staff_view()
def report_pdf(request):
    """The report as a PDF: the same charts, rows and totals as the page, printed by WeasyPrint."""
    html = render_to_string("portal/staff/report_pdf.html", _report_page(request), request=request)
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="report.pdf"'
    return response


@staff_view()
def report_csv(request):
    """The report as CSV (portal.csv_files): totals as on the page."""
    _form, report = _report(request)
    download = CsvDownload(f"report-{report.dimension}.csv")
    download.row(
        [
            _(report.dimension),
            _("Currency"),
            _("Sessions"),
            _("Energy (kWh)"),
            _("Revenue excl. VAT"),
        ]
    )
    lines = [(row.label, row) for row in report.rows]
    lines += [(_("Total"), total) for total in report.totals]
    for label, line in lines:
        download.row(
            [
                label,
                line.currency,
                line.sessions,
                download.energy(line.energy_kwh),
                download.money(line.revenue, line.currency),
            ]
        )
    return download.response
