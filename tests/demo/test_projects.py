"""The demo's projects (EU applications, collaboration projects, feasibility studies, joint
projects with other clusters), the KPIs counted from them and the frozen KPI figures."""

from collections import Counter
from datetime import date

import pytest
from django.db.models import F

from klynge.core.models import AuditEntry
from klynge.demo.builder import build_demo
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import KpiSnapshot
from klynge.kpis.selectors import frozen_figures, kpi_figures
from klynge.projects.models import Project, ProjectOutcome
from tests.demo.test_demo import ANCHOR, SMALL
from tests.factories import OrganisationFactory


def _project_year(project: Project) -> int | None:
    day = project.submitted_on or project.start_date
    return day.year if day else None


@pytest.mark.django_db
def test_small_demo_has_projects_of_every_kind_each_year():
    build_demo(**SMALL)

    by_kind = Counter((p.kind, _project_year(p)) for p in Project.objects.all())

    assert by_kind == {
        ("eu_application", 2021): 2, ("eu_application", 2022): 2, ("eu_application", 2023): 2,
        ("eu_application", 2024): 2, ("eu_application", 2025): 2, ("eu_application", 2026): 2,
        ("eu_application", None): 1,
        ("collaboration", 2022): 1, ("collaboration", 2023): 1, ("collaboration", 2024): 1,
        ("collaboration", 2026): 1, ("collaboration", None): 1,
        ("feasibility", 2020): 1, ("feasibility", 2021): 1, ("feasibility", 2025): 1,
        ("cluster_collaboration", 2021): 1, ("cluster_collaboration", 2022): 1,
        ("cluster_collaboration", 2023): 1, ("cluster_collaboration", 2024): 1,
        ("cluster_collaboration", 2025): 1, ("cluster_collaboration", 2026): 1,
    }
    assert Counter(Project.objects.values_list("kind", "status")) == {
        ("eu_application", "funded"): 2, ("eu_application", "rejected"): 8,
        ("eu_application", "submitted"): 2, ("eu_application", "preparing"): 1,
        ("collaboration", "completed"): 3, ("collaboration", "running"): 1,
        ("collaboration", "preparing"): 1, ("feasibility", "completed"): 3,
        ("cluster_collaboration", "completed"): 5, ("cluster_collaboration", "running"): 1,
    }
    assert not Project.objects.filter(end_date__lt=F("start_date")).exists()
    assert not Project.objects.filter(submitted_on__gte=ANCHOR).exists()


@pytest.mark.django_db
def test_small_demo_eu_applications_look_like_real_ones():
    build_demo(**SMALL)
    applications = Project.objects.filter(kind="eu_application")
    sent = applications.exclude(status="preparing")

    assert not sent.filter(submitted_on=None).exists()
    assert set(applications.values_list("programme", flat=True)) <= {"Horizon Europe",
                                                                     "Digital Europe"}
    assert all(call.startswith(("HORIZON-", "DIGITAL-"))
               for call in applications.values_list("call_identifier", flat=True))
    for application in applications:
        kinds = list(application.partnerships.values_list("organisation__kind", flat=True))
        assert 3 <= len(kinds) <= 8
        assert "company" in kinds
        assert "cluster" not in kinds
        assert application.partnerships.filter(role="coordinator").count() <= 1
    for funded in applications.filter(status="funded"):
        assert funded.start_date > funded.submitted_on
        assert funded.outcomes.filter(kind="eu_application_funded").exists()
    assert ProjectOutcome.objects.filter(kind="eu_application_submitted").count() == sent.count()


@pytest.mark.django_db
def test_small_demo_kpis_counted_from_records_have_figures_every_year():
    build_demo(**SMALL)

    figures = {year: kpi_figures(Period.year(year)) for year in range(2021, 2027)}

    def values(key):
        return [figures[year][key].value for year in range(2021, 2027)]

    # One activity co-organised with another cluster and one joint project a year.
    assert values("cluster_collaborations") == [2, 2, 2, 2, 2, 2]
    assert values("eu_applications") == [2, 2, 2, 2, 2, 2]
    # A project a year, and from 2025 also an introduction (tests/demo/test_matchmaking.py);
    # in 2022 also a meeting of the held B2B event (tests/demo/test_demo_brokerage.py).
    assert values("commercial_use") == [1, 2, 1, 1, 2, 2]
    assert values("paying_members") == [40, 42, 44, 46, 48, 46]
    assert all(figures[year]["innovative_members"].value > 25 for year in range(2021, 2027))


@pytest.mark.django_db
def test_small_demo_freezes_2023_and_2024_by_management_equal_to_the_current_figures():
    build_demo(**SMALL)

    snapshots = list(KpiSnapshot.objects.select_related("frozen_by").order_by("period_start"))

    assert [(s.label, s.period_start, s.period_end) for s in snapshots] == [
        ("2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31))]
    assert {s.frozen_by.email for s in snapshots} == {"ledelse@klynge.demo"}
    for snapshot in snapshots:
        current = kpi_figures(Period(snapshot.period_start, snapshot.period_end))
        frozen = frozen_figures(snapshot)
        assert {k: f.value for k, f in frozen.items()} == {k: f.value for k, f in current.items()}
        assert {k: f.counted for k, f in frozen.items()} == {
            k: f.counted for k, f in current.items()}
    assert AuditEntry.objects.filter(action="klynge.kpis.snapshot.frozen").count() == 2


@pytest.mark.django_db
def test_forced_demo_keeps_a_period_that_was_already_frozen():
    OrganisationFactory(name="Real Customer ApS")
    earlier = KpiSnapshot.objects.create(period_start=date(2023, 1, 1),
                                         period_end=date(2023, 12, 31), label="2023",
                                         note="Reported before the demo")

    result = build_demo(**SMALL, force=True)

    assert result.counts["kpi_snapshots"] == 1
    assert list(KpiSnapshot.objects.order_by("period_start").values_list("label", "note")) == [
        ("2023", "Reported before the demo"),
        ("2024", "Frozen for the cluster status report 2024 to the grant givers.")]
    assert KpiSnapshot.objects.get(pk=earlier.pk).figures == {}
