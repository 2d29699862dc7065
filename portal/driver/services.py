"""Writes of the driver space: blocking a card, saving billing details and language."""

from django.db import transaction

from ocpi.modules.tokens.models import Token
from portal.driver import selectors
from portal.driver.models import DriverProfile
from portal.staff.services import token_validity_set


def driver_token_block(*, user, token_id: int) -> Token:
    """Block one of the driver's own cards or apps (valid: false). The tokens module pushes the
    change to every CPO we roam with, so the card stops working at their chargers too.
    Token.DoesNotExist when the token is not the driver's."""
    token = selectors.driver_token_get(user=user, token_id=token_id)
    return token_validity_set(token_pk=token.pk, valid=False)


@transaction.atomic
def driver_profile_save(*, user, email: str, **details) -> DriverProfile:
    """Save the driver's billing details and language; the e-mail address is the user's own."""
    profile, _created = DriverProfile.objects.select_for_update().get_or_create(user=user)
    for name, value in details.items():
        setattr(profile, name, value)
    profile.save()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    return profile
