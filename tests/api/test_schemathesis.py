"""Schemathesis walks every operation of the OpenAPI schema (so every app's endpoints, as they
are added) with generated requests, as a staff member with a token, and checks that nothing
ends in a 5xx, that every status code is documented and every answer matches its schema.

A bounded, derandomised run (KLYNGE_SCHEMATHESIS_EXAMPLES examples per operation, 10 by
default: about 7 minutes for the 73 operations on two busy cores; raise it for a deeper run).
It is part of the suite, so CI runs it on SQLite and on PostgreSQL (`-m schemathesis` selects
it alone).
"""

import os
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from klynge.core.roles import Role
from tests.api.conftest import token_client_for
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    HubFactory,
    MembershipFactory,
    user_with_role,
)

EXAMPLES = int(os.environ.get("KLYNGE_SCHEMATHESIS_EXAMPLES", "10"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(
    path_regex=r"^/api/v1/"
)


@pytest.fixture(autouse=True)
def _keep_the_tests_connection():
    """Django closes the database connection around each request (request_started/finished →
    close_old_connections), and a connection inside the test's transaction counts as one to
    close. Django's test client switches that off; the bare WSGI application schemathesis
    calls does not, so on PostgreSQL the test's connection was gone after the first request
    (SQLite's in-memory test database ignores the close)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db, settings):
    # Generated requests come fast: keep the throttle out of the way of what is checked.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    hub = HubFactory(name="Hub Aarhus")
    FocusAreaFactory()
    membership = MembershipFactory(start_date=date(2024, 1, 1))
    membership.organisation.hub = hub
    membership.organisation.save()
    AffiliationFactory(organisation=membership.organisation)
    return token_client_for(user_with_role(Role.STAFF)).token.key


@pytest.mark.schemathesis
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
)
@pytest.mark.django_db
def test_the_api_conforms_to_its_schema(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {staff_token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
