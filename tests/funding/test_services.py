"""The funding services: what they check, what they write, and that a refusal writes
nothing."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.funding import services
from klynge.funding.models import ActionPlan, BudgetLine, Cost, PlannedActivity, TimeRegistration
from tests.funding.factories import (
    ActionPlanFactory,
    ActivityFactory,
    BudgetLineFactory,
    FundingFactory,
    KnowledgeGrantFactory,
    university,
)

pytestmark = pytest.mark.django_db


def test_an_action_plan_is_created_once_per_grant_and_year():
    grant = KnowledgeGrantFactory(code="UFS-X")

    plan = services.action_plan_create(grant=grant, year=2025)

    assert (plan.grant, plan.year) == (grant, 2025)
    assert AuditEntry.objects.filter(action="klynge.funding.action_plan.created").count() == 1
    with pytest.raises(ApplicationError, match="UFS-X already has an action plan for 2025."):
        services.action_plan_create(grant=grant, year=2025)
    assert ActionPlan.objects.count() == 1


def test_an_action_plan_outside_the_grant_period_is_refused():
    with pytest.raises(ApplicationError) as error:
        services.action_plan_create(grant=KnowledgeGrantFactory(code="UFS-Y"), year=2030)

    assert error.value.message == "UFS-Y runs from 2023 to 2026; 2030 is outside it."
    assert error.value.field == "year"
    assert ActionPlan.objects.count() == 0


def test_budget_line_names_are_unique_per_plan():
    plan = ActionPlanFactory()
    services.budget_line_create(plan=plan, name="Staff", category="staff",
                                planned_amount=Decimal("1000"))

    with pytest.raises(ApplicationError,
                       match="The 2025 plan already has a budget line called “staff”."):
        services.budget_line_create(plan=plan, name="staff", category="staff",
                                    planned_amount=Decimal("1"))
    assert BudgetLine.objects.count() == 1


def test_a_negative_budget_is_refused():
    with pytest.raises(ApplicationError, match="Must not be negative.") as error:
        services.budget_line_create(plan=ActionPlanFactory(), name="X", category="staff",
                                    planned_amount=Decimal("-1"))

    assert error.value.field == "planned_amount"
    assert BudgetLine.objects.count() == 0


def test_a_planned_activity_of_an_ineligible_type_is_refused():
    plan = ActionPlanFactory(grant=KnowledgeGrantFactory(code="UFS-Z"))

    with pytest.raises(ApplicationError, match="not eligible for UFS-Z"):
        services.planned_activity_create(plan=plan, title="Investor day",
                                         type="access_to_finance")
    assert PlannedActivity.objects.count() == 0


def test_time_is_registered_with_its_cost():
    grant = KnowledgeGrantFactory()
    line = BudgetLineFactory(plan=ActionPlanFactory(grant=grant, year=2025))
    partner = university()

    registration = services.time_registration_create(
        grant=grant, day=date(2025, 2, 3), hours=Decimal("7.5"), hourly_rate=Decimal("850"),
        person_name="Ida Forsker", organisation=partner, budget_line=line,
    )

    assert registration.cost == Decimal("6375.00")
    assert registration.who == "Ida Forsker"
    assert AuditEntry.objects.filter(
        action="klynge.funding.time_registration.created"
    ).count() == 1


def test_time_without_a_person_is_refused():
    with pytest.raises(ApplicationError, match="Choose the staff member"):
        services.time_registration_create(
            grant=KnowledgeGrantFactory(), day=date(2025, 2, 3), hours=Decimal("1"),
            hourly_rate=Decimal("500"),
        )
    assert TimeRegistration.objects.count() == 0


def test_time_outside_the_grant_period_is_refused():
    with pytest.raises(ApplicationError) as error:
        services.time_registration_create(
            grant=KnowledgeGrantFactory(), day=date(2022, 12, 31), hours=Decimal("1"),
            hourly_rate=Decimal("500"), person_name="A",
        )

    assert error.value.message == (
        "The date must lie within the grant's period, 2023-01-01 to 2026-12-31."
    )
    assert error.value.field == "date"
    assert TimeRegistration.objects.count() == 0


def test_a_budget_line_of_another_year_is_refused():
    grant = KnowledgeGrantFactory()
    line = BudgetLineFactory(plan=ActionPlanFactory(grant=grant, year=2024))

    with pytest.raises(ApplicationError,
                       match="The budget line is in the 2024 plan, but the date is in 2025."):
        services.cost_create(grant=grant, day=date(2025, 1, 5), amount=Decimal("10"),
                             description="Coffee", budget_line=line)
    assert Cost.objects.count() == 0


def test_a_budget_line_of_another_grant_is_refused():
    line = BudgetLineFactory()

    with pytest.raises(ApplicationError, match="The budget line belongs to another grant."):
        services.cost_create(grant=KnowledgeGrantFactory(), day=date(2025, 1, 5),
                             amount=Decimal("10"), description="Coffee", budget_line=line)
    assert Cost.objects.count() == 0


def test_a_cost_of_an_activity_the_grant_does_not_fund_is_refused():
    grant = KnowledgeGrantFactory(code="UFS-Q")
    activity = ActivityFactory(title="Robot day")

    with pytest.raises(ApplicationError, match="“Robot day” is not funded by UFS-Q."):
        services.cost_create(grant=grant, day=date(2025, 1, 5), amount=Decimal("10"),
                             description="Coffee", activity=activity)
    assert Cost.objects.count() == 0


def test_a_cost_of_a_funded_activity_is_saved():
    funding = FundingFactory()

    cost = services.cost_create(grant=funding.grant, day=date(2025, 1, 5),
                                amount=Decimal("1250.50"), description=" Venue ",
                                activity=funding.activity)

    assert (cost.amount, cost.description, cost.activity) == (
        Decimal("1250.50"), "Venue", funding.activity
    )


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_a_cost_must_be_more_than_zero(amount):
    with pytest.raises(ApplicationError, match="Must be more than zero."):
        services.cost_create(grant=KnowledgeGrantFactory(), day=date(2025, 1, 5),
                             amount=amount, description="Coffee")
    assert Cost.objects.count() == 0
