"""Admin for the OCPI core: our parties, partner connections and the traffic log, and the base
of every module's admin of stored OCPI objects (OcpiObjectAdmin).

Tokens never appear here: a connection stores only the hash of the partner's token and the
encrypted token we send, and neither field is shown or editable.
"""

import json

from django.contrib import admin
from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils.html import format_html

from ocpi.models import Connection, ConnectionParty, OwnParty, PartyMove, TrafficLog


def pretty_document(obj) -> str:
    """The stored OCPI document, indented, for reading (never edited here)."""
    return format_html(
        '<pre style="white-space: pre-wrap">{}</pre>',
        json.dumps(obj.document, indent=2, ensure_ascii=False),
    )


pretty_document.short_description = "document"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept as they were written or computed (audit records, prices, decisions,
    counters): shown to superusers, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OcpiObjectAdmin(admin.ModelAdmin):
    """A stored OCPI object, read only: it changes over OCPI or through its module's services,
    never by hand. Every module lists the key, its own `columns`, last_updated and the source,
    and shows the same around its own `details` (its columns unless it names others), with the
    document last."""

    KEY = ["country_code", "party_id", "ocpi_id"]
    columns: list = []
    details: list | None = None
    list_filter = ["country_code", "party_id", "source"]
    search_fields = ["ocpi_id", "party_id"]
    date_hierarchy = "last_updated"
    list_select_related = ["source"]

    def get_list_display(self, request):
        return [*self.KEY, *self.columns, "last_updated", "source"]

    def get_fields(self, request, obj=None):
        details = self.columns if self.details is None else self.details
        return [
            *self.KEY,
            *details,
            "last_updated",
            "source",
            "created_at",
            "updated_at",
            pretty_document,
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OwnParty)
class OwnPartyAdmin(admin.ModelAdmin):
    list_display = ["code", "role", "name", "website"]
    list_filter = ["role"]
    search_fields = ["country_code", "party_id", "name"]


class ConnectionPartyInline(admin.TabularInline):
    """Read-only: parties change by the partner's credentials or by a recorded move
    (ocpi_move_party, the partner page), never by hand."""

    model = ConnectionParty
    extra = 0
    fields = ["country_code", "party_id", "role", "business_details", "released_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "version", "party_codes", "last_traffic", "registered_at"]
    list_filter = ["status", "version", "plain_token"]
    search_fields = ["name", "versions_url", "parties__country_code", "parties__party_id"]
    readonly_fields = [
        "version",
        "version_url",
        "endpoints",
        "created_at",
        "updated_at",
        "registered_at",
        "traffic_link",
    ]
    fields = [
        "name",
        "status",
        "versions_url",
        "plain_token",
        *readonly_fields,
    ]
    inlines = [ConnectionPartyInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("parties")
            .annotate(last_traffic_at=Max("traffic__timestamp"))
        )

    @admin.display(description="parties")
    def party_codes(self, connection):
        return ", ".join(f"{p.code} {p.role}" for p in connection.parties.all())

    @admin.display(description="last traffic", ordering="last_traffic_at")
    def last_traffic(self, connection):
        return connection.last_traffic_at

    @admin.display(description="traffic log")
    def traffic_link(self, connection):
        if connection.pk is None:
            return "-"
        changelist = reverse("admin:ocpi_trafficlog_changelist")
        url = f"{changelist}?connection__id__exact={connection.pk}"
        return format_html('<a href="{}">All calls of this connection</a>', url)


@admin.register(TrafficLog)
class TrafficLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence of what was said, so nobody edits it by hand."""

    list_display = [
        "timestamp",
        "connection",
        "direction",
        "method",
        "url",
        "http_status",
        "ocpi_status",
        "duration_ms",
    ]
    list_filter = ["direction", "http_status", "ocpi_status", "connection"]
    search_fields = ["url", "request_id", "correlation_id"]
    date_hierarchy = "timestamp"
    list_select_related = ["connection"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartyMove)
class PartyMoveAdmin(ReadOnlyAdmin):
    """Read-only: the record of parties staff moved between connections (ocpi_move_party, or
    the partner page of the portal)."""

    list_display = ["moved_at", "code", "role", "from_connection", "to_connection", "moved_by"]
    list_filter = ["role", "to_connection"]
    search_fields = ["country_code", "party_id", "reason", "moved_by"]
    date_hierarchy = "moved_at"
    list_select_related = ["from_connection", "to_connection"]
