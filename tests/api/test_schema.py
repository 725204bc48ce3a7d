"""The OpenAPI schema: valid OpenAPI 3, generated without a single drf-spectacular warning,
with the error answers and the role scoping documented."""

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    """The schema, generated once by `klynge spectacular --validate --fail-on-warn`: any
    drf-spectacular warning or error of any endpoint (SystemExit) fails every test here."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_the_schema_is_valid_openapi_3_without_warnings(schema):
    validate_schema(schema)  # raises on an invalid document

    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Klynge API"
    assert {"/api/v1/organisations/", "/api/v1/organisations/{id}/", "/api/v1/people/",
            "/api/v1/memberships/", "/api/v1/memberships/{id}/renew/", "/api/v1/kpis/",
            "/api/v1/kpi-definitions/", "/api/v1/kpi-targets/"} <= set(schema["paths"])


@pytest.mark.django_db
def test_the_schema_is_served_as_json(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/organisations/" in response.json()["paths"]


def test_error_answers_are_documented(schema):
    update = schema["paths"]["/api/v1/organisations/{id}/"]["patch"]["responses"]
    listing = schema["paths"]["/api/v1/organisations/"]["get"]["responses"]

    assert sorted(update) == ["200", "400", "401", "403", "404", "409", "429"]
    assert update["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Conflict"}
    assert sorted(listing) == ["200", "400", "401", "403", "404", "429"]
    assert listing["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
    assert "delete" not in schema["paths"]["/api/v1/organisations/{id}/"]


def test_the_scoping_of_members_is_in_the_description(schema):
    listing = schema["paths"]["/api/v1/organisations/"]["get"]

    assert "Members: read their own organisation only" in listing["description"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"q", "kind", "hub", "membership", "ordering", "page", "page_size"} <= names


@pytest.mark.django_db
def test_the_swagger_ui_and_redoc_pages_load(client):
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/redoc/").status_code == 200
