"""The OCPI modules we implement, each declared once.

A module declares itself in its package's `declaration.py` (an OcpiModule) and hands that
declaration to its AppConfig (an OcpiModuleConfig). INSTALLED_APPS is therefore the one list of
modules, in the order version details shows them (credentials first: the `ocpi` app declares
it). The OCPI URLs, version details, pull, push, the schedules and `ocpi_dump` read the
declarations through `modules()` and `module()`; nothing else names the modules.

Declarations are plain data: apps.py imports them while Django loads the apps, before any model
exists, so models and services are named by dotted path and looked up when used.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlencode

from django.apps import AppConfig, apps
from django.db.models import Model
from django.utils.module_loading import import_string

from ocpi.endpoints import RECEIVER, SENDER, VERSION, Endpoint

if TYPE_CHECKING:
    from ocpi.models import OwnParty


def escaped_path(*segments) -> str:
    """The path of one object under a module URL, each segment escaped: ids are CiStrings and
    may hold characters that mean something in a URL ('/', '?', '#', ' ')."""
    return "".join("/" + quote(str(segment), safe="") for segment in segments)


@dataclass(frozen=True)
class Schedule:
    """A periodic task: the dotted name of a Celery task, its arguments, how often it runs."""

    task: str
    every_seconds: int
    args: tuple = ()


@dataclass(frozen=True)
class StoredObjects:
    """A module whose objects are stored as documents: pulled from partners, pushed to them
    when ours change, and printed by ocpi_dump."""

    model: str  # "app_label.Model"; each row keeps its object's document
    # Dotted path of the service that validates and stores a partner's complete object (the one
    # the receiver interface uses too): (*, connection, document) -> UpsertResult.
    store_from_partner: str
    pull_interval: int  # seconds between pulls from a partner; OCPI_PULL_INTERVALS overrides it
    id_field: str = "id"  # the field holding the object's id ("uid" for tokens)
    # Key fields beside country_code, party_id and the id, sent as URL parameters (a token's type).
    url_parameters: tuple[str, ...] = ()
    # True: a change is POSTed to the bare endpoint URL, not sent to the object's own URL (CDRs).
    posted_to_endpoint: bool = False
    # The field naming the one partner party the object is meant for (a session's or CDR's
    # cdr_token: the driver's eMSP); None: every partner party of the receiving role gets it.
    recipient_field: str | None = None


@dataclass(frozen=True)
class OcpiModule:
    identifier: str  # the OCPI module identifier in version details, e.g. "locations"
    # Per OCPI version, the interfaces we implement, in the order version details lists them.
    endpoints: dict[str, tuple[Endpoint, ...]]
    urls: str  # dotted path of the urlconf that serves the endpoints
    objects: StoredObjects | None = None
    # Periodic tasks the module needs, by name (e.g. expiring requests whose answer never came).
    schedules: dict[str, Schedule] = field(default_factory=dict)
    # Per OCPI version other than VERSION, the dotted path of the module's translation (a
    # ocpi.translations.ModuleTranslation): it converts the module's messages at the edge.
    translations: dict[str, str] = field(default_factory=dict)
    # The serializer (dotted path) that validates the body of each request a partner sends, by
    # "METHOD path" with the path under /ocpi/<version>/ as the OpenAPI description writes it
    # ("PUT emsp/tariffs/{country_code}/{party_id}/{tariff_id}"). A path whose last segment is a
    # value ("POST cpo/commands/START_SESSION") describes that value of the parameter alone.
    request_bodies: dict[str, str] = field(default_factory=dict)

    def endpoint(self, role: str, version: str = VERSION) -> Endpoint:
        """Our endpoint in interface role `role` (ValueError unless the module has one)."""
        [found] = [e for e in self.endpoints.get(version, ()) if e.role == role]
        return found

    def translation(self, version: str):
        """The module's translation for `version`; None for VERSION (nothing to translate)."""
        path = self.translations.get(version)
        return import_string(path) if path else None

    def our_party(self, request, role: str) -> "OwnParty":
        """Our party the request addresses at our `role` interface: a request for a party we do
        not host in that role is refused (2001, naming the role)."""
        from ocpi.transport.parties import own_party  # models are loaded only after apps.py

        return own_party(request, self.endpoint(role).party_role)

    @property
    def sender_role(self) -> str:
        """The party role that sends the module's objects: ours implements the sender interface
        as that role, so a partner's sender interface is its party of that role."""
        return self.endpoint(SENDER).party_role

    @property
    def receiver_role(self) -> str:
        """The party role that receives the module's objects."""
        return self.endpoint(RECEIVER).party_role

    def model(self) -> type[Model]:
        return apps.get_model(self.objects.model)

    def store_from_partner(self) -> Callable:
        return import_string(self.objects.store_from_partner)

    def object_path(self, document: dict, *parts: str) -> str:
        """Where a change of the object (or of a part of it, e.g. an EVSE) is sent, relative to
        a partner's receiver endpoint URL."""
        objects = self.objects
        if objects.posted_to_endpoint:
            return ""
        path = escaped_path(
            document["country_code"], document["party_id"], document[objects.id_field], *parts
        )
        if objects.url_parameters:
            path += "?" + urlencode({name: document[name] for name in objects.url_parameters})
        return path

    def push_key(self, document: dict) -> str:
        """The key of the object among pushes: changes with one key reach a partner in order."""
        key_fields = (
            "country_code",
            "party_id",
            self.objects.id_field,
            *self.objects.url_parameters,
        )
        return ":".join((self.identifier, *(str(document[name]) for name in key_fields))).upper()


class OcpiModuleConfig(AppConfig):
    """The AppConfig of an app that implements an OCPI module, declared in `declaration`.

    An apps.py refers to it as `registry.OcpiModuleConfig`: Django takes the one AppConfig class
    it finds in apps.py, and an imported second one would make it fall back to a default.
    """

    declaration: OcpiModule


def modules() -> list[OcpiModule]:
    """Every module we implement, in INSTALLED_APPS order."""
    return [
        config.declaration
        for config in apps.get_app_configs()
        if isinstance(config, OcpiModuleConfig)
    ]


def module(identifier: str) -> OcpiModule | None:
    return next((m for m in modules() if m.identifier == identifier), None)


def modules_with_objects() -> list[OcpiModule]:
    """The modules whose objects we pull, push and dump."""
    return [m for m in modules() if m.objects is not None]


def modules_in(version: str) -> list[OcpiModule]:
    """The modules that `version` has."""
    return [m for m in modules() if version in m.endpoints]


def endpoint_at(version: str, path: str) -> tuple[OcpiModule, Endpoint, list[str]] | None:
    """The module and endpoint that serve `path` (relative to /ocpi/<version>/), and the path's
    segments after the endpoint's own: what the edge needs to know which message it holds."""
    segments = [unquote(s) for s in path.strip("/").split("/") if s]
    for declared in modules_in(version):
        for endpoint in declared.endpoints[version]:
            own = endpoint.path.split("/")
            if segments[: len(own)] == own:
                return declared, endpoint, segments[len(own) :]
    return None


def offered_endpoints(*, our_roles: set[str], version: str = VERSION) -> list[tuple[str, Endpoint]]:
    """(module identifier, endpoint) for version details: the endpoints our parties' roles offer,
    one per module and interface role."""
    offered, seen = [], set()
    for declared in modules():
        for endpoint in declared.endpoints.get(version, ()):
            key = (declared.identifier, endpoint.role)
            if key in seen or (endpoint.party_role and endpoint.party_role not in our_roles):
                continue
            if not endpoint.listed:
                continue
            seen.add(key)
            offered.append((declared.identifier, endpoint))
    return offered
