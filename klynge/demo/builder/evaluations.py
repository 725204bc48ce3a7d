"""The demo's evaluations: a survey after each held activity, its 6- and 12-month follow-ups,
and the annual member survey, with responses and answers.

The surveys have the shape the services give them (klynge.evaluations.services): the standard
questions, one response per attended person (no-shows and cancellations get none), a personal
token each, sent when the survey opens, one reminder a week later to those who had not
answered, and answers within the survey's open window and before the anchor. About two in five
answer right after an activity, one in four a follow-up or the annual survey.

The answers are drawn so that the KPIs that come from them (DOMAIN.md) look like a real
cluster's: each year a chosen ~30-38 % of the paying members answers yes to "gained knowledge"
or "started innovation work" (KPI 1), some 13-22 companies a year report international
visibility after internationalisation activities (KPI 3) and some 12-20 members green
contacts (KPI 6), close to Table 1's trajectory of 15 a year;
the other members' answers to those questions in that year are no (or not agree).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils.translation import gettext as _

from klynge.activities.models import Activity, Registration
from klynge.demo.builder.bulk import insert_rows
from klynge.demo.builder.context import DemoContext
from klynge.demo.builder.logins import DEMO_LOGINS
from klynge.ecosystem.models import Membership, Organisation
from klynge.evaluations.choices import FOLLOW_UP_WAVES, SurveyKind
from klynge.evaluations.domain import answers as rules
from klynge.evaluations.domain.calendar import add_months
from klynge.evaluations.domain.standard import standard_questions_for
from klynge.evaluations.models import (
    Answer,
    Question,
    Response,
    Survey,
    columns_for,
    new_token,
)
from klynge.evaluations.services import (
    _activity_title,
    annual_recipients,
    open_days,
    reminder_days,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FIRST_YEAR = 2021
ACTIVITY_RATE = (0.35, 0.45)
FOLLOW_UP_RATE = (0.20, 0.30)
ANNUAL_RATE = (0.20, 0.30)
#: Weights of the satisfaction scores 0..10: mostly 7-10.
SATISFACTION_WEIGHTS = (1, 1, 1, 2, 3, 5, 9, 17, 27, 22, 12)
INTERNATIONAL = "internationalisation"
NOT_AGREE = (rules.STRONGLY_DISAGREE, rules.DISAGREE, rules.NEUTRAL)
NOT_AGREE_WEIGHTS = (1, 3, 6)


@dataclass(slots=True)
class _Sent:
    """A response before it is saved, with what its answers depend on."""

    survey: int
    person: int
    organisation: int | None
    sent_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None
    kind: str
    activity_type: str = ""
    green: bool = False
    year: int | None = None  # the year it was answered in, if it was


def build_evaluations(ctx: DemoContext) -> dict[str, int]:
    """Create the surveys, their standard questions, the responses and the answers."""
    rng = ctx.rng("evaluations")
    cutoff = datetime.combine(ctx.anchor, time(0), tzinfo=COPENHAGEN)
    activities = list(Activity.objects.filter(status="held", ends_at__lt=cutoff)
                      .only("pk", "title", "type", "green_focus", "ends_at")
                      .order_by("starts_at", "pk"))
    attendees = _attendees()
    plans: list[tuple[Survey, list[tuple[int, int]], tuple[float, float], Activity | None]] = []
    for activity in activities:
        recipients = attendees.get(activity.pk, [])
        opens = activity.ends_at.astimezone(COPENHAGEN) + timedelta(hours=1)
        plans.append((_survey(SurveyKind.ACTIVITY, opens, activity), recipients, ACTIVITY_RATE,
                      activity))
        for kind, months in FOLLOW_UP_WAVES:
            day = add_months(activity.ends_at.astimezone(COPENHAGEN).date(), months)
            opens = datetime.combine(day, time(7, 0), tzinfo=COPENHAGEN)
            if recipients and opens < cutoff:
                plans.append((_survey(kind, opens, activity), recipients, FOLLOW_UP_RATE,
                              activity))
    management = get_user_model().objects.filter(email=DEMO_LOGINS[1][0]).first()
    for year in range(FIRST_YEAR, ctx.anchor.year + 1):
        opens = datetime(year, 11, 15, 9, 0, tzinfo=COPENHAGEN)
        if opens >= cutoff:
            continue
        members_on = date(year, 11, 1)
        survey = Survey(kind=SurveyKind.ANNUAL, year=year, members_on=members_on,
                        created_by=management,
                        title=_("Annual member survey %(year)s") % {"year": year},
                        opens_at=opens, sent_at=opens, closes_at=opens + timedelta(days=30))
        recipients = [(person.pk, organisation.pk)
                      for person, organisation in annual_recipients(members_on)]
        plans.append((survey, recipients, ANNUAL_RATE, None))
    Survey.objects.bulk_create([plan[0] for plan in plans], batch_size=500)
    questions = _add_questions([plan[0] for plan in plans])
    sent = [row for survey, recipients, rate, activity in plans
            for row in _responses(rng, survey, recipients, rng.uniform(*rate), activity, cutoff)]
    response_ids = _insert_responses(sent)
    answers = _answers(rng, ctx, sent, questions, response_ids)
    insert_rows(Answer, ("response", "question", "number", "choice", "text", "updated_at"),
                answers)
    _backdate([plan[0].pk for plan in plans])
    return {
        "surveys": len(plans),
        "follow_up_surveys": sum(1 for plan in plans if plan[0].kind in
                                 {SurveyKind.FOLLOW_UP_6, SurveyKind.FOLLOW_UP_12}),
        "responses": len(sent),
        "answered_responses": sum(1 for row in sent if row.year is not None),
        "answers": len(answers),
    }


def _survey(kind: str, opens: datetime, activity: Activity) -> Survey:
    return Survey(kind=kind, activity=activity, title=_activity_title(activity, kind),
                  opens_at=opens, sent_at=opens, closes_at=opens + timedelta(days=open_days()))


def _attendees() -> dict[int, list[tuple[int, int]]]:
    """(person, organisation) of each distinct attended person per held activity."""
    rows = (Registration.objects.filter(activity__status="held", attended=True)
            .exclude(status="cancelled").order_by("activity_id", "created_at", "pk")
            .values_list("activity_id", "person_id", "organisation_id"))
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for activity_id, person_id, organisation_id in rows:
        if person_id is not None and (activity_id, person_id) not in seen:
            seen.add((activity_id, person_id))
            found[activity_id].append((person_id, organisation_id))
    return found


def _add_questions(surveys: list[Survey]) -> dict[int, list[tuple[int, str, str]]]:
    """Each survey's standard questions as the services add them (one bulk insert for all
    surveys instead of one per survey); (question id, key, kind) per survey, in order."""
    questions = [
        Question(survey=survey, key=q.key, kind=q.kind, text_en=q.text_en, text_da=q.text_da,
                 required=q.kind != rules.TEXT, position=index)
        for survey in surveys for index, q in enumerate(standard_questions_for(survey.kind))
    ]
    Question.objects.bulk_create(questions, batch_size=1000)
    found: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for question in questions:
        found[question.survey_id].append((question.pk, question.key, question.kind))
    return found


def _responses(rng, survey: Survey, recipients, rate: float, activity, cutoff) -> list[_Sent]:
    """One sent response per recipient; about `rate` of them answered in the open window,
    the others (and those who answered late) reminded once."""
    rows = []
    sent_at = survey.sent_at
    remind_at = sent_at + timedelta(days=reminder_days())
    activity_type = activity.type if activity else ""
    green = bool(activity and activity.green_focus)
    for person_id, organisation_id in recipients:
        answered_at = None
        if rng.random() < rate:
            if rng.random() < 0.65:
                answered_at = sent_at + timedelta(minutes=rng.randint(10, 3 * 24 * 60))
            else:
                answered_at = remind_at + timedelta(minutes=rng.randint(30, 14 * 24 * 60))
            if answered_at >= min(cutoff, survey.closes_at):
                answered_at = None
        reminded_at = remind_at if remind_at < cutoff and (
            answered_at is None or answered_at > remind_at) else None
        rows.append(_Sent(survey.pk, person_id, organisation_id, sent_at, reminded_at,
                          answered_at, survey.kind, activity_type, green,
                          answered_at.year if answered_at else None))
    return rows


def _insert_responses(sent: list[_Sent]) -> dict[tuple[int, int], int]:
    """Save the responses (each with its own new token, as the model's default gives it);
    the response id by survey and person."""
    insert_rows(Response, ("survey", "person", "organisation", "token", "created_at",
                           "sent_at", "reminded_at", "answered_at", "updated_at"),
                [(row.survey, row.person, row.organisation, new_token(), row.sent_at,
                  row.sent_at, row.reminded_at, row.answered_at, row.answered_at)
                 for row in sent])
    surveys = sorted({row.survey for row in sent})
    found = {}
    for start in range(0, len(surveys), 500):
        found.update({
            (survey, person): pk for pk, survey, person in Response.objects.filter(
                survey_id__in=surveys[start:start + 500]).values_list("pk", "survey_id",
                                                                      "person_id")})
    return found


class _Kpi:
    """Which organisations answer yes to a KPI's questions in a year: those chosen say yes at
    least once; the others controlled by the KPI say no that year."""

    def __init__(self, chosen: dict[int, set[int]]):
        self.chosen = chosen
        self.given: set[tuple[int, int]] = set()

    def decide(self, rng, year: int, organisation: int, p_yes: float) -> bool:
        if organisation not in self.chosen.get(year, ()):
            return False
        if (year, organisation) not in self.given:
            self.given.add((year, organisation))
            return True
        return rng.random() < p_yes


def _choose(rng, candidates: dict[int, set[int]], wanted: dict[int, int]) -> dict[int, set[int]]:
    return {year: set(rng.sample(sorted(found), min(len(found), wanted.get(year, 0))))
            for year, found in sorted(candidates.items())}


def _answers(rng, ctx: DemoContext, sent: list[_Sent], questions,
             response_ids: dict[tuple[int, int], int]) -> list[tuple]:
    """The answers of the answered responses, as rows for _insert."""
    answered = [row for row in sent if row.year is not None]
    years = sorted({row.year for row in answered})
    paying = {year: set(Membership.objects.paying_on(min(date(year, 12, 31), ctx.anchor))
                        .values_list("organisation_id", flat=True)) for year in years}
    companies = set(Organisation.objects.filter(kind="company").values_list("pk", flat=True))
    members, international = defaultdict(set), defaultdict(set)
    for row in answered:
        organisation = row.organisation
        if organisation in paying[row.year]:
            members[row.year].add(organisation)
        if organisation in companies and _international(row):
            international[row.year].add(organisation)
    size = {year: len(paying[year]) for year in years}
    step = {year: max(0, year - FIRST_YEAR) for year in years}
    kpi1 = _Kpi(_choose(rng, members, {
        y: round(size[y] * min(0.38, 0.30 + 0.02 * step[y] + rng.uniform(0, 0.02)))
        for y in years}))
    kpi3 = _Kpi(_choose(rng, international, {
        y: round(size[y] * min(0.035, 0.022 + 0.003 * step[y])) for y in years}))
    kpi6 = _Kpi(_choose(rng, members, {
        y: round(size[y] * min(0.032, 0.02 + 0.003 * step[y])) for y in years}))
    rows = []
    for row in answered:
        organisation = row.organisation
        member = organisation in paying[row.year]
        values = {}
        if member:
            knowledge = kpi1.decide(rng, row.year, organisation, 0.6)
            innovation = kpi1.decide(rng, row.year, organisation, 0.3) if knowledge else False
            green = kpi6.decide(rng, row.year, organisation, 0.35 if row.green else 0.15)
        else:
            knowledge, innovation = rng.random() < 0.55, rng.random() < 0.25
            green = rng.random() < (0.03 if row.green else 0.01)
        if organisation in companies and _international(row):
            visible = kpi3.decide(rng, row.year, organisation, 0.5)
        else:
            visible = rng.random() < (0.3 if row.activity_type == INTERNATIONAL else 0.12)
        values["satisfaction"] = rng.choices(range(11), SATISFACTION_WEIGHTS)[0]
        values["knowledge_gained"] = _agreement(rng, knowledge)
        values["innovation_started"] = rules.YES if innovation else rules.NO
        values["new_contacts"] = rules.YES if rng.random() < (
            0.75 if row.activity_type == "matchmaking" else 0.5) else rules.NO
        values["green_contacts"] = rules.YES if green else rules.NO
        values["international_visibility"] = _agreement(rng, visible)
        response = response_ids[(row.survey, row.person)]
        for pk, key, kind in questions[row.survey]:
            if key in values:
                columns = columns_for(kind, values[key])
                rows.append((response, pk, columns["number"], columns["choice"],
                             columns["text"], row.answered_at))
    return rows


def _international(row: _Sent) -> bool:
    """Whether the answer can count for KPI 3: about an internationalisation activity, or
    in the annual survey (about the cluster's international activities)."""
    return row.activity_type == INTERNATIONAL or row.kind == SurveyKind.ANNUAL


def _agreement(rng, agrees: bool) -> str:
    if agrees:
        return rng.choices((rules.AGREE, rules.STRONGLY_AGREE), (3, 2))[0]
    return rng.choices(NOT_AGREE, NOT_AGREE_WEIGHTS)[0]


def _backdate(survey_ids: list[int]) -> None:
    """A survey's creation time as the services would have left it: when it opened."""
    first = min(survey_ids, default=None)
    if first is None:
        return
    surveys = Survey.objects.filter(pk__gte=first)
    surveys.update(created_at=F("opens_at"))
