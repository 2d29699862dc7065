"""A location's parking places (OCPI 2.3.0 Parking, the data AFIR asks CPOs to publish) and who
may charge there, in words for the location page. Locations from partners on 2.2.1 have none of
it: the page then says nothing about it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.templatetags.portal_format import number

VEHICLE_TYPES = {
    "MOTORCYCLE": _("motorcycle"),
    "PERSONAL_VEHICLE": _("car"),
    "PERSONAL_VEHICLE_WITH_TRAILER": _("car with trailer"),
    "VAN": _("van"),
    "SEMI_TRACTOR": _("semi-tractor"),
    "RIGID": _("rigid truck"),
    "TRUCK_WITH_TRAILER": _("truck with trailer"),
    "BUS": _("bus or coach"),
    "DISABLED": _("disabled parking permit"),
}
# Parking's maximum dimensions, in the spec's units (kg, cm).
LIMITS = (
    ("max_vehicle_height", _("height"), "cm"),
    ("max_vehicle_length", _("length"), "cm"),
    ("max_vehicle_width", _("width"), "cm"),
    ("max_vehicle_weight", _("weight"), "kg"),
)
# What may be true of a parking place, said when it is.
FEATURES = (
    ("reservation_required", _("reservation required")),
    ("restricted_to_type", _("only these vehicles")),
    ("drive_through", _("drive-through")),
    ("roofed", _("roofed")),
    ("lighting", _("lit")),
    ("refrigeration_outlet", _("refrigeration outlet")),
)


@dataclass(frozen=True)
class ParkingPlace:
    name: str
    vehicles: list[str]
    limits: list[str]
    features: list[str]
    evses: list[str]  # the EVSEs that charge a vehicle parked here


def parking_places(location: dict) -> list[ParkingPlace]:
    """The location's parking places, each with the EVSEs that reach it."""
    places = [p for p in location.get("parking_places") or [] if isinstance(p, dict)]
    reached: dict[str, list[str]] = {}
    for evse in location.get("evses") or []:
        for link in evse.get("parking") or []:
            if isinstance(link, dict):
                reached.setdefault(str(link.get("parking_id")), []).append(
                    str(evse.get("evse_id") or evse.get("uid"))
                )
    return [_place(place, reached.get(str(place.get("id")), [])) for place in places]


def _place(place: dict, evses: list[str]) -> ParkingPlace:
    reference = place.get("physical_reference")
    name = f"{place.get('id')} ({reference})" if reference else str(place.get("id"))
    vehicles = [str(VEHICLE_TYPES.get(v, v)) for v in place.get("vehicle_types") or []]
    limits = [
        f"{label} ≤ {number(place[field], 0)} {unit}"
        for field, label, unit in LIMITS
        if place.get(field) is not None
    ]
    features = [str(label) for field, label in FEATURES if place.get(field) is True]
    if place.get("time_limit") is not None:
        features.append(str(_("at most %(minutes)s min") % {"minutes": place["time_limit"]}))
    if place.get("dangerous_goods_allowed") is False:
        features.append(str(_("no dangerous goods")))
    return ParkingPlace(name, vehicles, limits, features, evses)
