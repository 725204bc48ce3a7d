"""A small hand-made year (2025) for the status report tests, with its figures worked out by
hand in EXPECTED.

- Three activities held in 2025: a seminar (UFS-2025, hub Aarhus, co-organised by another
  cluster), a business mission (internationalisation, split 50/50 between UFS-2025 and
  DEB-INNO-2025, hub Odense) and an unfunded matchmaking (hub Aarhus); one held in 2024.
- Participants: two people of Ærø Øko ApS (one company, counted once) and one of its people
  at the mission, a university researcher, one person of a large company (a no-show at the
  mission), one person of the other cluster: 6 people, 4 organisations, 2 companies.
- Ærø Øko pays membership all year; the large company's membership ended 30 June 2025.
- Evaluations of the seminar: four invitations sent in 2025, two answered (satisfaction 8
  and 10, innovation started yes and no).
- UFS-2025's action plan for 2025: one budget line of 100,000 DKK; 10 hours at 800 DKK and a
  cost of 5,000 DKK spent on it.
- An EU application submitted on 1 March 2025 with Ærø Øko and the university as partners.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from klynge.evaluations import services as evaluations
from klynge.evaluations.models import Answer, Response
from klynge.funding.models import Grant
from klynge.projects.models import Project, ProjectPartner
from tests.factories import HubFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.funding.factories import (
    ActionPlanFactory,
    ActivityFactory,
    BudgetLineFactory,
    CostFactory,
    FundingFactory,
    RegistrationFactory,
    TimeRegistrationFactory,
)

CPH = ZoneInfo("Europe/Copenhagen")

EXPECTED = {
    "held": 3,
    "people": 6,
    "organisations": 4,
    "companies": 2,
    "paying_members": 1,
    "innovative_members": Decimal("100.0"),
    "budget_planned": Decimal("100000.00"),
    "budget_actual": Decimal("13000.00"),
}


def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def _answer(response, key: str, value, on: date) -> None:
    question = response.survey.questions.get(key=key)
    Answer.objects.create(response=response, question=question,
                          number=value if isinstance(value, int) else None,
                          choice=value if isinstance(value, str) else "")
    Response.objects.filter(pk=response.pk).update(answered_at=_at(on), updated_at=_at(on))


def held(title: str, day: date, **extra):
    return ActivityFactory(title=title, starts_at=_at(day, 9), status="held",
                           held_at=_at(day, 16), **extra)


def attend(activity, organisation, *, attended=True, person=None):
    return RegistrationFactory(activity=activity, organisation=organisation,
                               person=person or PersonFactory(language="en"),
                               attended=attended)


def build() -> dict:
    aarhus, odense = HubFactory(name="Aarhus"), HubFactory(name="Odense")
    ufs, deb = Grant.objects.get(code="UFS-2025"), Grant.objects.get(code="DEB-INNO-2025")
    small = OrganisationFactory(name="Ærø Øko ApS", kind="company", employee_band="10-49",
                                region="syddanmark", hub=odense)
    large = OrganisationFactory(name="Stor Industri A/S", kind="company", employee_band="250+",
                                region="hovedstaden", hub=aarhus)
    university = OrganisationFactory(name="Aarhus Universitet", kind="university", cvr=None,
                                     employee_band="", hub=aarhus)
    cluster = OrganisationFactory(name="Energiklyngen", kind="cluster", cvr=None,
                                  employee_band="", region="midtjylland")
    MembershipFactory(organisation=small, start_date=date(2021, 1, 1))
    MembershipFactory(organisation=large, start_date=date(2021, 1, 1),
                      end_date=date(2025, 6, 30))

    seminar = held("Seminar om grøn AI", date(2025, 3, 10), hub=aarhus)
    seminar.co_organisers.add(cluster)
    FundingFactory(activity=seminar, grant=ufs, share=Decimal("100"))
    first = attend(seminar, small)
    attend(seminar, small)
    attend(seminar, university)
    attend(seminar, large)

    mission = held("Business mission til Hamborg", date(2025, 5, 20), hub=odense,
                   type="internationalisation", format="business_mission")
    FundingFactory(activity=mission, grant=ufs, share=Decimal("50"))
    FundingFactory(activity=mission, grant=deb, share=Decimal("50"))
    attend(mission, small, person=first.person)
    attend(mission, large, attended=False)
    attend(mission, small)

    matchmaking = held("Matchmaking i Aarhus", date(2025, 9, 1), hub=aarhus,
                       type="matchmaking", format="b2b_matchmaking")
    attend(matchmaking, cluster)
    held("Seminar 2024", date(2024, 11, 1), hub=aarhus)

    survey = evaluations.activity_survey_send(activity_id=seminar.pk)
    Response.objects.filter(survey=survey).update(sent_at=_at(date(2025, 3, 11)))
    responses = list(Response.objects.filter(survey=survey, organisation=small).order_by("pk"))
    _answer(responses[0], "satisfaction", 8, date(2025, 3, 12))
    _answer(responses[0], "innovation_started", "yes", date(2025, 3, 12))
    researcher = Response.objects.get(survey=survey, organisation=university)
    _answer(researcher, "satisfaction", 10, date(2025, 3, 13))
    _answer(researcher, "innovation_started", "no", date(2025, 3, 13))

    plan = ActionPlanFactory(grant=ufs, year=2025)
    line = BudgetLineFactory(plan=plan, name="Projektledelse og møder på Ærø",
                             planned_amount=Decimal("100000"))
    TimeRegistrationFactory(grant=ufs, budget_line=line, date=date(2025, 4, 1),
                            hours=Decimal("10"), hourly_rate=Decimal("800"))
    CostFactory(grant=ufs, budget_line=line, date=date(2025, 4, 2), amount=Decimal("5000"))

    application = Project.objects.create(
        title="Green AI for SMEs", acronym="GREENAI", kind="eu_application",
        status="submitted", programme="Horizon Europe", call_identifier="HORIZON-CL4-2025-01",
        submitted_on=date(2025, 3, 1),
    )
    ProjectPartner.objects.create(project=application, organisation=small, role="partner")
    ProjectPartner.objects.create(project=application, organisation=university,
                                  role="coordinator")
    return {"aarhus": aarhus, "odense": odense, "small": small, "large": large,
            "university": university, "cluster": cluster, "seminar": seminar,
            "mission": mission, "ufs": ufs, "deb": deb}
