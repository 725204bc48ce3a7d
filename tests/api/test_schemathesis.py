"""Schemathesis walks every operation of the OpenAPI schema (so every app's endpoints, as they
are added) with generated requests, as a staff member with a token, and checks that nothing
ends in a 5xx, that every status code is documented and every answer matches its schema.

A bounded, derandomised run (KLYNGE_SCHEMATHESIS_EXAMPLES examples per operation, 10 by
default: about 7 minutes for the 73 operations on two busy cores; raise it for a deeper run).
CI runs it as its own stage: `pytest -m schemathesis -n 2 tests/api/test_schemathesis.py`.
"""

import os
from datetime import date

import pytest
import schemathesis
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
