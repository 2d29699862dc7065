"""What a driver keeps about themselves: the name and address their invoices go to, and the
language the portal speaks to them in (applied at every login)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DriverProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="driver_profile"
    )
    language = models.CharField(
        _("Language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    # The billing address, named as billing documents name their addressee's fields.
    name = models.CharField(_("Name on invoices"), max_length=200, blank=True)
    street = models.CharField(_("Street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=20, blank=True)
    city = models.CharField(_("City"), max_length=100, blank=True)
    country = models.CharField(
        _("Country"), max_length=2, blank=True, help_text=_("Two letters, e.g. NL, DE, FR")
    )
    vat_id = models.CharField(
        _("VAT id"), max_length=20, blank=True, help_text=_("Only for business drivers")
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} ({self.language})"

    def save(self, *args, **kwargs):
        self.country = self.country.upper()
        super().save(*args, **kwargs)
