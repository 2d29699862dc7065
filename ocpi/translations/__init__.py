"""Versions at the edge: our stored documents follow OCPI 2.2.1; a partner on another version
gets and sends its own version's shape, converted here on the way in and out.

Each declared module names its translation per version (`OcpiModule.translations`), a
`ModuleTranslation`: which message a call carries (`request_kind`, `reply_kind`, from the
interface role, the path after the endpoint and the method) and, per kind of message, how it goes
down (2.2.1 -> the partner's version) and up (the partner's version -> 2.2.1).

Four places call it: the parser (a partner's request to /ocpi/<version>/...), the middleware (our
answer to it), and the client (our request to a partner on that version, and its answer). What a
version lacks is filled from what we know (`Context`) or left out; docs/versions.md lists it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ocpi import registry
from ocpi.endpoints import SENDER, V2_1_1, VERSION, has_roles
from ocpi.models import COUNTERPART_ROLE, Connection, OwnParty, Role

Convert = Callable[[dict, "Context", bool], dict]  # (document, context, partial) -> document


@dataclass(frozen=True)
class Kind:
    """A kind of message: what its body holds, and whether it is a list of them."""

    name: str
    many: bool = False


@dataclass(frozen=True)
class ModuleTranslation:
    # (interface role of the endpoint called, path segments after it, method) -> Kind or None.
    request_kind: Callable[[str, list[str], str], Kind | None]
    reply_kind: Callable[[str, list[str], str], Kind | None]
    down: dict[str, Convert]  # kind name -> 2.2.1 to the partner's version
    up: dict[str, Convert]  # kind name -> the partner's version to 2.2.1
    # The kind whose PATCH the version has and our receiver lacks (2.1.1 tariffs): the patch is
    # applied to the stored object here and the whole object PUT.
    patched_by_put: str | None = None


def object_kind(name: str):
    """The kind of a module whose receiver has /{country_code}/{party_id}/{id} URLs."""

    def kind(role: str, parts: list[str], method: str) -> Kind | None:
        if role == SENDER:
            return Kind(name, many=not parts)
        return Kind(name) if parts or method == "POST" else None

    return kind


def object_reply_kind(name: str):
    """The kind of our answer data: none to a POST (a CDR posted is answered without data)."""
    request_kind = object_kind(name)

    def kind(role: str, parts: list[str], method: str) -> Kind | None:
        return None if method == "POST" else request_kind(role, parts, method)

    return kind


def object_translation(name: str, down: Convert, up: Convert, **options) -> ModuleTranslation:
    """The translation of a module whose messages are its objects (`name`), one converter each
    way: tariffs, sessions, CDRs."""
    return ModuleTranslation(
        request_kind=object_kind(name),
        reply_kind=object_reply_kind(name),
        down={name: down},
        up={name: up},
        **options,
    )


def party_speaking_2_1_1() -> OwnParty | None:
    """Our party on a 2.1.1 connection: 2.1.1 connects one party to one party, and says nothing of
    roles, so our first CPO or eMSP (in OCPI_OWN_PARTIES order) speaks it; the partner is its
    counterpart."""
    return OwnParty.objects.filter(role__in=(Role.CPO, Role.EMSP)).order_by("pk").first()


@dataclass
class Context:
    """What a translation may know beside the document: the connection, the call, and lookups
    of stored objects (replaceable, so that conversions can be tested on their own)."""

    connection: Connection | None = None
    params: dict = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Our party on the connection; looked up when first needed (party_speaking_2_1_1).
    our: OwnParty | None = None
    # The partner's (country_code, party_id); by default its connection's one party.
    partner: tuple[str, str] | None = None
    location: Callable[[str, str, str], dict | None] | None = None
    token_by_contract: Callable[[str], dict | None] | None = None
    token_by_uid: Callable[[str, str], dict | None] | None = None

    def __post_init__(self):
        self.location = self.location or stored_location
        self.token_by_contract = self.token_by_contract or stored_token_by_contract
        self.token_by_uid = self.token_by_uid or stored_token_by_uid

    @property
    def our_party(self) -> OwnParty | None:
        if self.our is None:
            self.our = party_speaking_2_1_1()
        return self.our

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @property
    def partner_role(self) -> str:
        return COUNTERPART_ROLE.get(self.our_party.role, Role.OTHER) if self.our_party else "CPO"

    def partner_party(self) -> tuple[str, str]:
        """The partner's (country_code, party_id): a 2.1.1 connection has one party."""
        if self.partner is not None:
            return self.partner
        party = self.connection.parties.order_by("id").first() if self.connection else None
        return (party.country_code, party.party_id) if party else ("", "")

    def our_code(self) -> tuple[str, str]:
        party = self.our_party
        return (party.country_code, party.party_id) if party else ("", "")


def stored_location(country_code: str, party_id: str, location_id: str) -> dict | None:
    from ocpi.objects import object_key

    model = registry.module("locations").model()
    found = model.objects.filter(**object_key(country_code, party_id, location_id)).first()
    return found.document if found else None


def stored_token_by_contract(contract_id: str) -> dict | None:
    model = registry.module("tokens").model()
    found = model.objects.filter(document__contract_id=contract_id).order_by("-pk").first()
    return found.document if found else None


def stored_token_by_uid(uid: str, token_type: str) -> dict | None:
    model = registry.module("tokens").model()
    found = (
        model.objects.filter(ocpi_id=uid.upper(), document__type=token_type).order_by("-pk").first()
    )
    return found.document if found else None


# The edge ---------------------------------------------------------------------------------------


def _convert(translation, kind: Kind | None, direction: str, data, context: Context, method: str):
    if kind is None or not isinstance(data, (dict, list)):
        return data
    convert = getattr(translation, direction).get(kind.name)
    if convert is None:
        return data
    partial = method == "PATCH"
    if kind.many and isinstance(data, list):
        return [convert(d, context, partial) if isinstance(d, dict) else d for d in data]
    return convert(data, context, partial) if isinstance(data, dict) else data


def _ours(version: str, path: str):
    """(translation, endpoint role, parts) of a path under /ocpi/<version>/, or None."""
    found = registry.endpoint_at(version, path)
    if found is None:
        return None
    declared, endpoint, parts = found
    translation = declared.translation(version)
    return (translation, endpoint.role, parts) if translation else None


def request_up(*, version: str, path: str, method: str, document, context: Context):
    """A partner's request body to /ocpi/<version>/<path>, in 2.2.1 shape."""
    found = _ours(version, path) if version != VERSION else None
    if found is None:
        return document
    translation, role, parts = found
    context.parts = parts
    kind = translation.request_kind(role, parts, method)
    return _convert(translation, kind, "up", document, context, method)


def patched_by_put(*, version: str, path: str) -> bool:
    """Whether a PATCH of `path` under /ocpi/<version>/ is applied as a PUT of the whole object."""
    found = _ours(version, path) if version != VERSION else None
    return bool(found and found[0].patched_by_put and len(found[2]) == 3)


def patch_applied(*, version: str, path: str, patch, context: Context):
    """The stored object under `path` (/{country_code}/{party_id}/{id}) in the version's shape,
    with the patch applied; the patch as it is when nothing is stored."""
    from ocpi.objects import object_key

    found = registry.endpoint_at(version, path)
    declared, _, parts = found
    stored = declared.model().objects.filter(**object_key(*parts)).first()
    if stored is None or not isinstance(patch, dict):
        return patch
    translation = declared.translation(version)
    down = translation.down[translation.patched_by_put](stored.document, context, False)
    return {**down, **patch}


def reply_down(*, version: str, path: str, method: str, data, context: Context):
    """Our answer's data to a call to /ocpi/<version>/<path>, in that version's shape."""
    found = _ours(version, path) if version != VERSION else None
    if found is None:
        return data
    translation, role, parts = found
    context.parts = parts
    kind = translation.reply_kind(role, parts, method)
    return _convert(translation, kind, "down", data, context, "GET")


def _theirs(connection: Connection, url: str, method: str):
    """(translation, their endpoint's role, parts) of a URL we call on a partner, or None.

    The one URL we call that is no endpoint of theirs is a command's response_url."""
    path = urlsplit(url).path
    best = None
    for endpoint in connection.endpoints or []:
        own = urlsplit(endpoint.get("url", "")).path.rstrip("/")
        matches = own and (path == own or path.startswith(own + "/"))
        if matches and (best is None or len(own) > len(best[0])):
            best = (own, endpoint)
    if best is None:
        declared, role, parts = registry.module("commands"), "SENDER", []
    else:
        own, endpoint = best
        declared = registry.module(endpoint["identifier"])
        role = endpoint.get("role", "")
        parts = [s for s in path[len(own) :].split("/") if s]
    translation = declared.translation(connection.version) if declared else None
    return (translation, role, parts) if translation else None


def request_down(*, connection: Connection, url: str, method: str, body, context: Context):
    """Our request body to a partner, in its version's shape."""
    if not connection.version or connection.version == VERSION or body is None:
        return body
    found = _theirs(connection, url, method)
    if found is None:
        return body
    translation, role, parts = found
    context.parts = parts
    kind = translation.request_kind(role, parts, method)
    return _convert(translation, kind, "down", body, context, method)


def reply_up(*, connection: Connection, url: str, method: str, data, context: Context):
    """A partner's answer data, in 2.2.1 shape."""
    if not connection.version or connection.version == VERSION:
        return data
    found = _theirs(connection, url, method)
    if found is None:
        return data
    translation, role, parts = found
    context.parts = parts
    kind = translation.reply_kind(role, parts, method)
    return _convert(translation, kind, "up", data, context, "GET")


def endpoints_up(version: str, endpoints: list[dict], *, partner_role: str) -> list[dict]:
    """A partner's version details in 2.2.1 shape: 2.1.1 lists no roles, so each endpoint gets
    the interface role the partner's role implements in that module."""
    if has_roles(version):
        return endpoints
    shaped = []
    for endpoint in endpoints:
        declared = registry.module(endpoint["identifier"])
        role = endpoint.get("role")
        if role is None and declared is not None and version in declared.endpoints:
            roles = {e.role: e.party_role for e in declared.endpoints[version]}
            senders = [r for r, party_role in roles.items() if party_role in (partner_role, None)]
            role = senders[0] if senders else None
        shaped.append({**endpoint, "role": role} if role else endpoint)
    return shaped


def credentials_up(version: str, document, *, partner_role: str):
    if version != V2_1_1 or not isinstance(document, dict) or "roles" in document:
        return document
    from ocpi.translations.v2_1_1 import credentials_up as up

    return up(document, partner_role)
