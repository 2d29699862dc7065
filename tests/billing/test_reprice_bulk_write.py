"""The bulk writer of re-pricing stores every value exactly as given."""

from datetime import UTC, datetime
from decimal import Decimal

from billing.cdr_pricing import bulk
from billing.models import PricedCdr
from ocpi.modules.cdrs import services as cdrs
from tests.support.priced_cdrs import cdr

AWKWARD_TEXT = 'tab\there, newline\nthere, back\\slash, "quotes", Zürich €, \\N'


def priced_row(cdr_id: int, **values) -> dict:
    row = {field.attname: None for field in PricedCdr._meta.concrete_fields}
    row.update(
        cdr_id=cdr_id,
        verdict="UNPRICEABLE",
        reason=AWKWARD_TEXT,
        currency="EUR",
        time_zone="",
        tariff_source="NONE",
        tariffs=[],
        differing_dimensions=[],
        breakdown=[],
        warnings=[],
        options={},
        priced_at=datetime(2025, 3, 14, 12, 0, tzinfo=UTC),
    )
    row.update(values)
    return row


def test_text_json_and_decimals_survive_the_copy_and_the_replacement(partner):
    stored = cdrs.store_from_partner(connection=partner, document=cdr(tariff_id=None)).instance
    breakdown = [{"cost": {"excl_vat": Decimal("0.1000")}, "volume": Decimal("12.345678")}]
    warnings = [{"code": "X", "message": AWKWARD_TEXT, "period": None}]
    big = {"count": 2**70, "ratio": 0.1}

    bulk.upsert(PricedCdr, [priced_row(stored.pk, reason="first")])
    bulk.upsert(
        PricedCdr,
        [
            priced_row(
                stored.pk,
                total_cost_excl_vat=Decimal("-1.2345"),
                breakdown=breakdown,
                warnings=warnings,
                options=big,
            )
        ],
    )

    priced = PricedCdr.objects.get(pk=stored.pk)
    assert priced.reason == AWKWARD_TEXT
    assert priced.total_cost_excl_vat == Decimal("-1.2345")
    # Amounts in the JSON columns are exact decimal strings.
    assert priced.breakdown == [{"cost": {"excl_vat": "0.1000"}, "volume": "12.345678"}]
    assert priced.warnings == warnings
    assert priced.options == big
