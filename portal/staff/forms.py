"""Forms of the staff back office: filters (GET) and actions (POST)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.disputes import Dispute
from billing.invoices.models import Document
from billing.invoices.services import period_parse
from billing.invoices.snapshot import DocumentKind
from billing.models import DriverContract, PricedCdr
from billing.reports import DIMENSIONS
from ocpi.modules.tokens.models import Token
from portal.staff import selectors

MONTH = r"\d{4}-(0[1-9]|1[0-2])"


class CdrFilterForm(forms.Form):
    party = forms.ChoiceField(label=_("Partner"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        required=False,
        choices=[("", _("any")), *PricedCdr.Verdict.choices, ("UNPRICED", _("Not priced"))],
    )
    contract = forms.CharField(label=_("Contract"), required=False, max_length=36)
    location = forms.CharField(label=_("Location id"), required=False, max_length=36)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", _("all")), *selectors.partner_choices()]

    def filters(self) -> selectors.CdrFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.CdrFilters(
            party=data.get("party") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            verdict=data.get("verdict") or "",
            contract=data.get("contract") or "",
            location=data.get("location") or "",
        )


class DisputeForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Decision"), choices=Dispute.Resolution.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class TrafficFilterForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    module = forms.ChoiceField(
        label=_("Module"),
        required=False,
        choices=[("", _("any"))]
        + [
            (name, name)
            for name in (
                "versions",
                "credentials",
                "locations",
                "sessions",
                "cdrs",
                "tariffs",
                "tokens",
                "commands",
                "chargingprofiles",
                "hubclientinfo",
            )
        ],
    )
    status = forms.CharField(
        label=_("Status"), required=False, max_length=5, help_text=_("ok, error or an HTTP code")
    )
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
    text = forms.CharField(label=_("Text"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("all")), *selectors.partner_choices()[1:]]

    def filters(self) -> selectors.TrafficFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.TrafficFilters(**{name: data.get(name) or "" for name in self.fields})


class ReportForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Per"),
        choices=[
            (name, label)
            for name, label in zip(
                DIMENSIONS, (_("month"), _("location"), _("partner"), _("driver")), strict=True
            )
        ],
        initial="month",
        required=False,
    )
    month_from = forms.RegexField(
        regex=MONTH,
        label=_("From month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    month_to = forms.RegexField(
        regex=MONTH,
        label=_("To month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )


class SimulatorForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Start (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=7 * 24 * 60)
    energy_kwh = forms.DecimalField(
        label=_("Energy (kWh)"), min_value=Decimal(0), max_digits=8, decimal_places=3
    )
    power_kw = forms.DecimalField(
        label=_("Power (kW)"), min_value=Decimal("0.1"), max_digits=6, decimal_places=1
    )

    def clean_start(self):
        # The wall-clock time as typed; the simulator puts it on the tariff country's clock.
        return timezone.make_naive(self.cleaned_data["start"])

    @classmethod
    def initial_values(cls) -> dict:
        tomorrow = timezone.now().date() + timedelta(days=1)
        return {
            "start": datetime.combine(tomorrow, time(18, 0)),
            "minutes": 90,
            "energy_kwh": Decimal("30"),
            "power_kw": Decimal("11"),
        }


class ContractForm(forms.ModelForm):
    """A driver contract; the driver's portal login is named, not picked from every user."""

    login = forms.CharField(
        label=_("Driver's login"),
        required=False,
        max_length=150,
        help_text=_("The user name the driver logs in with; empty for none yet"),
    )

    class Meta:
        model = DriverContract
        fields = ["contract_id", "name", "method", "markup_percent", "session_fee", "vat_rate"]
        labels = {
            "contract_id": _("Contract id"),
            "name": _("Name"),
            "method": _("Pricing"),
            "markup_percent": _("Markup (%)"),
            "session_fee": _("Session fee excl. VAT"),
            "vat_rate": _("VAT (%)"),
        }
        help_texts = {
            "contract_id": _("As in the CDRs' cdr_token.contract_id"),
            "markup_percent": _("Markup pricing: on the CPO cost excl. VAT"),
            "session_fee": _("Markup pricing: added once per charging session"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            self.fields["login"].initial = self.instance.user.get_username()

    def clean_login(self):
        login = self.cleaned_data["login"].strip()
        if not login:
            return None
        user = get_user_model().objects.filter(username=login).first()
        if user is None:
            raise forms.ValidationError(_("No user logs in with this name."))
        return user

    def save(self, commit=True):
        self.instance.user = self.cleaned_data["login"]
        return super().save(commit=commit)


class TokenIssueForm(forms.Form):
    token_type = forms.ChoiceField(
        label=_("Type"),
        choices=[(Token.Type.RFID, _("Charging card")), (Token.Type.APP_USER, _("App"))],
    )
    uid = forms.RegexField(
        label=_("UID"),
        regex=r"^[0-9A-Za-z-]{4,36}$",
        max_length=36,
        help_text=_("As the card reader reads it"),
    )
    visual_number = forms.CharField(
        label=_("Number printed on the card"), required=False, max_length=64
    )


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    period_from = forms.DateField(
        label=_("Period from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("Period to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.CharField(label=_("Account or partner"), required=False, max_length=100)
    number = forms.CharField(label=_("Number"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("all")), *DocumentKind.choices]
        self.fields["status"].choices = [("", _("all")), *Document.Status.choices]

    def filters(self) -> selectors.DocumentFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.DocumentFilters(
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            period_from=data.get("period_from"),
            period_to=data.get("period_to"),
            account=data.get("account") or "",
            number=data.get("number") or "",
        )


class InvoiceCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, printed on the credit note"), max_length=200, initial="Cancellation"
    )


class InvoiceRunForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A month (2026-10), a week (2026-W42) or a day (2026-10-05)"),
    )

    def clean_period(self) -> str:
        try:
            return period_parse(self.cleaned_data["period"]).label
        except ValueError:
            raise forms.ValidationError(
                _("Use a month (2026-10), a week (2026-W42) or a day (2026-10-05).")
            ) from None


class PartnerInvoiceFilterForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    month = forms.RegexField(
        regex=MONTH,
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("all")), *selectors.partner_choices()[1:]]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        partner = data.get("partner") or ""
        return {
            "connection_id": int(partner) if partner.isdigit() else None,
            "month": data.get("month") or "",
        }


class PartnerInvoiceForm(forms.Form):
    """The totals a partner's invoice states, as finance reads them off its document."""

    amount_errors = {
        "invalid": _("Enter the amount as a number, such as 1234.56."),
        "min_value": _("An invoice total cannot be negative."),
        "max_digits": _("Enter at most 14 digits before the decimal point."),
        "max_decimal_places": _("Enter at most 4 decimals."),
        "max_whole_digits": _("Enter at most 14 digits before the decimal point."),
    }

    stated_excl_vat = forms.DecimalField(
        label=_("Their total excl. VAT"),
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        localize=True,
        error_messages=amount_errors,
    )
    stated_incl_vat = forms.DecimalField(
        label=_("Their total incl. VAT"),
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        localize=True,
        error_messages=amount_errors,
        help_text=_("Empty if their invoice states none"),
    )
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, currencies: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.currencies = currencies

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].strip().upper()
        if currency not in self.currencies:
            raise forms.ValidationError(
                _("The CDRs of this invoice are in %(cdrs)s, not %(currency)s.")
                % {"cdrs": ", ".join(self.currencies), "currency": currency}
            )
        return currency

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received_on
