"""Writes of the driver space: blocking a card, saving billing details and language."""

from django.db import transaction
from django.utils.translation import gettext as _

from billing.invoices.models import BillingAccount
from billing.invoices.selectors import driver_issuer
from ocpi.modules.tokens.models import Token
from portal.driver import selectors
from portal.staff.services import token_validity_set


class BillingDetailsError(Exception):
    """The details cannot be kept (no contract to bill, or invoicing not set up); in words."""


def driver_token_block(*, user, token_id: int) -> Token:
    """Block one of the driver's own cards or apps (valid: false). The tokens module pushes the
    change to every CPO we roam with, so the card stops working at their chargers too.
    Token.DoesNotExist when the token is not the driver's."""
    token = selectors.driver_token_get(user=user, token_id=token_id)
    return token_validity_set(token_pk=token.pk, valid=False)


@transaction.atomic
def driver_billing_details_save(*, user, **details) -> BillingAccount:
    """Save the driver's billing details and language on the billing account of each of their
    contracts, creating a missing account with our eMSP as issuer. The login's e-mail address
    follows the invoices' one, so a password reset reaches the driver where invoices do.
    Returns the first account."""
    contracts = list(selectors.driver_contracts(user=user).order_by("pk"))
    if not contracts:
        raise BillingDetailsError(_("There is no contract to bill yet."))
    accounts = {
        account.contract_id: account
        for account in BillingAccount.objects.select_for_update().filter(contract__in=contracts)
    }
    for contract in contracts:
        account = accounts.get(contract.pk)
        if account is None:
            issuer = driver_issuer(contract_id=contract.contract_id)
            if issuer is None:
                raise BillingDetailsError(_("Invoicing is not set up yet; try again later."))
            account = BillingAccount(
                kind=BillingAccount.Kind.DRIVER, issuer=issuer, contract=contract
            )
            accounts[contract.pk] = account
        for name, value in details.items():
            setattr(account, name, value)
        account.save()
    if user.email != details["email"]:
        user.email = details["email"]
        user.save(update_fields=["email"])
    return accounts[contracts[0].pk]
