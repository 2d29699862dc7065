"""The driver space: sessions with a receipt each, monthly totals, the energy report and its CSV,
cards and apps (with blocking), invoices and credit notes with their PDFs, billing details and
language. Thin views over
portal.driver.selectors and portal.driver.services; another driver's ids answer 404."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from billing.charts import Bar, bar_chart_svg
from billing.invoices import selectors as invoice_selectors
from billing.invoices.delivery import stored_pdf_response
from billing.invoices.models import Document
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.tokens.models import Token
from portal.csv_files import CsvDownload
from portal.driver import selectors
from portal.driver.forms import FIRST_YEAR, LAST_YEAR, MONTH, ProfileForm, YearForm
from portal.driver.services import (
    BillingDetailsError,
    driver_billing_details_save,
    driver_token_block,
)
from portal.staff.roles import is_staff_member
from portal.staff.services import StaffActionError
from portal.templatetags.portal_format import month_name


def driver_view(view):
    """Logged-in users only; staff have the back office and no driver data, so they go there."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if is_staff_member(request.user):
            return redirect("staff:dashboard")
        return view(request, *args, **kwargs)

    return wrapped


def remember_language(response, language: str) -> None:
    """The portal speaks `language` from the next request on (Django's language cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class LoginView(auth_views.LoginView):
    """Django's login; a driver's saved language is switched on as they come in."""

    template_name = "portal/login.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        language = selectors.saved_language(user=form.get_user())
        if language:
            remember_language(response, language)
        return response


# Sessions and receipts --------------------------------------------------------------------------


@driver_view
def sessions(request):
    """The sessions of one month (the latest with any by default) and the monthly totals."""
    months = selectors.driver_usage_by_month(user=request.user)
    month = request.GET.get("month", "")
    if not MONTH.fullmatch(month):
        month = months[-1].key if months else timezone.now().strftime("%Y-%m")
    context = {
        "month": month,
        "charges": [
            selectors.driver_receipt(cdr=cdr)
            for cdr in selectors.driver_month_sessions(user=request.user, month=month)
        ],
        "month_totals": [row for row in months if row.key == month],
        "months": list(reversed(months))[: selectors.RECENT_MONTHS],
    }
    return render(request, "portal/driver/sessions.html", context)


@driver_view
def receipt(request, cdr_id: int):
    try:
        cdr = selectors.driver_cdr_get(user=request.user, cdr_id=cdr_id)
    except Cdr.DoesNotExist:
        raise Http404("No such session") from None
    return render(
        request, "portal/driver/receipt.html", {"receipt": selectors.driver_receipt(cdr=cdr)}
    )


# The energy report ------------------------------------------------------------------------------


def _year(request, years: list[int]) -> int:
    """The year asked for, else the latest the driver charged in, else this one."""
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return years[0] if years else timezone.now().year


def _chart(rows, title: str, label) -> str:
    # bar_chart_svg escapes every text it writes.
    return mark_safe(
        bar_chart_svg([Bar(label(row), row.energy_kwh) for row in rows], title=title, unit="kWh")
    )


@driver_view
def report(request):
    """Energy per month and per location for a year: a chart, and its numbers in a table."""
    years = selectors.driver_years(user=request.user)
    year = _year(request, years)
    by_month = selectors.driver_usage_by_month(user=request.user, year=year)
    by_location = selectors.driver_usage_by_location(user=request.user, year=year)
    context = {
        "year": year,
        "years": years,
        "by_month": by_month,
        "by_location": by_location,
        "totals": selectors.usage_totals(by_month),
        "month_chart": _chart(
            by_month,
            _("Energy per month in %(year)s") % {"year": year},
            lambda row: month_name(row.key)[:3],
        ),
        "location_chart": _chart(
            by_location[:8],
            _("Energy per charging location in %(year)s") % {"year": year},
            lambda row: row.label.split(",")[0][:16],
        ),
    }
    return render(request, "portal/driver/report.html", context)


@driver_view
def report_csv(request, year: int):
    """The year by month as CSV (portal.csv_files)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("No such year")
    rows = selectors.driver_usage_by_month(user=request.user, year=year)
    download = CsvDownload(f"charging-{year}.csv")

    def line(first: str, row) -> list:
        return [
            first,
            row.currency,
            row.sessions,
            download.energy(row.energy_kwh),
            download.money(row.excl_vat, row.currency),
            download.money(row.vat, row.currency),
            download.money(row.incl_vat, row.currency),
        ]

    download.row(
        [
            _("Month"),
            _("Currency"),
            _("Sessions"),
            _("Energy (kWh)"),
            _("Excl. VAT"),
            _("VAT"),
            _("Incl. VAT"),
        ]
    )
    for row in rows:
        download.row(line(row.key, row))
    for total in selectors.usage_totals(rows):
        download.row(line(_("Total"), total))
    return download.response


# Cards and apps ---------------------------------------------------------------------------------


@driver_view
def cards(request):
    return render(
        request, "portal/driver/cards.html", {"tokens": selectors.driver_tokens(user=request.user)}
    )


@driver_view
def card_block(request, token_id: int):
    """GET asks to confirm; POST blocks the card and tells every CPO we roam with."""
    try:
        token = selectors.driver_token_get(user=request.user, token_id=token_id)
    except Token.DoesNotExist:
        raise Http404("No such card") from None
    if request.method != "POST":
        return render(request, "portal/driver/card_block.html", {"token": token})
    try:
        driver_token_block(user=request.user, token_id=token.pk)
    except StaffActionError:
        messages.error(request, _("The card could not be blocked. Please call customer service."))
    else:
        messages.success(
            request, _("The card is blocked. Charging stations we roam with refuse it from now on.")
        )
    return redirect("driver:cards")


# Billing details and language -------------------------------------------------------------------


@driver_view
def profile(request):
    current = selectors.driver_billing_details(user=request.user)
    if request.method != "POST":
        # Until the driver saves one, the language they are reading in is the one proposed.
        language = current.language if current.pk else translation.get_language()
        form = ProfileForm(instance=current, initial={"language": language})
        return _profile_page(request, form)
    form = ProfileForm(request.POST, instance=current)
    if not form.is_valid():
        return _profile_page(request, form, status=400)
    try:
        saved = driver_billing_details_save(user=request.user, **form.cleaned_data)
    except BillingDetailsError as error:
        form.add_error(None, str(error))
        return _profile_page(request, form, status=400)
    translation.activate(saved.language)
    messages.success(request, _("Your details are saved."))
    response = redirect("driver:profile")
    remember_language(response, saved.language)
    return response


def _profile_page(request, form, status=200):
    context = {"form": form, "contracts": selectors.driver_contracts(user=request.user)}
    return render(request, "portal/driver/profile.html", context, status=status)


@driver_view
def invoices(request):
    documents = invoice_selectors.driver_documents(user=request.user)
    return render(request, "portal/driver/invoices.html", {"documents": documents})


@driver_view
def invoice_pdf(request, document_id: int):
    """The stored PDF, byte for byte as sent (rendered now if the task has not yet)."""
    try:
        document = invoice_selectors.driver_document_get(user=request.user, document_id=document_id)
    except Document.DoesNotExist:
        raise Http404("No such invoice") from None
    return stored_pdf_response(document=document)
