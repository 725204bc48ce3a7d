"""The reads of evaluations: survey lists with response rates, results per question, the
activity summary and the KPI building block `yes_organisations`."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from klynge.evaluations.choices import Agreement, QuestionKind, SurveyKind, YesNo
from klynge.evaluations.domain import answers as rules
from klynge.evaluations.domain.calendar import response_rate
from klynge.evaluations.models import Answer, Question, Response, Survey


def _yes_filter(prefix: str = "") -> Q:
    """Answers that count as a yes (domain.answers.YES_VALUES), as a query."""
    condition = Q()
    for kind, values in rules.YES_VALUES.items():
        condition |= Q(**{f"{prefix}question__kind": kind, f"{prefix}choice__in": sorted(values)})
    return condition


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def yes_answers(question_keys, period_start: date, period_end: date,
                activity_type: str | None = None):
    """The answers that count as a yes to any of `question_keys` in a survey answered within
    the period (both days included), from a known organisation: the evidence of KPIs 1, 3, 6.

    A yes is yes, agree or strongly agree (DOMAIN.md); the answer counts on the day the
    response was first answered. With `activity_type` (KPI 3: internationalisation) only
    surveys about an activity of that type count, and the annual member survey, whose
    question is about the cluster's international activities.
    """
    if isinstance(question_keys, str):
        question_keys = [question_keys]
    answers = Answer.objects.filter(
        _yes_filter(),
        question__key__in=list(question_keys),
        response__organisation__isnull=False,
        response__answered_at__gte=_day_start(period_start),
        response__answered_at__lt=_day_start(period_end) + timedelta(days=1),
    )
    if activity_type:
        # The surveys first, as a subquery: an OR across the outer join to the activity
        # would make PostgreSQL's planner scan every answer once per survey.
        surveys = Survey.objects.filter(
            Q(activity__type=activity_type) | Q(kind=SurveyKind.ANNUAL)
        ).values("pk")
        answers = answers.filter(response__survey__in=surveys)
    return answers


def yes_organisations(question_key, period_start: date, period_end: date,
                      activity_type: str | None = None) -> set[int]:
    """Ids of the organisations with at least one yes (see yes_answers) in the period.

    An organisation that answered twice, or through two people, is one id.
    """
    answers = yes_answers(question_key, period_start, period_end, activity_type)
    return set(answers.values_list("response__organisation_id", flat=True).distinct())


def survey_list():
    """Surveys with their counts: sent and answered responses."""
    return Survey.objects.select_related("activity").annotate(
        sent=Count("responses", filter=Q(responses__sent_at__isnull=False), distinct=True),
        answered=Count("responses", filter=Q(responses__answered_at__isnull=False,
                                             responses__sent_at__isnull=False), distinct=True),
        recipients=Count("responses", distinct=True),
    )


def rate_of(survey) -> float | None:
    return response_rate(survey.sent, survey.answered)


@dataclass
class QuestionResult:
    """What one question's answers add up to."""

    question: Question
    answered: int = 0
    average: float | None = None
    yes: int | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[tuple[Response, str]] = field(default_factory=list)


def _choices_for(kind: str):
    if kind == QuestionKind.AGREE_5:
        return Agreement.choices
    if kind == QuestionKind.YES_NO:
        return YesNo.choices
    return [(str(n), str(n)) for n in range(rules.SCALE_MIN, rules.SCALE_MAX + 1)]


def survey_results(survey: Survey) -> list[QuestionResult]:
    """Per question: how many answered, the average of a scale, the yeses and the spread of
    choices, the free-text answers with who gave them."""
    answers = (
        Answer.objects.filter(response__survey=survey)
        .select_related("response__person", "response__organisation")
        .order_by("response_id")
    )
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in survey.questions.all():
        given = by_question.get(question.pk, [])
        result = QuestionResult(question=question, answered=len(given))
        if question.kind == QuestionKind.TEXT:
            result.texts = [(a.response, a.text) for a in given if a.text.strip()]
        elif question.kind == QuestionKind.SCALE_0_10:
            numbers = [a.number for a in given if a.number is not None]
            result.average = round(sum(numbers) / len(numbers), 1) if numbers else None
            result.counts = [(label, sum(1 for n in numbers if str(n) == value))
                             for value, label in _choices_for(question.kind)]
        else:
            result.yes = sum(1 for a in given if rules.is_yes(question.kind, a.choice))
            result.counts = [(label, sum(1 for a in given if a.choice == value))
                             for value, label in _choices_for(question.kind)]
        results.append(result)
    return results


def survey_counts(survey: Survey) -> dict:
    """Recipients, sent, answered, reminded and the response rate (answered of sent)."""
    counts = survey.responses.aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False, sent_at__isnull=False)),
        reminded=Count("pk", filter=Q(reminded_at__isnull=False)),
        waiting=Count("pk", filter=Q(sent_at__isnull=False, answered_at__isnull=True,
                                     reminded_at__isnull=True)),
    )
    counts["rate"] = response_rate(counts["sent"], counts["answered"])
    return counts


def survey_summary_for_activity(activity) -> dict:
    """For the activity page: its surveys (after the activity and the follow-ups) with
    response rates and average satisfaction, and the extra questions still editable."""
    surveys = list(survey_list().filter(activity=activity).order_by("opens_at", "pk"))
    rows = []
    for survey in surveys:
        satisfaction = Answer.objects.filter(
            response__survey=survey, question__key="satisfaction", number__isnull=False,
        ).values_list("number", flat=True)
        numbers = list(satisfaction)
        rows.append({
            "survey": survey, "sent": survey.sent, "answered": survey.answered,
            "rate": rate_of(survey),
            "satisfaction": round(sum(numbers) / len(numbers), 1) if numbers else None,
        })
    draft = next((s for s in surveys if s.kind == SurveyKind.ACTIVITY and s.is_draft), None)
    return {
        "activity": activity,
        "surveys": rows,
        "draft": draft,
        "extra_questions": list(draft.questions.filter(key="")) if draft else [],
        "can_edit_questions": not surveys or draft is not None,
    }


def answer_export_rows(surveys):
    """One row per answer: survey, person, organisation, CVR, question key, value."""
    answers = (
        Answer.objects.filter(response__survey__in=surveys)
        .select_related("question", "response__survey", "response__person",
                        "response__organisation")
        .order_by("response__survey_id", "response_id", "question__position", "question_id")
    )
    for answer in answers.iterator(chunk_size=2000):
        response = answer.response
        person, organisation = response.person, response.organisation
        yield [
            response.survey_id, response.survey.get_kind_display(), response.survey.title,
            str(person) if person else "", person.email if person else "",
            organisation.name if organisation else "", (organisation.cvr or "") if organisation
            else "", answer.question.key or f"extra-{answer.question_id}",
            answer.question.text, answer.value,
            timezone.localtime(response.answered_at).replace(tzinfo=None)
            if response.answered_at else None,
        ]


def open_surveys_overview() -> dict:
    """For the overview panel: open surveys and this year's response rate."""
    now = timezone.now()
    open_surveys = Survey.objects.filter(sent_at__isnull=False, opens_at__lte=now).filter(
        Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    year = Response.objects.filter(sent_at__year=timezone.localdate().year)
    sent = year.count()
    answered = year.filter(answered_at__isnull=False).count()
    return {"open": open_surveys.count(), "sent": sent, "answered": answered,
            "rate": response_rate(sent, answered)}
