"""Staff views of CDR pricing: verdicts with their breakdown, driver contracts and prices."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from billing import services
from billing.models import Dispute, DriverContract, DriverPrice, PartnerInvoice, PricedCdr
from billing.money import COST_TOTALS
from ocpi.admin import ReadOnlyAdmin

BREAKDOWN_COLUMNS = (
    ("period", "Period"),
    ("dimension", "Dimension"),
    ("tariff_id", "Tariff"),
    ("element_index", "Element"),
    ("volume", "Volume"),
    ("price", "Price"),
    ("step_size", "Step"),
    ("vat", "VAT %"),
    ("tax_included", "Tax included"),
)


def _cell(value) -> object:
    return "—" if value is None else value


def _table(headers: list[str], rows: list[list]) -> str:
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((_cell(cell),) for cell in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


@admin.register(PricedCdr)
class PricedCdrAdmin(ReadOnlyAdmin):
    list_display = [
        "cdr",
        "verdict",
        "currency",
        "total_cost_excl_vat",
        "total_cost_incl_vat",
        "difference_excl_vat",
        "difference_incl_vat",
        "dimensions",
        "priced_at",
    ]
    list_filter = ["verdict", "tariff_source", "currency"]
    search_fields = ["cdr__ocpi_id", "cdr__country_code", "cdr__party_id"]
    list_select_related = ["cdr"]
    date_hierarchy = "priced_at"
    actions = ["reprice"]
    readonly_fields = [
        "cdr",
        "verdict",
        "reason",
        "priced_at",
        "currency",
        "totals_table",
        "difference_excl_vat",
        "difference_incl_vat",
        "dimensions",
        "breakdown_table",
        "warnings_table",
        "driver_price",
        "tariff_source",
        "tariffs",
        "time_zone",
        "options",
    ]
    fieldsets = [
        (None, {"fields": ["cdr", "verdict", "reason", "priced_at"]}),
        (
            "Our price",
            {
                "fields": [
                    "currency",
                    "totals_table",
                    "difference_excl_vat",
                    "difference_incl_vat",
                    "dimensions",
                ]
            },
        ),
        ("Breakdown", {"fields": ["breakdown_table", "warnings_table"]}),
        ("Driver", {"fields": ["driver_price"]}),
        ("Inputs", {"fields": ["tariff_source", "tariffs", "time_zone", "options"]}),
    ]

    @admin.display(description="Differing dimensions")
    def dimensions(self, priced: PricedCdr) -> str:
        return ", ".join(priced.differing_dimensions)

    @admin.display(description="Totals (ours and the partner's)")
    def totals_table(self, priced: PricedCdr) -> str:
        partner = priced.cdr.document
        rows = []
        for total in COST_TOTALS:
            theirs = partner.get(total) or {}
            rows.append(
                [
                    total,
                    getattr(priced, f"{total}_excl_vat"),
                    getattr(priced, f"{total}_incl_vat"),
                    theirs.get("excl_vat", "—"),
                    theirs.get("incl_vat", "—"),
                ]
            )
        headers = [
            "Total",
            "Ours excl. VAT",
            "Ours incl. VAT",
            "Partner excl.",
            "Partner incl.",
        ]
        return _table(headers, rows)

    @admin.display(description="Breakdown")
    def breakdown_table(self, priced: PricedCdr) -> str:
        rows = [
            [line.get(key) for key, _ in BREAKDOWN_COLUMNS]
            + [line["cost"]["excl_vat"], line["cost"]["incl_vat"]]
            for line in priced.breakdown
        ]
        headers = [title for _, title in BREAKDOWN_COLUMNS] + [
            "Cost excl. VAT",
            "incl. VAT",
        ]
        return _table(headers, rows)

    @admin.display(description="Warnings")
    def warnings_table(self, priced: PricedCdr) -> str:
        rows = [[w.get("code"), w.get("period"), w.get("message")] for w in priced.warnings]
        return _table(["Code", "Period", "Message"], rows)

    @admin.display(description="Driver price")
    def driver_price(self, priced: PricedCdr) -> str:
        price = DriverPrice.objects.filter(cdr_id=priced.cdr_id).first()
        if price is None:
            return "—"
        return f"{price.excl_vat} / {price.incl_vat} {price.currency}: {price.explanation}"

    @admin.action(description="Price the selected CDRs again")
    def reprice(self, request, queryset):
        verdicts = services.cdrs_price(cdr_ids=list(queryset.values_list("cdr_id", flat=True)))
        self.message_user(request, f"{len(verdicts)} CDRs priced again.")


@admin.register(DriverContract)
class DriverContractAdmin(admin.ModelAdmin):
    list_display = [
        "contract_id",
        "name",
        "user",
        "method",
        "markup_percent",
        "session_fee",
        "vat_rate",
    ]
    list_filter = ["method"]
    search_fields = ["contract_id", "name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(DriverPrice)
class DriverPriceAdmin(ReadOnlyAdmin):
    list_display = [
        "cdr",
        "contract",
        "method",
        "excl_vat",
        "incl_vat",
        "currency",
        "priced_at",
    ]
    list_filter = ["method", "currency"]
    search_fields = ["contract__contract_id", "cdr__ocpi_id"]
    list_select_related = ["cdr", "contract"]
    readonly_fields = [f.name for f in DriverPrice._meta.fields]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdmin):
    """Decisions are taken in the back office (portal.staff) and kept as they were taken."""

    list_display = [
        "cdr",
        "resolution",
        "partner_amount",
        "our_amount",
        "currency",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["resolution", "currency"]
    search_fields = ["cdr__ocpi_id", "note"]
    list_select_related = ["cdr", "decided_by"]


@admin.register(PartnerInvoice)
class PartnerInvoiceAdmin(ReadOnlyAdmin):
    """Partners' invoices are recorded and corrected in the back office (portal.staff)."""

    list_display = [
        "reference",
        "country_code",
        "party_id",
        "connection",
        "stated_excl_vat",
        "stated_incl_vat",
        "currency",
        "received_on",
        "recorded_by",
    ]
    list_filter = ["connection", "currency"]
    search_fields = ["reference", "note"]
    list_select_related = ["connection", "recorded_by"]
