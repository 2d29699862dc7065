"""Tolerant in what we accept, where nothing depends on it: the quirks real platforms send,
accepted with a warning that the traffic log line keeps (TrafficLog.warnings), so that the staff
see, per partner, what it should fix. What we send stays strict."""

import re

# More warnings than this on one call say nothing more: the rest are counted, not listed.
MAX_WARNINGS = 20
_DOUBLE_SLASH = re.compile(r"/{2,}")
_CISTRING_KEYS = ("country_code", "party_id")


def without_nulls(data, warnings: list[str], path: str = ""):
    """`null` for an optional field is an absent field: members whose value is null are left out."""
    if isinstance(data, dict):
        kept = {}
        for name, value in data.items():
            where = f"{path}.{name}" if path else name
            if value is None:
                warnings.append(f"{where}: null for an absent field")
                continue
            kept[name] = without_nulls(value, warnings, where)
        return kept
    if isinstance(data, list):
        return [without_nulls(item, warnings, f"{path}.{index}") for index, item in enumerate(data)]
    return data


def unwrapped(data, warnings: list[str], what: str):
    """An object wrapped in a one-element list where an object is expected: the object."""
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        warnings.append(f"{what}: an object wrapped in a one-element list")
        return data[0]
    return data


def note_lower_case_ids(document, warnings: list[str]) -> None:
    """CiString ids compare case-insensitively (lookups upper-case them); a lower-cased one is
    accepted and noted."""
    if isinstance(document, dict):
        for name in _CISTRING_KEYS:
            value = document.get(name)
            if isinstance(value, str) and value != value.upper():
                warnings.append(f"{name}: lower-cased CiString {value!r}")


def collapsed_path(path: str, warnings: list[str]) -> str:
    """A path with a doubled slash inside it, as one slash."""
    collapsed = _DOUBLE_SLASH.sub("/", path)
    if collapsed != path:
        warnings.append(f"URL path {path!r}: a doubled slash")
    return collapsed


def capped(warnings: list[str]) -> list[str]:
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    return [*warnings[:MAX_WARNINGS], f"… and {len(warnings) - MAX_WARNINGS} more"]
