"""The dataset of the access, erasure and page tests: Anna Berg of a member company, who took
part in everything the KPIs count (registered and attended a held activity, answered yes in
its evaluation, was introduced to a university with a commercial outcome, her company is in an
EU application) and also met people at a B2B event, was called by staff, gave a consent and
has a member login. Everything about her is written through the services where the audit log
matters, so there are audit entries to export and to redact."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rest_framework.authtoken.models import Token

from klynge.core.roles import Role
from klynge.ecosystem.models import Organisation, Person
from klynge.ecosystem.services import person_create
from klynge.evaluations.models import Answer
from klynge.matchmaking.models import Introduction
from klynge.matchmaking.services import introductions as introduction_services
from klynge.privacy.choices import ConsentSource, Purpose
from klynge.privacy.services import consent_give
from klynge.projects.choices import OutcomeKind, ProjectKind
from tests.brokerage.factories import MeetingFactory, ParticipantFactory
from tests.factories import (
    AffiliationFactory,
    InteractionFactory,
    UserFactory,
    user_with_role,
)
from tests.kpis.factories import held, member, project_with, took_part, yes
from tests.matchmaking.factories_introductions import (
    company,
    contact,
    introduce,
    made_on,
    university,
)

CPH = ZoneInfo("Europe/Copenhagen")
NAME = "Anna Berg"
EMAIL = "anna.berg@example.dk"
PHONE = "+45 20 30 40 50"
LOGIN = "anna.login@example.dk"


@dataclass
class Anna:
    person: Person
    company: Organisation
    university: Organisation
    introduction: Introduction
    answer: Answer
    staff: object
    login: object


def anna_dataset() -> Anna:
    staff = user_with_role(Role.STAFF)
    firm = member(company(), start=date(2021, 1, 1))
    uni = university()
    person = person_create(actor=staff, data={
        "first_name": "Anna", "last_name": "Berg", "email": EMAIL, "phone": PHONE,
        "job_title": "CTO", "language": "en", "notes": "Prefers calls before noon."})
    AffiliationFactory(person=person, organisation=firm, role="CTO")
    consent_give(person=person, purpose=Purpose.NEWSLETTER, source=ConsentSource.STAFF,
                 actor=staff)
    seminar = held(date(2025, 3, 10), title="Computer vision seminar")
    took_part(seminar, firm, person, answers={"diet": "Vegetarian"})
    answer = yes(firm, "innovation_started", date(2025, 3, 11), activity=seminar,
                 person=person)
    bo = contact(uni, first_name="Bo", language="da")
    intro = introduce(staff, firm, person, uni, bo,
                      message=f"{NAME} ({EMAIL}) would like to meet you.")
    intro = made_on(intro, datetime(2024, 11, 5, 10, tzinfo=CPH))
    introduction_services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.COMMERCIAL_USE, date=date(2025, 3, 1),
        description="Licence sold", actor=staff)
    project_with(firm, uni, kind=ProjectKind.EU_APPLICATION, title="Vision for welding")
    mine = ParticipantFactory(person=person, organisation=firm, headline="Robot cells")
    MeetingFactory(event=mine.event, requester=mine, message=f"Hi, {NAME} here. Call {PHONE}.")
    InteractionFactory(organisation=firm, subject="Follow-up call",
                       notes=f"Talked to {NAME} about pilots.").people.add(person)
    login = UserFactory(role=Role.MEMBER, email=LOGIN, organisation=firm, person=person,
                        first_name="Anna", last_name="Berg")
    Token.objects.create(user=login)
    person.refresh_from_db()
    return Anna(person=person, company=firm, university=uni, introduction=intro,
                answer=answer, staff=staff, login=login)
