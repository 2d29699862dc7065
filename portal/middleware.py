"""Middleware of the portal pages: their language and their content security policy."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything the pages load comes from us: one stylesheet, inline SVG charts, no script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
OCPI_PREFIX = "/ocpi/"


class ContentSecurityPolicyMiddleware:
    """Send the policy with every answer that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


class PortalLocaleMiddleware(LocaleMiddleware):
    """The reader's language on portal pages; the OCPI API answers partners in English only,
    whatever their Accept-Language says, so that its messages stay what the logs and tests read."""

    def process_request(self, request):
        if request.path.startswith(OCPI_PREFIX):
            # Not the language a previous request left active in this thread.
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith(OCPI_PREFIX):
            return response
        return super().process_response(request, response)
