"""The funding pages through the test client: who may do what, forms, exports, the chart."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.funding.models import ActionPlan, BudgetLine, Cost, TimeRegistration
from tests.funding.factories import (
    ActionPlanFactory,
    BudgetLineFactory,
    CostFactory,
    FundingFactory,
    KnowledgeGrantFactory,
    RegistrationFactory,
    TimeRegistrationFactory,
    university,
)

pytestmark = pytest.mark.django_db


def test_the_grant_list_shows_the_seeded_grants(staff_client):
    response = staff_client.get("/funding/")

    assert response.status_code == 200
    assert "UFS-2025" in response.content.decode()
    assert "DEB-BASIC-2025" in response.content.decode()


def test_a_grant_opens_at_a_year_within_its_period(staff_client):
    grant = KnowledgeGrantFactory()

    response = staff_client.get(f"/funding/grants/{grant.pk}/")

    assert response.status_code == 302
    assert response["Location"] in {f"/funding/grants/{grant.pk}/{y}/" for y in grant.years}


def test_the_grant_year_shows_each_activity_with_what_is_still_needed(staff_client):
    funding = FundingFactory()
    RegistrationFactory(activity=funding.activity, organisation=university())

    response = staff_client.get(f"/funding/grants/{funding.grant.pk}/2025/")

    page = response.content.decode()
    assert response.status_code == 200
    assert funding.activity.title in page
    assert "Needs 2 companies." in page
    assert "No participants yet from 4 regions" in page


def test_a_year_outside_the_grant_is_not_found(staff_client):
    grant = KnowledgeGrantFactory()

    assert staff_client.get(f"/funding/grants/{grant.pk}/2040/").status_code == 404
    assert staff_client.get(f"/funding/grants/{grant.pk}/2040/plan/").status_code == 404


def test_the_action_plan_page_without_a_plan_offers_to_create_it(management_client):
    grant = KnowledgeGrantFactory()

    response = management_client.get(f"/funding/grants/{grant.pk}/2025/plan/")

    assert response.status_code == 200
    assert "There is no action plan for 2025 yet." in response.content.decode()


def test_management_creates_an_action_plan(management_client):
    grant = KnowledgeGrantFactory()

    response = management_client.post(f"/funding/grants/{grant.pk}/2025/plan/new/",
                                      {"description": "Our plan"})

    assert response.status_code == 302
    assert ActionPlan.objects.get(grant=grant, year=2025).description == "Our plan"


def test_the_action_plan_shows_plan_against_actual_with_a_chart(staff_client):
    plan = ActionPlanFactory()
    line = BudgetLineFactory(plan=plan, name="Staff time", planned_amount=Decimal("80000"))
    TimeRegistrationFactory(grant=plan.grant, budget_line=line)

    response = staff_client.get(f"/funding/grants/{plan.grant.pk}/2025/plan/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Staff time" in page
    assert "8,000" in page
    assert "plotly-graph-div" in page
    assert '<script src="/funding/plotly.js">' in page
    assert "cdn.plot.ly" not in page


def test_plotly_is_served_from_the_installed_package(staff_client):
    response = staff_client.get("/funding/plotly.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"plotly" in response.content[:5000].lower()


def test_management_adds_a_budget_line(management_client):
    plan = ActionPlanFactory()

    response = management_client.post(
        f"/funding/grants/{plan.grant.pk}/2025/plan/budget-lines/new/",
        {"name": "Partners", "category": "knowledge_partners", "planned_amount": "25000"},
    )

    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=plan)
    assert (line.name, line.planned_amount) == ("Partners", Decimal("25000"))


def test_a_duplicate_budget_line_is_shown_on_the_form(management_client):
    plan = ActionPlanFactory()
    BudgetLineFactory(plan=plan, name="Partners")

    response = management_client.post(
        f"/funding/grants/{plan.grant.pk}/2025/plan/budget-lines/new/",
        {"name": "Partners", "category": "staff", "planned_amount": "1"},
    )

    assert response.status_code == 200
    assert "The 2025 plan already has a budget line called “Partners”." in (
        response.content.decode()
    )
    assert BudgetLine.objects.filter(plan=plan).count() == 1


def test_staff_may_not_add_budget_lines_or_costs(staff_client):
    plan = ActionPlanFactory()

    assert staff_client.get(
        f"/funding/grants/{plan.grant.pk}/2025/plan/budget-lines/new/"
    ).status_code == 403
    assert staff_client.post(
        f"/funding/grants/{plan.grant.pk}/costs/new/",
        {"date": "2025-03-01", "amount": "10", "description": "x"},
    ).status_code == 403
    assert Cost.objects.count() == 0


def test_staff_register_their_own_time(staff_client):
    grant = KnowledgeGrantFactory()

    response = staff_client.post(f"/funding/grants/{grant.pk}/time/new/", {
        "date": "2025-03-04", "hours": "3.5", "hourly_rate": "700", "description": "Planning",
    })

    assert response.status_code == 302
    registration = TimeRegistration.objects.get(grant=grant)
    assert (registration.user, registration.hours, registration.cost) == (
        staff_client.user, Decimal("3.5"), Decimal("2450.00")
    )


def test_time_with_zero_hours_is_refused_with_a_clear_message(staff_client):
    grant = KnowledgeGrantFactory()

    response = staff_client.post(f"/funding/grants/{grant.pk}/time/new/", {
        "date": "2025-03-04", "hours": "0", "hourly_rate": "700",
    })

    assert response.status_code == 200
    assert "Hours must be more than zero." in response.content.decode()
    assert TimeRegistration.objects.count() == 0


def test_management_registers_a_partners_hours(management_client):
    grant = KnowledgeGrantFactory()
    partner = university(name="Aarhus Universitet")

    response = management_client.post(f"/funding/grants/{grant.pk}/time/new/", {
        "date": "2025-03-04", "hours": "10", "hourly_rate": "900",
        "person_name": "Ida Forsker", "organisation": partner.pk,
    })

    assert response.status_code == 302
    registration = TimeRegistration.objects.get(grant=grant)
    assert (registration.organisation, registration.user) == (partner, None)


def test_a_cost_outside_the_period_is_shown_on_the_form(management_client):
    grant = KnowledgeGrantFactory()

    response = management_client.post(f"/funding/grants/{grant.pk}/costs/new/", {
        "date": "2030-01-01", "amount": "100", "description": "Venue",
    })

    assert response.status_code == 200
    assert "The date must lie within the grant" in response.content.decode()
    assert Cost.objects.count() == 0


def test_time_exports_as_csv(staff_client):
    grant = KnowledgeGrantFactory(code="UFS-CSV")
    TimeRegistrationFactory(grant=grant, person_name="Anne", hours=Decimal("2"),
                            hourly_rate=Decimal("500"), date=date(2025, 1, 2))
    TimeRegistrationFactory(grant=grant, date=date(2024, 1, 2))

    response = staff_client.get(f"/funding/grants/{grant.pk}/time/?format=csv&year=2025")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("id,date,person,organisation,hours,hourly_rate,cost,budget_line,"
                        "activity,description")
    assert len(lines) == 2
    assert ",2025-01-02,Anne,,2.00,500.00,1000.00,,," in lines[1]


def test_costs_export_as_xlsx(staff_client):
    grant = KnowledgeGrantFactory()
    CostFactory(grant=grant)

    response = staff_client.get(f"/funding/grants/{grant.pk}/costs/?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_cost_list_shows_costs(staff_client):
    grant = KnowledgeGrantFactory()
    CostFactory(grant=grant, description="Conference venue")

    response = staff_client.get(f"/funding/grants/{grant.pk}/costs/")

    assert "Conference venue" in response.content.decode()


def test_members_and_grant_givers_are_refused(member_client):
    assert member_client.get("/funding/").status_code == 403


def test_administrators_edit_a_grants_thresholds_and_eligible_types_in_the_admin(admin_client):
    grant = KnowledgeGrantFactory(code="UFS-ADM")
    url = f"/admin/funding/grant/{grant.pk}/change/"
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {
        "giver": grant.giver_id, "code": "UFS-ADM", "name": "Edited", "kind": "knowledge",
        "period_start": "2023-01-01", "period_end": "2026-12-31",
        "eligible_types": ["matchmaking", "planning"], "min_actors": "3",
        "min_companies": "3", "min_knowledge_institutions": "1",
        "min_knowledge_spend_share": "0.6", "min_innovation_project_share": "0",
        "min_green_share": "0.2",
    })

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.eligible_types == ["matchmaking", "planning"]
    assert (grant.min_companies, grant.min_knowledge_spend_share, grant.min_green_share) == (
        3, Decimal("0.600"), Decimal("0.200")
    )


def test_the_admin_refuses_a_share_above_one(admin_client):
    grant = KnowledgeGrantFactory(code="UFS-ADM2")

    response = admin_client.post(f"/admin/funding/grant/{grant.pk}/change/", {
        "giver": grant.giver_id, "code": "UFS-ADM2", "name": "X", "kind": "knowledge",
        "period_start": "2023-01-01", "period_end": "2026-12-31", "min_actors": "3",
        "min_companies": "2", "min_knowledge_institutions": "1",
        "min_knowledge_spend_share": "5", "min_innovation_project_share": "0",
        "min_green_share": "0",
    })

    assert response.status_code == 200
    assert "A share between 0 and 1" in response.content.decode()
