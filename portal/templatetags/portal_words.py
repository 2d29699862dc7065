"""{{ text|partner_error }}: a stored partner call failure in words (portal.staff.wording)."""

from django import template

from portal.staff.wording import partner_error_in_words

register = template.Library()
register.filter("partner_error", partner_error_in_words)
