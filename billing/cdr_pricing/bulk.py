"""Writing many priced rows at once: COPY into a temporary table, then one upsert.

Re-pricing writes tens of thousands of rows a second. `bulk_create(update_conflicts=True)`
spends most of its time building and parsing a statement with a parameter per value; COPY
streams the rows as text instead, about four times faster end to end on this project's data.
"""

import io
import json
from datetime import datetime
from decimal import Decimal

from django.db import connection, models, transaction

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format (JSON values are lists and dicts)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


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
    attnames = [field.attname for field in fields]
    shared: dict[int, str] = {}  # a dict every row shares (the engine options) is encoded once
    text = io.StringIO()
    for row in rows:
        cells = []
        for attname in attnames:
            value = row[attname]
            if isinstance(value, dict):
                cell = shared.get(id(value))
                if cell is None:
                    cell = shared[id(value)] = _copy_text(value)
            else:
                cell = _copy_text(value)
            cells.append(cell)
        text.write("\t".join(cells))
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
