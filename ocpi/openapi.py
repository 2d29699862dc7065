"""The OpenAPI 3 description of every OCPI endpoint we serve, for partners' integrators and for
our own generated-request tests.

It is written from what serves the requests, so it cannot drift from them: the paths and methods
from each declared module's URL routes (and the views they lead to), the request bodies from the
serializers each module declares in `request_bodies`, the answers from the OCPI envelope.
"""

from importlib import import_module

from django.core.validators import RegexValidator
from django.http import JsonResponse
from django.urls import URLPattern
from django.utils.module_loading import import_string
from django.utils.regex_helper import normalize
from rest_framework import serializers

from ocpi import registry
from ocpi.endpoints import SENDER, VERSION, offered_versions
from ocpi.transport import status
from ocpi.transport.envelope import ocpi_error_http_response

OPENAPI_VERSION = "3.0.3"
ENVELOPE = {"$ref": "#/components/schemas/Envelope"}
# Methods a view may answer that are not operations of the OCPI interface.
NOT_OPERATIONS = {"options", "head", "trace"}
# Query parameters of the paginated GET of a Sender interface (OCPI 2.2.1 transport, 4.1.3).
PAGINATION_PARAMETERS = [
    {"name": "date_from", "description": "Only objects last updated at or after this time"},
    {"name": "date_to", "description": "Only objects last updated before this time"},
    {"name": "offset", "description": "Index of the first object of the page", "integer": True},
    {"name": "limit", "description": "Most objects on the page", "integer": True},
]
ROUTING_HEADERS = (
    ("OCPI-from-country-code", "^[A-Z]{2}$", "Country code of the party that sends the request"),
    ("OCPI-from-party-id", "^[A-Z0-9]{3}$", "Party id of the party that sends the request"),
    ("OCPI-to-country-code", "^[A-Z]{2}$", "Country code of our party the request is for"),
    ("OCPI-to-party-id", "^[A-Z0-9]{3}$", "Party id of our party the request is for"),
)


def openapi_document() -> dict:
    """The whole description, as a JSON-ready dict."""
    paths: dict[str, dict] = {}
    for pattern, tag, base in _version_routes():
        _add_route(paths, pattern, tag=tag, base=base, module=None)
    for declared in registry.modules():
        used: set[str] = set()
        for pattern in import_module(declared.urls).urlpatterns:
            _add_route(
                paths,
                pattern,
                tag=declared.identifier,
                base=f"/ocpi/{VERSION}/",
                module=declared,
                used=used,
            )
        for key in set(declared.request_bodies) - used:
            _add_fixed_value(paths, key, module=declared, base=f"/ocpi/{VERSION}/")
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "OCPI API",
            "version": VERSION,
            "description": (
                "Every OCPI endpoint this platform serves. Every answer, success or error, is "
                "the OCPI response envelope; an OCPI error on a well-formed request is HTTP 200 "
                "with a status_code outside 1000-1999."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"OcpiToken": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "OcpiToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "'Token <token>', the token base64-encoded (OCPI 2.2.1)",
                }
            },
            "schemas": {"Envelope": _envelope_schema()},
        },
    }


def openapi_view(request):
    """GET /ocpi/openapi.json, without a token: integrators read it before they have one."""
    if request.method != "GET":
        return ocpi_error_http_response(405, status.CLIENT_ERROR, "Only GET is allowed here")
    return JsonResponse(openapi_document())


def _version_routes():
    """Versions and version details: the OCPI views of ocpi/urls.py that are not modules'."""
    from ocpi.urls import urlpatterns  # it routes to openapi_view

    for pattern in urlpatterns:
        if isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
            yield pattern, "versions", "/ocpi/"


def _add_route(paths, pattern: URLPattern, *, tag: str, base: str, module, used=None) -> None:
    view = pattern.callback.view_class
    methods = [m for m in view.http_method_names if m not in NOT_OPERATIONS and hasattr(view, m)]
    bodies = module.request_bodies if module else {}
    # One URL pattern may stand for several paths: optional segments, an optional trailing '/'.
    # normalize() lists them as reverse() does; the shortest form of each is the one we describe.
    for template, parameters in normalize(pattern.pattern.regex.pattern):
        relative = template.rstrip("/") % {name: "{" + name + "}" for name in parameters}
        for method in methods:
            key = f"{method.upper()} {relative}"
            operation = _operation(
                method,
                parameters,
                tag=tag,
                module=module,
                paginated=module is not None
                and module.objects is not None
                and not parameters
                and method == "get"
                and _is_sender(module, relative),
                body=bodies.get(key),
                # Key fields beside the path's (a token's type) go in the query.
                key_query=module.objects.url_parameters
                if module is not None and module.objects is not None and parameters
                else (),
            )
            if key in bodies and used is not None:
                used.add(key)
            paths.setdefault(base + relative, {})[method] = operation


def _add_fixed_value(paths, key: str, *, module, base: str) -> None:
    """A body declared for one value of a route's last path parameter (a command type): that
    value gets a path of its own, with that body."""
    method, path = key.split(" ", 1)
    fixed_parent = path.rsplit("/", 1)[0]
    for template in list(paths):
        parent, last = template.rsplit("/", 1)
        if (
            parent == base + fixed_parent
            and last.startswith("{")
            and method.lower() in paths[template]
        ):
            parameters = [
                p["name"]
                for p in paths[template][method.lower()]["parameters"]
                if p["in"] == "path" and p["name"] != last.strip("{}")
            ]
            paths[base + path] = {
                method.lower(): _operation(
                    method.lower(),
                    parameters,
                    tag=module.identifier,
                    module=module,
                    paginated=False,
                    body=module.request_bodies[key],
                )
            }
            return
    raise ValueError(f"{module.identifier}: request_bodies names no route: {key!r}")


def _is_sender(module, relative: str) -> bool:
    return any(e.role == SENDER and e.path == relative for e in module.endpoints.get(VERSION, ()))


def _path_schema(name: str) -> dict:
    """A path parameter: any string, but the version of version details is one we offer."""
    if name == "version":
        return {"type": "string", "enum": offered_versions()}
    return {"type": "string"}


def _operation(method, parameters, *, tag, module, paginated, body, key_query=()) -> dict:
    operation = {
        "tags": [tag],
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(name)}
            for name in parameters
        ],
        "responses": {
            "default": {
                "description": "The OCPI response envelope",
                "content": {"application/json": {"schema": ENVELOPE}},
            }
        },
    }
    if paginated:
        operation["parameters"] += [
            {
                "name": p["name"],
                "in": "query",
                "required": False,
                "description": p["description"],
                "schema": (
                    {"type": "integer", "minimum": 0}
                    if p.get("integer")
                    else {"type": "string", "format": "date-time"}
                ),
            }
            for p in PAGINATION_PARAMETERS
        ]
    operation["parameters"] += [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in key_query
    ]
    if module is not None:
        operation["parameters"] += [
            {
                "name": name,
                "in": "header",
                "required": False,
                "description": description,
                "schema": {"type": "string", "pattern": pattern},
            }
            for name, pattern, description in ROUTING_HEADERS
        ]
    if body is not None:
        schema = serializer_schema(import_string(body)(), partial=method == "patch")
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    elif method in ("put", "patch", "post"):
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    return operation


def serializer_schema(field, *, partial: bool = False) -> dict:
    """The JSON schema of a DRF serializer or field: what its validation accepts, as far as a
    schema can say it (cross-field rules are left to the answer's status message)."""
    if isinstance(field, serializers.ListSerializer):
        schema = {"type": "array", "items": serializer_schema(field.child)}
        if not field.allow_empty:
            schema["minItems"] = 1
    elif isinstance(field, serializers.Serializer):
        properties = {name: serializer_schema(f) for name, f in field.fields.items()}
        schema = {"type": "object", "properties": properties}
        required = [name for name, f in field.fields.items() if f.required]
        if required and not partial:
            schema["required"] = required
    elif isinstance(field, serializers.ListField):
        schema = {"type": "array", "items": serializer_schema(field.child)}
        if not field.allow_empty:
            schema["minItems"] = 1
    elif isinstance(field, serializers.ChoiceField):
        schema = {"type": "string", "enum": list(field.choices)}
    elif isinstance(field, serializers.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, serializers.IntegerField):
        schema = {"type": "integer", **_bounds(field)}
    elif isinstance(field, serializers.DecimalField | serializers.FloatField):
        schema = {"type": "number", **_bounds(field)}
    elif isinstance(field, serializers.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, serializers.DictField | serializers.JSONField):
        schema = {"type": "object"}
    elif isinstance(field, serializers.RegexField):
        [regex] = [v.regex for v in field.validators if isinstance(v, RegexValidator)]
        schema = {"type": "string", "pattern": regex.pattern}
    elif isinstance(field, serializers.CharField):
        schema = {"type": "string"}
        if field.max_length is not None:
            schema["maxLength"] = field.max_length
    else:
        schema = {}
    if getattr(field, "allow_null", False):
        schema["nullable"] = True
    return schema


def _bounds(field) -> dict:
    bounds = {}
    if field.min_value is not None:
        bounds["minimum"] = _json_number(field.min_value)
    if field.max_value is not None:
        bounds["maximum"] = _json_number(field.max_value)
    return bounds


def _json_number(value):
    return int(value) if value == int(value) else float(value)


def _envelope_schema() -> dict:
    return {
        "type": "object",
        "required": ["status_code", "timestamp"],
        "properties": {
            "data": {"description": "The answer's payload: an object, a list, or absent"},
            "status_code": {"type": "integer", "description": "1xxx success, 2xxx/3xxx errors"},
            "status_message": {"type": "string"},
            "timestamp": {"type": "string", "format": "date-time"},
        },
    }
