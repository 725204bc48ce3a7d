"""Introductions as KPI evidence: KPI 5 counts introductions with a commercial outcome in the
period beside projects (each once), KPI 4 counts the companies of an EU application made from
an introduction and says where it came from, frozen figures name introduction keys."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from klynge.core.roles import Role
from klynge.kpis import selectors
from klynge.kpis import services as kpi_services
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.matchmaking.services import introductions as services
from klynge.projects.choices import OutcomeKind
from tests.factories import user_with_role
from tests.kpis.factories import ProjectOutcomeFactory, project_with
from tests.matchmaking.factories_introductions import introduce, made_on, pair

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def staff():
    return user_with_role(Role.STAFF)


def _introduction(staff):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo)
    return made_on(intro, datetime(2024, 11, 5, 10, 0, tzinfo=CPH))


def _outcome(intro, kind, day, staff, description=""):
    return services.introduction_outcome_record(introduction=intro, kind=kind, date=day,
                                                description=description, actor=staff)


def test_kpi_5_counts_an_introduction_with_a_commercial_outcome_once(staff):
    intro = _introduction(staff)
    _outcome(intro, OutcomeKind.MET, date(2024, 12, 1), staff)
    _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff, "Licence sold")
    _outcome(intro, OutcomeKind.NEW_COMPANY, date(2025, 8, 1), staff, "Spin-out founded")

    figure = selectors.kpi_figure(keys.COMMERCIAL_USE, YEAR)

    assert (figure.value, figure.counted) == (1, frozenset({f"introduction:{intro.pk}"}))


def test_kpi_5_counts_projects_and_introductions_side_by_side(staff):
    intro = _introduction(staff)
    _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff)
    project = project_with(intro.organisation_a, title="Robot pilot")
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.NEW_COMPANY, date=date(2025, 6, 1))

    figure = selectors.kpi_figure(keys.COMMERCIAL_USE, YEAR)

    assert (figure.value, figure.counted) == (
        2, frozenset({f"introduction:{intro.pk}", f"project:{project.pk}"}))


def test_kpi_5_leaves_out_outcomes_outside_the_period_and_other_kinds(staff):
    intro = _introduction(staff)
    _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2024, 12, 31), staff)
    _outcome(intro, OutcomeKind.JOINT_PROJECT, date(2025, 2, 1), staff)

    assert selectors.kpi_figure(keys.COMMERCIAL_USE, YEAR).value == 0
    assert selectors.kpi_figure(keys.COMMERCIAL_USE, Period.year(2024)).value == 1


def test_an_introduction_outcome_on_a_project_that_counts_is_not_counted_twice(staff):
    intro = _introduction(staff)
    project = project_with(intro.organisation_a, intro.organisation_b, title="Robot pilot")
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.COMMERCIAL_USE,
                          date=date(2025, 5, 1))
    services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.COMMERCIAL_USE, date=date(2025, 5, 1),
        project=project, actor=staff)

    figure = selectors.kpi_figure(keys.COMMERCIAL_USE, YEAR)

    assert (figure.value, figure.counted) == (1, frozenset({f"project:{project.pk}"}))
    assert [row.key for row in selectors.drilldown(keys.COMMERCIAL_USE, YEAR)] == [
        f"project:{project.pk}"]


def test_the_kpi_5_drilldown_lists_the_introduction_with_its_outcomes_and_link(staff):
    intro = _introduction(staff)
    _outcome(intro, OutcomeKind.NEW_COMPANY, date(2025, 8, 1), staff, "Spin-out founded")
    _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff, "Licence sold")

    (row,) = selectors.drilldown(keys.COMMERCIAL_USE, YEAR)

    assert (row.key, row.label, row.url, row.detail) == (
        f"introduction:{intro.pk}", "Vision Robotics ApS ↔ Aalborg University",
        f"/matchmaking/introductions/{intro.pk}/", "Introduction made 2024-11-05")
    assert [(e.day, e.text) for e in row.evidence] == [
        (date(2025, 3, 1), "Commercial use of research results: Licence sold"),
        (date(2025, 8, 1), "New company: Spin-out founded")]


def test_the_kpi_5_drilldown_page_shows_the_introduction(staff_client, staff):
    intro = _introduction(staff)
    _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff, "Licence sold")

    html = staff_client.get("/kpis/kpi/5/?year=2025").content.decode()

    assert "Vision Robotics ApS ↔ Aalborg University" in html
    assert f'href="/matchmaking/introductions/{intro.pk}/"' in html
    assert "Licence sold" in html


def test_kpi_4_counts_the_company_of_an_eu_application_made_from_an_introduction(staff):
    intro = _introduction(staff)
    outcome = _outcome(intro, OutcomeKind.EU_APPLICATION_SUBMITTED, date(2025, 3, 14), staff)

    figure = selectors.kpi_figure(keys.EU_APPLICATIONS, YEAR)
    (row,) = selectors.drilldown(keys.EU_APPLICATIONS, YEAR)

    company = intro.organisation_a  # the university is no company
    assert (figure.value, figure.counted) == (1, frozenset({f"cvr:{company.cvr}"}))
    assert row.label == "Vision Robotics ApS"
    (evidence,) = row.evidence
    assert evidence.day == date(2025, 3, 14)
    assert evidence.url == outcome.project.get_absolute_url()
    assert evidence.text == (
        "EU application: Vision Robotics ApS and Aalborg University ·  · Coordinator · "
        "Submitted · from introduction Vision Robotics ApS ↔ Aalborg University (2024-11-05)")


def test_labels_of_introduction_keys_name_the_pair_and_a_deleted_one_keeps_its_key(staff):
    intro = _introduction(staff)

    labels = selectors.labels_for_keys({f"introduction:{intro.pk}", "introduction:999999"})

    assert labels == {
        f"introduction:{intro.pk}": ("Vision Robotics ApS ↔ Aalborg University",
                                     f"/matchmaking/introductions/{intro.pk}/"),
        "introduction:999999": ("introduction:999999", ""),
    }


def test_a_frozen_kpi_5_with_an_introduction_names_it_when_it_no_longer_counts(
        staff, management_client):
    intro = _introduction(staff)
    outcome = _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff)
    kpi_services.snapshot_freeze(period=YEAR, actor=management_client.user, note="2025")
    snapshot_figure = selectors.frozen_figures(selectors.snapshot_for(YEAR))[
        keys.COMMERCIAL_USE]
    services.introduction_outcome_delete(outcome=outcome, actor=staff)

    html = management_client.get("/kpis/?year=2025").content.decode()

    assert snapshot_figure.counted == frozenset({f"introduction:{intro.pk}"})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Removed since freezing: Vision Robotics ApS ↔ Aalborg University" in text
    assert f'<a href="/matchmaking/introductions/{intro.pk}/">Vision Robotics ApS ↔ ' \
        'Aalborg University</a>' in html


def _introductions_with_outcomes(staff, count: int) -> None:
    from tests.factories import OrganisationFactory
    from tests.matchmaking.factories_introductions import contact

    lead = OrganisationFactory(name="Lead ApS")
    person = contact(lead, first_name="Lea", email=f"lea{count}@example.dk")
    for n in range(count):
        other = OrganisationFactory(name=f"Partner {count}-{n} ApS")
        intro = introduce(staff, lead, person, other,
                          contact(other, first_name=f"P{count}x{n}"), purpose="any",
                          message="Meet")
        made_on(intro, datetime(2024, 11, 5, 10, 0, tzinfo=CPH))
        _outcome(intro, OutcomeKind.COMMERCIAL_USE, date(2025, 3, 1), staff)
        _outcome(intro, OutcomeKind.EU_APPLICATION_SUBMITTED, date(2025, 4, 1), staff)
        lead = other
        person = other.people.get()


def test_introductions_add_no_queries_as_they_grow(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            selectors.kpi_figures(YEAR)
            rows = {key: selectors.drilldown(key, YEAR)
                    for key in (keys.EU_APPLICATIONS, keys.COMMERCIAL_USE)}
            selectors.labels_for_keys({row.key for row in rows[keys.COMMERCIAL_USE]})
        return len(queries), len(rows[keys.COMMERCIAL_USE])

    _introductions_with_outcomes(staff, 2)
    small = count()
    _introductions_with_outcomes(staff, 6)
    large = count()

    assert (small[1], large[1]) == (2, 8)
    assert small[0] == large[0]
