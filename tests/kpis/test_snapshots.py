"""Freezing a period's figures: what is frozen, one snapshot per period, and a frozen figure
that never changes when records are edited or erased later, while the current one does."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.kpis import selectors, services
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period, difference
from klynge.kpis.models import KpiSnapshot
from klynge.projects.choices import ProjectKind
from tests.factories import user_with_role
from tests.kpis.factories import company, held, member, project_with, took_part, yes

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


def _year_of_records():
    """Four paying members (B with two people at one activity, C said yes to innovation),
    one EU application with A and B."""
    a, b, c, d = (member(company(name=name)) for name in ("A ApS", "B ApS", "C ApS", "D ApS"))
    seminar = held(date(2025, 3, 10))
    took_part(seminar, b)
    took_part(seminar, b)
    yes(c, "innovation_started", date(2025, 3, 11), activity=seminar)
    project_with(a, b, kind=ProjectKind.EU_APPLICATION, submitted_on=date(2025, 5, 1))
    return a, b, c, d


def test_freezing_stores_the_seven_figures_what_counted_and_the_participants():
    a, b, c, d = _year_of_records()
    boss = user_with_role(Role.MANAGEMENT)

    snapshot = services.snapshot_freeze(period=YEAR, actor=boss, note="Status report 2025")

    snapshot.refresh_from_db()
    assert (snapshot.period_start, snapshot.period_end, snapshot.label) == (
        date(2025, 1, 1), date(2025, 12, 31), "2025")
    assert (snapshot.frozen_by, snapshot.note) == (boss, "Status report 2025")
    assert sorted(snapshot.figures) == sorted(keys.ORDER)  # jsonb keeps no key order
    assert list(selectors.frozen_figures(snapshot)) == list(keys.ORDER)
    assert snapshot.figures[keys.PAYING_MEMBERS] == {
        "value": "4", "numerator": None, "denominator": None,
        "counted": sorted(f"cvr:{o.cvr}" for o in (a, b, c, d)),
    }
    assert snapshot.figures[keys.INNOVATIVE_MEMBERS] == {
        "value": "25.0", "numerator": 1, "denominator": 4, "counted": [f"cvr:{c.cvr}"],
    }
    assert snapshot.figures[keys.EU_APPLICATIONS]["value"] == "2"
    assert (snapshot.participants["people"], snapshot.participants["organisations"]) == (2, 1)
    entry = AuditEntry.objects.get(action="klynge.kpis.snapshot.frozen")
    assert (entry.actor, entry.object_id) == (boss, str(snapshot.pk))
    assert entry.data["values"][keys.PAYING_MEMBERS] == "4"
    assert entry.data["period"] == ["2025-01-01", "2025-12-31"]


def test_frozen_figures_read_back_as_figures():
    _year_of_records()
    snapshot = services.snapshot_freeze(period=YEAR)

    frozen = selectors.frozen_figures(snapshot)

    assert frozen[keys.INNOVATIVE_MEMBERS].value == Decimal("25.0")
    assert (frozen[keys.INNOVATIVE_MEMBERS].numerator,
            frozen[keys.INNOVATIVE_MEMBERS].denominator) == (1, 4)
    assert frozen[keys.PAYING_MEMBERS].value == 4
    assert frozen[keys.CLUSTER_COLLABORATIONS].value == 0
    assert selectors.snapshot_for(YEAR) == snapshot
    assert selectors.snapshot_for(Period.year(2024)) is None
    assert list(selectors.snapshot_list()) == [snapshot]


def test_a_second_freeze_of_the_same_period_is_refused():
    services.snapshot_freeze(period=YEAR)

    with pytest.raises(ApplicationError, match="The figures for 2025 are already frozen."):
        services.snapshot_freeze(period=YEAR)

    assert KpiSnapshot.objects.count() == 1
    # Another period is another snapshot.
    services.snapshot_freeze(period=Period(date(2025, 1, 1), date(2025, 6, 30)))
    assert KpiSnapshot.objects.count() == 2


def test_two_freezes_at_the_same_moment_end_in_one_snapshot(monkeypatch):
    services.snapshot_freeze(period=YEAR)
    # The other request checked before this one's snapshot was saved.
    monkeypatch.setattr(selectors, "snapshot_for", lambda period: None)

    with pytest.raises(ApplicationError, match="already frozen"):
        services.snapshot_freeze(period=YEAR)

    assert KpiSnapshot.objects.count() == 1


def test_a_frozen_figure_never_changes_when_records_change_later():
    a, b, c, d = _year_of_records()
    snapshot = services.snapshot_freeze(period=YEAR)
    # Later: B's membership is corrected to have ended in June, C is erased, E joins.
    b.memberships.update(end_date=date(2025, 6, 30))
    c.delete()
    e = member(company(name="E ApS"), start=date(2025, 9, 1))

    frozen = selectors.frozen_figures(KpiSnapshot.objects.get(pk=snapshot.pk))
    current = selectors.kpi_figures(YEAR)

    assert frozen[keys.PAYING_MEMBERS].value == 4
    assert current[keys.PAYING_MEMBERS].value == 3
    assert frozen[keys.INNOVATIVE_MEMBERS].value == Decimal("25.0")
    assert current[keys.INNOVATIVE_MEMBERS].value == Decimal("0.0")
    change = difference(frozen[keys.PAYING_MEMBERS].value, frozen[keys.PAYING_MEMBERS].counted,
                        current[keys.PAYING_MEMBERS].value,
                        current[keys.PAYING_MEMBERS].counted)
    assert (change.delta, change.changed) == (-1, True)
    assert change.added == (f"cvr:{e.cvr}",)
    assert change.removed == tuple(sorted([f"cvr:{b.cvr}", f"cvr:{c.cvr}"]))
    unchanged = difference(frozen[keys.EU_APPLICATIONS].value,
                           frozen[keys.EU_APPLICATIONS].counted,
                           current[keys.EU_APPLICATIONS].value,
                           current[keys.EU_APPLICATIONS].counted)
    assert (unchanged.delta, unchanged.changed, unchanged.added, unchanged.removed) == (
        0, False, (), ())


def test_freezing_a_year_without_members_keeps_kpi_1_without_a_value():
    snapshot = services.snapshot_freeze(period=YEAR)

    frozen = selectors.frozen_figures(snapshot)

    assert snapshot.figures[keys.INNOVATIVE_MEMBERS] == {
        "value": None, "numerator": 0, "denominator": 0, "counted": []}
    assert (frozen[keys.INNOVATIVE_MEMBERS].value, frozen[keys.PAYING_MEMBERS].value) == (None, 0)
    assert snapshot.frozen_by is None


def test_a_flows_figure_to_date_is_frozen_with_the_year():
    firm = company(name="Early ApS")
    project_with(firm, kind="eu_application", status="submitted",
                 submitted_on=date(2023, 5, 1))
    project_with(company(name="Late ApS"), kind="eu_application", status="funded",
                 submitted_on=date(2024, 5, 1))

    snapshot = services.snapshot_freeze(period=Period.year(2024))
    project_with(company(name="Later still ApS"), kind="eu_application", status="submitted",
                 submitted_on=date(2022, 5, 1))  # recorded after freezing

    to_date = selectors.frozen_to_date(snapshot, "eu_applications",
                             Period(date(2021, 1, 1), date(2024, 12, 31)))
    assert (snapshot.figures["eu_applications"]["value"], to_date.value) == ("1", 2)
    assert selectors.frozen_to_date(snapshot, "paying_members", Period.year(2024)) is None
