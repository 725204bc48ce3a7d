"""The management dashboard: its charts and KPI table, the hub view, and a query count that
does not grow with the data."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.core.roles import Role
from klynge.kpis.domain import keys
from klynge.projects.choices import ProjectKind
from tests.activities.factories import ActivityFundingFactory
from tests.factories import PersonFactory, user_with_role
from tests.funding.factories import ActionPlanFactory, BudgetLineFactory, CostFactory
from tests.kpis.factories import company, held, member, project_with, took_part, yes
from tests.kpis.test_views import small_dataset

pytestmark = pytest.mark.django_db

URL = "/kpis/dashboard/?year=2025&hub="


def _with_budget(data):
    plan = ActionPlanFactory(grant=data.ufs, year=2025)
    BudgetLineFactory(plan=plan, name="Staff", planned_amount=Decimal("100000"))
    CostFactory(grant=data.ufs, date=date(2025, 3, 10), amount=Decimal("5000"))


def test_dashboard_has_every_chart_and_the_kpi_table(management_client):
    data = small_dataset()
    _with_budget(data)

    response = management_client.get(URL)
    html = response.content.decode()

    assert '<script src="/funding/plotly.js"></script>' in html
    for key in keys.ORDER:
        assert f'id="chart-trajectory-{key}"' in html
    for chart in ("members", "region", "size", "kind", "activities", "budget"):
        assert f'id="chart-{chart}"' in html
    assert "cdn.plot.ly" not in html
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="kpi-table"')[1]
                                       .split("</table>")[0]))
    assert "1. Innovative members 33.3 % at least 35 %" in table
    assert "7. Paying members 3 650" in table
    budget = re.sub(r"<[^>]+>", " ", html.split('id="budget-table"')[1].split("</table>")[0])
    assert re.search(r"UFS\s+100,000\s+5,000", budget)
    assert re.search(r"DEB\s+no action plan\s+0", budget)


def test_dashboard_charts_carry_the_figures(management_client):
    small_dataset()

    dashboard = management_client.get(URL).context["data"]

    members = dashboard.charts["members"]
    assert '"y":[4,4,4,4,4,4,3,3,3,3,3,3' in members.replace(" ", "")
    assert "Central Denmark Region" in dashboard.charts["region"]
    points = {line.row.key: line.row.figure.value for line in dashboard.lines}
    assert points[keys.PAYING_MEMBERS] == 3
    assert points[keys.EU_APPLICATIONS] == 2


def test_staff_get_their_hub_view_and_kpis_stay_cluster_wide(client):
    data = small_dataset()
    client.force_login(user_with_role(Role.STAFF, hub=data.aarhus))

    response = client.get("/kpis/dashboard/?year=2025")
    html = response.content.decode()

    assert response.context["hubs"].hub == data.aarhus
    assert "Hub view: participants and activities of Hub Aarhus." in html
    assert "The KPIs, members and budgets are the whole cluster" in html
    assert "Region of Southern Denmark" not in response.context["data"].charts["region"]
    lines = {line.row.key: line.row.figure.value for line in response.context["data"].lines}
    assert lines[keys.PAYING_MEMBERS] == 3


def test_management_may_choose_a_hub(management_client):
    data = small_dataset()

    response = management_client.get(f"/kpis/dashboard/?year=2025&hub={data.odense.pk}")

    assert response.context["hubs"].hub == data.odense
    assert "Central Denmark Region" not in response.context["data"].charts["region"]


def test_an_invalid_year_falls_back_with_a_message(management_client):
    response = management_client.get("/kpis/dashboard/?year=abc", follow=True)

    assert "Choose a year from 2000 to" in response.content.decode()


def _more_data(data, n: int) -> None:
    """n more of everything the dashboard counts: members, activities with grants and
    participants, answers, EU applications."""
    for i in range(n):
        organisation = member(company(name=f"More {i} ApS", hub=data.aarhus))
        activity = held(date(2025, 1 + i % 12, 3), hub=data.aarhus)
        ActivityFundingFactory(activity=activity, grant=data.ufs, share=Decimal("100"))
        took_part(activity, organisation, PersonFactory())
        took_part(activity, data.uni)
        yes(organisation, "innovation_started", date(2025, 2, 1))
        project_with(organisation, kind=ProjectKind.EU_APPLICATION,
                     submitted_on=date(2025, 4, 1))


def test_the_query_count_does_not_grow_with_the_data(management_client):
    data = small_dataset()
    _with_budget(data)
    management_client.get(URL)  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as small:
        assert management_client.get(URL).status_code == 200
    _more_data(data, 25)
    with CaptureQueriesContext(connection) as large:
        response = management_client.get(URL)

    lines = {line.row.key: line.row.figure.value for line in response.context["data"].lines}
    assert lines[keys.PAYING_MEMBERS] == 28
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_year_without_a_programme_period_says_there_are_no_targets(management_client):
    html = management_client.get("/kpis/dashboard/?year=2019&hub=").content.decode()

    assert "No programme period covers 2019, so there are no targets to compare with." in html
    assert 'id="chart-trajectory-' not in html
    assert 'id="chart-members"' in html
