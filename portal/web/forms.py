"""Forms of the staff portal."""

from django import forms

from ocpi.models import Role


class HandshakeForm(forms.Form):
    """Start the credentials handshake with a partner who gave us their versions URL and token A."""

    versions_url = forms.URLField(
        label="Versions URL",
        max_length=255,
        assume_scheme="https",
        help_text="The partner's OCPI versions endpoint, e.g. https://partner.example/ocpi/versions",
    )
    token_a = forms.CharField(
        label="Token A",
        max_length=64,
        strip=True,
        widget=forms.PasswordInput(render_value=True),
        help_text="The one-time token the partner gave us for the handshake",
    )
    name = forms.CharField(
        label="Name",
        max_length=100,
        required=False,
        help_text="Optional; by default the name in the partner's credentials",
    )
    plain_token = forms.BooleanField(
        label="Plain token",
        required=False,
        help_text="The partner sends and expects tokens without base64 (OCPI 2.1.1 style)",
    )


class TokenAForm(forms.Form):
    """Issue a token A for a partner who will start the handshake with us."""

    name = forms.CharField(label="Partner name", max_length=100)


class PartyMoveForm(forms.Form):
    """Give a party (taken from the connection holding it) to the partner whose page this is."""

    party = forms.RegexField(
        label="Party",
        regex=r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$",
        error_messages={"invalid": "Enter the party as CC-PID, e.g. DE-ABC."},
        help_text="Country code and party id, e.g. DE-ABC",
    )
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept on record with your name",
    )

    def clean_party(self) -> tuple[str, str]:
        country_code, _, party_id = self.cleaned_data["party"].strip().upper().partition("-")
        return country_code, party_id
