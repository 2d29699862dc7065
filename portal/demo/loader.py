"""Load the demo data through the same services the OCPI interfaces use.

Idempotent: users and parties are created only when missing, and an object is saved only when
its stored document differs from the generated one, so a second run changes nothing and pushes
nothing to partners.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from ocpi.credentials.services import ensure_own_parties
from ocpi.models import OwnParty
from ocpi.modules.locations.models import Location
from ocpi.modules.locations.services import location_save_own
from ocpi.modules.tariffs.models import Tariff
from ocpi.modules.tariffs.services import tariff_save_own
from ocpi.modules.tokens.models import Token
from ocpi.modules.tokens.services import token_save_own
from ocpi.objects import OcpiObject
from portal.demo import documents

DEMO_USERS = {
    # username: (password, staff and superuser)
    "staff": ("staff", True),
    "driver": ("driver", False),
}


@dataclass
class DemoSummary:
    parties: list[OwnParty]
    # Per kind of object: how many of our own are stored, and how many this run saved.
    stored: dict[str, int] = field(default_factory=dict)
    saved: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def demo_load(*, seed: int, location_count: int, token_count: int) -> DemoSummary:
    _ensure_users()
    summary = DemoSummary(parties=ensure_own_parties())
    cpo = next((party for party in summary.parties if party.role == "CPO"), None)
    if cpo is not None:
        cpo_key = (cpo.country_code, cpo.party_id)
        # Tariffs first: the locations' connectors refer to them.
        summary.saved["tariffs"] = _save_changed(
            Tariff,
            party=cpo,
            documents=documents.tariff_documents(party=cpo_key),
            save=tariff_save_own,
        )
        summary.saved["locations"] = _save_changed(
            Location,
            party=cpo,
            documents=documents.location_documents(
                seed=seed, party=cpo_key, operator_name=cpo.name, count=location_count
            ),
            save=location_save_own,
        )
    emsp = next((party for party in summary.parties if party.role == "EMSP"), None)
    if emsp is not None:
        summary.saved["tokens"] = _save_changed(
            Token,
            party=emsp,
            documents=documents.token_documents(
                seed=seed,
                party=(emsp.country_code, emsp.party_id),
                issuer=emsp.name,
                count=token_count,
            ),
            save=token_save_own,
            id_field="uid",
        )
    for name, model in (("tariffs", Tariff), ("locations", Location), ("tokens", Token)):
        summary.stored[name] = model.objects.filter(source=None).count()
    return summary


def _ensure_users() -> None:
    users = get_user_model()
    for username, (password, staff) in DEMO_USERS.items():
        user, created = users.objects.get_or_create(
            username=username, defaults={"is_staff": staff, "is_superuser": staff}
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])


def _save_changed(
    model: type[OcpiObject],
    *,
    party: OwnParty,
    documents: list[dict],
    save: Callable[..., object],
    id_field: str = "id",
) -> int:
    """Save the documents whose stored version differs; returns how many were saved."""
    stored = dict(
        model.objects.filter(
            country_code=party.country_code, party_id=party.party_id, source=None
        ).values_list("ocpi_id", "document")
    )
    changed = [doc for doc in documents if stored.get(doc[id_field].upper()) != doc]
    for document in changed:
        save(party=party, document=document)
    return len(changed)
