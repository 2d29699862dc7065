from django.urls import re_path

from ocpi.endpoints import RECEIVER, SENDER
from ocpi.modules.tokens import views
from ocpi.modules.tokens.declaration import TOKENS

sender = TOKENS.endpoint(SENDER)

urlpatterns = [
    re_path(sender.route(r"/?$"), views.TokenListView.as_view(), name="tokens-sender"),
    re_path(
        sender.route(r"/(?P<token_uid>[^/]+)/authorize/?$"),
        views.TokenAuthorizeView.as_view(),
        name="tokens-authorize",
    ),
    re_path(
        TOKENS.endpoint(RECEIVER).route(
            r"/(?P<country_code>[^/]+)/(?P<party_id>[^/]+)/(?P<token_uid>[^/]+)/?$"
        ),
        views.TokenReceiverView.as_view(),
        name="tokens-receiver",
    ),
]
