from django.urls import re_path

from ocpi.modules.tokens import views

ENDPOINTS = [views.EMSP_SENDER, views.CPO_RECEIVER]

urlpatterns = [
    re_path(r"^emsp/tokens/?$", views.TokenListView.as_view(), name="tokens-sender"),
    re_path(
        r"^emsp/tokens/(?P<token_uid>[^/]+)/authorize/?$",
        views.TokenAuthorizeView.as_view(),
        name="tokens-authorize",
    ),
    re_path(
        r"^cpo/tokens/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<token_uid>[^/]+)/?$",
        views.TokenReceiverView.as_view(),
        name="tokens-receiver",
    ),
]
