from django.contrib import admin

from ocpi.modules.commands.models import Command


@admin.register(Command)
class CommandAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "command",
        "direction",
        "connection",
        "party",
        "response_result",
        "result",
        "status",
        "result_delivered_at",
    ]
    list_filter = ["direction", "command", "status", "response_result", "result"]
    search_fields = ["uid", "connection__name", "response_url"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Command._meta.fields]

    def has_add_permission(self, request):
        return False
