"""Forms of the driver space."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.invoices.models import BillingAccount


class ProfileForm(forms.ModelForm):
    """The driver's billing account as they may change it: where invoices go, in which language
    (the portal's language too, from each login on)."""

    class Meta:
        model = BillingAccount
        fields = ["language", "name", "street", "postcode", "city", "country", "vat_id", "email"]
        labels = {
            "language": _("Language"),
            "name": _("Name on invoices"),
            "street": _("Street and number"),
            "postcode": _("Postcode"),
            "city": _("City"),
            "country": _("Country"),
            "vat_id": _("VAT id"),
            "email": _("E-mail for invoices"),
        }
        help_texts = {
            "country": _("Two letters, e.g. NL, DE, FR"),
            "vat_id": _("Only for business drivers"),
        }

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 2 or not country.isalpha()):
            raise forms.ValidationError(_("Two letters, e.g. NL, DE, FR."))
        return country


# The years the driver space speaks of; a month in the address is 'YYYY-MM' of one of them.
FIRST_YEAR, LAST_YEAR = 2000, 2999
MONTH = re.compile(r"2\d{3}-(0[1-9]|1[0-2])")


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
