from datetime import date, datetime

import pytest
from django.utils import timezone

from klynge.evaluations import selectors, services
from klynge.evaluations.models import Answer, Response
from tests.evaluations.helpers import attendee, held_activity

pytestmark = pytest.mark.django_db


def _answer(response, key: str, value, on: date) -> None:
    question = response.survey.questions.get(key=key)
    Answer.objects.create(response=response, question=question,
                          number=value if isinstance(value, int) else None,
                          choice=value if isinstance(value, str) else "")
    moment = timezone.make_aware(datetime(on.year, on.month, on.day, 12))
    Response.objects.filter(pk=response.pk).update(answered_at=moment, updated_at=moment)


def _evaluated(activity_type: str = "knowledge_dissemination", people: int = 3):
    activity = held_activity(type=activity_type)
    registrations = [attendee(activity) for _ in range(people)]
    survey = services.activity_survey_send(activity_id=activity.pk)
    responses = [Response.objects.get(survey=survey, person=r.person) for r in registrations]
    return survey, responses


def test_yes_organisations_counts_yes_agree_and_strongly_agree_within_the_period():
    _survey, (yes, agree, strongly, no, neutral) = _evaluated(people=5)
    _answer(yes, "innovation_started", "yes", date(2025, 3, 1))
    _answer(no, "innovation_started", "no", date(2025, 3, 1))
    _answer(agree, "knowledge_gained", "agree", date(2025, 12, 31))
    _answer(strongly, "knowledge_gained", "strongly_agree", date(2025, 1, 1))
    _answer(neutral, "knowledge_gained", "neutral", date(2025, 6, 1))

    assert selectors.yes_organisations("innovation_started", date(2025, 1, 1),
                                       date(2025, 12, 31)) == {yes.organisation_id}
    assert selectors.yes_organisations("knowledge_gained", date(2025, 1, 1),
                                       date(2025, 12, 31)) == {agree.organisation_id,
                                                                strongly.organisation_id}
    assert selectors.yes_organisations("knowledge_gained", date(2025, 1, 2),
                                       date(2025, 12, 30)) == set()


def test_a_scale_never_counts_as_yes():
    _survey, (response,) = _evaluated(people=1)
    _answer(response, "satisfaction", 10, date(2025, 3, 1))

    assert selectors.yes_organisations("satisfaction", date(2025, 1, 1),
                                       date(2025, 12, 31)) == set()


def test_yes_organisations_by_activity_type_for_kpi_3():
    _s, (international,) = _evaluated("internationalisation", people=1)
    _s, (seminar,) = _evaluated("knowledge_dissemination", people=1)
    annual = services.annual_survey_create(year=2025, members_on=date(2025, 1, 1), actor=None)
    member = attendee(held_activity())
    annual_response = Response.objects.create(survey=annual, person=member.person,
                                              organisation=member.organisation)
    for response in (international, seminar, annual_response):
        _answer(response, "international_visibility", "agree", date(2025, 5, 1))

    assert selectors.yes_organisations(
        "international_visibility", date(2025, 1, 1), date(2025, 12, 31),
        activity_type="internationalisation",
    ) == {international.organisation_id, member.organisation_id}
    assert len(selectors.yes_organisations(
        "international_visibility", date(2025, 1, 1), date(2025, 12, 31))) == 3


def test_response_rates_and_results_per_question():
    survey, (a, b, c, d) = _evaluated(people=4)
    for response, score, started in ((a, 9, "yes"), (b, 6, "no"), (c, 7, "yes")):
        _answer(response, "satisfaction", score, date(2025, 3, 1))
        _answer(response, "innovation_started", started, date(2025, 3, 1))

    counts = selectors.survey_counts(survey)
    results = {r.question.key: r for r in selectors.survey_results(survey)}
    listed = selectors.survey_list().get(pk=survey.pk)

    assert (counts["sent"], counts["answered"], counts["rate"]) == (4, 3, 75.0)
    assert (listed.sent, listed.answered, selectors.rate_of(listed)) == (4, 3, 75.0)
    assert results["satisfaction"].average == 7.3
    assert results["satisfaction"].answered == 3
    assert results["innovation_started"].yes == 2
    assert results["innovation_started"].counts == [("Yes", 2), ("No", 1)]
    assert results["knowledge_gained"].answered == 0
    assert d.answered_at is None


def test_the_activity_summary():
    survey, (a, b) = _evaluated(people=2)
    _answer(a, "satisfaction", 8, date(2025, 3, 1))

    summary = selectors.survey_summary_for_activity(survey.activity)

    assert [(row["survey"].kind, row["sent"], row["answered"], row["rate"],
             row["satisfaction"]) for row in summary["surveys"]] == [
        ("activity", 2, 1, 50.0, 8.0)]
    assert summary["can_edit_questions"] is False
    assert b.answered_at is None
