"""Rows for portal tests: CDRs with billing's verdict, staff users with a role."""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from billing.models import PricedCdr
from ocpi.modules.cdrs.models import Cdr

_numbers = count(1)


def staff_member(role: str, username: str | None = None):
    user = get_user_model().objects.create_user(username or role, password="pw")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_cdr(
    *,
    start: datetime,
    energy: str = "10",
    cost: str = "5.00",
    currency: str = "EUR",
    verdict: str | None = "MATCH",
    our_cost: str | None = None,
    time_zone: str = "Europe/Amsterdam",
    source=None,
    party: tuple[str, str] = ("NL", "TMC"),
    location_id: str = "LOC1",
    contract_id: str = "NL-TME-C00000001-A",
    cost_incl_vat: str | None = None,
    invoice_reference: str | None = None,
) -> Cdr:
    """A stored CDR and, unless verdict is None, billing's priced row for it; `invoice_reference`
    is the `invoice_reference_id` its document names."""
    number = next(_numbers)
    document = {"id": f"CDR{number:06d}", "cdr_location": {"id": location_id}}
    if invoice_reference is not None:
        document["invoice_reference_id"] = invoice_reference
    cdr = Cdr.objects.create(
        country_code=party[0],
        party_id=party[1],
        ocpi_id=f"CDR{number:06d}",
        last_updated=start + timedelta(hours=1),
        document=document,
        source=source,
        start_date_time=start,
        end_date_time=start + timedelta(hours=1),
        location_id=location_id,
        token_country_code="NL",
        token_party_id="TME",
        token_uid=f"TOKEN{number}",
        contract_id=contract_id,
        currency=currency,
        total_cost_excl_vat=Decimal(cost),
        total_cost_incl_vat=Decimal(cost_incl_vat) if cost_incl_vat is not None else None,
        total_energy=Decimal(energy),
        total_time=Decimal(1),
    )
    if verdict is not None:
        ours = Decimal(our_cost if our_cost is not None else cost)
        PricedCdr.objects.create(
            cdr=cdr,
            verdict=verdict,
            currency=currency,
            time_zone=time_zone,
            tariff_source=PricedCdr.TariffSource.EMBEDDED,
            total_cost_excl_vat=ours,
            total_cost_incl_vat=ours * Decimal("1.21"),
            difference_excl_vat=Decimal(cost) - ours if verdict == "MISMATCH" else None,
            priced_at=timezone.now(),
        )
    return cdr
