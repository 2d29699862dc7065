"""Pricing a CDR with OCPI 2.2.1 tariffs; docs/pricing.md explains every rule used here."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import ROUND_CEILING, Context, Decimal, localcontext
from operator import attrgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from billing.money import DIMENSION_TOTALS, ZERO

from .options import DEFAULT_OPTIONS, FlatFeeMoment, PricingOptions
from .periods import (
    SECONDS_PER_HOUR,
    WH_PER_KWH,
    ChargingPeriod,
    Session,
    read_session,
    seconds_in,
)
from .result import Charge, Price, PricedCdr, PricingWarning
from .tariff import (
    CHARGING,
    RESERVATION,
    RESERVATION_EXPIRES,
    PriceComponent,
    Tariff,
    TariffElement,
    compile_tariff,
)
from .values import PricingInputError, is_json_object, ocpi_list
from .zones import zone_from_cdr_location

# Enough digits that sums and products of OCPI amounts stay exact; only the division of
# seconds into hours can leave a remainder, far below the final 4-decimal rounding.
EXACT = Context(prec=50)

ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Dimension:
    """A volume a tariff prices per unit, and where its cost goes."""

    name: str  # as in the CDR
    component_type: str  # the price component that prices it
    total: str
    units_per_ocpi_unit: Decimal  # step units (Wh, seconds) in a kWh or an hour
    volume: Callable[[ChargingPeriod], Decimal]  # in step units


ENERGY = Dimension("ENERGY", "ENERGY", "total_energy_cost", WH_PER_KWH, attrgetter("energy"))
TIME = Dimension("TIME", "TIME", "total_time_cost", SECONDS_PER_HOUR, attrgetter("charging_time"))
PARKING_TIME = Dimension(
    "PARKING_TIME",
    "PARKING_TIME",
    "total_parking_cost",
    SECONDS_PER_HOUR,
    attrgetter("parking_time"),
)
RESERVATION_TIME = Dimension(
    "RESERVATION_TIME",
    "TIME",
    "total_reservation_cost",
    SECONDS_PER_HOUR,
    attrgetter("reservation_time"),
)
CHARGING_DIMENSIONS = (ENERGY, TIME, PARKING_TIME)


def price_cdr(
    cdr: Mapping,
    tariffs: Sequence[Tariff | Mapping] | None = None,
    tz: tzinfo | str | None = None,
    options: PricingOptions = DEFAULT_OPTIONS,
) -> PricedCdr:
    """Price an OCPI 2.2.1 CDR from its charging periods.

    `tariffs` replace the CDR's own `tariffs` when given; pass compiled tariffs
    (`compile_tariff`) to price many CDRs quickly. `tz` is the zone of the location;
    without it the CDR's location decides. Raises PricingInputError for unusable input.
    """
    if not is_json_object(cdr):
        raise PricingInputError("a CDR must be a JSON object")
    with localcontext(EXACT):
        warnings: list[PricingWarning] = []
        zone = _choose_zone(tz, cdr, options, warnings)
        session = read_session(cdr, zone, options, warnings)
        choice = _TariffChoice(_compile_all(cdr, tariffs), session.start, cdr, options, warnings)
        return _Pricing(session, choice, options, warnings).run(cdr, zone)


def _choose_zone(
    tz: tzinfo | str | None, cdr: Mapping, options: PricingOptions, warnings: list
) -> tzinfo:
    if isinstance(tz, str):
        return _zone_named(tz)
    if tz is not None:
        return tz
    zone, problem = zone_from_cdr_location(cdr.get("cdr_location"))
    if zone is None:
        zone = _zone_named(options.fallback_time_zone)
        problem = f"{problem}; restrictions are evaluated in {zone}"
    if problem is not None:
        warnings.append(PricingWarning("TIME_ZONE", problem))
    return zone


def _zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PricingInputError(f"unknown time zone {name!r}") from None


def _compile_all(cdr: Mapping, tariffs: Sequence[Tariff | Mapping] | None) -> list[Tariff]:
    if tariffs is None:
        tariffs = ocpi_list(cdr.get("tariffs"), "tariffs")
    return [tariff if isinstance(tariff, Tariff) else compile_tariff(tariff) for tariff in tariffs]


class _TariffChoice:
    """Which tariff prices a period: its `tariff_id`'s, else the one valid at the CDR start."""

    def __init__(
        self,
        tariffs: list[Tariff],
        cdr_start: datetime,
        cdr: Mapping,
        options: PricingOptions,
        warnings: list[PricingWarning],
    ):
        self.cdr_start = cdr_start
        self.currency = cdr.get("currency")
        self.warnings = warnings
        self.checked: set[int] = set()  # ids of the tariffs whose warnings were given
        self.unknown_ids: set[str] = set()
        self.by_id: dict[str | None, Tariff] = {}
        for tariff in tariffs:
            known = self.by_id.get(tariff.id)
            if known is None or (
                tariff.is_valid_at(cdr_start) and not known.is_valid_at(cdr_start)
            ):
                self.by_id[tariff.id] = tariff
        valid = [tariff for tariff in tariffs if tariff.is_valid_at(cdr_start)]
        if valid:
            self.default = valid[0]
        elif tariffs and options.fall_back_to_first_tariff:
            self.default = tariffs[0]
        else:
            self.default = None
            problem = "no tariff is valid at the CDR start" if tariffs else "no tariff was given"
            warnings.append(PricingWarning("NO_TARIFF", f"{problem}; the CDR is not priced"))

    def for_period(self, period: ChargingPeriod) -> Tariff | None:
        tariff = self.default
        if period.tariff_id is not None:
            tariff = self.by_id.get(period.tariff_id)
            if tariff is None:
                tariff = self.default
                if period.tariff_id not in self.unknown_ids:
                    self.unknown_ids.add(period.tariff_id)
                    self._warn(
                        "UNKNOWN_TARIFF_ID",
                        f"no tariff has id {period.tariff_id!r}; the default tariff prices it",
                        period.index,
                    )
        if tariff is not None and id(tariff) not in self.checked:
            self.checked.add(id(tariff))
            self._check(tariff)
        return tariff

    def _check(self, tariff: Tariff) -> None:
        if not tariff.is_valid_at(self.cdr_start):
            self._warn(
                "TARIFF_NOT_VALID_AT_START",
                f"tariff {tariff.id!r} is not valid at the CDR start {self.cdr_start.isoformat()}",
            )
        if self.currency and tariff.currency and tariff.currency != self.currency:
            self._warn(
                "CURRENCY_MISMATCH",
                f"tariff {tariff.id!r} is in {tariff.currency}, the CDR in {self.currency}",
            )
        for problem in tariff.problems:
            self._warn("TARIFF_PROBLEM", problem)
        if tariff.has_unseparated_taxes:
            self._warn(
                "TAXES_NOT_SEPARATED",
                f"tariff {tariff.id!r} includes taxes in prices that give no vat rate "
                "(tax_included YES): they cannot be separated, so those amounts are the same "
                "excl. and incl. VAT",
            )

    def _warn(self, code: str, message: str, period_index: int | None = None) -> None:
        self.warnings.append(PricingWarning(code, message, period_index))


@dataclass(slots=True)
class _StepState:
    """The volume a dimension billed so far, and who billed it last (for step_size)."""

    billed: Decimal
    period: ChargingPeriod
    tariff: Tariff
    element: TariffElement


class _Pricing:
    def __init__(
        self,
        session: Session,
        choice: _TariffChoice,
        options: PricingOptions,
        warnings: list[PricingWarning],
    ):
        self.session = session
        self.options = options
        self.warnings = warnings
        self.breakdown: list[Charge] = []
        # The cost totals, summed as lines are added to the breakdown (in its order).
        self.excl_vat = dict.fromkeys(DIMENSION_TOTALS, ZERO)
        self.incl_vat = dict.fromkeys(DIMENSION_TOTALS, ZERO)
        self.steps: dict[str, _StepState] = {}
        periods = session.periods
        # Most CDRs begin with a charging period: test it before walking them all.
        expired = (
            bool(periods)
            and periods[0].reservation_only
            and all(period.reservation_only for period in periods)
        )
        self.reservation_scope = RESERVATION_EXPIRES if expired else RESERVATION
        self.flat_fee_settled = False
        self.reservation_fee_settled = False
        self.choice = choice

    def run(self, cdr: Mapping, zone: tzinfo) -> PricedCdr:
        for period in self.session.periods:
            tariff = self.choice.for_period(period)
            if tariff is not None:
                self._price_period(period, tariff)
        self._round_steps()
        return self._result(cdr, zone)

    def _price_period(self, period: ChargingPeriod, tariff: Tariff) -> None:
        considered: dict[int, TariffElement] = {}
        charging = tariff.candidates[CHARGING]
        for dimension in CHARGING_DIMENSIONS:
            volume = dimension.volume(period)
            if volume:
                self._price_volume(period, tariff, dimension, volume, charging, considered)
        if period.reservation_time:
            reserving = tariff.candidates[self.reservation_scope]
            self._price_volume(
                period, tariff, RESERVATION_TIME, period.reservation_time, reserving, considered
            )
        if not self.flat_fee_settled and not period.reservation_only:
            self.flat_fee_settled = self._charge_flat(period, tariff, CHARGING, "total_fixed_cost")
            if self.options.flat_fee_moment is FlatFeeMoment.FIRST_PERIOD:
                self.flat_fee_settled = True
        if not self.reservation_fee_settled and period.reservation_time:
            self.reservation_fee_settled = self._charge_flat(
                period, tariff, self.reservation_scope, "total_reservation_cost"
            )
        self._warn_about_boundaries(period, tariff, considered)

    def _price_volume(
        self,
        period: ChargingPeriod,
        tariff: Tariff,
        dimension: Dimension,
        volume: Decimal,
        in_scope: Mapping[str, tuple[TariffElement, ...]],
        considered: dict[int, TariffElement],
    ) -> None:
        candidates = in_scope[dimension.component_type]
        element = _first_match(candidates, period, considered)
        if element is None:
            if candidates:
                self.warnings.append(
                    PricingWarning(
                        "NO_MATCHING_ELEMENT",
                        f"no element of tariff {tariff.id!r} prices {dimension.name} "
                        "at the period start; that volume is free",
                        period.index,
                    )
                )
            return
        self._charge(period, dimension, tariff, element, volume, step_rounding=False)
        state = self.steps.get(dimension.name)
        if state is None:
            self.steps[dimension.name] = _StepState(volume, period, tariff, element)
        else:
            state.billed += volume
            state.period, state.tariff, state.element = period, tariff, element

    def _charge_flat(self, period: ChargingPeriod, tariff: Tariff, scope: str, total: str) -> bool:
        element = _first_match(tariff.elements_for(scope, "FLAT"), period, {})
        if element is None:
            return False
        component = element.components["FLAT"]
        cost = _cost(component, component.price)
        self.excl_vat[total] += cost.excl_vat
        self.incl_vat[total] += cost.incl_vat
        self.breakdown.append(
            Charge(
                period.index, "FLAT", total, tariff.id, element.index, component, ONE, cost, False
            )
        )
        return True

    def _charge(
        self,
        period: ChargingPeriod,
        dimension: Dimension,
        tariff: Tariff,
        element: TariffElement,
        volume: Decimal,
        step_rounding: bool,
    ) -> None:
        component = element.components[dimension.component_type]
        cost = _cost(component, component.price * volume / dimension.units_per_ocpi_unit)
        self.excl_vat[dimension.total] += cost.excl_vat
        self.incl_vat[dimension.total] += cost.incl_vat
        # Positional, in Charge's field order: calling a class with keywords costs three
        # times as much, and this runs for every line of every breakdown.
        self.breakdown.append(
            Charge(
                period.index,
                dimension.name,
                dimension.total,
                tariff.id,
                element.index,
                component,
                volume / dimension.units_per_ocpi_unit,
                cost,
                step_rounding,
            )
        )

    def _round_steps(self) -> None:
        """Round each session total up to the step_size of the component that billed it last.

        TIME and PARKING_TIME share one rounding, applied to parking when parking was priced.
        """
        time_dimension = PARKING_TIME if PARKING_TIME.name in self.steps else TIME
        for dimension in (ENERGY, time_dimension, RESERVATION_TIME):
            state = self.steps.get(dimension.name)
            if state is None:
                continue
            step = state.element.components[dimension.component_type].step_size
            if step <= 0 or state.billed <= 0:
                continue
            rounded = (state.billed / step).to_integral_value(ROUND_CEILING) * step
            if rounded > state.billed:
                self._charge(
                    state.period,
                    dimension,
                    state.tariff,
                    state.element,
                    rounded - state.billed,
                    step_rounding=True,
                )

    def _warn_about_boundaries(
        self, period: ChargingPeriod, tariff: Tariff, considered: dict[int, TariffElement]
    ) -> None:
        for element in considered.values():
            if element.restrictions is None:
                continue
            changing = element.restrictions.changing_within(period)
            if changing:
                self.warnings.append(
                    PricingWarning(
                        "RESTRICTION_CHANGES_IN_PERIOD",
                        f"{', '.join(changing)} of tariff {tariff.id!r} element {element.index} "
                        "changes inside the period; the period is priced as at its start",
                        period.index,
                    )
                )

    def _result(self, cdr: Mapping, zone: tzinfo) -> PricedCdr:
        excl_vat, incl_vat = self.excl_vat, self.incl_vat
        totals = {name: Price(excl_vat[name], incl_vat[name]) for name in DIMENSION_TOTALS}
        cost_before_limits = Price(sum(excl_vat.values(), ZERO), sum(incl_vat.values(), ZERO))
        session, periods = self.session, self.session.periods
        # The limits of the tariff that prices the session's start bound the whole session.
        session_tariff = self.choice.for_period(periods[0]) if periods else self.choice.default
        total_cost = cost_before_limits
        if session_tariff is not None:
            total_cost = _within_limits(cost_before_limits, session_tariff)
        first_start = periods[0].start if periods else session.start
        # Positional, in field order, for the reason given in _charge; comments name the fields
        # that no variable names.
        return PricedCdr(
            cdr.get("currency"),
            str(zone),  # time_zone
            total_cost,
            totals["total_fixed_cost"],
            session.energy / WH_PER_KWH,  # total_energy
            totals["total_energy_cost"],
            seconds_in(session.end - first_start) / SECONDS_PER_HOUR,  # total_time
            totals["total_time_cost"],
            session.parking_time / SECONDS_PER_HOUR,  # total_parking_time
            totals["total_parking_cost"],
            totals["total_reservation_cost"],
            cost_before_limits,
            tuple(self.breakdown),
            tuple(self.warnings),
        )


def _cost(component: PriceComponent, amount: Decimal) -> Price:
    """A component's price times a volume, excl. and incl. VAT by the tariff's `tax_included`.

    A price that includes VAT is divided by the VAT factor here, on each line's amount and not
    on the unit price, so that the amount incl. VAT stays exact. Otherwise the VAT factor is 1
    where no VAT can be told apart (`N/A`; `YES` without a vat rate), so both amounts agree.
    """
    if component.price_includes_vat:
        return Price(amount / component.vat_factor, amount)
    return Price(amount, amount * component.vat_factor)


def _first_match(
    candidates: tuple[TariffElement, ...],
    period: ChargingPeriod,
    considered: dict[int, TariffElement],
) -> TariffElement | None:
    """The first element, in tariff order, whose restrictions all match at the period start."""
    for element in candidates:
        considered[element.index] = element
        if element.matches(period):
            return element
    return None


def _within_limits(cost: Price, tariff: Tariff) -> Price:
    """min_price and max_price bound excl. and incl. VAT independently."""
    excl_vat, incl_vat = cost.excl_vat, cost.incl_vat
    minimum, maximum = tariff.min_price, tariff.max_price
    if minimum is not None:
        excl_vat = max(excl_vat, minimum.excl_vat)
        if minimum.incl_vat is not None:
            incl_vat = max(incl_vat, minimum.incl_vat)
    if maximum is not None:
        excl_vat = min(excl_vat, maximum.excl_vat)
        if maximum.incl_vat is not None:
            incl_vat = min(incl_vat, maximum.incl_vat)
    return Price(excl_vat, incl_vat)
