"""Money: one home for a currency's minor unit, rounding, decimal parsing and the cost totals.

Amounts are `Decimal` with an ISO 4217 currency. They are rounded at two defined points only:
to 4 decimals where OCPI states an amount (`round_ocpi`), and to the currency's minor unit
(half-up) on an invoice line (`round_minor`). Minor units come from Babel's CLDR currency data.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision

ZERO = Decimal(0)
HUNDRED = Decimal(100)
OCPI_PLACES = Decimal("0.0001")

# Money columns: one precision everywhere an amount is stored. 18 digits hold what OCPI
# validation accepts (below 10**13, 4 decimals; ocpi/validation.py NUMBER_LIMIT) and the
# difference of two such amounts, as the CDR columns do.
MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 4

# The cost totals a CDR carries besides `total_cost`, in the order the spec lists them.
DIMENSION_TOTALS = (
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_fixed_cost",
    "total_reservation_cost",
)
COST_TOTALS = ("total_cost", *DIMENSION_TOTALS)


class MoneyError(ValueError):
    """A value that is not an amount; the message names the field."""


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest unit: 0.01 EUR, 1 JPY, 0.001 KWD (CLDR; unknown codes: 0.01)."""
    return Decimal(1).scaleb(-get_currency_precision((currency or "").upper() or "XXX"))


def round_minor(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half-up to the currency's minor unit, as on an invoice line."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def round_ocpi(amount: Decimal) -> Decimal:
    """`amount` rounded half-up to the 4 decimals OCPI amounts carry."""
    return amount.quantize(OCPI_PLACES, rounding=ROUND_HALF_UP)


def parse_decimal_strict(value: object, field: str) -> Decimal:
    """A JSON number (int, float, Decimal or numeric string) as an exact finite Decimal.

    Raises MoneyError naming `field` for anything else (None, booleans, NaN, text).
    """
    if value is None or isinstance(value, bool):
        raise MoneyError(f"{field}: a number is required, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{field}: {value!r} is not a number") from None
    if not number.is_finite():
        raise MoneyError(f"{field}: {value!r} is not a finite number")
    return number


def parse_decimal_lenient(value: object) -> Decimal | None:
    """Like `parse_decimal_strict`, but None for an absent or unreadable value."""
    try:
        return parse_decimal_strict(value, "value")
    except MoneyError:
        return None
