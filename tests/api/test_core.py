"""The API's shared behaviour: errors answer JSON with the right status, throttling,
pagination limits, write access narrower than read access, and the docs pages."""

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from klynge.core.api import Pagination
from klynge.core.api_errors import exception_handler
from klynge.core.errors import ApplicationError
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organisations/"


def test_a_missing_record_answers_404_json(staff_api_client):
    response = staff_api_client.get(f"{ORGS}999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_wrong_method_answers_405_json(staff_api_client):
    response = staff_api_client.delete(ORGS)

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_a_body_that_is_not_json_answers_415_json(staff_api_client):
    response = staff_api_client.post(ORGS, "name=Robo", content_type="text/plain")

    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_too_many_requests_answer_429_json_with_retry_after(staff_api_client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})

    answers = [staff_api_client.get(ORGS) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["detail"].startswith("Request was throttled.")
    assert answers[2].has_header("Retry-After")


def test_anonymous_callers_are_throttled_on_public_endpoints(anon_api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute"})

    first = anon_api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    second = anon_api_client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert (first.status_code, second.status_code) == (200, 429)
    assert second.json()["detail"].startswith("Request was throttled.")


def test_the_page_size_is_capped_at_500():
    paginator = Pagination()
    request = APIRequestFactory().get("/", {"page_size": "100000"})

    assert paginator.get_page_size(type("R", (), {"query_params": request.GET})()) == 500


def test_a_large_page_size_lists_everything_up_to_the_cap(staff_api_client):
    for number in range(3):
        OrganisationFactory(name=f"Org {number}")

    body = staff_api_client.get(ORGS, {"page_size": 100000}).json()

    assert (body["count"], len(body["results"])) == (3, 3)


def test_the_exception_handler_turns_service_and_django_errors_into_400():
    refused = exception_handler(ApplicationError("No overlap.", field="start_date"), {})
    invalid = exception_handler(DjangoValidationError({"end": ["Too early."]}), {})
    plain = exception_handler(DjangoValidationError("Wrong."), {})

    assert (refused.status_code, refused.data) == (400, {
        "detail": "No overlap.", "field": "start_date", "errors": {"start_date": ["No overlap."]}})
    assert (invalid.status_code, invalid.data) == (400, {
        "detail": "Too early.", "errors": {"end": ["Too early."]}})
    assert (plain.status_code, plain.data) == (400, {
        "detail": "Wrong.", "errors": {"non_field_errors": ["Wrong."]}})


def test_the_docs_are_served_without_a_cdn(client):
    swagger = client.get("/api/docs/").content.decode()
    redoc = client.get("/api/redoc/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in swagger
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc
    assert "cdn." not in swagger + redoc
    assert "unpkg" not in swagger + redoc
