"""Partner call failures in words a back-office user reads, never an exception's text."""

import re

from django.utils.translation import gettext as _

from ocpi.client import OcpiClientError

_ANSWERED = re.compile(r"HTTP (?P<http>\d{3})(, OCPI status \w+: (?P<message>.*))?", re.S)
_NOT_JSON = re.compile(r"answered HTTP (?P<http>\d{3}) with a body that is not JSON")
_GAVE_UP_HTTP = re.compile(r"failed after \d+ attempt\(s\): HTTP (?P<http>\d{3})\s*$")
_GAVE_UP = re.compile(r"failed after \d+ attempt\(s\)")
_NOT_REGISTERED = re.compile(r"is (?P<status>pending|suspended|closed), not registered")
_NO_ENDPOINT = re.compile(r"has no (?P<module>\w+) SENDER endpoint")
# What the HTTP library raises (as the traffic log records it) when no answer came.
_TIMED_OUT = re.compile(r"^(ReadTimeout|Timeout)\b")
_UNREACHABLE = re.compile(r"^(ConnectionError|ConnectTimeout|SSLError|ProxyError)\b")


def partner_error_in_words(text: str) -> str:
    """A stored failure as "the partner did not answer", "the partner answered HTTP 401:
    invalid token", ...; never the exception's own text."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    return _recognised(text) or _("the call to the partner failed")


def _recognised(text: str) -> str | None:
    if _GAVE_UP.search(text):
        if match := _GAVE_UP_HTTP.search(text):
            return _("the partner answered HTTP %(http)s every time we tried") % {
                "http": match["http"]
            }
        return _("the partner did not answer")
    if _TIMED_OUT.search(text):
        return _("the partner did not answer in time")
    if _UNREACHABLE.search(text):
        return _("the partner did not answer")
    if match := _NOT_JSON.search(text):
        return _("the partner answered HTTP %(http)s with something that is not OCPI JSON") % {
            "http": match["http"]
        }
    if match := _ANSWERED.search(text):
        message = match["message"]
        if not message or message == "no message":
            return _("the partner answered HTTP %(http)s") % {"http": match["http"]}
        return _("the partner answered HTTP %(http)s: %(message)s") % {
            "http": match["http"],
            "message": message[:200],
        }
    if match := _NOT_REGISTERED.search(text):
        return _("the connection is %(status)s, so nothing was sent") % {"status": match["status"]}
    if match := _NO_ENDPOINT.search(text):
        return _("the partner offers no %(module)s endpoint to pull from") % {
            "module": match["module"]
        }
    if "NUL character" in text:
        return _("the partner sent a NUL character, which cannot be stored")
    return None


def handshake_error_in_words(exc) -> str:
    """A HandshakeError: its step and what the partner did, in words."""
    cause = exc.__cause__
    text = str(cause) if isinstance(cause, OcpiClientError) else exc.message
    # A failed call in words; otherwise the message is one of our own checks, already in words.
    detail = _recognised(" ".join(text.split())) or exc.message
    return _("Failed at step “%(step)s”: %(detail)s") % {"step": exc.step, "detail": detail}
