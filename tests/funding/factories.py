"""Factories for the funding tests: grants with the seed's rules, activities, registrations,
action plans, time and costs."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, GrantKind
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    Grant,
    GrantGiver,
    PlannedActivity,
    TimeRegistration,
)
from tests.factories import OrganisationFactory, PersonFactory

CPH = ZoneInfo("Europe/Copenhagen")


class GiverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantGiver
        django_get_or_create = ("short_name",)

    short_name = "UFS"
    name = factory.LazyAttribute(lambda o: f"Giver {o.short_name}")


class KnowledgeGrantFactory(factory.django.DjangoModelFactory):
    """A grant with the seed's UFS rules, 2023-2026."""

    class Meta:
        model = Grant

    giver = factory.SubFactory(GiverFactory)
    code = factory.Sequence(lambda n: f"TEST-UFS-{n}")
    name = "Test UFS grant"
    kind = GrantKind.KNOWLEDGE
    period_start = date(2023, 1, 1)
    period_end = date(2026, 12, 31)
    eligible_types = factory.LazyFunction(
        lambda: [str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.KNOWLEDGE]]
    )
    min_actors = 3
    min_companies = 2
    min_knowledge_institutions = 1
    min_knowledge_spend_share = Decimal("0.5")


class BusinessGrantFactory(KnowledgeGrantFactory):
    """A grant with the seed's DEB rules, 2023-2026."""

    giver = factory.SubFactory(GiverFactory, short_name="DEB")
    code = factory.Sequence(lambda n: f"TEST-DEB-{n}")
    name = "Test DEB grant"
    kind = GrantKind.BUSINESS
    eligible_types = factory.LazyFunction(
        lambda: [str(t) for t in DEFAULT_ELIGIBLE_TYPES[GrantKind.BUSINESS]]
    )
    min_actors = 2
    min_companies = 1
    min_knowledge_institutions = 0
    min_knowledge_spend_share = Decimal("0")
    min_innovation_project_share = Decimal("0.5")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Seminar {n}")
    type = "knowledge_dissemination"
    format = "seminar"
    starts_at = datetime(2025, 3, 10, 9, tzinfo=CPH)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    status = "open"


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityFunding

    activity = factory.SubFactory(ActivityFactory)
    grant = factory.SubFactory(KnowledgeGrantFactory)
    share = Decimal("100")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = "registered"


def university(**extra):
    return OrganisationFactory(kind="university", employee_band="", cvr=None, **extra)


def company(band: str = "10-49", **extra):
    return OrganisationFactory(kind="company", employee_band=band, **extra)


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    grant = factory.SubFactory(KnowledgeGrantFactory)
    year = 2025
    description = "The plan for the year."


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Line {n}")
    category = "staff"
    planned_amount = Decimal("100000")


class PlannedActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedActivity

    plan = factory.SubFactory(ActionPlanFactory)
    title = factory.Sequence(lambda n: f"Planned {n}")
    type = "knowledge_dissemination"
    target_participants = 40
    budget = Decimal("50000")


class TimeRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeRegistration

    grant = factory.SubFactory(KnowledgeGrantFactory)
    person_name = "Anne Partner"
    date = date(2025, 3, 10)
    hours = Decimal("10")
    hourly_rate = Decimal("800")


class CostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cost

    grant = factory.SubFactory(KnowledgeGrantFactory)
    date = date(2025, 3, 10)
    amount = Decimal("5000")
    description = "Venue"
