"""manage.py ocpi_validate: a partner's documents checked against our receivers' rules, offline."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.builders import DOCUMENTS, cdr, example, location
from tests.support.strategies import JSON_VALUES

PROJECT_DIR = Path(__file__).resolve().parents[2]


def validate(*arguments) -> tuple[str, CommandError | None]:
    """What the command prints, and its error (the exit status 1) if it refuses anything."""
    out = StringIO()
    try:
        call_command("ocpi_validate", *map(str, arguments), stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def write(directory: Path, name: str, content) -> Path:
    path = directory / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        (
            "location",
            ["location_full", "location_limited_visibility", "location_destination_charger"],
        ),
        ("tariff", ["tariff_complex", "tariff_step_size", "tariff_reservation"]),
        ("session", ["session_start"]),
        ("token", ["token_app_user", "token_rfid"]),
        ("cdr", ["cdr_full"]),
    ],
)
def test_our_example_documents_are_accepted(kind, names):
    paths = [DOCUMENTS / f"{name}.json" for name in names]

    output, error = validate(kind, *paths)

    assert error is None, output
    assert output.splitlines() == [f"{path}: accepted" for path in paths]


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("evse", "evse_patch_status"),
        ("connector", "connector_patch_tariff"),
        ("location", "location_patch_name"),
        ("session", "session_patch_total_cost"),
        ("session", "session_patch_charging_period"),
    ],
)
def test_patches_are_checked_with_patch(kind, name):
    path = DOCUMENTS / f"{name}.json"

    assert validate(kind, "--patch", path) == (f"{path}: accepted\n", None)
    # As a whole object, a PATCH lacks the required fields.
    output, error = validate(kind, path)
    assert error is not None
    assert "This field is required." in output


def test_each_problem_is_printed_with_its_field_path():
    path = DOCUMENTS / "evse_without_connector_fields.json"

    output, error = validate("evse", path)

    assert str(error) == "1 document(s) refused"
    assert output.splitlines() == [
        f"{path}: refused",
        "  connectors.0.power_type: This field is required.",
        "  connectors.0.max_voltage: This field is required.",
        "  connectors.0.max_amperage: This field is required.",
        "  connectors.0.last_updated: This field is required.",
    ]


def test_a_cdr_breaking_only_tolerated_rules_is_accepted_with_warnings(tmp_path):
    document = cdr()
    del document["cdr_location"]["evse_uid"]
    path = write(tmp_path, "cdr.json", document)

    output, error = validate("cdr", path)

    assert error is None
    assert output.splitlines() == [
        f"{path}: accepted with warnings",
        "  warning: cdr_location.evse_uid: This field is required.",
    ]


def test_a_patch_without_last_updated_is_refused(tmp_path):
    path = write(tmp_path, "patch.json", {"status": "CHARGING"})

    output, error = validate("evse", "--patch", path)

    assert error is not None
    assert output.splitlines()[1].startswith("  last_updated: ")


def test_there_is_no_patch_of_a_tariff_or_a_cdr(tmp_path):
    path = write(tmp_path, "tariff.json", {"last_updated": "2026-01-01T00:00:00Z"})
    for kind in ("tariff", "cdr"):
        with pytest.raises(CommandError, match=f"no PATCH of a {kind}"):
            call_command("ocpi_validate", kind, "--patch", str(path), stdout=StringIO())


def test_every_document_of_an_array_and_every_file_gets_a_verdict(tmp_path):
    listing = write(tmp_path, "page.json", [location("A"), location("B", address=None)])
    broken = write(tmp_path, "broken.json", '{"id": ')
    missing = tmp_path / "missing.json"
    single = write(tmp_path, "single.json", location("C"))

    output, error = validate("location", listing, broken, missing, single)

    assert str(error) == "3 document(s) refused"
    lines = output.splitlines()
    assert lines[:2] == [f"{listing}[0]: accepted", f"{listing}[1]: refused"]
    assert lines[2].startswith("  address: ")
    assert lines[3] == f"{broken}: refused"
    assert lines[4].startswith("  cannot be read as JSON: ")
    assert lines[5] == f"{missing}: refused"
    assert lines[-1] == f"{single}: accepted"


def test_the_exit_status_says_whether_everything_was_accepted(tmp_path):
    good = DOCUMENTS / "token_rfid.json"
    bad = write(tmp_path, "bad.json", {**example("token_rfid"), "whitelist": "SOMETIMES"})

    def exit_status(*paths) -> int:
        command = [sys.executable, "manage.py", "ocpi_validate", "token", *map(str, paths)]
        return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, check=False).returncode

    assert exit_status(good) == 0
    assert exit_status(good, bad) == 1


LOCATION_PATHS = [
    ("id",),
    ("coordinates",),
    ("coordinates", "latitude"),
    ("evses",),
    ("evses", 0, "status"),
    ("evses", 0, "connectors"),
    ("evses", 0, "connectors", 0, "max_voltage"),
    ("opening_times",),
    ("opening_times", "regular_hours", 0, "period_begin"),
    ("energy_mix", "energy_sources"),
    ("publish_allowed_to",),
    ("last_updated",),
]


@settings(max_examples=60, deadline=None)
@given(path=st.sampled_from(LOCATION_PATHS), value=JSON_VALUES)
def test_any_mangled_location_gets_a_verdict_not_a_crash(tmp_path_factory, path, value):
    document = example("location_full")
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    file = write(tmp_path_factory.mktemp("mangled"), "location.json", document)

    output, error = validate("location", file)

    verdict = output.splitlines()[0]
    assert verdict in (f"{file}: accepted", f"{file}: refused")
    assert (error is None) == (verdict == f"{file}: accepted")
