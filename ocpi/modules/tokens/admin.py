from django.contrib import admin

from ocpi.admin import pretty_document
from ocpi.modules.tokens.models import Token


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = [
        "country_code",
        "party_id",
        "ocpi_id",
        "token_type",
        "contract_id",
        "valid",
        "whitelist",
        "last_updated",
        "source",
    ]
    list_filter = ["token_type", "valid", "whitelist", "country_code", "party_id", "source"]
    search_fields = ["ocpi_id", "contract_id"]
    fields = [
        "country_code",
        "party_id",
        "ocpi_id",
        "token_type",
        "contract_id",
        "valid",
        "whitelist",
        "last_updated",
        "source",
        "created_at",
        "updated_at",
        pretty_document,
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # tokens arrive over OCPI or through token_save_own
