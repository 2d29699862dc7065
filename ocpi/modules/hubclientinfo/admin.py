from django.contrib import admin

from ocpi.admin import OcpiObjectAdmin
from ocpi.modules.hubclientinfo.models import ClientInfo


@admin.register(ClientInfo)
class ClientInfoAdmin(OcpiObjectAdmin):
    columns = ["role", "status"]
    details = ["status"]
    list_filter = ["status", "ocpi_id", *OcpiObjectAdmin.list_filter]
    search_fields = ["country_code", "party_id"]

    @admin.display(description="role", ordering="ocpi_id")
    def role(self, obj):
        return obj.role
