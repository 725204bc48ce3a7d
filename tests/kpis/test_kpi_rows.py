"""The targets beside the KPIs on hand-built EU applications and memberships of the seeded
programme period 2021–2024 (migration kpis/0002): kpi_rows compares a flow cumulatively from
the programme's start with the year's target, a state in the year; and the trajectory."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.kpis import selectors
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import TargetPeriod
from klynge.projects.choices import ProjectKind, ProjectStatus
from tests.kpis.factories import (
    KpiTargetFactory,
    TargetPeriodFactory,
    company,
    member,
    project_with,
)

pytestmark = pytest.mark.django_db

EU = ProjectKind.EU_APPLICATION


# --- targets: kpi_rows and the trajectory ----------------------------------------------------


def _eu_history():
    """EU applications of 2021-2024 (the seeded programme period): 2021: A, B; 2022: none;
    2023: A again and C. Paying members: 3 from 2021, one more from 2023."""
    a, b, c = company(), company(), company()
    project_with(a, b, kind=EU, submitted_on=date(2021, 5, 1))
    project_with(a, c, kind=EU, submitted_on=date(2023, 5, 1), status=ProjectStatus.FUNDED)
    for _ in range(3):
        member()
    member(start=date(2023, 1, 1))


def test_kpi_rows_compare_flows_cumulatively_from_the_programme_start():
    _eu_history()

    rows = {row.key: row for row in selectors.kpi_rows(Period.year(2023))}

    eu = rows[keys.EU_APPLICATIONS]
    assert (eu.figure.value, eu.compared.value, eu.target.value) == (2, 3, Decimal("34"))
    assert eu.figure.counted < eu.cumulative.counted
    assert (eu.progress.reached, eu.progress.status) == (Decimal("0.088"), "behind")
    paying = rows[keys.PAYING_MEMBERS]
    assert (paying.figure.value, paying.cumulative, paying.target.value) == (
        4, None, Decimal("725"))
    assert paying.progress.reached == Decimal("0.006")
    assert rows[keys.INNOVATIVE_MEMBERS].target.value == Decimal("30")
    assert [row.key for row in selectors.kpi_rows(Period.year(2023))] == list(keys.ORDER)


def test_kpi_rows_of_the_first_programme_year_need_no_cumulative_figure():
    _eu_history()

    rows = {row.key: row for row in selectors.kpi_rows(Period.year(2021))}

    assert rows[keys.EU_APPLICATIONS].cumulative is None
    assert rows[keys.EU_APPLICATIONS].compared.value == 2
    assert rows[keys.EU_APPLICATIONS].target.value == Decimal("11")


def test_kpi_rows_of_the_whole_programme_period_use_the_last_years_target():
    _eu_history()

    rows = {row.key: row for row in selectors.kpi_rows(Period(date(2021, 1, 1),
                                                              date(2024, 12, 31)))}

    eu = rows[keys.EU_APPLICATIONS]
    assert (eu.figure.value, eu.cumulative, eu.target.value) == (3, None, Decimal("45"))
    assert (rows[keys.PAYING_MEMBERS].target.value,
            rows[keys.PAYING_MEMBERS].target.value_high) == (Decimal("800"), Decimal("1000"))


def test_kpi_rows_of_part_of_a_year_count_to_the_periods_end_only():
    a, b = company(), company()
    project_with(a, kind=EU, submitted_on=date(2023, 3, 1))
    project_with(b, kind=EU, submitted_on=date(2023, 9, 1))

    rows = {row.key: row for row in selectors.kpi_rows(Period(date(2023, 1, 1),
                                                              date(2023, 6, 30)))}

    # From the programme's start (1 Jan 2021) to 30 June 2023: A only, not B (September).
    assert rows[keys.EU_APPLICATIONS].figure.value == 1
    assert rows[keys.EU_APPLICATIONS].compared.value == 1


def test_kpi_rows_outside_any_programme_period_have_no_target():
    rows = selectors.kpi_rows(Period.year(2035))

    assert [row.target for row in rows] == [None] * 7
    assert [row.progress.status for row in rows] == ["unknown"] * 7


def test_trajectory_has_targets_for_every_year_and_actuals_up_to_today():
    _eu_history()
    programme = TargetPeriod.objects.get(name="2021–2024")

    series = selectors.trajectory(programme, today=date(2023, 6, 30))

    assert series[keys.EU_APPLICATIONS] == [
        {"year": 2021, "target": Decimal("11"), "actual": 2},
        {"year": 2022, "target": Decimal("22"), "actual": 2},
        {"year": 2023, "target": Decimal("34"), "actual": 3},
        {"year": 2024, "target": Decimal("45"), "actual": None},
    ]
    assert [point["actual"] for point in series[keys.PAYING_MEMBERS]] == [3, 3, 4, None]
    assert [point["target"] for point in series[keys.PAYING_MEMBERS]] == [
        Decimal("575"), Decimal("650"), Decimal("725"), Decimal("800")]


def test_trajectory_of_a_programme_not_yet_started_has_no_actuals():
    programme = TargetPeriodFactory(start=date(2029, 12, 1), end=date(2033, 11, 30))
    KpiTargetFactory(period=programme, kpi=keys.EU_APPLICATIONS, year=2029, value=3)

    series = selectors.trajectory(programme, today=date(2029, 11, 26))

    assert series[keys.EU_APPLICATIONS][0] == {"year": 2029, "target": Decimal("3"),
                                               "actual": None}
    assert [point["actual"] for point in series[keys.PAYING_MEMBERS]] == [None] * 5
