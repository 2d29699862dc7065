"""Load the demo data through the same services the OCPI interfaces use.

Idempotent: users and parties are created only when missing; an object is saved only when it is
missing or its stored version is an older, different one (charging changes EVSE statuses later,
and those newer states are kept); a session already charged is not charged again. A second run
therefore changes nothing and pushes nothing to partners.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from billing.invoices.models import BillingAccount, Issuer
from billing.models import DriverContract
from chargepoints import callbacks
from chargepoints.simulator import SimulatorAdapter
from ocpi.credentials.services import own_parties_ensure
from ocpi.models import OwnParty
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.locations.models import Location
from ocpi.modules.locations.services import location_save_own
from ocpi.modules.sessions.models import Session
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tariffs.services import tariff_save_own
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_save_own
from ocpi.objects import OcpiObject
from ocpi.timestamps import parse_timestamp
from portal.demo import documents

DEMO_USERS = {
    # username: (password, staff and superuser)
    "staff": ("staff", True),
    "driver": ("driver", False),
}
DRIVER = "driver"
STORED_KINDS = {
    "Tariffs": Tariff,
    "Locations": Location,
    "Tokens": Token,
    "Sessions": Session,
    "CDRs": Cdr,
}


@dataclass
class DemoSummary:
    parties: list[OwnParty]
    # Per kind of object (its display name): how many of ours are stored, how many this run saved.
    stored: dict[str, int] = field(default_factory=dict)
    saved: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def demo_load(
    *, seed: int, location_count: int, token_count: int, session_count: int
) -> DemoSummary:
    users = _ensure_users()
    summary = DemoSummary(parties=own_parties_ensure())
    cpo = _first_with_role(summary.parties, "CPO")
    emsp = _first_with_role(summary.parties, "EMSP")
    locations, tokens = [], []
    if cpo is not None:
        cpo_key = (cpo.country_code, cpo.party_id)
        locations = documents.location_documents(
            seed=seed, party=cpo_key, operator_name=cpo.name, count=location_count
        )
        # Tariffs first: the locations' connectors refer to them.
        summary.saved["Tariffs"] = _save_changed(
            Tariff,
            party=cpo,
            documents=documents.tariff_documents(party=cpo_key),
            save=tariff_save_own,
        )
        summary.saved["Locations"] = _save_changed(
            Location, party=cpo, documents=locations, save=location_save_own
        )
    if emsp is not None:
        tokens = documents.token_documents(
            seed=seed,
            party=(emsp.country_code, emsp.party_id),
            issuer=emsp.name,
            count=token_count,
        )
        summary.saved["Tokens"] = _save_changed(
            Token, party=emsp, documents=tokens, save=token_save_own, id_field="uid"
        )
        _ensure_driver_contract(users[DRIVER], token=tokens[0])
    _ensure_billing(summary.parties, driver_contract_id=tokens[0]["contract_id"] if tokens else "")
    if cpo is not None and tokens:
        plans = documents.session_plans(
            seed=seed, locations=locations, tokens=tokens, count=session_count
        )
        summary.saved["Sessions"] = summary.saved["CDRs"] = _charge(cpo, plans)
    for name, model in STORED_KINDS.items():
        summary.stored[name] = model.objects.filter(source=None).count()
    return summary


def _first_with_role(parties: list[OwnParty], role: str) -> OwnParty | None:
    return next((party for party in parties if party.role == role), None)


def _ensure_users() -> dict:
    users = {}
    for username, (password, staff) in DEMO_USERS.items():
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": staff, "is_superuser": staff}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        users[username] = user
    return users


def _ensure_driver_contract(user, *, token: dict) -> None:
    """The demo driver's contract: the first token is theirs, priced at cost plus a markup."""
    DriverContract.objects.get_or_create(
        contract_id=token["contract_id"].upper(),
        defaults={
            "user": user,
            "name": "Demo driver",
            "method": DriverContract.Method.MARKUP,
            "markup_percent": Decimal("15"),
            "session_fee": Decimal("0.35"),
            "vat_rate": Decimal("21"),
        },
    )


def _ensure_billing(parties: list[OwnParty], *, driver_contract_id: str) -> None:
    """Our parties as issuers of documents, and the demo driver's billing account (monthly):
    `manage.py invoice_run --period 2026-01` then bills the demo sessions."""
    for party in parties:
        Issuer.objects.get_or_create(
            own_party=party,
            defaults={
                "name": f"{party.name} B.V.",
                "street": "Stationsplein 1",
                "postcode": "3511 ED",
                "city": "Utrecht",
                "country": party.country_code,
                "vat_id": "NL004495445B01",
                "registration": "KvK 30123456",
                "email": "billing@example.com",
                "iban": "NL91ABNA0417164300",
                "bic": "ABNANL2A",
                "footer": f"{party.name} B.V. · Stationsplein 1 · 3511 ED Utrecht",
            },
        )
    emsp = _first_with_role(parties, "EMSP")
    contract = DriverContract.objects.filter(contract_id=driver_contract_id.upper()).first()
    if emsp is None or contract is None:
        return
    BillingAccount.objects.get_or_create(
        contract=contract,
        defaults={
            "kind": BillingAccount.Kind.DRIVER,
            "issuer": emsp.issuer,
            "name": "Demo Driver",
            "street": "Oudegracht 100",
            "postcode": "3511 AX",
            "city": "Utrecht",
            "country": "NL",
            "email": "driver@example.com",
        },
    )


def _save_changed(
    model: type[OcpiObject],
    *,
    party: OwnParty,
    documents: list[dict],
    save: Callable[..., object],
    id_field: str = "id",
) -> int:
    """Save the documents that are missing or older and different; returns how many."""
    stored = {
        ocpi_id: (document, last_updated)
        for ocpi_id, document, last_updated in model.objects.filter(
            country_code=party.country_code, party_id=party.party_id, source=None
        ).values_list("ocpi_id", "document", "last_updated")
    }
    saved = 0
    for document in documents:
        current = stored.get(document[id_field].upper())
        if current is None or (
            current[0] != document
            and current[1] <= parse_timestamp(document["last_updated"], "last_updated")
        ):
            save(party=party, document=document)
            saved += 1
    return saved


def _charge(cpo: OwnParty, plans: list[documents.SessionPlan]) -> int:
    """Charge the planned sessions not charged yet, as the simulated charge points report them:
    start, the meter reading when the car is full, the end with its priced CDR."""
    charged = set(
        Session.objects.filter(
            country_code=cpo.country_code, party_id=cpo.party_id, source=None
        ).values_list("ocpi_id", flat=True)
    )
    simulator = SimulatorAdapter()
    count = 0
    for plan in plans:
        if plan.session_id.upper() in charged:
            continue
        session = callbacks.session_started(
            party=cpo,
            session_id=plan.session_id,
            location_id=plan.location_id,
            evse_uid=plan.evse_uid,
            connector_id=plan.connector_id,
            token=plan.token,
            started_at=plan.started_at,
            auth_method="WHITELIST",
        )
        energy = simulator.bring_up_to_date(cpo, session, plan.ended_at)
        callbacks.session_ended(
            party=cpo, session_id=plan.session_id, ended_at=plan.ended_at, energy_kwh=energy
        )
        count += 1
    return count
