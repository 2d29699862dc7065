"""Writes of the staff back office; each calls the project's own services underneath."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from billing.invoices.models import InvoiceRun, InvoiceRunItem
from billing.invoices.services import invoice_run_start
from billing.invoices.tasks import invoice_run_item_task
from billing.models import DriverContract
from ocpi.models import Connection, OwnParty, Role
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_save_own
from ocpi.sync.models import PushDelivery
from ocpi.sync.push import push_deliveries_retry
from ocpi.sync.selectors import pulled_modules
from ocpi.sync.tasks import deliver_push, pull_partner_module


class StaffActionError(Exception):
    """The action cannot be done; the message says why, in words."""


def _ocpi_now() -> str:
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def _own_emsp(country_code: str, party_id: str) -> OwnParty:
    party = OwnParty.objects.filter(
        country_code=country_code, party_id=party_id, role=Role.EMSP
    ).first()
    if party is None:
        raise StaffActionError("The token does not belong to one of our eMSP parties.")
    return party


def token_validity_set(*, token_pk: int, valid: bool) -> Token:
    """Block (valid: false) or unblock one of our eMSP's tokens; the change is pushed (PUT) to
    every CPO we roam with by the tokens module."""
    token = Token.objects.filter(pk=token_pk, source=None).first()
    if token is None:
        raise StaffActionError("No such token of ours.")
    if token.valid == valid:
        return token
    document = {**token.document, "valid": valid, "last_updated": _ocpi_now()}
    token_save_own(party=_own_emsp(token.country_code, token.party_id), document=document)
    token.refresh_from_db()
    return token


def contract_token_issue(
    *, contract: DriverContract, token_type: str, uid: str, visual_number: str = ""
) -> Token:
    """A new token of our eMSP under the contract, pushed to the CPOs like any change."""
    party = OwnParty.objects.filter(role=Role.EMSP).order_by("pk").first()
    if party is None:
        raise StaffActionError("We have no eMSP party to issue tokens for.")
    if Token.objects.filter(
        country_code=party.country_code, party_id=party.party_id, ocpi_id=uid.upper()
    ).exists():
        raise StaffActionError(f"A token with the uid {uid} exists already.")
    document = {
        "country_code": party.country_code,
        "party_id": party.party_id,
        "uid": uid,
        "type": token_type,
        "contract_id": contract.contract_id,
        "issuer": party.name,
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": _ocpi_now(),
    }
    if visual_number:
        document["visual_number"] = visual_number
    return token_save_own(party=party, document=document).instance


def connection_pull_now(*, connection: Connection) -> list[str]:
    """Queue a pull of every module the partner sends; returns the modules."""
    if connection.status != Connection.Status.REGISTERED:
        raise StaffActionError("Only a registered partner can be pulled from.")
    modules = pulled_modules(connection=connection)
    if not modules:
        raise StaffActionError("The partner offers no module we pull.")
    for module in modules:
        transaction.on_commit(
            lambda module=module: pull_partner_module.delay(connection.pk, module)
        )
    return modules


@transaction.atomic
def connection_push_now(*, connection: Connection) -> int:
    """Send the waiting and failed deliveries to the partner again; returns how many."""
    if connection.status != Connection.Status.REGISTERED:
        raise StaffActionError("Only a registered partner can be pushed to.")
    deliveries = PushDelivery.objects.filter(connection=connection)
    pending = list(
        deliveries.filter(status=PushDelivery.Status.PENDING).values_list("pk", flat=True)
    )
    failed = list(deliveries.filter(status=PushDelivery.Status.FAILED).values_list("pk", flat=True))
    for delivery_id in pending:
        transaction.on_commit(lambda delivery_id=delivery_id: deliver_push.delay(delivery_id))
    # Failed ones are queued by redeliver itself, unless a later change overtook them.
    return len(pending) + (push_deliveries_retry(delivery_ids=failed) if failed else 0)


def invoice_run_queue(*, period: str) -> InvoiceRun:
    """Start (or resume) the run of a period for every due account; its pending accounts are
    billed by tasks, queued once the run is committed."""
    with transaction.atomic():
        run = invoice_run_start(period=period)
        pending = list(
            run.items.filter(status=InvoiceRunItem.Status.PENDING).values_list("pk", flat=True)
        )
        for item_id in pending:
            transaction.on_commit(partial(invoice_run_item_task.delay, item_id))
    return run
