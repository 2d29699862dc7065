"""The portal speaks English, German, Dutch and French; the reader picks one."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation.template import templatize

from portal.staff.roles import SUPPORT
from tests.support.portal_factories import make_cdr, staff_member

PROJECT = Path(__file__).resolve().parents[2]
LOCALE = PROJECT / "locale"
# Where the code and templates people read are: the OCPI API speaks English only.
TRANSLATED = ("portal", "billing", "chargepoints", "templates")
# Django's translation functions, as Babel reads them: (msgid, plural) positions and contexts.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def test_the_language_switch_changes_words_money_and_dates(client, db):
    client.force_login(staff_member(SUPPORT))
    make_cdr(start=datetime(2026, 7, 1, 6, 30, tzinfo=UTC), cost="1234.50")
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/staff/cdrs/"})
    assert response.status_code == 302
    page = client.get("/staff/cdrs/").content.decode()
    assert '<html lang="de">' in page
    assert "Ladevorgang" in page or "Standort" in page
    assert "1.234,50\xa0€" in page
    assert "01.07.26, 08:30 (UTC+02:00)" in page


def test_the_ocpi_api_answers_in_english_whatever_the_partner_asks_for(partner_client):
    translation.activate("de")  # as a portal page in German leaves its thread
    response = partner_client.put(
        "/ocpi/2.2.1/emsp/tariffs/DE/ABC/T1",
        data={"country_code": "DE", "party_id": "ABC", "id": "T1"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    message = response.json()["status_message"]
    assert "required" in message, message


@pytest.mark.parametrize("language", ["de", "nl", "fr"])
def test_every_message_is_translated_and_the_committed_catalogue_is_compiled(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as source:
        catalog = read_po(source)
    with open(folder / "django.mo", "rb") as compiled:
        binary = read_mo(compiled)
    messages = {_plain(m.id): _plain(m.string) for m in catalog if m.id}
    assert [key for key, text in messages.items() if not all(text)] == []
    assert messages == {_plain(m.id): _plain(m.string) for m in binary if m.id}


def used_messages() -> dict[tuple[str | None, str], str]:
    """(context, msgid) of every message the Python code and the templates translate, with where
    it is first used."""
    found = {}
    for folder in TRANSLATED:
        for path in sorted((PROJECT / folder).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt") or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            code = text if path.suffix == ".py" else templatize(text, origin=str(path))
            for line, message, _comments, context in extract(
                "python", io.BytesIO(code.encode()), keywords=KEYWORDS
            ):
                msgid = message[0] if isinstance(message, tuple) else message
                found.setdefault((context, msgid), f"{path.relative_to(PROJECT)}:{line}")
    return found


@pytest.mark.parametrize("language", ["de", "nl", "fr"])
def test_every_message_the_portal_uses_is_in_the_catalogue(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as source:
        catalog = read_po(source)
    known = {(m.context, _plain(m.id)[0]) for m in catalog if m.id}

    missing = [f"{where}: {msgid!r}" for (context, msgid), where in used_messages().items()
               if (context, msgid) not in known]  # fmt: skip

    assert missing == []


def _plain(value) -> tuple:
    """A message id or text as a tuple: plural forms come as lists or tuples."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)
