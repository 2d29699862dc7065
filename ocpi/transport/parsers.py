"""The JSON parser for OCPI requests, and the characters no stored document may hold."""

import json
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ocpi.transport.exceptions import InvalidParameters
from ocpi.transport.tolerance import note_lower_case_ids, without_nulls

# PostgreSQL can store neither a NUL character nor half of a UTF-16 surrogate pair (a lone
# surrogate is no character at all, and cannot be encoded as UTF-8 to store or to echo).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# In JSON text they can only arrive escaped; a body without such an escape needs no walk.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def _unstorable_in(text: str) -> str | None:
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "NUL characters"
    return "lone surrogate escapes (\\ud800-\\udfff)"


def unstorable_path(value, path: str = "") -> tuple[str, str] | None:
    """(member path, what) of the first string in parsed JSON that cannot be stored, or None."""
    if isinstance(value, str):
        what = _unstorable_in(value)
        return (path, what) if what else None
    if isinstance(value, dict):
        for name, member in value.items():
            member_path = f"{path}.{name}" if path else str(name)
            what = _unstorable_in(name)
            if what:
                return member_path, what
            found = unstorable_path(member, member_path)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def may_hold_unstorable(raw: bytes) -> bool:
    """Whether JSON text may hold an unstorable character: one regex scan of the bytes."""
    return _UNSTORABLE_ESCAPE.search(raw) is not None


def require_storable_json(raw: bytes, data) -> None:
    """Refuse, naming the member, what PostgreSQL cannot store and no OCPI field needs."""
    if may_hold_unstorable(raw):
        found = unstorable_path(data)
        if found is not None:
            path, what = found
            raise InvalidParameters(f"{path or 'body'}: {what} are not allowed")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class OcpiJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant) if raw else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        require_storable_json(raw, data)
        request = (parser_context or {}).get("request")
        return accepted_body(request, raw, data) if request is not None else data


def accepted_body(request, raw: bytes, data):
    """The body as our services read it: known quirks tolerated (each noted on the request, for
    its traffic log line) and, on another OCPI version than ours, translated to 2.2.1."""
    from ocpi.translations import Context, patch_applied, request_up

    warnings = request_warnings(request)
    if b"null" in raw:
        data = without_nulls(data, warnings)
    note_lower_case_ids(data, warnings)
    version, path = version_and_path(request.path)
    context = Context(connection=request.auth, params=request.query_params, warnings=warnings)
    if getattr(getattr(request, "_request", request), "ocpi_patch_by_put", False):
        data = patch_applied(version=version, path=path, patch=data, context=context)
    return request_up(
        version=version, path=path, method=request.method, document=data, context=context
    )


def request_warnings(request) -> list[str]:
    """The warnings of this request, kept on the Django request for the middleware to log."""
    django_request = getattr(request, "_request", request)
    if not hasattr(django_request, "ocpi_warnings"):
        django_request.ocpi_warnings = []
    return django_request.ocpi_warnings


def version_and_path(path: str) -> tuple[str, str]:
    """/ocpi/2.1.1/cpo/locations -> ("2.1.1", "cpo/locations")."""
    _, _, rest = path.partition("/ocpi/")
    version, _, inner = rest.partition("/")
    return version, inner
