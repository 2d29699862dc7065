"""The partner check: a read-only conformance check of a partner's OCPI endpoints.

It only GETs, in the connection's negotiated version: the versions and version details, each
sender endpoint the partner offers for the modules we pull (first page with a limit, a bounded
walk of every page by Link, the pagination headers, duplicates across pages, the date_from
filter, every object against the rules our receivers apply, the timestamps), and one call with
a wrong token. Each check gives one line: pass, warn or fail, and what was seen.

Answers are read twice: as the partner sent them (envelope, headers, timestamps, ids) and as
the client hands them on (translated to 2.2.1), which is what our receiver rules validate.
"""

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import requests
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import APIException

from ocpi import registry
from ocpi.client import OcpiClient, OcpiClientError, next_link
from ocpi.endpoints import SENDER
from ocpi.models import Connection, OwnParty, PartnerCheck
from ocpi.registry import OcpiModule
from ocpi.sync.selectors import pulled_modules
from ocpi.timestamps import TimestampError, format_timestamp, parse_timestamp
from ocpi.validation import read_in

logger = logging.getLogger(__name__)

PASS, WARN, FAIL = "pass", "warn", "fail"
RESULTS = (PASS, WARN, FAIL)
# Objects asked for per page, and the most pages walked: a check, not a full pull.
PAGE_LIMIT = 20
MAX_PAGES = 50
# Findings named in one line; the rest are counted.
SHOWN_FINDINGS = 5
# A date-time string as OCPI writes one, with its zone designator (Z, an offset, or none).
DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(?P<zone>Z|z|[+-]\d{2}:?\d{2})?$"
)


class PartnerCheckNotPossible(Exception):
    """The connection cannot be checked (not registered: no token or version to check with)."""


@dataclass(frozen=True)
class CheckLine:
    check: str  # what was checked, e.g. "locations: walk of every page"
    result: str  # PASS, WARN or FAIL
    seen: str  # what was seen, in words


@dataclass
class CheckReport:
    lines: list[CheckLine] = field(default_factory=list)

    def add(self, check: str, *, fails=(), warns=(), passed: str) -> None:
        """One line: fail when anything failed, else warn when anything warned, else pass."""
        fails, warns = list(fails), list(warns)
        result = FAIL if fails else WARN if warns else PASS
        seen = _listed(fails + warns) if fails or warns else passed
        self.lines.append(CheckLine(check, result, seen))

    @property
    def counts(self) -> dict[str, int]:
        return {result: sum(line.result == result for line in self.lines) for result in RESULTS}

    @property
    def failed(self) -> bool:
        return any(line.result == FAIL for line in self.lines)


@dataclass
class _Answer:
    """One GET: what the partner sent (raw body and headers) and the client's 2.2.1 data."""

    http_status: int
    raw: object
    headers: dict
    data: object


class _RecordingSession(requests.Session):
    """Keeps the last response as received, before the client tolerates or translates it."""

    last: requests.Response | None = None

    def request(self, *args, **kwargs):
        self.last = super().request(*args, **kwargs)
        return self.last


def _validators() -> dict[str, Callable[[dict], list[str]]]:
    """Per module, the validation its receiver applies to a complete object: the warnings of an
    accepted object, or an APIException naming each broken rule."""
    from ocpi.modules.cdrs.services import validate_cdr
    from ocpi.modules.locations.serializers import LocationSerializer
    from ocpi.modules.sessions.serializers import SessionSerializer
    from ocpi.modules.tariffs.serializers import TariffSerializer
    from ocpi.modules.tokens.serializers import TokenSerializer
    from ocpi.validation import validate_document

    def whole(serializer_class):
        def validate(document: dict) -> list[str]:
            validate_document(serializer_class, document)
            return []

        return validate

    return {
        "locations": whole(LocationSerializer),
        "tariffs": whole(TariffSerializer),
        "sessions": whole(SessionSerializer),
        "tokens": whole(TokenSerializer),
        "cdrs": lambda document: validate_cdr(document, tolerant=True)[1],
    }


def partner_check_run(*, connection: Connection, page_limit: int = PAGE_LIMIT) -> CheckReport:
    """Check the partner's endpoints, reading only; raises PartnerCheckNotPossible."""
    _require_checkable(connection)
    report = CheckReport()
    _check_versions(report, connection)
    _check_version_details(report, connection)
    validators = _validators()
    with read_in(connection.version):  # objects are judged by the rules of their version
        for identifier in pulled_modules(connection=connection):
            declared = registry.module(identifier)
            url = connection.endpoint_url(identifier, SENDER)
            _check_module(report, connection, declared, url, validators[identifier], page_limit)
    _check_wrong_token(report, connection)
    return report


def _require_checkable(connection: Connection) -> None:
    if connection.status != Connection.Status.REGISTERED or not connection.version_url:
        raise PartnerCheckNotPossible(
            f"{connection} is {connection.get_status_display().lower()}: only a registered "
            "partner can be checked"
        )


def partner_check_record(*, connection: Connection) -> PartnerCheck:
    """Run the check now and keep its report with the connection (the command's way)."""
    check = PartnerCheck.objects.create(connection=connection)
    return partner_check_complete(check_id=check.pk)


def partner_check_request(*, connection: Connection) -> PartnerCheck:
    """Queue a check of the partner (the portal's way); its page shows it running until done."""
    from ocpi.tasks import run_partner_check

    _require_checkable(connection)
    check = PartnerCheck.objects.create(connection=connection)
    run_partner_check.delay_on_commit(check.pk)
    return check


def partner_check_complete(*, check_id: int) -> PartnerCheck:
    """Run a queued check and store its lines; a finished one is left as it is."""
    with transaction.atomic():
        check = (
            PartnerCheck.objects.select_for_update().select_related("connection").get(pk=check_id)
        )
        if check.finished_at is not None:
            return check
        check.started_at = timezone.now()
        check.save(update_fields=["started_at"])
    try:
        report = partner_check_run(connection=check.connection)
    except PartnerCheckNotPossible as exc:
        report = CheckReport()
        report.add("partner check", fails=[str(exc)], passed="")
    except Exception as exc:  # recorded, so that the report never stays "running"
        logger.exception("Partner check %s of %s stopped", check.pk, check.connection)
        report = CheckReport()
        report.add("partner check", fails=[f"the check stopped: {exc!r}"], passed="")
    check.lines = [asdict(line) for line in report.lines]
    check.counts = report.counts
    check.finished_at = timezone.now()
    check.save(update_fields=["lines", "counts", "finished_at"])
    return check


# The checks.


def _check_versions(report: CheckReport, connection: Connection) -> None:
    check = "versions"
    answer = _get(_client(connection), connection.versions_url, check, report)
    if answer is None:
        return
    fails, warns = _envelope_findings(answer)
    offered = answer.data if isinstance(answer.data, list) else []
    if not isinstance(answer.data, list):
        fails.append("data is not a list of versions")
    ours = [v for v in offered if isinstance(v, dict) and v.get("version") == connection.version]
    if not ours:
        fails.append(f"version {connection.version} is no longer offered")
    elif ours[0].get("url") != connection.version_url:
        warns.append(
            f"version {connection.version} is now at {ours[0].get('url')}, "
            f"not {connection.version_url}"
        )
    listed = ", ".join(str(v.get("version")) for v in offered if isinstance(v, dict))
    report.add(check, fails=fails, warns=warns, passed=f"offered: {listed}")


def _check_version_details(report: CheckReport, connection: Connection) -> None:
    check = f"version details {connection.version}"
    answer = _get(_client(connection), connection.version_url, check, report)
    if answer is None:
        return
    fails, warns = _envelope_findings(answer)
    details = answer.data if isinstance(answer.data, dict) else {}
    endpoints = details.get("endpoints")
    if details.get("version") != connection.version:
        fails.append(f"version is {details.get('version')!r}, not {connection.version}")
    if not isinstance(endpoints, list) or not endpoints:
        fails.append("no endpoints listed")
        endpoints = []
    for index, endpoint in enumerate(endpoints):
        if (
            not isinstance(endpoint, dict)
            or not endpoint.get("identifier")
            or not endpoint.get("url")
        ):
            fails.append(f"endpoints[{index}] lacks its identifier or url")
    now = {(e.get("identifier"), e.get("url")) for e in endpoints if isinstance(e, dict)}
    known = {(e.get("identifier"), e.get("url")) for e in connection.endpoints or []}
    if now != known:
        warns.append("the endpoints differ from those stored at registration")
    report.add(check, fails=fails, warns=warns, passed=f"{len(endpoints)} endpoints, as stored")


def _check_module(report, connection, declared: OcpiModule, url, validate, page_limit) -> None:
    identifier = declared.identifier
    client = _client(connection, declared)
    pages = _walk(client, url, {"limit": page_limit}, f"{identifier}: list", report)
    if not pages:
        return
    first = pages[0]
    _check_answers(report, identifier, pages)
    _check_pagination_headers(report, identifier, first, page_limit)
    objects = _check_walk(report, identifier, declared, pages)
    _check_objects(report, identifier, declared, objects, validate)
    _check_timestamps(report, identifier, pages)
    _check_date_filter(report, identifier, client, url, objects, page_limit)


def _walk(client, url, params, check, report) -> list[_Answer]:
    """The answers of the first page and each next one by Link, up to MAX_PAGES; a failed call
    ends the walk with a fail line."""
    answers = []
    next_url, next_params = url, params
    while next_url and len(answers) < MAX_PAGES:
        where = f"{check}, page {len(answers) + 1}"
        answer = _get(client, next_url, where, report, params=next_params)
        if answer is None:
            return answers
        answers.append(answer)
        next_url, next_params = next_link(answer.headers), None
    return answers


def _check_answers(report, identifier, pages: list[_Answer]) -> None:
    fails, warns = [], []
    for number, page in enumerate(pages, start=1):
        page_fails, page_warns = _envelope_findings(page)
        fails += [f"page {number}: {f}" for f in page_fails]
        warns += [f"page {number}: {w}" for w in page_warns]
        if not isinstance(page.data, list):
            fails.append(f"page {number}: data is not a list")
    report.add(
        f"{identifier}: answers",
        fails=fails,
        warns=warns,
        passed=f"{len(pages)} page(s), each HTTP 200 with status_code 1000 and a timestamp",
    )


def _check_pagination_headers(report, identifier, first: _Answer, page_limit: int) -> None:
    fails, warns = [], []
    total, limit = _header(first, "X-Total-Count"), _header(first, "X-Limit")
    for name, value in (("X-Total-Count", total), ("X-Limit", limit)):
        if value is None:
            fails.append(f"no {name} header")
        elif not value.isdigit():
            fails.append(f"{name} is {value!r}, not a number")
    received = len(first.data) if isinstance(first.data, list) else 0
    if limit and limit.isdigit():
        if int(limit) > page_limit:
            warns.append(f"X-Limit {limit} is above the limit {page_limit} asked for")
        if received > int(limit):
            fails.append(f"{received} objects on a page with X-Limit {limit}")
    if total and total.isdigit() and received < int(total) and not next_link(first.headers):
        fails.append(
            f'no Link header with rel="next" on the first page, though X-Total-Count is '
            f"{total} and {received} objects came"
        )
    report.add(
        f"{identifier}: pagination headers",
        fails=fails,
        warns=warns,
        passed=f"X-Total-Count {total}, X-Limit {limit}"
        + (", Link to the next page" if next_link(first.headers) else ""),
    )


def _check_walk(report, identifier, declared: OcpiModule, pages: list[_Answer]) -> list[dict]:
    """Every page's objects, once each; duplicates and a count unlike X-Total-Count reported."""
    fails, warns = [], []
    objects, seen = [], set()
    for number, page in enumerate(pages, start=1):
        for document in page.data if isinstance(page.data, list) else []:
            if not isinstance(document, dict):
                fails.append(f"page {number}: an item that is not an object")
                continue
            key = _key(declared, document)
            if key in seen:
                fails.append(f"page {number}: duplicate {' '.join(key)}")
                continue
            seen.add(key)
            objects.append(document)
    if next_link(pages[-1].headers):
        warns.append(f"stopped after {MAX_PAGES} pages, a Link to more remains")
    total = _header(pages[0], "X-Total-Count")
    if total and total.isdigit() and int(total) != len(objects) and not warns:
        warns.append(
            f"{len(objects)} objects came over {len(pages)} page(s), X-Total-Count {total}"
        )
    report.add(
        f"{identifier}: walk of every page",
        fails=fails,
        warns=warns,
        passed=f"{len(objects)} objects over {len(pages)} page(s), none twice",
    )
    return objects


def _check_objects(report, identifier, declared, objects: list[dict], validate) -> None:
    fails, warns = [], []
    for document in objects:
        name = f"{' '.join(_key(declared, document))}"
        try:
            warns += [f"{name}: {warning}" for warning in validate(document)]
        except APIException as exc:
            fails.append(f"{name}: {exc.detail}")
    report.add(
        f"{identifier}: required fields and lengths",
        fails=fails,
        warns=warns,
        passed=f"{len(objects)} objects, each accepted by our receiver rules",
    )


def _check_timestamps(report, identifier, pages: list[_Answer]) -> None:
    warns, count = [], 0
    for number, page in enumerate(pages, start=1):
        items = page.raw.get("data") if isinstance(page.raw, dict) else None
        for path, value in _date_times(items, "data"):
            count += 1
            zone = DATE_TIME.match(value).group("zone")
            if zone and zone not in "Zz":
                warns.append(f"page {number}: {path} is {value}, with an offset instead of Z")
    report.add(
        f"{identifier}: timestamps in UTC",
        warns=warns,
        passed=f"{count} timestamps, each in UTC",
    )


def _check_date_filter(report, identifier, client, url, objects: list[dict], page_limit) -> None:
    check = f"{identifier}: date_from filter"
    moments = sorted(m for m in (_last_updated(d) for d in objects) if m is not None)
    if not moments:
        report.add(check, passed="no objects with last_updated to filter on")
        return
    # The median moment, in whole seconds (rounded down: date_from is inclusive).
    date_from = moments[len(moments) // 2].replace(microsecond=0)
    pages = _walk(
        client, url, {"date_from": format_timestamp(date_from), "limit": page_limit}, check, report
    )
    if not pages:
        return
    fails, warns = [], []
    received = [d for page in pages if isinstance(page.data, list) for d in page.data]
    for document in received:
        moment = _last_updated(document) if isinstance(document, dict) else None
        if moment is not None and moment < date_from:
            fails.append(
                f"last_updated {document.get('last_updated')} is before date_from "
                f"{format_timestamp(date_from)}"
            )
    expected = sum(moment >= date_from for moment in moments)
    if not fails and len(received) < expected:
        warns.append(f"{len(received)} objects came, {expected} changed since then")
    report.add(
        check,
        fails=fails,
        warns=warns,
        passed=f"{len(received)} objects since {format_timestamp(date_from)}, none older",
    )


def _check_wrong_token(report: CheckReport, connection: Connection) -> None:
    check = "a wrong token"
    client = OcpiClient(connection, token=f"partner-check-{secrets.token_hex(12)}")
    try:
        reply = client.request("GET", connection.version_url, retries=0)
    except OcpiClientError as exc:
        report.add(check, fails=[str(exc)], passed="")
        return
    fails = [] if reply.http_status == 401 else [f"answered {reply.summary}, not HTTP 401"]
    report.add(check, fails=fails, passed="refused with HTTP 401")


# Helpers.


def _client(connection: Connection, declared: OcpiModule | None = None) -> OcpiClient:
    """A client that keeps each raw answer; for a module, from our party that receives it to the
    partner's first party that sends it, as pulls address them."""
    from_party = to_party = None
    if declared is not None:
        from_party = OwnParty.objects.filter(role=declared.receiver_role).order_by("pk").first()
        theirs = connection.parties.filter(role=declared.sender_role).order_by("id").first()
        to_party = (theirs.country_code, theirs.party_id) if theirs else None
    return OcpiClient(
        connection, from_party=from_party, to_party=to_party, session=_RecordingSession()
    )


def _get(client: OcpiClient, url: str, check: str, report: CheckReport, params=None):
    """One GET, or None after a fail line naming what came back."""
    try:
        reply = client.request("GET", url, params=params, retries=0)
    except OcpiClientError as exc:
        report.add(check, fails=[str(exc)], passed="")
        return None
    response = client.http.last
    try:
        raw = response.json()
    except ValueError:
        raw = None
    if not reply.ok:
        report.add(check, fails=[f"GET {url} answered {reply.summary}"], passed="")
        return None
    return _Answer(reply.http_status, raw, reply.headers, reply.data)


def _envelope_findings(answer: _Answer) -> tuple[list[str], list[str]]:
    """(fails, warns) of one answer's HTTP status and envelope as the partner sent it."""
    fails, warns = [], []
    if answer.http_status != 200:
        warns.append(f"HTTP {answer.http_status} instead of 200")
    body = answer.raw if isinstance(answer.raw, dict) else {}
    status_code = body.get("status_code")
    if not isinstance(status_code, int) or isinstance(status_code, bool):
        fails.append(f"status_code is {status_code!r}, not a number")
    elif status_code != 1000:
        warns.append(f"status_code {status_code} instead of 1000")
    timestamp = body.get("timestamp")
    if timestamp is None:
        fails.append("no timestamp in the envelope")
    else:
        try:
            parse_timestamp(timestamp, "timestamp")
        except TimestampError as exc:
            fails.append(str(exc))
        else:
            match = DATE_TIME.match(timestamp) if isinstance(timestamp, str) else None
            zone = match.group("zone") if match else None
            if zone and zone not in "Zz":
                warns.append(f"envelope timestamp {timestamp}, with an offset instead of Z")
    return fails, warns


def _date_times(value, path: str):
    """(path, value) of each date-time string inside a JSON value."""
    if isinstance(value, dict):
        for name, member in value.items():
            yield from _date_times(member, f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _date_times(item, f"{path}[{index}]")
    elif isinstance(value, str) and DATE_TIME.match(value):
        yield path, value


def _header(answer: _Answer, name: str) -> str | None:
    return next((v for k, v in answer.headers.items() if k.lower() == name.lower()), None)


def _key(declared: OcpiModule, document: dict) -> tuple[str, str, str]:
    return tuple(
        str(document.get(name, "?")).upper()
        for name in ("country_code", "party_id", declared.objects.id_field)
    )


def _last_updated(document: dict) -> datetime | None:
    try:
        return parse_timestamp(document.get("last_updated"), "last_updated").astimezone(UTC)
    except TimestampError:
        return None


def _listed(findings: list[str]) -> str:
    shown = "; ".join(findings[:SHOWN_FINDINGS])
    more = len(findings) - SHOWN_FINDINGS
    return shown + (f"; and {more} more" if more > 0 else "")
