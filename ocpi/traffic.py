"""The traffic log: every OCPI call in and out, bodies capped, secrets masked.

Under gunicorn (gunicorn.conf.py) each worker writes its lines from a background thread, in
batches, so that an OCPI call does not wait for its own log line; elsewhere (tests, commands, the
development server) a line is written before the call returns.
"""

import logging
import queue
import re
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection as database
from django.utils import timezone

from ocpi.models import Connection, TrafficLog

logger = logging.getLogger(__name__)

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
    warnings: list[str] | None = None,
) -> TrafficLog:
    """Log one call. The line returned has its id only if it was saved through the ORM."""
    entry = TrafficLog(
        direction=direction,
        method=method[:7],  # WebDAV and other unknown methods are longer than any OCPI one
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
        warnings=warnings or [],
    )
    if database.in_atomic_block or database.vendor != "postgresql":
        entry.save()  # inside the caller's transaction: the line commits or rolls back with it
    elif _writer is not None and _writer.has_room():
        _writer.put(entry)
    else:
        _insert_without_waiting_for_the_disk([entry])
    return entry


def _insert_without_waiting_for_the_disk(entries: list[TrafficLog]) -> None:
    """A log line is not billing data: its commit need not wait for the disk, which spares the
    database a synchronous flush per line. Two statements sent as one are one transaction in
    PostgreSQL, so the relaxed commit applies to these lines only, in one round trip (a database
    crash may lose the last lines)."""
    table = database.ops.quote_name(TrafficLog._meta.db_table)
    fields = [field for field in TrafficLog._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(database.ops.quote_name(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = [
        field.get_db_prep_save(getattr(entry, field.attname), database)
        for entry in entries
        for field in fields
    ]
    with database.cursor() as cursor:
        cursor.execute(
            "SET LOCAL synchronous_commit TO OFF; "
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(entries))}",
            values,
        )


class BackgroundWriter:
    """Writes the lines put to it from its own thread and database connection, in batches.

    stop() writes every line still queued before it returns: a normal shutdown loses none.
    """

    BATCH = 200
    # Beyond this many queued lines the database is not keeping up: callers write their own line
    # again (slower answers rather than a process that grows without bound).
    MAX_QUEUED = 10_000
    _STOP = object()

    def __init__(self):
        self._lines = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ocpi-traffic-log", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def has_room(self) -> bool:
        return self._lines.qsize() < self.MAX_QUEUED

    def put(self, entry: TrafficLog) -> None:
        self._lines.put(entry)

    def stop(self) -> None:
        self._lines.put(self._STOP)
        self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = [self._lines.get()]
            while len(batch) < self.BATCH and not self._lines.empty():
                batch.append(self._lines.get())
            stopping = any(entry is self._STOP for entry in batch)
            lines = [entry for entry in batch if entry is not self._STOP]
            if lines:
                self._write(lines)
        database.close()

    def _write(self, lines: list[TrafficLog]) -> None:
        try:
            _insert_without_waiting_for_the_disk(lines)
        except Exception:
            # One line the database refuses must not cost the others theirs: write them one by
            # one. If the database is down, every line fails and is logged as lost.
            database.close()
            for line in lines:
                try:
                    _insert_without_waiting_for_the_disk([line])
                except Exception:
                    logger.exception("Could not write the OCPI traffic log line %s", line)
                    database.close()


_writer: BackgroundWriter | None = None


def start_background_writer() -> None:
    """From now on this process logs from a background thread (gunicorn.conf.py calls this)."""
    global _writer
    if _writer is None and database.vendor == "postgresql":
        _writer = BackgroundWriter()
        _writer.start()


def stop_background_writer() -> None:
    """Write the queued lines and go back to writing each line before the call returns."""
    global _writer
    writer, _writer = _writer, None
    if writer is not None:
        writer.stop()


def purge_expired() -> int:
    """Delete entries older than OCPI_TRAFFIC_RETENTION_DAYS; returns how many went."""
    cutoff = timezone.now() - timedelta(days=settings.OCPI_TRAFFIC_RETENTION_DAYS)
    deleted, _ = TrafficLog.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
