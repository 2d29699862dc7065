"""The partner check: a scripted partner with planted defects is reported line by line, and
the project itself, served over loopback HTTP, passes every check."""

from io import StringIO

import pytest
import requests
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocpi import tokens
from ocpi.check import FAIL, PASS, WARN, partner_check_run
from ocpi.models import PartnerCheck
from ocpi.modules.locations.models import Location
from ocpi.objects import upsert_object
from portal.staff.roles import OPERATIONS, SUPPORT
from tests.support.builders import location
from tests.support.connections import make_connection
from tests.support.partners import Answer, ocpi_answer
from tests.support.portal_factories import staff_member
from tests.support.strategies import JSON_VALUES

PLANTED_TOKEN = "our-token-b-Planted"
LONG_ID = "L" * 40


def planted_locations() -> list[dict]:
    """Three locations of the partner's CPO: one whose last_updated carries an offset, one with
    an id of 40 characters."""
    return [
        location("LOC1", last_updated="2026-01-01T12:00:00+02:00", party_id="PLD"),
        location(LONG_ID, last_updated="2026-01-02T10:00:00Z", party_id="PLD"),
        location("LOC3", last_updated="2026-01-03T10:00:00Z", party_id="PLD"),
    ]


class PlantedPartner:
    """Answers as a partner CPO with defects: two locations a page and X-Total-Count 3, but no
    Link header to the next page."""

    def __init__(self, server):
        self.url = server.url
        self.locations = planted_locations()
        self.checks_token = True

    def __call__(self, call) -> Answer:
        authorization = tokens.authorization_header(PLANTED_TOKEN, plain=False)
        if self.checks_token and call.headers.get("Authorization") != authorization:
            return ocpi_answer(status_code=2002, message="Unknown token", http_status=401)
        if call.path == "/ocpi/versions":
            return ocpi_answer([{"version": "2.2.1", "url": f"{self.url}/ocpi/2.2.1"}])
        if call.path == "/ocpi/2.2.1":
            return ocpi_answer({"version": "2.2.1", "endpoints": self.endpoints()})
        if call.path == "/cpo/locations":
            return self.locations_page(call)
        return ocpi_answer(status_code=2000, http_status=404)

    def locations_page(self, call) -> Answer:
        found = self.locations
        if "date_from" in call.query:
            found = [d for d in found if d["last_updated"] >= call.query["date_from"]]
        headers = {"X-Total-Count": str(len(found)), "X-Limit": "2"}
        return ocpi_answer(found[:2], headers=headers)

    def endpoints(self) -> list[dict]:
        return [{"identifier": "locations", "role": "SENDER", "url": f"{self.url}/cpo/locations"}]


@pytest.fixture
def planted(own_parties, partner_server):
    partner_server.answer = PlantedPartner(partner_server)
    return make_connection(
        "Planted",
        "planted-token-c",
        [("DE", "PLD", "CPO")],
        versions_url=f"{partner_server.url}/ocpi/versions",
        version_url=f"{partner_server.url}/ocpi/2.2.1",
        endpoints=partner_server.answer.endpoints(),
    )


def line(report, check: str):
    [found] = [line for line in report.lines if line.check == check]
    return found


def test_the_check_reports_each_planted_defect_naming_what_was_seen(planted):
    report = partner_check_run(connection=planted)

    headers = line(report, "locations: pagination headers")
    assert headers.result == FAIL
    assert "no Link header" in headers.seen and "X-Total-Count is 3" in headers.seen
    fields = line(report, "locations: required fields and lengths")
    assert fields.result == FAIL
    assert f"DE PLD {LONG_ID}: id:" in fields.seen and "36 characters" in fields.seen
    stamps = line(report, "locations: timestamps in UTC")
    assert stamps.result == WARN
    assert "page 1: data[0].last_updated is 2026-01-01T12:00:00+02:00" in stamps.seen
    assert line(report, "versions").result == PASS
    assert line(report, "version details 2.2.1").result == PASS
    assert line(report, "a wrong token").result == PASS
    assert report.failed


def test_the_command_prints_one_line_per_check_keeps_the_report_and_fails(planted):
    out = StringIO()

    with pytest.raises(CommandError, match="failed"):
        call_command("ocpi_check", "DE-PLD", stdout=out)

    printed = out.getvalue().splitlines()
    assert any(p.startswith("FAIL  locations: pagination headers: no Link header") for p in printed)
    assert any(p.startswith("PASS  a wrong token: refused with HTTP 401") for p in printed)
    kept = PartnerCheck.objects.get(connection=planted)
    assert kept.finished_at is not None
    assert kept.counts[FAIL] >= 2
    assert len(kept.lines) == len(printed) - 1  # the last line prints the counts


def test_a_partner_that_accepts_any_token_fails_the_token_check(planted, partner_server):
    partner_server.answer.checks_token = False

    report = partner_check_run(connection=planted)

    token_line = line(report, "a wrong token")
    assert token_line.result == FAIL
    assert "HTTP 200" in token_line.seen


HEADER_VALUES = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
HOSTILE_PAGES = st.builds(
    Answer,
    http_status=st.sampled_from([200, 200, 200, 400, 404, 500]),
    body=JSON_VALUES
    | st.fixed_dictionaries(
        {"status_code": JSON_VALUES, "timestamp": JSON_VALUES},
        optional={
            "data": st.lists(st.dictionaries(st.sampled_from(list(location())), JSON_VALUES))
        },
    ),
    headers=st.dictionaries(
        st.sampled_from(["X-Total-Count", "X-Limit", "Link"]),
        HEADER_VALUES | HEADER_VALUES.map(lambda url: f'<{url}>; rel="next"'),
    ),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=HOSTILE_PAGES)
def test_whatever_a_partner_answers_the_check_reports_it_in_lines(planted, partner_server, page):
    partner_server.answer.locations_page = lambda call: page

    report = partner_check_run(connection=planted)

    assert [line.check for line in report.lines][:2] == ["versions", "version details 2.2.1"]
    assert report.lines[-1].check == "a wrong token"
    assert all(line.result in (PASS, WARN, FAIL) and line.seen for line in report.lines)


# The project itself as the partner: live_server serves our endpoints; a loopback connection
# whose token works both ways calls them.

LOOPBACK_TOKEN = "loopback-token-for-the-check"


@pytest.fixture(params=["2.2.1", "2.3.0"])
def ourselves(request, transactional_db, own_parties, live_server, settings):
    """This project as a partner, on 2.2.1 and on 2.3.0."""
    settings.OCPI_BASE_URL = live_server.url
    for day in range(1, 6):
        document = location(
            f"LOC{day}", last_updated=f"2026-01-0{day}T10:00:00Z", country_code="NL", party_id="TMC"
        )
        upsert_object(
            Location,
            country_code="NL",
            party_id="TMC",
            object_id=f"LOC{day}",
            document=document,
            source=None,
        )
    connection = make_connection(
        "Ourselves",
        LOOPBACK_TOKEN,
        [("NL", "TMC", "CPO"), ("NL", "TME", "EMSP")],
        versions_url=f"{live_server.url}/ocpi/versions",
        version_url=f"{live_server.url}/ocpi/{request.param}",
        version=request.param,
    )
    connection.outbound_token = LOOPBACK_TOKEN
    details = requests.get(
        connection.version_url,
        headers={"Authorization": tokens.authorization_header(LOOPBACK_TOKEN, plain=False)},
        timeout=10,
    ).json()
    connection.endpoints = details["data"]["endpoints"]
    connection.save()
    return connection


def test_the_project_itself_passes_every_check(ourselves):
    report = partner_check_run(connection=ourselves, page_limit=2)

    assert [
        (each.check, each.result, each.seen) for each in report.lines if each.result != PASS
    ] == []
    walk = line(report, "locations: walk of every page")
    assert walk.seen == "5 objects over 3 page(s), none twice"
    assert line(report, "locations: date_from filter").seen.startswith("3 objects since")
    checked = {each.check.split(":")[0] for each in report.lines}
    assert {"locations", "tariffs", "sessions", "cdrs", "tokens"} <= checked


# The partner page: operations staff run the check; it runs in a task queued on commit.


def test_the_partner_page_runs_the_check_and_shows_its_report(
    client, planted, django_capture_on_commit_callbacks
):
    client.force_login(staff_member(OPERATIONS))
    assert "Not checked yet." in client.get(f"/partners/{planted.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"/partners/{planted.pk}/check/", follow=True).content.decode()

    assert "Partner check queued" in queued
    assert "A check is queued since" in queued
    check = PartnerCheck.objects.get(connection=planted)
    assert check.state == "finished"
    page = client.get(f"/partners/{planted.pk}/").content.decode()
    assert 'class="status check-fail">fail</span> 2' in page
    lines = client.get(f"/partners/{planted.pk}/checks/{check.pk}/").content.decode()
    assert "locations: pagination headers" in lines
    assert "no Link header" in lines
    assert "2026-01-01T12:00:00+02:00, with an offset instead of Z" in lines


def test_support_staff_read_the_report_but_cannot_run_the_check(client, planted):
    check = PartnerCheck.objects.create(connection=planted)
    client.force_login(staff_member(SUPPORT))

    page = client.get(f"/partners/{planted.pk}/").content.decode()
    assert "Run the partner check" not in page
    assert "A check is queued since" in page
    assert client.post(f"/partners/{planted.pk}/check/").status_code == 403
    assert client.get(f"/partners/{planted.pk}/checks/{check.pk}/").status_code == 200
    assert PartnerCheck.objects.count() == 1


def test_only_a_registered_partner_is_checked(client, planted):
    planted.status = planted.Status.SUSPENDED
    planted.save()
    client.force_login(staff_member(OPERATIONS))

    response = client.post(f"/partners/{planted.pk}/check/", follow=True)
    assert "Planted is suspended: only a registered partner can be checked" in (
        response.content.decode()
    )
    assert not PartnerCheck.objects.exists()
    with pytest.raises(CommandError):
        call_command("ocpi_check", "DE-PLD", stdout=StringIO())
    assert PartnerCheck.objects.get().lines[0]["result"] == FAIL
