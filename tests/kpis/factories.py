"""Factories and small builders for the KPI tests: projects (EU applications, joint projects
with other clusters, outcomes), targets and snapshots, and the records the KPIs count from
(memberships, held activities, attended registrations, yes answers), each on an exact day."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory

from klynge.activities.choices import ActivityFormat, ActivityStatus, ActivityType
from klynge.evaluations.choices import SurveyKind
from klynge.evaluations.domain.standard import STANDARD_QUESTIONS, standard_questions_for
from klynge.evaluations.models import Answer, Question, Response, Survey, columns_for
from klynge.kpis.models import KpiSnapshot, KpiTarget, TargetPeriod
from klynge.projects.choices import PartnerRole, ProjectKind
from klynge.projects.models import Project
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from tests.projects.factories import (  # noqa: F401 - the KPI tests build projects from here
    EuApplicationFactory,
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

CPH = ZoneInfo("Europe/Copenhagen")
KINDS = {q.key: q.kind for q in STANDARD_QUESTIONS}


# --- projects (the factories live in tests/projects/factories.py) ------------------------


def project_with(*organisations, **fields) -> Project:
    """A project (collaboration unless `kind` says otherwise) with these partners."""
    factory_class = EuApplicationFactory if fields.get("kind") == ProjectKind.EU_APPLICATION \
        else ProjectFactory
    project = factory_class(**fields)
    for position, organisation in enumerate(organisations):
        ProjectPartnerFactory(
            project=project, organisation=organisation,
            role=PartnerRole.COORDINATOR if position == 0 else PartnerRole.PARTNER,
        )
    return project


# --- targets and snapshots -------------------------------------------------------------------


class TargetPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetPeriod

    name = factory.Sequence(lambda n: f"Programme {n}")
    start = date(2029, 1, 1)
    end = date(2032, 12, 31)


class KpiTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiTarget

    period = factory.SubFactory(TargetPeriodFactory)
    kpi = "paying_members"
    year = 2029
    value = Decimal("100")


class KpiSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KpiSnapshot

    period_start = date(2025, 1, 1)
    period_end = date(2025, 12, 31)
    label = "2025"
    figures = factory.LazyFunction(dict)
    participants = factory.LazyFunction(dict)


# --- organisations and memberships -----------------------------------------------------------


def company(**fields):
    """A Danish company with a valid CVR number."""
    return OrganisationFactory(kind="company", **fields)


def foreign_company(**fields):
    """A Swedish company: no CVR number, counted once per record."""
    fields.setdefault("region", "abroad")
    return OrganisationFactory(kind="company", cvr=None, country="SE", **fields)


def university(**fields):
    return OrganisationFactory(kind="university", cvr=None, employee_band="", **fields)


def cluster(**fields):
    """Another cluster organisation (give `cvr=` for a Danish one)."""
    fields.setdefault("cvr", None)
    return OrganisationFactory(kind="cluster", employee_band="", **fields)


def member(organisation=None, start=date(2021, 1, 1), end=None, status="paying"):
    """A membership of `organisation` (a new company when None) from start to end."""
    organisation = organisation or company()
    MembershipFactory(organisation=organisation, start_date=start, end_date=end, status=status)
    return organisation


# --- activities and participation ------------------------------------------------------------


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on `day`, Copenhagen time (the product's time zone)."""
    return datetime.combine(day, time(hour, minute), tzinfo=CPH)


def held(day: date, *, hour: int = 10, minute: int = 0, co_organisers=(),
         status=ActivityStatus.HELD, **fields):
    """An activity starting on `day` at hour:minute (Copenhagen), marked held by default."""
    starts = at(day, hour, minute)
    fields.setdefault("type", ActivityType.KNOWLEDGE_DISSEMINATION)
    fields.setdefault("format", ActivityFormat.SEMINAR)
    activity = ActivityFactory(starts_at=starts, ends_at=starts + timedelta(minutes=30),
                               status=status, **fields)
    if co_organisers:
        activity.co_organisers.set(co_organisers)
    return activity


def took_part(activity, organisation, person=None, **fields):
    """An attended participation of `person` (a new one when None) for `organisation`."""
    fields.setdefault("attended", True)
    return RegistrationFactory(activity=activity, organisation=organisation,
                               person=person or PersonFactory(), **fields)


# --- survey answers --------------------------------------------------------------------------


def survey_of(activity=None, kind: str = SurveyKind.ACTIVITY, year: int | None = None) -> Survey:
    """The (sent) survey of an activity, a follow-up wave of it, or the annual survey of
    `year`, with its standard questions; made once."""
    if activity is None:
        survey = Survey.objects.filter(kind=SurveyKind.ANNUAL, year=year).first()
        if survey is None:
            survey = Survey.objects.create(kind=SurveyKind.ANNUAL, year=year,
                                           title=f"Member survey {year}",
                                           members_on=date(year, 1, 1),
                                           sent_at=at(date(year, 1, 1)))
    else:
        survey = Survey.objects.filter(activity=activity, kind=kind).first()
        if survey is None:
            survey = Survey.objects.create(kind=kind, activity=activity,
                                           title=f"{activity.title} ({kind})",
                                           sent_at=activity.starts_at)
    if not survey.questions.exists():
        Question.objects.bulk_create(
            Question(survey=survey, key=q.key, kind=q.kind, text_en=q.text_en,
                     text_da=q.text_da, position=position)
            for position, q in enumerate(standard_questions_for(kind))
        )
    return survey


def answer(organisation, key: str, value, on: date, *, survey: Survey | None = None,
           activity=None, person=None, kind: str = SurveyKind.ACTIVITY) -> Answer:
    """`person` (a new one when None) answered `value` to the standard question `key` for
    `organisation` on `on` (noon, Copenhagen), in `survey` or the survey of `activity` of
    `kind` (the annual survey of `on`'s year when both are None)."""
    if survey is None:
        survey = survey_of(activity, kind, year=on.year if activity is None else None)
    answered = at(on, 12)
    response = Response.objects.create(
        survey=survey, person=person or PersonFactory(), organisation=organisation,
        sent_at=survey.sent_at, answered_at=answered, updated_at=answered,
    )
    question = survey.questions.get(key=key)
    return Answer.objects.create(response=response, question=question,
                                 **columns_for(question.kind, value))


def yes(organisation, key: str, on: date, **where) -> Answer:
    """A yes to `key` in its question's own terms: yes, or agree on an agreement scale."""
    return answer(organisation, key, "agree" if KINDS[key] == "agree_5" else "yes", on, **where)
