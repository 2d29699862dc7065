"""OCPI 2.1.1 at the edge: every module 2.1.1 has, down from our 2.2.1 documents and back up.

2.1.1 objects carry no country_code/party_id (a connection is one party: the partner's, see
Context.partner_party), sessions and CDRs name their token by `auth_id` and embed a full
`location`, costs are plain numbers, and commands answer with one CommandResponse both at once
and later. docs/versions.md lists, per module, what is translated and what is lost; LOST below is
that list in code (the round-trip property test reads it).
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit, urlunsplit

from ocpi.endpoints import RECEIVER, SENDER, V2_1_1, VERSION
from ocpi.timestamps import now_timestamp
from ocpi.translations import Context, Kind, ModuleTranslation, object_translation

# Fields of 2.2.1 documents that 2.1.1 cannot hold, per kind: a round trip loses exactly these.
LOST = {
    "Location": {"publish", "publish_allowed_to", "state"},
    "Connector": {"max_electric_power"},
    "Tariff": {"type", "min_price", "max_price", "start_date_time", "end_date_time"},
    "PriceComponent": {"vat"},
    "TariffRestrictions": {"min_current", "max_current", "reservation"},
    "Session": {"authorization_reference"},
    "Cdr": {
        "session_id",
        "authorization_reference",
        "signed_data",
        "total_fixed_cost",
        "total_energy_cost",
        "total_time_cost",
        "total_parking_cost",
        "total_reservation_cost",
        "invoice_reference_id",
        "credit",
        "credit_reference_id",
        "home_charging_compensation",
    },
    "CdrLocation": {"state"},
    "Price": {"incl_vat"},
    "ChargingPeriod": {"tariff_id"},
    "Token": {"group_id", "default_profile_type", "energy_contract"},
}

PARKING_TYPES = {"ON_STREET", "PARKING_GARAGE", "UNDERGROUND_GARAGE", "PARKING_LOT"}
CAPABILITIES = {
    "CHARGING_PROFILE_CAPABLE",
    "CREDIT_CARD_PAYABLE",
    "REMOTE_START_STOP_CAPABLE",
    "RESERVABLE",
    "RFID_READER",
    "UNLOCK_CAPABLE",
}
DIMENSIONS = {"ENERGY", "FLAT", "MAX_CURRENT", "MIN_CURRENT", "PARKING_TIME", "TIME"}
TOKEN_TYPES = {"RFID", "OTHER"}
# 2.1.1 CommandResponse results; a 2.2.1 CommandResult outside them is REJECTED.
COMMAND_RESPONSES = {"NOT_SUPPORTED", "REJECTED", "ACCEPTED", "TIMEOUT", "UNKNOWN_SESSION"}
# 2.1.1 gives no timeout with its CommandResponse; this long we wait for the result.
COMMAND_TIMEOUT_SECONDS = 120


# Helpers ----------------------------------------------------------------------------------------


def _without(document: dict, *names: str) -> dict:
    return {k: v for k, v in document.items() if k not in names}


def _rename(document: dict, old: str, new: str) -> None:
    if old in document:
        document[new] = document.pop(old)


def _number(document: dict, name: str, context: Context, where: str) -> None:
    """2.1.1 platforms send numbers as strings ("12.5"): read them as numbers, with a warning."""
    value = document.get(name)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return  # left for validation to refuse, naming the field
        document[name] = int(number) if number == number.to_integral_value() else float(number)
        context.warn(f"{where}.{name}: a number sent as a string ({value!r})")


def _fill_party(document: dict, context: Context, partial: bool) -> dict:
    if not partial:
        country_code, party_id = context.partner_party()
        document = {"country_code": country_code, "party_id": party_id, **document}
    return document


def _price_number(price) -> float | int | None:
    """A 2.2.1 Price as 2.1.1's plain number: the amount excluding VAT."""
    if isinstance(price, dict):
        return price.get("excl_vat")
    return price


def _price_up(value, context: Context, where: str):
    """2.1.1's plain number as a 2.2.1 Price (the amount excluding VAT)."""
    holder = {"total_cost": value}
    _number(holder, "total_cost", context, where)
    amount = holder["total_cost"]
    return {"excl_vat": amount} if isinstance(amount, int | float) else value


# Locations --------------------------------------------------------------------------------------


def connector_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "max_electric_power", "tariff_ids")
    _rename(out, "max_voltage", "voltage")
    _rename(out, "max_amperage", "amperage")
    if document.get("tariff_ids"):
        out["tariff_id"] = document["tariff_ids"][0]
    if out.get("power_type") in ("AC_2_PHASE", "AC_2_PHASE_SPLIT"):
        out["power_type"] = "AC_1_PHASE"
    return out


def connector_up(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "tariff_id")
    for name in ("voltage", "amperage"):
        _number(out, name, context, "connector")
    _rename(out, "voltage", "max_voltage")
    _rename(out, "amperage", "max_amperage")
    if document.get("tariff_id"):
        out["tariff_ids"] = [document["tariff_id"]]
    return out


def evse_down(document: dict, context: Context, partial: bool) -> dict:
    out = dict(document)
    if "capabilities" in out:
        out["capabilities"] = [c for c in out["capabilities"] if c in CAPABILITIES]
    if "connectors" in out:
        out["connectors"] = [connector_down(c, context, False) for c in out["connectors"]]
    return out


def evse_up(document: dict, context: Context, partial: bool) -> dict:
    out = dict(document)
    if "connectors" in out:
        out["connectors"] = [connector_up(c, context, False) for c in out["connectors"]]
    return out


def location_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "country_code", "party_id", *LOST["Location"], "parking_type")
    if not partial or "parking_type" in document:
        parking_type = document.get("parking_type")
        out["type"] = parking_type if parking_type in PARKING_TYPES else "UNKNOWN"
    if "evses" in out:
        out["evses"] = [evse_down(e, context, False) for e in out["evses"]]
    return out


def location_up(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "type")
    if document.get("type") in PARKING_TYPES:
        out["parking_type"] = document["type"]
    if "evses" in out:
        out["evses"] = [evse_up(e, context, False) for e in out["evses"]]
    out = _fill_party(out, context, partial)
    if not partial:
        out.setdefault("publish", True)
    return out


def location_kind(role: str, parts: list[str], method: str) -> Kind | None:
    # Receiver: /{country_code}/{party_id}/{location_id}[/{evse_uid}[/{connector_id}]].
    depth = len(parts) - (2 if role == RECEIVER else 0)
    if depth <= 0:
        return Kind("Location", many=True) if role == SENDER else None
    return Kind(("Location", "Evse", "Connector")[min(depth, 3) - 1])


LOCATIONS = ModuleTranslation(
    request_kind=location_kind,
    reply_kind=location_kind,
    down={"Location": location_down, "Evse": evse_down, "Connector": connector_down},
    up={"Location": location_up, "Evse": evse_up, "Connector": connector_up},
)


# Tariffs ----------------------------------------------------------------------------------------


def _elements_down(elements: list) -> list:
    out = []
    for element in elements:
        element = dict(element)
        element["price_components"] = [
            _without(c, *LOST["PriceComponent"]) for c in element.get("price_components", [])
        ]
        if isinstance(element.get("restrictions"), dict):
            element["restrictions"] = _without(element["restrictions"], *LOST["TariffRestrictions"])
        out.append(element)
    return out


def _elements_up(elements: list, context: Context) -> list:
    out = []
    for element in elements:
        element = dict(element)
        components = []
        for component in element.get("price_components", []):
            component = dict(component)
            for name in ("price", "step_size"):
                _number(component, name, context, "price_component")
            components.append(component)
        element["price_components"] = components
        out.append(element)
    return out


def tariff_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "country_code", "party_id", *LOST["Tariff"])
    if isinstance(out.get("elements"), list):
        out["elements"] = _elements_down(out["elements"])
    return out


def tariff_up(document: dict, context: Context, partial: bool) -> dict:
    out = dict(document)
    if isinstance(out.get("elements"), list):
        out["elements"] = _elements_up(out["elements"], context)
    return _fill_party(out, context, partial)


TARIFFS = object_translation(
    "Tariff",
    tariff_down,
    tariff_up,
    patched_by_put="Tariff",  # a 2.1.1 receiver takes PATCH of a tariff
)


# Tokens -----------------------------------------------------------------------------------------


def token_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "country_code", "party_id", *LOST["Token"])
    _rename(out, "contract_id", "auth_id")
    if "type" in out and out["type"] not in TOKEN_TYPES:
        out["type"] = "OTHER"
    return out


def token_up(document: dict, context: Context, partial: bool) -> dict:
    out = dict(document)
    _rename(out, "auth_id", "contract_id")
    return _fill_party(out, context, partial)


def location_references_down(document: dict, context: Context, partial: bool) -> dict:
    return dict(document)


def location_references_up(document: dict, context: Context, partial: bool) -> dict:
    return _without(document, "connector_ids")


def authorization_info_down(document: dict, context: Context, partial: bool) -> dict:
    return _without(document, "token", "authorization_reference")


def authorization_info_up(document: dict, context: Context, partial: bool) -> dict:
    """2.1.1's answer names no token: it is the one we asked about (cached, else as we know it)."""
    uid = context.parts[0] if context.parts else ""
    token_type = context.params.get("type") or "RFID"
    token = context.token_by_uid(uid, token_type)
    if token is None:
        country_code, party_id = context.partner_party()
        token = {
            "country_code": country_code,
            "party_id": party_id,
            "uid": uid,
            "type": token_type,
            "contract_id": uid,
            "issuer": context.connection.name if context.connection else party_id,
            "valid": document.get("allowed") == "ALLOWED",
            "whitelist": "ALLOWED",
            "last_updated": now_timestamp(),
        }
    out = dict(document)
    if isinstance(out.get("location"), dict):
        out["location"] = location_references_up(out["location"], context, False)
    return {**out, "token": token}


def token_kind(reply: bool):
    def kind(role: str, parts: list[str], method: str) -> Kind | None:
        if role == SENDER and parts[-1:] == ["authorize"]:
            return Kind("AuthorizationInfo" if reply else "LocationReferences")
        if role == SENDER:
            return Kind("Token", many=not parts)
        return Kind("Token") if parts else None

    return kind


TOKENS = ModuleTranslation(
    request_kind=token_kind(reply=False),
    reply_kind=token_kind(reply=True),
    down={
        "Token": token_down,
        "LocationReferences": location_references_down,
        "AuthorizationInfo": authorization_info_down,
    },
    up={
        "Token": token_up,
        "LocationReferences": location_references_up,
        "AuthorizationInfo": authorization_info_up,
    },
)


# Sessions and CDRs ------------------------------------------------------------------------------


def _charging_periods_down(periods: list) -> list:
    out = []
    for period in periods:
        period = _without(period, *LOST["ChargingPeriod"])
        period["dimensions"] = [
            d for d in period.get("dimensions", []) if d.get("type") in DIMENSIONS
        ]
        out.append(period)
    return out


def _charging_periods_up(periods: list, context: Context) -> list:
    out = []
    for period in periods:
        period = dict(period)
        dimensions = []
        for dimension in period.get("dimensions", []):
            dimension = dict(dimension)
            _number(dimension, "volume", context, "charging_periods.dimensions")
            dimensions.append(dimension)
        period["dimensions"] = dimensions
        out.append(period)
    return out


def _auth_id(cdr_token) -> str | None:
    return cdr_token.get("contract_id") if isinstance(cdr_token, dict) else None


def _cdr_token_up(auth_id: str, context: Context) -> dict:
    """The token behind a 2.1.1 auth_id (a contract id): stored, else one we describe by it."""
    known = context.token_by_contract(auth_id)
    if known is not None:
        return {
            name: known[name]
            for name in ("country_code", "party_id", "uid", "type", "contract_id")
            if name in known
        }
    country_code, party_id = context.our_code()
    return {
        "country_code": country_code,
        "party_id": party_id,
        "uid": auth_id,
        "type": "OTHER",
        "contract_id": auth_id,
    }


def _location_at(context: Context, document: dict, location_id, evse_uid, connector_id) -> dict:
    """The 2.1.1 location of a session or CDR: the stored location, cut down to the EVSE and
    connector used; a location we do not have is described by what the document says of it."""
    stored = context.location(
        document.get("country_code", ""), document.get("party_id", ""), location_id or ""
    )
    location = dict(stored) if stored else {"id": location_id, "evses": []}
    evses = [e for e in location.get("evses", []) if e.get("uid") == evse_uid]
    evse = dict(evses[0]) if evses else {"uid": evse_uid, "status": "UNKNOWN", "connectors": []}
    connectors = [c for c in evse.get("connectors", []) if c.get("id") == connector_id]
    evse["connectors"] = connectors or [{"id": connector_id}]
    location["evses"] = [evse]
    return location_down(location, context, False)


def session_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(
        document,
        "country_code",
        "party_id",
        "cdr_token",
        "location_id",
        "evse_uid",
        "connector_id",
        *LOST["Session"],
    )
    _rename(out, "start_date_time", "start_datetime")
    _rename(out, "end_date_time", "end_datetime")
    if "cdr_token" in document:
        out["auth_id"] = _auth_id(document["cdr_token"])
    if "location_id" in document:
        out["location"] = _location_at(
            context,
            document,
            document["location_id"],
            document.get("evse_uid"),
            document.get("connector_id"),
        )
    if "total_cost" in out:
        out["total_cost"] = _price_number(out["total_cost"])
    if out.get("auth_method") == "COMMAND":
        out["auth_method"] = "AUTH_REQUEST"
    if out.get("status") == "RESERVATION":
        out["status"] = "PENDING"
    if isinstance(out.get("charging_periods"), list):
        out["charging_periods"] = _charging_periods_down(out["charging_periods"])
    return out


def _location_ids_up(location) -> dict:
    if not isinstance(location, dict):
        return {}
    evse = (location.get("evses") or [{}])[0]
    connector = (evse.get("connectors") or [{}])[0]
    ids = {"location_id": location.get("id"), "evse_uid": evse.get("uid")}
    ids["connector_id"] = connector.get("id")
    return {k: v for k, v in ids.items() if v is not None}


def session_up(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "auth_id", "location")
    _rename(out, "start_datetime", "start_date_time")
    _rename(out, "end_datetime", "end_date_time")
    _number(out, "kwh", context, "session")
    if "auth_id" in document:
        out["cdr_token"] = _cdr_token_up(document["auth_id"], context)
    out.update(_location_ids_up(document.get("location")))
    if "total_cost" in out:
        out["total_cost"] = _price_up(out["total_cost"], context, "session")
    if isinstance(out.get("charging_periods"), list):
        out["charging_periods"] = _charging_periods_up(out["charging_periods"], context)
    return _fill_party(out, context, partial)


CDR_LOCATION_FIELDS = ("id", "name", "address", "city", "postal_code", "country", "coordinates")


def cdr_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "country_code", "party_id", "cdr_token", "cdr_location", *LOST["Cdr"])
    _rename(out, "end_date_time", "stop_date_time")
    if "cdr_token" in document:
        out["auth_id"] = _auth_id(document["cdr_token"])
    place = document.get("cdr_location")
    if isinstance(place, dict):
        location = _location_at(
            context, document, place.get("id"), place.get("evse_uid"), place.get("connector_id")
        )
        # What the CDR says of the place wins over what we have stored of it now.
        location.update({name: place[name] for name in CDR_LOCATION_FIELDS if name in place})
        evse = location["evses"][0]
        if "evse_id" in place:
            evse["evse_id"] = place["evse_id"]
        connector = evse["connectors"][0]
        for name in ("standard", "format", "power_type"):
            if f"connector_{name}" in place:
                connector[name] = place[f"connector_{name}"]
        location.setdefault("last_updated", document.get("last_updated"))
        evse.setdefault("last_updated", document.get("last_updated"))
        connector.setdefault("last_updated", document.get("last_updated"))
        out["location"] = location
    if "total_cost" in out:
        out["total_cost"] = _price_number(out["total_cost"])
    if isinstance(out.get("tariffs"), list):
        out["tariffs"] = [tariff_down(t, context, False) for t in out["tariffs"]]
    if isinstance(out.get("charging_periods"), list):
        out["charging_periods"] = _charging_periods_down(out["charging_periods"])
    if out.get("auth_method") == "COMMAND":
        out["auth_method"] = "AUTH_REQUEST"
    return out


def cdr_up(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "auth_id", "location")
    _rename(out, "stop_date_time", "end_date_time")
    for name in ("total_energy", "total_time", "total_parking_time"):
        _number(out, name, context, "cdr")
    if "auth_id" in document:
        out["cdr_token"] = _cdr_token_up(document["auth_id"], context)
    location = document.get("location")
    if isinstance(location, dict):
        place = {name: location[name] for name in CDR_LOCATION_FIELDS if name in location}
        evse = (location.get("evses") or [{}])[0]
        connector = (evse.get("connectors") or [{}])[0]
        place["evse_uid"] = evse.get("uid")
        place["evse_id"] = evse.get("evse_id")
        place["connector_id"] = connector.get("id")
        for name in ("standard", "format", "power_type"):
            place[f"connector_{name}"] = connector.get(name)
        out["cdr_location"] = {k: v for k, v in place.items() if v is not None}
    if "total_cost" in out:
        out["total_cost"] = _price_up(out["total_cost"], context, "cdr")
    if isinstance(out.get("tariffs"), list):
        out["tariffs"] = [tariff_up(t, context, False) for t in out["tariffs"]]
    if isinstance(out.get("charging_periods"), list):
        out["charging_periods"] = _charging_periods_up(out["charging_periods"], context)
    return _fill_party(out, context, partial)


SESSIONS = object_translation("Session", session_down, session_up)

CDRS = object_translation("Cdr", cdr_down, cdr_up)


# Commands ---------------------------------------------------------------------------------------


def _response_url_down(url: str) -> str:
    """Our response_url names our 2.2.1 commands endpoint: a 2.1.1 partner posts to the same
    endpoint under 2.1.1, where its CommandResponse is read as a result."""
    parts = urlsplit(url)
    path = parts.path.replace(f"/ocpi/{VERSION}/", f"/ocpi/{V2_1_1}/", 1)
    return urlunsplit(parts._replace(path=path))


def command_down(document: dict, context: Context, partial: bool) -> dict:
    out = _without(document, "connector_id", "authorization_reference")
    if isinstance(out.get("token"), dict):
        out["token"] = token_down(out["token"], context, False)
    if "response_url" in out:
        out["response_url"] = _response_url_down(out["response_url"])
    if "reservation_id" in out:
        reservation_id = str(out["reservation_id"])
        if not reservation_id.isdigit():
            from ocpi.transport.exceptions import InvalidParameters

            raise InvalidParameters(
                f"reservation_id: OCPI 2.1.1 needs a number, got {reservation_id!r}"
            )
        out["reservation_id"] = int(reservation_id)
    return out


def command_up(document: dict, context: Context, partial: bool) -> dict:
    out = dict(document)
    if isinstance(out.get("token"), dict):
        token = dict(out["token"])
        _rename(token, "auth_id", "contract_id")
        # The token in a command is one of the partner eMSP's.
        out["token"] = _fill_party(token, context, False)
    if isinstance(out.get("reservation_id"), int):
        out["reservation_id"] = str(out["reservation_id"])
    return out


def command_response_down(document: dict, context: Context, partial: bool) -> dict:
    return {"result": document.get("result")}


def command_response_up(document: dict, context: Context, partial: bool) -> dict:
    result = document.get("result")
    return {
        "result": "REJECTED" if result == "TIMEOUT" else result,
        "timeout": COMMAND_TIMEOUT_SECONDS,
    }


def command_result_down(document: dict, context: Context, partial: bool) -> dict:
    result = document.get("result")
    return {"result": result if result in COMMAND_RESPONSES else "REJECTED"}


def command_result_up(document: dict, context: Context, partial: bool) -> dict:
    result = document.get("result")
    return {"result": "FAILED" if result == "UNKNOWN_SESSION" else result}


def command_request_kind(role: str, parts: list[str], method: str) -> Kind | None:
    if role == RECEIVER and method == "POST":
        return Kind("Command")
    if role == SENDER and method == "POST":
        return Kind("CommandResult")  # a 2.1.1 CPO's CommandResponse, posted to response_url
    return None


def command_reply_kind(role: str, parts: list[str], method: str) -> Kind | None:
    return Kind("CommandResponse") if role == RECEIVER and method == "POST" else None


COMMANDS = ModuleTranslation(
    request_kind=command_request_kind,
    reply_kind=command_reply_kind,
    down={
        "Command": command_down,
        "CommandResponse": command_response_down,
        "CommandResult": command_result_down,
    },
    up={
        "Command": command_up,
        "CommandResponse": command_response_up,
        "CommandResult": command_result_up,
    },
)


# Credentials ------------------------------------------------------------------------------------


def credentials_down(document: dict, context: Context, partial: bool) -> dict:
    """Flat: the one party of ours that speaks 2.1.1."""
    country_code, party_id = context.our_code()
    roles = document.get("roles") or []
    ours = [
        r for r in roles if (r.get("country_code"), r.get("party_id")) == (country_code, party_id)
    ]
    role = (ours or roles or [{}])[0]
    out = _without(document, "roles")
    out.update({k: role[k] for k in ("business_details", "party_id", "country_code") if k in role})
    return out


def credentials_up(document: dict, partner_role: str) -> dict:
    role = {"role": partner_role}
    role.update(
        {k: document[k] for k in ("business_details", "party_id", "country_code") if k in document}
    )
    out = _without(document, "business_details", "party_id", "country_code")
    return {**out, "roles": [role]}


def _credentials_up(document: dict, context: Context, partial: bool) -> dict:
    return credentials_up(document, context.partner_role)


CREDENTIALS = ModuleTranslation(
    request_kind=lambda role, parts, method: Kind("Credentials") if method != "DELETE" else None,
    reply_kind=lambda role, parts, method: Kind("Credentials") if method != "DELETE" else None,
    down={"Credentials": credentials_down},
    up={"Credentials": _credentials_up},
)
