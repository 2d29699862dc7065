"""A driver with a contract, two cards and priced sessions: the rows the driver-space tests read."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.models import DriverContract, DriverPrice, PricedCdr
from ocpi.modules.cdrs.models import Cdr
from ocpi.modules.tokens.models import Token

PASSWORD = "s3cret-pw"


@dataclass
class SeededDriver:
    user: object
    contract: DriverContract
    cdrs: list[Cdr] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)


def token(uid: str, contract_id: str, *, valid: bool = True) -> Token:
    """A card of our eMSP (NL-TME) under the contract."""
    return Token.objects.create(
        country_code="NL",
        party_id="TME",
        ocpi_id=uid,
        token_type="RFID",
        contract_id=contract_id,
        valid=valid,
        whitelist="ALLOWED",
        last_updated=datetime(2026, 1, 1, tzinfo=UTC),
        document={
            "country_code": "NL",
            "party_id": "TME",
            "uid": uid,
            "type": "RFID",
            "contract_id": contract_id,
            "visual_number": uid,
            "issuer": "Test Mobility eMSP",
            "valid": valid,
            "whitelist": "ALLOWED",
            "last_updated": "2026-01-01T00:00:00Z",
        },
    )


def session(
    contract: DriverContract,
    *,
    number: int,
    start: datetime,
    energy: str,
    station_cost: str,
    incl_vat: str,
    excl_vat: str,
    location: tuple[str, str, str, str] = ("LOC1", "Stationsweg", "Stationsweg 4", "Delft"),
    time_zone: str = "Europe/Amsterdam",
) -> Cdr:
    """A CDR of the contract priced by billing: the operator's charges (energy at 0.40/kWh, the
    rest a start fee) and the driver's price under a markup contract at 21% VAT."""
    location_id, name, address, city = location
    cost = Decimal(station_cost)
    energy_kwh = Decimal(energy)
    energy_cost = energy_kwh * Decimal("0.40")
    cdr = Cdr.objects.create(
        country_code="NL",
        party_id="TMC",
        ocpi_id=f"{contract.user.username.upper()}-CDR{number}",
        last_updated=start + timedelta(hours=2),
        document={
            "cdr_location": {
                "id": location_id,
                "name": name,
                "address": address,
                "postal_code": "2611 AB",
                "city": city,
                "country": "NLD",
            },
            "charging_periods": [{"start_date_time": start.strftime("%Y-%m-%dT%H:%M:%SZ")}],
        },
        start_date_time=start,
        end_date_time=start + timedelta(minutes=90),
        location_id=location_id,
        token_country_code="NL",
        token_party_id="TME",
        token_uid="04AABBCCDD0001",
        contract_id=contract.contract_id,
        currency="EUR",
        total_cost_excl_vat=cost,
        total_energy=energy_kwh,
        total_time=Decimal("1.5"),
    )

    def charge(dimension: str, price: str, volume: Decimal, amount: Decimal) -> dict:
        return {
            "period": 0,
            "dimension": dimension,
            "tariff_id": "T1",
            "price": price,
            "step_size": 1,
            "volume": str(volume),
            "cost": {"excl_vat": str(amount), "incl_vat": str(amount * Decimal("1.21"))},
            "step_rounding": False,
        }

    PricedCdr.objects.create(
        cdr=cdr,
        verdict="MATCH",
        currency="EUR",
        time_zone=time_zone,
        tariff_source="STORED",
        total_cost_excl_vat=cost,
        total_cost_incl_vat=cost * Decimal("1.21"),
        breakdown=[
            charge("ENERGY", "0.40", energy_kwh, energy_cost),
            charge("FLAT", "1", Decimal(1), cost - energy_cost),
        ],
        priced_at=timezone.now(),
    )
    DriverPrice.objects.create(
        cdr=cdr,
        contract=contract,
        method="MARKUP",
        currency="EUR",
        excl_vat=Decimal(excl_vat),
        incl_vat=Decimal(incl_vat),
        vat_rate=Decimal("21"),
        explanation=f"CPO cost {cost} EUR excl. VAT + 10% + session fee 0.35 EUR, VAT 21%",
        priced_at=timezone.now(),
    )
    return cdr


def seed_driver(username: str = "dora", contract_id: str = "NL-TME-C12345678-X") -> SeededDriver:
    """Three sessions in January 2026 on Delft's clock (one started 23:30 UTC on 31 December,
    already January there), one in February, and two cards, one of them blocked."""
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    contract = DriverContract.objects.create(
        contract_id=contract_id,
        user=user,
        name=username.title(),
        markup_percent=Decimal(10),
        session_fee=Decimal("0.35"),
        vat_rate=Decimal(21),
    )
    seeded = SeededDriver(user=user, contract=contract)
    starts = [
        datetime(2025, 12, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 1, 5, 17, 30, tzinfo=UTC),
        datetime(2026, 1, 20, 8, 0, tzinfo=UTC),
        datetime(2026, 2, 3, 12, 0, tzinfo=UTC),
    ]
    prices = [
        ("12.5", "6.00", "6.95", "8.41"),
        ("30", "13.00", "14.65", "17.73"),
        ("7.25", "3.90", "4.64", "5.61"),
        ("20", "9.00", "10.25", "12.40"),
    ]
    elsewhere = ("LOC2", "Marktplein", "Markt 1", "Utrecht")
    for number, (start, (energy, cost, excl, incl)) in enumerate(zip(starts, prices, strict=True)):
        seeded.cdrs.append(
            session(
                contract,
                number=number + 1,
                start=start,
                energy=energy,
                station_cost=cost,
                excl_vat=excl,
                incl_vat=incl,
                location=elsewhere if number == 2 else session.__kwdefaults__["location"],
            )
        )
    seeded.tokens = [
        token(f"04{username.upper()}0001", contract.contract_id),
        token(f"04{username.upper()}0002", contract.contract_id, valid=False),
    ]
    return seeded


def invoice_driver(seeded: SeededDriver, *, own_party, period: str = "2026-01"):
    """Bill the driver's sessions of `period` through the real services: their billing account
    (with our eMSP as issuer) and the issued invoice."""
    from billing.invoices import services
    from billing.invoices.models import BillingAccount, Issuer, VatRate
    from tests.support.invoices import issuer_for

    # The migration seeds this rate; a transactional test's flush has removed it.
    VatRate.objects.get_or_create(
        country="NL", valid_from=date(2024, 1, 1), defaults={"rate": Decimal(21)}
    )
    issuer = Issuer.objects.filter(own_party=own_party).first() or issuer_for(own_party)
    account, _created = BillingAccount.objects.get_or_create(
        contract=seeded.contract,
        defaults={
            "kind": BillingAccount.Kind.DRIVER,
            "issuer": issuer,
            "name": seeded.contract.name,
            "street": "Oude Delft 1",
            "postcode": "2611 BA",
            "city": "Delft",
            "country": "NL",
        },
    )
    billing = services.account_bill(account=account, period=services.period_parse(period))
    assert len(billing.documents) == 1, billing.held_back
    return billing.documents[0]
