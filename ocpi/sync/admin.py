"""Admin for synchronisation: pull states and push deliveries, read-only; failed pushes can be
sent again."""

from django.contrib import admin, messages

from ocpi.sync.models import PushDelivery, SyncState
from ocpi.sync.push import push_deliveries_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by synchronisation only: staff look, they do not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    list_display = ["connection", "module", "watermark", "last_run_at", "last_success_at", "ok"]
    list_filter = ["module", "connection"]

    @admin.display(boolean=True, description="last run ok")
    def ok(self, state):
        return not state.last_error


@admin.register(PushDelivery)
class PushDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "connection",
        "module",
        "method",
        "url",
        "status",
        "attempts",
        "created_at",
    ]
    list_filter = ["status", "module", "connection"]
    search_fields = ["object_key", "url", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description="Send the selected failed deliveries again")
    def send_again(self, request, queryset):
        count = push_deliveries_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            f"{count} failed deliveries queued again (not those a later change overtook).",
            messages.SUCCESS,
        )
