"""The OpenAPI description partners' integrators fetch: served without a token, and covering
every OCPI route we serve, with the request bodies our receivers validate."""

import re
from importlib import import_module

import pytest
from django.test import Client
from django.urls import resolve

from ocpi import registry
from ocpi.endpoints import VERSION
from ocpi.modules.tariffs.serializers import TariffSerializer
from ocpi.openapi import openapi_document, serializer_schema

pytestmark = pytest.mark.django_db


def test_it_is_served_as_json_without_a_token():
    response = Client().get("/ocpi/openapi.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["OcpiToken"]["name"] == "Authorization"


def test_another_method_than_get_gets_the_envelope():
    response = Client().post("/ocpi/openapi.json")

    assert response.status_code == 405
    assert response.json()["status_code"] == 2000


def test_every_method_of_every_ocpi_route_is_described():
    """Every (view, method) the declared modules route to is reached by a described path."""
    served = {
        (pattern.callback.view_class, method)
        for declared in registry.modules()
        for pattern in import_module(declared.urls).urlpatterns
        for method in ("get", "put", "patch", "post", "delete")
        if hasattr(pattern.callback.view_class, method)
    }
    described = set()
    for path, operations in openapi_document()["paths"].items():
        example = path.replace("{version}", VERSION)
        view = resolve(re.sub(r"\{[^}]+\}", "X", example)).func.view_class
        described |= {(view, method) for method in operations}

    assert served - described == set()


def test_receivers_bodies_are_the_serializers_they_validate_with():
    operation = openapi_document()["paths"][
        "/ocpi/2.2.1/emsp/tariffs/{country_code}/{party_id}/{tariff_id}"
    ]["put"]

    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == serializer_schema(TariffSerializer())
    assert {"country_code", "party_id", "id", "currency", "elements"} <= set(schema["required"])
    assert schema["properties"]["elements"]["type"] == "array"


def test_a_patch_body_requires_no_field():
    operation = openapi_document()["paths"][
        "/ocpi/2.2.1/emsp/sessions/{country_code}/{party_id}/{session_id}"
    ]["patch"]

    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "required" not in schema
    assert "kwh" in schema["properties"]


def test_each_command_type_has_its_own_body():
    paths = openapi_document()["paths"]

    start = paths["/ocpi/2.2.1/cpo/commands/START_SESSION"]["post"]
    schema = start["requestBody"]["content"]["application/json"]["schema"]
    assert "location_id" in schema["required"]
    assert [p["name"] for p in start["parameters"] if p["in"] == "path"] == []


def test_sender_lists_are_paginated_and_every_answer_is_the_envelope():
    paths = openapi_document()["paths"]

    listing = paths["/ocpi/2.2.1/cpo/locations"]["get"]
    assert {p["name"] for p in listing["parameters"] if p["in"] == "query"} == {
        "date_from",
        "date_to",
        "offset",
        "limit",
    }
    assert not any(
        p["in"] == "query" for p in paths["/ocpi/2.2.1/credentials"]["get"]["parameters"]
    )
    for operations in paths.values():
        for operation in operations.values():
            answer = operation["responses"]["default"]["content"]["application/json"]
            assert answer["schema"] == {"$ref": "#/components/schemas/Envelope"}
