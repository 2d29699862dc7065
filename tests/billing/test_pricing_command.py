"""The price_cdr management command: files in, one JSON object out, clear errors."""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from billing.pricing import price_cdr
from tests.support.engine import D, cdr, element, energy, period, tariff

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))
TWENTY_KWH = cdr(period("2024-05-02T10:00:00Z", energy=20), end="2024-05-02T11:00:00Z")
QUARTER = tariff(element(energy("0.25", vat=10)), id="Q")


def write(directory: Path, name: str, content) -> str:
    path = directory / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, default=str))
    return str(path)


def run(*arguments: str) -> dict:
    out = StringIO()
    call_command("price_cdr", *arguments, stdout=out)
    return json.loads(out.getvalue(), parse_float=Decimal)


def load_case(path: Path) -> dict:
    return json.loads(path.read_text(), parse_float=Decimal)


@pytest.mark.parametrize("case_path", CASES, ids=[path.stem for path in CASES])
def test_worked_cases_through_the_command(case_path, tmp_path):
    case = load_case(case_path)
    arguments = [write(tmp_path, "cdr.json", case["cdr"])]
    for position, raw_tariff in enumerate(case["tariffs"]):
        arguments += ["--tariff", write(tmp_path, f"tariff{position}.json", raw_tariff)]
    if case["tz"]:
        arguments += ["--tz", case["tz"]]
    printed = run(*arguments)
    expected = case["expected"]
    assert [warning["code"] for warning in printed["warnings"]] == expected["warnings"]
    assert printed["time_zone"] == expected["time_zone"]
    for name, value in expected.items():
        if isinstance(value, dict):
            assert printed[name] == {key: D(amount) for key, amount in value.items()}, name
        elif name not in ("warnings", "time_zone"):
            assert printed[name] == D(value), name


@pytest.mark.parametrize("case_path", CASES, ids=[path.stem for path in CASES])
def test_worked_cases_give_the_same_numbers_from_the_engine(case_path):
    case = load_case(case_path)
    priced = price_cdr(case["cdr"], case["tariffs"], case["tz"])
    assert priced.to_dict()["total_cost"] == {
        key: D(amount) for key, amount in case["expected"]["total_cost"].items()
    }


def test_prints_one_json_object_with_every_total(tmp_path):
    printed = run(
        write(tmp_path, "cdr.json", TWENTY_KWH), "--tariff", write(tmp_path, "t.json", QUARTER)
    )
    assert printed["total_cost"] == {"excl_vat": D("5"), "incl_vat": D("5.5")}
    for total in ("total_fixed_cost", "total_time_cost", "total_parking_cost"):
        assert printed[total] == {"excl_vat": 0, "incl_vat": 0}
    assert (printed["total_energy"], printed["total_time"]) == (20, 1)
    assert printed["breakdown"][0]["tariff_id"] == "Q"
    assert printed["warnings"] == []


def test_without_tariff_files_the_cdr_tariffs_price_it(tmp_path):
    with_own = {**TWENTY_KWH, "tariffs": [tariff(element(energy("0.10")), id="OWN")]}
    printed = run(write(tmp_path, "cdr.json", with_own))
    assert printed["total_cost"]["excl_vat"] == 2


def test_tariff_files_may_hold_an_envelope_or_a_list(tmp_path):
    enveloped = {"data": QUARTER, "status_code": 1000, "timestamp": "2024-05-02T12:00:00Z"}
    listed = [tariff(element(energy("0.99")), id="OTHER")]
    printed = run(
        write(tmp_path, "cdr.json", {"data": TWENTY_KWH}),
        "--tariff",
        write(tmp_path, "list.json", listed),
        "--tariff",
        write(tmp_path, "envelope.json", enveloped),
    )
    # The CDR start picks the first valid tariff: the listed one.
    assert printed["total_cost"]["excl_vat"] == D("19.8")


def test_tz_decides_local_time(tmp_path):
    evening = tariff(element(energy("1.00"), start_time="18:00"), element(energy("0.10")))
    at_1730_utc = cdr(period("2024-01-10T17:30:00Z", energy=1), end="2024-01-10T18:00:00Z")
    arguments = [
        write(tmp_path, "cdr.json", at_1730_utc),
        "--tariff",
        write(tmp_path, "t", evening),
    ]
    assert run(*arguments, "--tz", "UTC")["total_cost"]["excl_vat"] == D("0.1")
    assert run(*arguments, "--tz", "Europe/Amsterdam")["total_cost"]["excl_vat"] == D("1")


def test_an_unknown_dimension_is_only_a_warning(tmp_path):
    odd = json.loads(json.dumps(TWENTY_KWH, default=str))
    odd["charging_periods"][0]["dimensions"].append({"type": "WIND_SPEED", "volume": 3})
    printed = run(write(tmp_path, "cdr.json", odd), "--tariff", write(tmp_path, "t", QUARTER))
    assert [warning["code"] for warning in printed["warnings"]] == ["UNKNOWN_DIMENSION"]
    assert printed["total_cost"]["excl_vat"] == 5


def broken_cdr(change) -> dict:
    broken = json.loads(json.dumps(TWENTY_KWH, default=str))
    change(broken)
    return broken


@pytest.mark.parametrize(
    ("cdr_content", "extra", "message"),
    [
        (None, [], "cannot read CDR file"),
        ("{not json", [], "is not valid JSON"),
        (
            broken_cdr(lambda c: c.update(charging_periods="all of them")),
            [],
            "charging_periods: expected a list",
        ),
        (
            broken_cdr(lambda c: c["charging_periods"][0].update(start_date_time="noonish")),
            [],
            r"charging_periods\[0\]\.start_date_time: must be an RFC 3339 date-time",
        ),
        (TWENTY_KWH, ["--tz", "Mars/Olympus_Mons"], "unknown time zone 'Mars/Olympus_Mons'"),
        ([TWENTY_KWH, TWENTY_KWH], [], "expected one OCPI CDR object"),
    ],
    ids=[
        "unreadable",
        "bad-json",
        "periods-not-a-list",
        "bad-datetime",
        "unknown-zone",
        "not-one-cdr",
    ],
)
def test_invalid_input_raises_a_command_error_naming_the_problem(
    tmp_path, cdr_content, extra, message
):
    path = str(tmp_path / "missing.json")
    if cdr_content is not None:
        path = write(tmp_path, "cdr.json", cdr_content)
    with pytest.raises(CommandError, match=message):
        call_command("price_cdr", path, *extra, stdout=StringIO())


def test_an_invalid_tariff_file_names_the_file_and_field(tmp_path):
    bad = tariff(element(energy("0.25")), min_price={"incl_vat": 1})
    tariff_path = write(tmp_path, "bad-tariff.json", bad)
    with pytest.raises(CommandError, match=r"bad-tariff\.json: tariff 'T1' min_price"):
        call_command("price_cdr", write(tmp_path, "cdr.json", TWENTY_KWH), "--tariff", tariff_path)
