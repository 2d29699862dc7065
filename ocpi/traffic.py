"""The traffic log: every OCPI call in and out, bodies capped, secrets masked."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection as database
from django.utils import timezone

from ocpi.models import Connection, TrafficLog

# Credentials bodies carry tokens; they never reach the log in clear. A token may contain escaped
# quotes, and a body cut at the size cap may end inside a token: both are masked whole.
_TOKEN_MEMBER = re.compile(r'("token"\s*:\s*")(?:[^"\\]|\\.?)*("|$)')


def mask_secrets(text: str) -> str:
    return _TOKEN_MEMBER.sub(r"\1***\2", text)


def capped_text(body: bytes | str | None) -> str:
    if not body:
        return ""
    limit = settings.OCPI_TRAFFIC_BODY_LIMIT
    if isinstance(body, bytes):
        text = body[:limit].decode("utf-8", errors="replace")
        truncated = len(body) > limit
    else:
        text = body[:limit]
        truncated = len(body) > limit
    # PostgreSQL text cannot hold NUL; a raw NUL byte in a body is shown escaped.
    text = mask_secrets(text).replace("\x00", "\\u0000")
    return text + "…[truncated]" if truncated else text


def ocpi_status_of(body: bytes | str | None) -> int | None:
    """The envelope's status_code, found without parsing a possibly large body."""
    if not body:
        return None
    head = body[-200:] if isinstance(body, str) else body[-200:].decode("utf-8", "replace")
    match = re.search(r'"status_code"\s*:\s*(\d{4})', head)
    if match is None:
        text = body if isinstance(body, str) else body[:2000].decode("utf-8", "replace")
        match = re.search(r'"status_code"\s*:\s*(\d{4})', text)
    return int(match.group(1)) if match else None


def record(
    *,
    direction: str,
    method: str,
    url: str,
    connection: Connection | None,
    http_status: int | None,
    duration_ms: int,
    request_body=None,
    response_body=None,
    request_id: str = "",
    correlation_id: str = "",
    error: str = "",
) -> None:
    entry = TrafficLog(
        direction=direction,
        method=method,
        url=url[:500],
        connection=connection,
        http_status=http_status,
        ocpi_status=ocpi_status_of(response_body),
        duration_ms=duration_ms,
        request_id=request_id[:64],
        correlation_id=correlation_id[:64],
        request_body=capped_text(request_body),
        response_body=capped_text(response_body),
        error=error[:300],
    )
    if database.in_atomic_block or database.vendor != "postgresql":
        entry.save()
    else:
        _insert_without_waiting_for_the_disk(entry)


def _insert_without_waiting_for_the_disk(entry: TrafficLog) -> None:
    """A log line is not billing data: its commit need not wait for the disk, which spares every
    OCPI call a synchronous flush. Two statements sent as one are one transaction in PostgreSQL,
    so the relaxed commit applies to this line only, in one round trip (a database crash may
    lose the last lines; a normal shutdown loses none, the answer is sent after the insert)."""
    table = database.ops.quote_name(TrafficLog._meta.db_table)
    fields = [field for field in TrafficLog._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(database.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    values = [field.get_db_prep_save(getattr(entry, field.attname), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit TO OFF; "
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
            values,
        )


def purge_expired() -> int:
    """Delete entries older than OCPI_TRAFFIC_RETENTION_DAYS; returns how many went."""
    cutoff = timezone.now() - timedelta(days=settings.OCPI_TRAFFIC_RETENTION_DAYS)
    deleted, _ = TrafficLog.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
