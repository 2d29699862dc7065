from django.contrib import admin

from ocpi.modules.hubclientinfo.models import ClientInfo


@admin.register(ClientInfo)
class ClientInfoAdmin(admin.ModelAdmin):
    list_display = ["country_code", "party_id", "role", "status", "last_updated", "source"]
    list_filter = ["status", "ocpi_id"]
    search_fields = ["country_code", "party_id"]
    readonly_fields = ["document", "source", "created_at", "updated_at"]

    @admin.display(description="role", ordering="ocpi_id")
    def role(self, obj):
        return obj.role
