from django.contrib import admin

from ocpi.admin import OcpiObjectAdmin
from ocpi.modules.locations.models import Location


@admin.register(Location)
class LocationAdmin(OcpiObjectAdmin):
    columns = ["time_zone"]
