from django.contrib import admin

from ocpi.admin import OcpiObjectAdmin, pretty_document
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
class TariffAdmin(OcpiObjectAdmin):
    columns = ["deleted_at"]
    inlines = [TariffVersionInline]
