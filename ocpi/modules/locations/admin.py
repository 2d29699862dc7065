from django.contrib import admin

from ocpi.admin import pretty_document
from ocpi.modules.locations.models import Location


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["country_code", "party_id", "ocpi_id", "time_zone", "last_updated", "source"]
    list_filter = ["country_code", "party_id", "source"]
    search_fields = ["ocpi_id", "party_id"]
    date_hierarchy = "last_updated"
    fields = [
        "country_code",
        "party_id",
        "ocpi_id",
        "time_zone",
        "last_updated",
        "source",
        "created_at",
        "updated_at",
        pretty_document,
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # locations arrive over OCPI or through location_save_own
