from django.contrib import admin

from ocpi.admin import pretty_document
from ocpi.modules.tariffs.models import Tariff, TariffVersion


class TariffVersionInline(admin.TabularInline):
    model = TariffVersion
    fields = ["last_updated", "received_at", pretty_document]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-last_updated"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["country_code", "party_id", "ocpi_id", "last_updated", "deleted_at", "source"]
    list_filter = ["country_code", "party_id", "source"]
    search_fields = ["ocpi_id", "party_id"]
    date_hierarchy = "last_updated"
    fields = [
        "country_code",
        "party_id",
        "ocpi_id",
        "last_updated",
        "deleted_at",
        "source",
        "created_at",
        "updated_at",
        pretty_document,
    ]
    readonly_fields = fields
    inlines = [TariffVersionInline]

    def has_add_permission(self, request):
        return False  # tariffs arrive over OCPI or through tariff_save_own
