from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from portal.driver import views as driver_views
from portal.driver.views import LoginView
from portal.web import views

app_name = "portal"

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    # The first addresses of a driver's invoices, as e-mails and bookmarks may still have them.
    path("invoices/", RedirectView.as_view(pattern_name="driver:invoices", permanent=True)),
    path("invoices/<int:document_id>.pdf", driver_views.invoice_pdf),
    path("partners/", views.partners, name="partners"),
    path("partners/handshake/", views.partner_handshake, name="partner-handshake"),
    path("partners/token-a/", views.partner_token_a, name="partner-token-a"),
    path("partners/<int:connection_id>/", views.partner, name="partner"),
    path(
        "partners/<int:connection_id>/move-party/",
        views.partner_move_party,
        name="partner-move-party",
    ),
    path(
        "partners/<int:connection_id>/checks/<int:check_id>/",
        views.partner_check,
        name="partner-check",
    ),
    path(
        "partners/<int:connection_id>/<str:action>/",
        views.partner_action,
        name="partner-action",
    ),
]
