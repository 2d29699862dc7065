"""Writing many priced rows at once: COPY into a temporary table, then one upsert.

Re-pricing writes tens of thousands of rows a second. `bulk_create(update_conflicts=True)`
spends most of its time building and parsing a statement with a parameter per value; COPY
streams the rows as text instead, about four times faster end to end on this project's data.
"""

import io
import json
from collections.abc import Callable
from datetime import datetime

import orjson
from django.db import connection, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Values the json module would write with `default=str` go to `default=str` here too.
_JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _escaped(text: str) -> str:
    return text.translate(_ESCAPES)


def _json_text(value) -> str:
    """JSON as COPY text; Decimals (breakdown amounts) are written as strings: exact."""
    try:
        text = orjson.dumps(value, default=str, option=_JSON_OPTIONS).decode()
    except orjson.JSONEncodeError:  # integers beyond 64 bits, keys that are not strings
        text = json.dumps(value, default=str)
    # JSON text escapes control characters itself: only its backslashes need COPY's escape.
    return text.replace("\\", "\\\\")


def _copy_encoder(field: models.Field) -> Callable[[object], str]:
    """How a field's non-null values are written in PostgreSQL's COPY text format."""
    if isinstance(field, models.JSONField):
        return _json_text
    if isinstance(field, models.DateTimeField):
        return datetime.isoformat
    if isinstance(field, models.DecimalField | models.IntegerField | models.ForeignKey):
        return str
    return lambda value: _escaped(str(value))


@transaction.atomic
def upsert(model: type[models.Model], rows: list[dict]) -> None:
    """Insert rows (attname -> value, every concrete field) or replace them, by primary key."""
    if not rows:
        return
    fields = model._meta.concrete_fields
    if connection.vendor != "postgresql":  # the SQLite of `make run`
        model.objects.bulk_create(
            [model(**row) for row in rows],
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=[field.name for field in fields if not field.primary_key],
        )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    staging = connection.ops.quote_name(f"{model._meta.db_table}_staging")
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    key = connection.ops.quote_name(model._meta.pk.column)
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}"
        for name in (connection.ops.quote_name(field.column) for field in fields)
        if name != key
    )
    encoders = [(field.attname, _copy_encoder(field)) for field in fields]
    text = io.StringIO()
    for row in rows:
        text.write(
            "\t".join(
                "\\N" if row[attname] is None else encode(row[attname])
                for attname, encode in encoders
            )
        )
        text.write("\n")
    text.seek(0)
    with connection.cursor() as cursor:
        # A staging table for this transaction (an enclosing one may have used it already).
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} (LIKE {table}) ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {staging}")
        cursor.copy_expert(f"COPY {staging} ({columns}) FROM STDIN", text)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
        )
