from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from portal.health import health


def _auth(view, template: str, **options):
    return view.as_view(template_name=f"portal/auth/{template}.html", **options)


# Password reset by e-mail, with Django's own views and our templates.
password_reset_urls = [
    path(
        "password-reset/",
        _auth(
            auth_views.PasswordResetView,
            "password_reset_form",
            email_template_name="portal/auth/password_reset_email.txt",
            subject_template_name="portal/auth/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        _auth(auth_views.PasswordResetDoneView, "password_reset_done"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        _auth(
            auth_views.PasswordResetConfirmView,
            "password_reset_confirm",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        _auth(auth_views.PasswordResetCompleteView, "password_reset_complete"),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("ocpi/", include("ocpi.urls")),
    path("health", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("portal.staff.urls")),
    path("me/", include("portal.driver.urls")),
    *password_reset_urls,
    path("", include("portal.web.urls")),
]
