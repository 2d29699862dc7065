from django.contrib import admin

from ocpi.modules.chargingprofiles.models import ActiveChargingProfile, ChargingProfileRequest


@admin.register(ChargingProfileRequest)
class ChargingProfileRequestAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "direction",
        "session_id",
        "connection",
        "response_result",
        "result",
        "status",
        "result_delivered_at",
    ]
    list_filter = ["direction", "kind", "status", "response_result", "result"]
    search_fields = ["uid", "session_id", "connection__name"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ChargingProfileRequest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ActiveChargingProfile)
class ActiveChargingProfileAdmin(admin.ModelAdmin):
    list_display = ["session_id", "connection", "received_at"]
    search_fields = ["session_id", "connection__name"]
    readonly_fields = ["connection", "session_id", "document", "received_at"]
