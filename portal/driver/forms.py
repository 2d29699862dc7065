"""Forms of the driver space."""

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


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999, required=False)
