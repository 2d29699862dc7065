"""Forms of the staff portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocpi.models import Role


class HandshakeForm(forms.Form):
    """Start the credentials handshake with a partner who gave us their versions URL and token A."""

    versions_url = forms.URLField(
        label=_("Versions URL"),
        max_length=255,
        assume_scheme="https",
        help_text=_(
            "The partner's OCPI versions endpoint, e.g. https://partner.example/ocpi/versions"
        ),
    )
    token_a = forms.CharField(
        label=_("Token A"),
        max_length=64,
        strip=True,
        widget=forms.PasswordInput(render_value=True),
        help_text=_("The one-time token the partner gave us for the handshake"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("Optional; by default the name in the partner's credentials"),
    )
    plain_token = forms.BooleanField(
        label=_("Plain token"),
        required=False,
        help_text=_("The partner sends and expects tokens without base64 (OCPI 2.1.1 style)"),
    )


class TokenAForm(forms.Form):
    """Issue a token A for a partner who will start the handshake with us."""

    name = forms.CharField(label=_("Partner name"), max_length=100)


class PartyMoveForm(forms.Form):
    """Give a party (taken from the connection holding it) to the partner whose page this is."""

    party = forms.RegexField(
        label=_("Party"),
        regex=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$",
        error_messages={"invalid": _("Enter the party as CC-PID, e.g. DE-ABC.")},
        help_text=_("Country code and party id, e.g. DE-ABC"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[(role, role) for role in Role.values])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept on record with your name"),
    )

    def clean_party(self) -> tuple[str, str]:
        country_code, _, party_id = self.cleaned_data["party"].strip().upper().partition("-")
        return country_code, party_id
