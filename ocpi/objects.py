"""How every OCPI object is stored, written and served.

An object keeps its document (the JSON as received or produced, unknown fields included) plus the
indexed columns queries need. CiString keys are stored upper-cased so that lookups are
case-insensitive and still use the index; the document keeps the partner's spelling.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone

from ocpi.models import Connection
from ocpi.transport.envelope import ocpi_raw_list_response, ocpi_raw_object_response
from ocpi.transport.pagination import filter_by_date, page_headers, page_request
from ocpi.validation import ocpi_time


class OcpiObject(models.Model):
    country_code = models.CharField(max_length=2)
    party_id = models.CharField(max_length=3)
    ocpi_id = models.CharField(max_length=39, verbose_name="id")
    last_updated = models.DateTimeField(db_index=True)
    document = models.JSONField()
    # The partner connection that sent it; empty for objects of our own parties.
    source = models.ForeignKey(
        Connection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.country_code}-{self.party_id} {self.ocpi_id}"


def object_key(country_code: str, party_id: str, object_id: str) -> dict:
    return {
        "country_code": country_code.upper(),
        "party_id": party_id.upper(),
        "ocpi_id": object_id.upper(),
    }


@dataclass(frozen=True)
class UpsertResult:
    instance: OcpiObject
    created: bool
    applied: bool  # False when the stored object was newer and nothing changed


def upsert_object(
    model: type[OcpiObject],
    *,
    country_code: str,
    party_id: str,
    object_id: str,
    document: dict,
    source: Connection | None,
    extra: dict | None = None,
    extra_key: dict | None = None,
) -> UpsertResult:
    """Create or replace an object; an update older than what is stored does not overwrite it.

    `extra_key` names further key columns for objects whose id alone is not unique (a Token is
    identified by its uid and its type).
    """
    last_updated = ocpi_time(document.get("last_updated"))
    key = {**object_key(country_code, party_id, object_id), **(extra_key or {})}
    values = {"document": document, "last_updated": last_updated, "source": source, **(extra or {})}
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = model.objects.select_for_update().filter(**key).first()
                if existing is None:
                    return UpsertResult(model.objects.create(**key, **values), True, True)
                if existing.last_updated > last_updated:
                    return UpsertResult(existing, False, False)
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                return UpsertResult(existing, False, True)
        except IntegrityError:
            continue  # created concurrently: the second attempt finds and updates it
    raise IntegrityError(f"could not upsert {model.__name__} {key}")


# How often an edit is read and written again when others keep writing the same row in between;
# after that it waits for the row lock instead.
EDIT_ATTEMPTS = 3


def edit_object(
    stored: QuerySet, edit: Callable[[OcpiObject], tuple[str, ...]]
) -> tuple[OcpiObject | None, bool]:
    """Change one stored object in place: `edit` changes the object read and names the fields it
    changed (none: nothing to write, e.g. a stale update). Returns the object (None if `stored`
    finds none) and whether it was written.

    Two statements, each committing by itself outside a transaction: the read, and an UPDATE
    that applies only while the row is still as read (its `updated_at`, which every write of an
    object sets). If someone wrote it in between, the edit starts again from what they wrote.
    A row lock would cost four round trips (BEGIN, SELECT ... FOR UPDATE, UPDATE, COMMIT).
    """
    model = stored.model
    for _attempt in range(EDIT_ATTEMPTS):
        instance = stored.first()
        if instance is None:
            return None, False
        read_version = instance.updated_at
        changed = edit(instance)
        if not changed:
            return instance, False
        instance.updated_at = timezone.now()
        values = {name: getattr(instance, name) for name in (*changed, "updated_at")}
        if model.objects.filter(pk=instance.pk, updated_at=read_version).update(**values):
            return instance, True
    with transaction.atomic():
        instance = stored.select_for_update().first()
        if instance is None:
            return None, False
        changed = edit(instance)
        if changed:
            instance.save(update_fields=[*changed, "updated_at"])
        return instance, bool(changed)


def merge_patch(document: dict, patch: dict, *, append_lists: tuple[str, ...] = ()) -> dict:
    """A PATCH body merged into a document: members replaced, `append_lists` members extended."""
    merged = dict(document)
    for name, value in patch.items():
        if name in append_lists and isinstance(value, list):
            merged[name] = list(merged.get(name) or []) + value
        else:
            merged[name] = value
    return merged


def documents_page(request, queryset) -> HttpResponse:
    """A sender's paginated list: the stored documents as JSON text, never re-serialised.

    The total and the page come back in one round trip, the page as a single text the database
    joined, as the stack's floor serves it.
    """
    page = page_request(request)
    queryset = filter_by_date(queryset, page)
    ordered = queryset.order_by("last_updated", "pk")
    # The page's ids first: PostgreSQL would turn every skipped row (the offset) into text too.
    page_ids = ordered.values("pk")[page.offset : page.offset + page.limit]
    page_rows = (
        ordered.model.objects.filter(pk__in=page_ids)
        .annotate(document_text=Cast("document", models.TextField()))
        .values("document_text", "last_updated", page_order=F("pk"))
    )
    database = connections[queryset.db]
    if database.vendor != "postgresql":  # SQLite (`make run`): the total and the page apart
        texts = page_rows.order_by("last_updated", "pk").values_list("document_text", flat=True)
        return ocpi_raw_list_response(list(texts), page_headers(request, page, queryset.count()))
    count_sql, count_params = queryset.order_by().values("pk").query.sql_with_params()
    page_sql, page_params = page_rows.query.sql_with_params()
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM ({count_sql}) AS matching), "
            "(SELECT string_agg(page.document_text, ',' "
            f"ORDER BY page.last_updated, page.page_order) FROM ({page_sql}) AS page)",
            [*count_params, *page_params],
        )
        total, documents = cursor.fetchone()
    return ocpi_raw_list_response(
        [documents] if documents else [], page_headers(request, page, total)
    )


def document_response(queryset) -> HttpResponse | None:
    """One stored document in the envelope, or None when it does not exist."""
    text = (
        queryset.annotate(document_text=Cast("document", models.TextField()))
        .values_list("document_text", flat=True)
        .first()
    )
    return None if text is None else ocpi_raw_object_response(text)
