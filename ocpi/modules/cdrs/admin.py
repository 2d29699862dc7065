from django.contrib import admin
from django.utils.html import format_html_join

from ocpi.admin import OcpiObjectAdmin
from ocpi.modules.cdrs.models import Cdr


class HasWarningsFilter(admin.SimpleListFilter):
    title = "warnings"
    parameter_name = "warnings"

    def lookups(self, request, model_admin):
        return [("yes", "With warnings"), ("no", "Without warnings")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(warnings=[])
        if self.value() == "no":
            return queryset.filter(warnings=[])
        return queryset


@admin.display(description="warnings")
def warning_list(cdr) -> str:
    """The spec rules the CDR breaks that it was accepted despite, one per line."""
    return format_html_join("", "<div>{}</div>", ((warning,) for warning in cdr.warnings)) or "-"


@admin.register(Cdr)
class CdrAdmin(OcpiObjectAdmin):
    """CDRs arrive over OCPI or through cdr_create_own and never change: corrections are
    credit CDRs."""

    columns = [
        "start_date_time",
        "total_energy",
        "total_cost_excl_vat",
        "currency",
        "credit",
        "has_warnings",
    ]
    details = [
        warning_list,
        "start_date_time",
        "end_date_time",
        "session_id",
        "location_id",
        "evse_uid",
        "token_country_code",
        "token_party_id",
        "token_uid",
        "contract_id",
        "currency",
        "total_cost_excl_vat",
        "total_cost_incl_vat",
        "total_energy",
        "total_time",
        "credit",
        "credit_reference_id",
    ]
    list_filter = [HasWarningsFilter, "credit", "currency", *OcpiObjectAdmin.list_filter]
    search_fields = ["ocpi_id", "session_id", "location_id", "token_uid", "contract_id"]
    date_hierarchy = "start_date_time"

    @admin.display(boolean=True, description="warnings")
    def has_warnings(self, cdr) -> bool:
        return bool(cdr.warnings)
