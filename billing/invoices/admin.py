"""Staff views of billing documents: issuers, accounts, the VAT table, documents (read-only
once issued; cancelled by a credit note), and runs with their progress."""

from django.contrib import admin, messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from billing.invoices import annex, selectors, services
from billing.invoices.delivery import document_pdf_store, pdf_filename
from billing.invoices.models import (
    BillingAccount,
    Document,
    DocumentFile,
    InvoiceRun,
    InvoiceRunItem,
    Issuer,
    NumberCounter,
    VatRate,
)
from billing.invoices.snapshot import DocumentKind
from ocpi.admin import ReadOnlyAdmin

LINE_COLUMNS = ("Pos.", "CDR", "EVSE", "Start", "kWh", "Net", "VAT", "VAT %", "Gross")


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ["name", "own_party", "country", "vat_id", "invoice_number_format"]
    fieldsets = [
        (None, {"fields": ["own_party", "name", "street", "postcode", "city", "country"]}),
        ("Legal", {"fields": ["vat_id", "registration", "email", "iban", "bic", "footer"]}),
        (
            "Numbers and dates",
            {
                "fields": [
                    "time_zone",
                    "payment_terms_days",
                    "invoice_number_format",
                    "credit_note_number_format",
                    "statement_number_format",
                    "self_billed_number_format",
                ]
            },
        ),
    ]


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "issuer", "contract", "party_code", "country", "frequency"]
    list_filter = ["kind", "frequency", "issuer", "active"]
    search_fields = ["name", "email", "contract__contract_id", "party_id"]
    raw_id_fields = ["contract"]


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["country", "valid_from", "rate", "category"]
    list_filter = ["country"]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "series", "year", "last_number"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "account",
        "issue_date",
        "currency",
        "total_net",
        "total_gross",
        "corrects",
    ]
    list_filter = ["status", "kind", "issuer", "currency"]
    search_fields = ["number", "account__name", "statement_reference"]
    date_hierarchy = "issue_date"
    actions = ["cancel", "issue"]
    fields = [
        "kind",
        "status",
        "number",
        "issue_date",
        "issuer",
        "account",
        "period_start",
        "period_end",
        "currency",
        "corrects",
        "statement_reference",
        "total_net",
        "total_tax",
        "total_gross",
        "findings_list",
        "lines_table",
        "disputed",
        "files",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # documents come from runs, credit notes from cancelling

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == Document.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == Document.Status.DRAFT

    def get_urls(self):
        return [
            path(
                "<int:document_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="invoices_document_pdf",
            ),
            path(
                "<int:document_id>/csv/",
                self.admin_site.admin_view(self.csv_view),
                name="invoices_document_csv",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, document_id: int):
        document = get_object_or_404(Document, pk=document_id, status=Document.Status.ISSUED)
        stored = document_pdf_store(document=document)
        return FileResponse(
            stored.pdf.open("rb"), content_type="application/pdf", filename=pdf_filename(document)
        )

    def csv_view(self, request, document_id: int):
        document = get_object_or_404(Document, pk=document_id, status=Document.Status.ISSUED)
        response = HttpResponse(annex.document_csv(document), content_type="text/csv")
        filename = pdf_filename(document).removesuffix(".pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response

    @admin.display(description="Why it is still a draft")
    def findings_list(self, document):
        return format_html_join(
            "",
            "<p><strong>{}</strong> {}</p>",
            ((f["rule_id"], f["message"]) for f in document.findings),
        )

    @admin.display(description="Lines")
    def lines_table(self, document):
        rows = (
            (
                line.position,
                line.content.get("cdr_id"),
                line.content.get("evse_id"),
                line.content.get("start"),
                line.content.get("energy_kwh"),
                line.net,
                line.tax,
                f"{line.tax_category} {line.tax_rate}",
                line.gross,
            )
            for line in document.lines.order_by("position")
        )
        head = format_html_join("", "<th>{}</th>", ((column,) for column in LINE_COLUMNS))
        body = format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        )
        return format_html("<table><tr>{}</tr>{}</table>", head, body)

    @admin.display(description="PDF and CSV")
    def files(self, document):
        if document.status != Document.Status.ISSUED:
            return "—"
        stored = DocumentFile.objects.filter(document=document).first()
        sent = (
            f" (e-mailed {stored.emailed_at:%Y-%m-%d %H:%M})"
            if stored and stored.emailed_at
            else ""
        )
        return format_html(
            '<a href="{}">PDF</a>{} · <a href="{}">CSV</a>{}',
            reverse("admin:invoices_document_pdf", args=[document.pk]),
            f" sha256 {stored.sha256[:16]}…" if stored else " (not rendered yet)",
            reverse("admin:invoices_document_csv", args=[document.pk]),
            sent,
        )

    @admin.action(description="Cancel the selected invoices (issue a credit note)")
    def cancel(self, request, queryset):
        for document in queryset.exclude(kind=DocumentKind.CREDIT_NOTE):
            try:
                note = services.invoice_cancel(document_id=document.pk, reason="Cancellation")
            except services.DocumentNotIssuable as error:
                self.message_user(request, str(error), messages.WARNING)
                continue
            self.message_user(request, f"{document}: {note} issued.")

    @admin.action(description="Issue the selected drafts")
    def issue(self, request, queryset):
        for document in queryset.filter(status=Document.Status.DRAFT):
            issued = services.document_issue(document_id=document.pk)
            if issued.status == Document.Status.ISSUED:
                self.message_user(request, f"{issued} issued.")
            else:
                rules = ", ".join(f["rule_id"] for f in issued.findings)
                self.message_user(request, f"{issued} stays a draft: {rules}", messages.ERROR)


class InvoiceRunItemInline(admin.TabularInline):
    model = InvoiceRunItem
    fields = ["account", "status", "documents_issued", "held_back", "error", "attempts"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InvoiceRun)
class InvoiceRunAdmin(admin.ModelAdmin):
    list_display = ["period", "scope", "status", "progress", "started_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = ["period", "period_start", "period_end", "scope", "status", "finished_at"]
    inlines = [InvoiceRunItemInline]

    def has_add_permission(self, request):
        return False  # runs are started by the schedule or `manage.py invoice_run`

    @admin.display(description="Progress")
    def progress(self, run):
        summary = selectors.invoice_run_summary(run=run)
        return (
            f"{summary['done']} done, {summary['failed']} failed, {summary['pending']} pending "
            f"of {summary['accounts']} accounts; {summary['documents_issued']} documents; "
            f"{len(summary['held_back'])} CDRs held back"
        )
