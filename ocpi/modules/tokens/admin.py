from django.contrib import admin

from ocpi.admin import OcpiObjectAdmin
from ocpi.modules.tokens.models import Token


@admin.register(Token)
class TokenAdmin(OcpiObjectAdmin):
    columns = ["token_type", "contract_id", "valid", "whitelist"]
    list_filter = ["token_type", "valid", "whitelist", *OcpiObjectAdmin.list_filter]
    search_fields = ["ocpi_id", "contract_id"]
