from django.urls import path

from portal.driver import views

app_name = "driver"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("sessions/<int:cdr_id>/", views.receipt, name="receipt"),
    path("report/", views.report, name="report"),
    path("report/<int:year>.csv", views.report_csv, name="report-csv"),
    path("cards/", views.cards, name="cards"),
    path("cards/<int:token_id>/block/", views.card_block, name="card-block"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:document_id>.pdf", views.invoice_pdf, name="invoice-pdf"),
    path("details/", views.profile, name="profile"),
]
