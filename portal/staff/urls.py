from django.urls import path

from portal.staff import invoices, partner_invoices, views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cdrs/", views.cdr_list, name="cdrs"),
    path("cdrs/<int:cdr_id>/", views.cdr_detail, name="cdr"),
    path("cdrs/<int:cdr_id>/dispute/", views.cdr_dispute, name="cdr-dispute"),
    path("sessions/", views.session_list, name="sessions"),
    path("locations/", views.location_list, name="locations"),
    path("locations/<int:location_pk>/", views.location_detail, name="location"),
    path("tariffs/", views.tariff_list, name="tariffs"),
    path("tariffs/<int:tariff_pk>/", views.tariff_detail, name="tariff"),
    path("drivers/", views.contract_list, name="contracts"),
    path("drivers/new/", views.contract_create, name="contract-create"),
    path("drivers/<int:contract_pk>/", views.contract_detail, name="contract"),
    path("drivers/<int:contract_pk>/tokens/", views.contract_token_create, name="contract-token"),
    path("tokens/<int:token_pk>/validity/", views.token_validity, name="token-validity"),
    path("traffic/", views.traffic, name="traffic"),
    path("reports/", views.report, name="report"),
    path("reports.csv", views.report_csv, name="report-csv"),
    path("reports.pdf", views.report_pdf, name="report-pdf"),
    path("invoices/", invoices.document_list, name="invoices"),
    path("invoices/runs/", invoices.run_list, name="invoice-runs"),
    path("invoices/runs/start/", invoices.run_start, name="invoice-run-start"),
    path("invoices/<int:document_id>/", invoices.document_detail, name="invoice"),
    path("invoices/<int:document_id>.pdf", invoices.document_pdf, name="invoice-pdf"),
    path("invoices/<int:document_id>/cancel/", invoices.document_cancel, name="invoice-cancel"),
    path("partner-invoices/", partner_invoices.invoice_list, name="partner-invoices"),
    # A party's CDRs that no invoice names yet; then one invoice by its reference (a CiString,
    # which may hold a slash).
    path(
        "partner-invoices/<str:party>/",
        partner_invoices.invoice_detail,
        name="partner-not-invoiced",
    ),
    path(
        "partner-invoices/<str:party>/cdrs.csv",
        partner_invoices.invoice_csv,
        name="partner-not-invoiced-csv",
    ),
    path(
        "partner-invoices/<str:party>/<path:reference>/cdrs.csv",
        partner_invoices.invoice_csv,
        name="partner-invoice-csv",
    ),
    path(
        "partner-invoices/<str:party>/<path:reference>/",
        partner_invoices.invoice_detail,
        name="partner-invoice",
    ),
]
