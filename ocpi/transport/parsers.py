"""The JSON parser for OCPI requests."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from ocpi.transport.exceptions import InvalidParameters

NUL_ESCAPE = b"\\u0000"


def nul_path(value, path: str = "") -> str | None:
    """Where a NUL character sits in parsed JSON (a member path), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for name, member in value.items():
            member_path = f"{path}.{name}" if path else str(name)
            if "\x00" in name:
                return member_path
            found = nul_path(member, member_path)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def require_no_nul(raw: bytes, data) -> None:
    """PostgreSQL cannot store NUL characters, and no OCPI field has one: refuse them.

    Only JSON text with the escape is walked, so the common case costs one substring scan.
    """
    if NUL_ESCAPE in raw:
        path = nul_path(data)
        if path is not None:
            raise InvalidParameters(f"{path or 'body'}: NUL characters are not allowed")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


class OcpiJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant) if raw else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        require_no_nul(raw, data)
        return data
