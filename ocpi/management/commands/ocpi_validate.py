"""Check OCPI documents against the rules our receiver endpoints apply, without storing them.

Each file holds one JSON object (or a JSON array of them) of the kind named on the command line,
in OCPI 2.2.1 or, with --ocpi-version, another version we speak (translated to 2.2.1 first, as a
partner's request on that version is). The verdict comes from the same validation calls the
receivers make; what the receivers check against the URL or the stored object (ids, party, the
object a PATCH applies to) is not checked.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ocpi import registry
from ocpi.endpoints import VERSION, VERSIONS
from ocpi.modules.cdrs.services import validate_cdr
from ocpi.modules.locations.serializers import (
    ConnectorSerializer,
    EvseSerializer,
    LocationSerializer,
)
from ocpi.modules.sessions.serializers import SessionSerializer
from ocpi.modules.tariffs.serializers import TariffSerializer
from ocpi.modules.tokens.serializers import TokenSerializer
from ocpi.translations import Context
from ocpi.transport.exceptions import InvalidParameters
from ocpi.validation import checked_patch, read_in, validate_document, validate_patch

# A check returns the warnings of an accepted document, or raises InvalidParameters.
Check = Callable[[object], list[str]]


def whole(serializer_class) -> Check:
    """A PUT (or POST) body: the complete object."""

    def check(document) -> list[str]:
        validate_document(serializer_class, document)
        return []

    return check


def members_first(serializer_class) -> Check:
    """A Locations PATCH: its members are validated as sent, then the PATCH rules apply."""

    def check(patch) -> list[str]:
        validate_patch(serializer_class, patch)
        checked_patch(patch)
        return []

    return check


def merged_later(serializer_class) -> Check:
    """A Sessions or Tokens PATCH: null members are dropped; the receiver then validates the
    stored object with the PATCH merged in, so each member present must be valid on its own."""

    def check(patch) -> list[str]:
        validate_patch(serializer_class, checked_patch(patch))
        return []

    return check


def cdr(document) -> list[str]:
    """A CDR a partner POSTs: the rules nothing here relies on only give warnings."""
    _data, warnings = validate_cdr(document, tolerant=True)
    return warnings


@dataclass(frozen=True)
class ObjectKind:
    document: Check
    patch: Check | None  # None: the module has no PATCH for this object
    module: str  # the module whose translation reads it in another version
    translated_as: str  # the kind of message its translation converts


KINDS = {
    "location": ObjectKind(
        whole(LocationSerializer), members_first(LocationSerializer), "locations", "Location"
    ),
    "evse": ObjectKind(whole(EvseSerializer), members_first(EvseSerializer), "locations", "Evse"),
    "connector": ObjectKind(
        whole(ConnectorSerializer), members_first(ConnectorSerializer), "locations", "Connector"
    ),
    "tariff": ObjectKind(whole(TariffSerializer), None, "tariffs", "Tariff"),
    "session": ObjectKind(
        whole(SessionSerializer), merged_later(SessionSerializer), "sessions", "Session"
    ),
    "cdr": ObjectKind(cdr, None, "cdrs", "Cdr"),
    "token": ObjectKind(whole(TokenSerializer), merged_later(TokenSerializer), "tokens", "Token"),
}


def in_our_version(kind: ObjectKind, version: str, document, *, partial: bool):
    """The document as our receiver sees it after the edge translated it from `version`."""
    translation = registry.module(kind.module).translation(version)
    up = translation.up.get(kind.translated_as) if translation else None
    if up is None or not isinstance(document, dict):
        return document
    return up(document, Context(), partial)


# Where the receivers' message names the next broken rule: "...; field.path: message".
NEXT_PROBLEM = re.compile(r"; (?=[\w.]+: )")


def problems_of(error: InvalidParameters) -> list[str]:
    """One line per broken rule, each starting with its field path."""
    return NEXT_PROBLEM.split(str(error.detail))


class Command(BaseCommand):
    help = (
        "Check OCPI documents (files holding a JSON object or an array of them) against "
        "the rules our receiver endpoints apply. Prints each file's verdict and every problem "
        "with its field path; the exit status is 1 when any document is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            metavar="OBJECT",
            choices=list(KINDS),
            help=f"What each file holds: {', '.join(KINDS)}",
        )
        parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
        parser.add_argument(
            "--patch",
            action="store_true",
            help="The files hold PATCH bodies (locations, EVSEs, connectors, sessions, tokens)",
        )
        parser.add_argument(
            "--ocpi-version",
            choices=VERSIONS,
            default=VERSION,
            help=f"The OCPI version the files are written in (default {VERSION})",
        )

    def handle(self, *args, kind, files, patch, ocpi_version, **options):
        check = KINDS[kind].patch if patch else KINDS[kind].document
        if check is None:
            raise CommandError(f"OCPI 2.2.1 has no PATCH of a {kind}")

        def translated_check(document) -> list[str]:
            with read_in(ocpi_version):
                return check(in_our_version(KINDS[kind], ocpi_version, document, partial=patch))

        refused = 0
        for path in files:
            try:
                documents = read_documents(path)
            except ValueError as error:
                self.stdout.write(f"{path}: refused\n  {error}")
                refused += 1
                continue
            for name, document in documents:
                refused += not self.report(name, translated_check, document)
        if refused:
            raise CommandError(f"{refused} document(s) refused")

    def report(self, name: str, check: Check, document) -> bool:
        """Print the verdict on one document; True when it is accepted."""
        try:
            warnings = check(document)
        except InvalidParameters as error:
            self.stdout.write(f"{name}: refused")
            for problem in problems_of(error):
                self.stdout.write(f"  {problem}")
            return False
        self.stdout.write(f"{name}: accepted" + (" with warnings" if warnings else ""))
        for warning in warnings:
            self.stdout.write(f"  warning: {warning}")
        return True


def read_documents(path: Path) -> list[tuple[str, object]]:
    """(name to report, document) for the file's object, or for each item of its array."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot be read as JSON: {error}") from error
    if isinstance(content, list):
        return [(f"{path}[{index}]", item) for index, item in enumerate(content)]
    return [(str(path), content)]
