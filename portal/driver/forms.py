"""Forms of the driver space."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.driver.models import DriverProfile


class ProfileForm(forms.ModelForm):
    """Billing details and language; the e-mail address is the login's."""

    email = forms.EmailField(label=_("E-mail for invoices"), required=False)

    class Meta:
        model = DriverProfile
        fields = ["language", "name", "street", "postcode", "city", "country", "vat_id"]

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
