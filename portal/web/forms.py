"""Forms of the staff portal."""

from django import forms


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
