"""The overview page shows a grant giver the way in to the reports, and nobody else."""

import pytest
from django.urls import reverse

from klynge.core.roles import Role
from tests.reports.exports_builders import sign_in

pytestmark = pytest.mark.django_db


def test_a_grant_giver_sees_every_report_on_the_overview(client):
    sign_in(client, Role.GRANT_GIVER)

    page = client.get(reverse("core:home")).content.decode()

    assert "Reports and exports" in page
    for name in ("reports:status", "reports:effect_export", "reports:survey_participants",
                 "reports:excellence"):
        assert f'href="{reverse(name)}"' in page


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGEMENT, Role.MEMBER])
def test_other_roles_do_not_get_the_grant_givers_panel(client, role):
    sign_in(client, role)

    page = client.get(reverse("core:home"), follow=True).content.decode()

    assert "Reports and exports" not in page
