"""The KPI reads run a fixed number of queries: the same count on two sizes of data for
kpi_figures, kpi_rows and every drill-down."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.activities.choices import ActivityType
from klynge.ecosystem.models import Organisation
from klynge.kpis import selectors
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.projects.choices import ProjectKind, ProjectStatus
from tests.factories import next_cvr
from tests.kpis.factories import (
    ProjectOutcomeFactory,
    cluster,
    company,
    held,
    member,
    project_with,
    yes,
)

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)
EU = ProjectKind.EU_APPLICATION


# --- queries ---------------------------------------------------------------------------------


def _mixed_data(size: int) -> None:
    """`size` of everything every KPI counts from: members with three yes answers each,
    activities and funded EU applications with another cluster, commercial outcomes; and one
    internationalisation activity co-organised with our own and another cluster."""
    own = Organisation.objects.filter(cvr=django_settings.KLYNGE_CLUSTER_CVR).first() \
        or cluster(name="Our Cluster", cvr=django_settings.KLYNGE_CLUSTER_CVR)
    other = cluster()
    mission = held(date(2025, 4, 1), type=ActivityType.INTERNATIONALISATION,
                   co_organisers=[own, other])
    for n in range(size):
        org = member(company())
        for key in ("innovation_started", "international_visibility", "green_contacts"):
            yes(org, key, date(2025, 4, 2 + n % 20), activity=mission)
        held(date(2025, 5, 1 + n % 28), co_organisers=[other])
        project = project_with(org, other, kind=EU, submitted_on=date(2025, 6, 1),
                               start_date=date(2025, 9, 1), status=ProjectStatus.FUNDED)
        ProjectOutcomeFactory(project=project, date=date(2025, 7, 1))


def _queries(read) -> int:
    with CaptureQueriesContext(connection) as queries:
        read()
    return len(queries)


def _all_reads():
    """The query count of kpi_figures, kpi_rows and each drill-down for 2025."""
    return {
        "figures": _queries(lambda: selectors.kpi_figures(YEAR)),
        "rows": _queries(lambda: selectors.kpi_rows(YEAR)),
        **{key: _queries(lambda key=key: selectors.drilldown(key, YEAR))
           for key in keys.ORDER},
    }


def test_the_query_count_does_not_grow_with_the_data(settings):
    settings.KLYNGE_CLUSTER_CVR = next_cvr()
    _mixed_data(2)
    small = _all_reads()
    _mixed_data(8)
    large = _all_reads()

    figures = selectors.kpi_figures(YEAR)
    assert {key: figure.value for key, figure in figures.items()} == {
        keys.INNOVATIVE_MEMBERS: Decimal("100.0"), keys.CLUSTER_COLLABORATIONS: 22,
        keys.INTERNATIONAL_VISIBILITY: 10, keys.EU_APPLICATIONS: 10, keys.COMMERCIAL_USE: 10,
        keys.GREEN_CONTACTS: 10, keys.PAYING_MEMBERS: 10,
    }
    assert small == large
    assert large["figures"] <= 20
