"""OCPI pagination: offset/limit (capped), date_from/date_to, Link, X-Total-Count and X-Limit."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings

from ocpi.timestamps import TimestampError, parse_timestamp
from ocpi.transport.exceptions import InvalidParameters


@dataclass(frozen=True)
class PageRequest:
    offset: int
    limit: int
    date_from: datetime | None
    date_to: datetime | None


# PostgreSQL's OFFSET and LIMIT are bigints.
LARGEST_OFFSET = 2**63 - 1


def _int_param(params, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19 or int(raw) > LARGEST_OFFSET:
        raise InvalidParameters(
            f"{name} must be an integer from 0 to {LARGEST_OFFSET}, got {raw[:40]!r}"
        )
    return int(raw)


def _datetime_param(params, name: str) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    try:  # a '+' in a query string arrives as a space
        return parse_timestamp(raw.replace(" ", "+"), name)
    except TimestampError as error:
        raise InvalidParameters(str(error)) from None


def page_request(request) -> PageRequest:
    params = request.GET
    max_limit = settings.OCPI_PAGE_LIMIT_MAX
    limit = _int_param(params, "limit", max_limit)
    return PageRequest(
        offset=_int_param(params, "offset", 0),
        limit=min(limit, max_limit) or max_limit,
        date_from=_datetime_param(params, "date_from"),
        date_to=_datetime_param(params, "date_to"),
    )


def filter_by_date(queryset, page: PageRequest, field: str = "last_updated"):
    """date_from inclusive, date_to exclusive (transport_and_format, paginated GET)."""
    if page.date_from:
        queryset = queryset.filter(**{f"{field}__gte": page.date_from})
    if page.date_to:
        queryset = queryset.filter(**{f"{field}__lt": page.date_to})
    return queryset


def page_headers(request, page: PageRequest, total: int) -> dict:
    headers = {"X-Total-Count": str(total), "X-Limit": str(page.limit)}
    next_offset = page.offset + page.limit
    if next_offset < total:
        params = request.GET.copy()
        params["offset"] = str(next_offset)
        params["limit"] = str(page.limit)
        url = request.build_absolute_uri(request.path) + "?" + urlencode(sorted(params.items()))
        headers["Link"] = f'<{url}>; rel="next"'
    return headers
