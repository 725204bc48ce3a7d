import csv
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from klynge.core.models import AuditEntry
from klynge.evaluations import services
from klynge.evaluations.models import Question, Response, Survey
from tests.activities.factories import ActivityFactory
from tests.evaluations.helpers import attendee, held_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_survey():
    activity = held_activity(title="Green data")
    first = attendee(activity, email="a@firma.dk")
    attendee(activity, email="b@firma.dk")
    survey = services.activity_survey_send(activity_id=activity.pk)
    response = Response.objects.get(person=first.person)
    values = {q.pk: {"scale_0_10": 9, "agree_5": "agree", "yes_no": "yes", "text": ""}[q.kind]
              for q in survey.questions.all()}
    services.response_answer(response=response, values=values)
    mail.outbox.clear()
    return survey


def test_the_survey_list_shows_response_rates(staff_client, sent_survey):
    page = staff_client.get(reverse("evaluations:survey_list"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "After the activity: Green data" in html
    assert "50.0 %" in html


def test_the_results_page(staff_client, sent_survey):
    page = staff_client.get(sent_survey.get_absolute_url())

    html = page.content.decode()
    assert page.status_code == 200
    assert "1 answered of 2 sent" in html
    assert "average 9.0 of 10" in html
    assert "1 yes" in html


def test_members_cannot_see_results(member_client, sent_survey):
    assert member_client.get(sent_survey.get_absolute_url()).status_code == 403


def test_sending_reminders_now_needs_confirmation_and_goes_once(staff_client, sent_survey):
    url = reverse("evaluations:survey_remind", args=[sent_survey.pk])

    assert "1 person has not answered" in staff_client.get(url).content.decode()
    refused = staff_client.post(url, {})
    assert refused.status_code == 200
    assert mail.outbox == []

    staff_client.post(url, {"confirm": "on"})
    staff_client.post(url, {"confirm": "on"})

    assert [m.to for m in mail.outbox] == [["b@firma.dk"]]
    assert Response.objects.filter(reminded_at__isnull=False).count() == 1
    assert AuditEntry.objects.filter(action="klynge.evaluations.survey.reminded").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_answers(staff_client, sent_survey, fmt):
    page = staff_client.get(sent_survey.get_absolute_url(), {"format": fmt})

    if fmt == "csv":
        rows = list(csv.reader(StringIO(page.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(BytesIO(page.content)).active
        rows = [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(
            values_only=True)]
    assert rows[0][:10] == ["survey", "survey_kind", "survey_title", "person", "email",
                            "organisation", "cvr", "question_key", "question", "value"]
    assert len(rows) == 1 + 6
    response = Response.objects.get(person__email="a@firma.dk")
    satisfaction = next(r for r in rows if r[7] == "satisfaction")
    assert satisfaction[4:8] == ["a@firma.dk", response.organisation.name,
                                 response.organisation.cvr, "satisfaction"]
    assert satisfaction[9] == "9"


def test_staff_add_edit_and_remove_extra_questions_before_sending(staff_client):
    activity = ActivityFactory(status="open")

    staff_client.post(reverse("evaluations:question_add", args=[activity.pk]), {
        "kind": "yes_no", "text_en": "Would you come again?", "text_da": "Kommer du igen?"})
    question = Question.objects.get(key="")
    staff_client.post(reverse("evaluations:question_edit", args=[question.pk]), {
        "kind": "yes_no", "text_en": "Would you come back?", "text_da": "Kommer du igen?",
        "required": "on"})
    page = staff_client.get(reverse("evaluations:activity_evaluation", args=[activity.pk]))

    question.refresh_from_db()
    assert (question.text_en, question.required, question.position) == (
        "Would you come back?", True, 100)
    assert "Would you come back?" in page.content.decode()
    assert Survey.objects.get().questions.count() == 7

    staff_client.post(reverse("evaluations:question_delete", args=[question.pk]))
    assert Question.objects.filter(key="").count() == 0


def test_a_question_without_text_is_refused(staff_client):
    activity = ActivityFactory(status="open")

    page = staff_client.post(reverse("evaluations:question_add", args=[activity.pk]),
                             {"kind": "text", "text_en": "", "text_da": ""})

    assert "Write the question in Danish or English." in page.content.decode()
    assert Survey.objects.count() == 0


def test_questions_are_locked_after_sending(staff_client, sent_survey):
    extra = Question.objects.create(survey=sent_survey, kind="text", text_en="Late?",
                                    position=100)

    staff_client.post(reverse("evaluations:question_delete", args=[extra.pk]))
    page = staff_client.post(reverse("evaluations:question_add",
                                     args=[sent_survey.activity_id]),
                             {"kind": "text", "text_en": "Another?"})

    assert Question.objects.filter(pk=extra.pk).exists()
    assert "already been sent" in page.content.decode()
    assert sent_survey.questions.count() == 7


def test_staff_create_the_annual_survey(staff_client, django_capture_on_commit_callbacks):
    from tests.factories import AffiliationFactory, MembershipFactory

    membership = MembershipFactory()
    AffiliationFactory(organisation=membership.organisation, person__email="ceo@member.dk")
    url = reverse("evaluations:annual_create")
    closes = (timezone.localdate() + timedelta(days=30)).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        page = staff_client.post(url, {"year": "2025", "members_on": "2025-03-01",
                                       "closes_on": closes})
    again = staff_client.post(url, {"year": "2025", "members_on": "2025-03-01"})

    survey = Survey.objects.get(kind="annual")
    assert page.status_code == 302
    assert (survey.year, survey.members_on) == (2025, date(2025, 3, 1))
    assert [m.to for m in mail.outbox] == [["ceo@member.dk"]]
    assert "There is already an annual member survey for 2025." in again.content.decode()
    assert Survey.objects.count() == 1


def test_the_overview_panel_for_staff(staff_client, sent_survey):
    page = staff_client.get(reverse("core:home"))

    assert "response rate this year: 1 answered of 2 sent" in page.content.decode()
