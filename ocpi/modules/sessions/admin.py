from django.contrib import admin

from ocpi.admin import OcpiObjectAdmin
from ocpi.modules.sessions.models import Session


@admin.register(Session)
class SessionAdmin(OcpiObjectAdmin):
    columns = ["status", "start_date_time", "kwh", "location_id", "contract_id"]
    details = [
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
    ]
    list_filter = ["status", *OcpiObjectAdmin.list_filter]
    search_fields = ["ocpi_id", "location_id", "token_uid", "contract_id"]
    date_hierarchy = "start_date_time"
