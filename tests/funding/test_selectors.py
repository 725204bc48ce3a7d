"""Verdicts built from the database: who counts as an actor, in a bounded number of queries;
the per-grant year; plan against actual."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from klynge.funding import selectors
from tests.factories import OrganisationFactory
from tests.funding.factories import (
    CPH,
    ActionPlanFactory,
    ActivityFactory,
    BudgetLineFactory,
    BusinessGrantFactory,
    CostFactory,
    FundingFactory,
    KnowledgeGrantFactory,
    PlannedActivityFactory,
    RegistrationFactory,
    TimeRegistrationFactory,
    company,
    university,
)

pytestmark = pytest.mark.django_db


def _messages(grant_verdicts):
    return [(v.ok, v.message) for v in grant_verdicts.verdicts]


def test_a_planned_activity_without_anyone_says_what_is_still_needed():
    funding = FundingFactory(grant=KnowledgeGrantFactory(code="UFS-T"))

    [result] = selectors.verdicts_for_activity(funding.activity)

    assert result.grant == funding.grant
    assert result.share == Decimal("100")
    assert result.ok is False
    assert result.sme_share is None
    assert _messages(result) == [
        (True, "The activity type “Knowledge dissemination” is eligible."),
        (False, "Needs a knowledge institution."),
        (False, "Needs 2 companies."),
    ]


def test_co_organisers_and_registrations_make_the_actors():
    funding = FundingFactory()
    activity = funding.activity
    activity.co_organisers.add(university())
    RegistrationFactory(activity=activity, organisation=company("1-9"))
    RegistrationFactory(activity=activity, organisation=company("250+"))

    [result] = selectors.verdicts_for_activity(activity)

    assert result.ok is True
    assert result.sme_share == 0.5
    assert (result.smes, result.companies) == (1, 2)
    assert _messages(result)[1:] == [
        (True, "Has 1 knowledge institution (needs 1)."),
        (True, "Has 2 companies (needs 2)."),
    ]


def test_cancelled_registrations_do_not_count_and_one_more_is_needed():
    funding = FundingFactory()
    activity = funding.activity
    RegistrationFactory(activity=activity, organisation=university())
    RegistrationFactory(activity=activity, organisation=company())
    RegistrationFactory(activity=activity, organisation=company(), status="cancelled")

    [result] = selectors.verdicts_for_activity(activity)

    assert [v.message for v in result.missing] == ["Needs 1 more company."]


def test_two_people_from_one_company_count_as_one_actor():
    funding = FundingFactory(grant=BusinessGrantFactory())
    shared = company()
    RegistrationFactory(activity=funding.activity, organisation=shared)
    RegistrationFactory(activity=funding.activity, organisation=shared)

    [result] = selectors.verdicts_for_activity(funding.activity)

    assert [v.message for v in result.missing] == [
        "Needs 1 more actor (organisation taking part)."
    ]


def test_once_held_only_attended_participants_count_but_speakers_do_unless_absent():
    activity = ActivityFactory(status="held")
    FundingFactory(activity=activity)
    RegistrationFactory(activity=activity, organisation=company(), attended=True)
    RegistrationFactory(activity=activity, organisation=company(), attended=False)
    RegistrationFactory(activity=activity, organisation=company(), attended=None)
    RegistrationFactory(activity=activity, organisation=university(), role="speaker",
                        attended=None)
    RegistrationFactory(activity=activity, organisation=university(),
                        role="knowledge_partner", attended=False)

    facts = selectors.activity_facts(activity)

    assert sorted(a.kind for a in facts.actors) == ["company", "university"]


def test_verdicts_for_activity_takes_four_queries_whatever_the_registrations(
    django_assert_num_queries,
):
    funding = FundingFactory()
    activity = funding.activity
    FundingFactory(activity=activity, grant=BusinessGrantFactory())
    activity.co_organisers.add(university(), university())
    for _ in range(6):
        RegistrationFactory(activity=activity, organisation=company())

    # fundings, co-organisers, registrations, and their organisations once each.
    with django_assert_num_queries(4):
        results = selectors.verdicts_for_activity(activity)

    assert [r.ok for r in results] == [True, True]


def test_an_activity_without_funding_has_no_verdicts():
    assert selectors.verdicts_for_activity(ActivityFactory()) == []


def _activity_in(grant, region_orgs, **extra):
    funding = FundingFactory(grant=grant, activity=ActivityFactory(**extra))
    for organisation in region_orgs:
        RegistrationFactory(activity=funding.activity, organisation=organisation)
    return funding.activity


def test_a_grant_year_counts_activities_spend_and_regions(django_assert_max_num_queries):
    grant = KnowledgeGrantFactory()
    ku = university(region="hovedstaden")
    good = _activity_in(grant, [ku, company(region="midtjylland"),
                                company(region="nordjylland")], green_focus=True)
    _activity_in(grant, [company(region="syddanmark")])
    _activity_in(grant, [company()], status="cancelled")
    _activity_in(grant, [company()], starts_at=datetime(2024, 5, 1, 9, tzinfo=CPH))
    CostFactory(grant=grant, amount=Decimal("6000"), organisation=ku)
    TimeRegistrationFactory(grant=grant, hours=Decimal("5"), hourly_rate=Decimal("1000"))
    CostFactory(grant=grant, amount=Decimal("99999"), date=date(2024, 6, 1))

    with django_assert_max_num_queries(8):
        overview = selectors.grant_year(grant, 2025)
        messages = [(v.rule, v.ok, v.message) for v in overview.verdicts]

    assert [row.activity for row in overview.rows][0] == good
    assert len(overview.rows) == 2
    assert (overview.activities_ok, overview.activities_not_ok) == (1, 1)
    assert overview.spent == Decimal("11000.00")
    assert overview.spent_by_knowledge_institutions == Decimal("6000")
    assert messages == [
        ("knowledge_spend", True, "Knowledge institutions spent 55 % of the money "
                                  "(6,000 DKK of 11,000 DKK), more than the required 50 %."),
        ("regions", False, "No participants yet from 1 region: Region Zealand."),
        ("green", True, "1 of 2 activities (50 %) have a green focus."),
    ]


def test_plan_against_actual_per_line_and_per_activity():
    grant = KnowledgeGrantFactory()
    plan = ActionPlanFactory(grant=grant, year=2025)
    staff = BudgetLineFactory(plan=plan, name="Staff", planned_amount=Decimal("100000"))
    partners = BudgetLineFactory(plan=plan, name="Partners", category="knowledge_partners",
                                 planned_amount=Decimal("20000"))
    activity = FundingFactory(grant=grant).activity
    RegistrationFactory(activity=activity)
    RegistrationFactory(activity=activity, status="cancelled")
    PlannedActivityFactory(plan=plan, title="Seminar", budget=Decimal("30000"),
                           activity=activity, target_participants=40)
    PlannedActivityFactory(plan=plan, title="Not yet", budget=Decimal("10000"))
    TimeRegistrationFactory(grant=grant, budget_line=staff, activity=activity,
                            hours=Decimal("7.5"), hourly_rate=Decimal("850"))
    CostFactory(grant=grant, budget_line=partners, amount=Decimal("25000"),
                organisation=OrganisationFactory(kind="gts"))
    CostFactory(grant=grant, amount=Decimal("1200"), activity=activity)

    result = selectors.plan_against_actual(grant, 2025)

    assert [(r.label, r.planned, r.actual) for r in result.lines] == [
        ("Partners", Decimal("20000"), Decimal("25000")),
        ("Staff", Decimal("100000"), Decimal("6375.00")),
        ("Not on a budget line", Decimal("0.00"), Decimal("1200")),
    ]
    assert result.lines[0].difference == Decimal("-5000")
    assert [(r.label, r.planned, r.actual, r.target_participants, r.participants)
            for r in result.activities] == [
        ("Seminar", Decimal("30000"), Decimal("7575.00"), 40, 1),
        ("Not yet", Decimal("10000"), Decimal("0.00"), 40, None),
    ]
    assert result.hours == Decimal("7.5")
    assert result.planned_total == Decimal("120000")
    assert result.actual_total == Decimal("32575.00")


def test_plan_against_actual_without_a_plan_is_empty():
    result = selectors.plan_against_actual(KnowledgeGrantFactory(), 2025)

    assert (result.plan, result.lines, result.activities) == (None, [], [])
