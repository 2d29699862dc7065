"""OCPI timestamps (the DateTime type of types.asciidoc): the one place that writes and reads them.

We write UTC with a "Z": whole seconds (`2024-01-31T12:00:00Z`), or milliseconds where two
changes within one second must still order. We read any RFC 3339 / ISO 8601 date-time with a
time of day (fractions of any length, an offset or none); one without a zone designator is UTC,
as OCPI says. Anything else raises TimestampError, whose message names the field, so that an
OCPI caller answers 2001 with it.

Plain Python (no Django): the pricing engine reads CDR and tariff timestamps with it too.
"""

from datetime import UTC, datetime


class TimestampError(ValueError):
    """A value that is not an OCPI DateTime; the message names the field."""


def format_timestamp(moment: datetime, *, milliseconds: bool = False) -> str:
    """`moment` as OCPI writes it: in UTC with a "Z"; a naive moment is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if milliseconds:
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def now_timestamp(*, milliseconds: bool = False) -> str:
    """The current moment as OCPI writes it."""
    return format_timestamp(datetime.now(UTC), milliseconds=milliseconds)


def parse_timestamp(value: object, field: str) -> datetime:
    """An OCPI DateTime (a string, or a datetime already read) as an aware UTC datetime.

    A date without a time of day is not a DateTime. Raises TimestampError naming `field`.
    """
    if isinstance(value, datetime):
        moment = value
    elif type(value) is str and len(value) > 10:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise TimestampError(_message(field, value)) from None
    else:
        raise TimestampError(_message(field, value))
    if moment.tzinfo is UTC:
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 at a positive offset, year 9999 at a negative one
        raise TimestampError(_message(field, value)) from None


def _message(field: str, value: object) -> str:
    shown = value[:40] if isinstance(value, str) else value
    return f"{field}: must be an RFC 3339 date-time, got {shown!r}"
