from django.contrib import admin

from portal.driver.models import DriverProfile


@admin.register(DriverProfile)
class DriverProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "city", "country", "language", "updated_at"]
    search_fields = ["user__username", "user__email", "name", "city"]
    list_filter = ["language", "country"]
    raw_id_fields = ["user"]
