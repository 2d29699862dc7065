from django.contrib import admin

from ocpi.admin import pretty_document
from ocpi.modules.sessions.models import Session


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "country_code",
        "party_id",
        "ocpi_id",
        "status",
        "start_date_time",
        "kwh",
        "location_id",
        "contract_id",
        "last_updated",
        "source",
    ]
    list_filter = ["status", "country_code", "party_id", "source"]
    search_fields = ["ocpi_id", "location_id", "token_uid", "contract_id"]
    date_hierarchy = "start_date_time"
    fields = [
        "country_code",
        "party_id",
        "ocpi_id",
        "status",
        "start_date_time",
        "end_date_time",
        "kwh",
        "location_id",
        "evse_uid",
        "token_country_code",
        "token_party_id",
        "token_uid",
        "contract_id",
        "last_updated",
        "source",
        "created_at",
        "updated_at",
        pretty_document,
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # sessions arrive over OCPI or through session_save_own
