from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from klynge.evaluations import services
from klynge.evaluations.domain.calendar import add_months
from klynge.evaluations.models import Response, Survey
from tests.evaluations.helpers import attendee, held_activity
from tests.factories import AffiliationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated():
    """An activity evaluated right after it was held, with two attendees."""
    activity = held_activity(days_ago=1, title="IoT day")
    starts = timezone.make_aware(datetime(2025, 1, 15, 9))
    type(activity).objects.filter(pk=activity.pk).update(
        starts_at=starts, ends_at=starts + timedelta(hours=2))
    activity.refresh_from_db()
    first = attendee(activity, email="a@firma.dk")
    second = attendee(activity, email="b@firma.dk")
    services.activity_survey_send(activity_id=activity.pk)
    mail.outbox.clear()
    return activity, first, second


def _held_on(activity) -> date:
    return timezone.localtime(activity.ends_at).date()


def test_the_six_month_follow_up_goes_to_the_same_people_once(evaluated):
    activity, first, second = evaluated
    attendee(activity, email="late-registration@firma.dk")
    today = add_months(_held_on(activity), 6) + timedelta(days=3)

    created = services.follow_ups_create(today=today)
    again = services.follow_ups_create(today=today + timedelta(days=1))

    assert [s.kind for s in created] == ["follow_up_6"]
    assert again == []
    survey = created[0]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@firma.dk", "b@firma.dk"]
    assert mail.outbox[0].subject == "What did “IoT day” lead to?"
    assert "6 months ago you took part in “IoT day”" in mail.outbox[0].body
    assert sorted(survey.responses.values_list("person_id", "organisation_id")) == sorted(
        [(first.person_id, first.organisation_id), (second.person_id, second.organisation_id)])
    assert "satisfaction" not in survey.questions.values_list("key", flat=True)
    assert survey.questions.count() == 5
    assert Survey.objects.filter(activity=activity, kind="follow_up_6").count() == 1


def test_the_twelve_month_follow_up_by_the_command(evaluated):
    activity, _first, _second = evaluated
    today = add_months(_held_on(activity), 12) - timedelta(days=7)

    call_command("send_surveys", f"--today={today.isoformat()}")
    call_command("send_surveys", f"--today={today.isoformat()}")

    assert list(Survey.objects.filter(activity=activity).values_list("kind", flat=True)
                .order_by("kind")) == ["activity", "follow_up_12"]
    assert len(mail.outbox) == 2


def test_no_follow_up_outside_the_window(evaluated):
    activity, _first, _second = evaluated

    assert _held_on(activity) == date(2025, 1, 15)
    assert services.follow_ups_create(today=date(2025, 7, 23)) == []
    assert services.follow_ups_create(today=date(2025, 7, 7)) == []
    assert [s.kind for s in services.follow_ups_create(today=date(2025, 7, 22))] == [
        "follow_up_6"]


def test_no_follow_up_when_nobody_got_the_first_survey():
    activity = held_activity(days_ago=1)
    services.activity_survey_send(activity_id=activity.pk)

    assert services.follow_ups_create(
        today=add_months(timezone.localtime(activity.ends_at).date(), 6)) == []
    assert Survey.objects.count() == 1


def test_reminders_go_once_to_non_responders_after_seven_days(evaluated):
    activity, first, second = evaluated
    survey = Survey.objects.get(activity=activity)
    answered = Response.objects.get(person=second.person)
    answered.answered_at = timezone.now()
    answered.save()
    later = timezone.now() + timedelta(days=7, minutes=1)

    assert services.reminders_send(now=timezone.now() + timedelta(days=6)) == 0
    assert services.reminders_send(now=later) == 1
    assert services.reminders_send(now=later + timedelta(days=7)) == 0

    assert [m.to for m in mail.outbox] == [["a@firma.dk"]]
    assert mail.outbox[0].subject == "Reminder: How was “IoT day”?"
    assert Response.objects.get(person=first.person).reminded_at == later
    assert survey.responses.filter(reminded_at__isnull=False).count() == 1


def test_no_reminder_once_the_survey_closed(evaluated):
    activity, _first, _second = evaluated
    Survey.objects.filter(activity=activity).update(closes_at=timezone.now() + timedelta(days=5))

    assert services.reminders_send(now=timezone.now() + timedelta(days=8)) == 0
    assert mail.outbox == []


def test_the_reminder_setting_is_read(evaluated, settings):
    settings.KLYNGE_SURVEY_REMINDER_DAYS = 2

    assert services.reminders_send(now=timezone.now() + timedelta(days=2, minutes=1)) == 2


def _member(name: str, *, paying: bool = True, start=date(2021, 1, 1), end=None):
    organisation = OrganisationFactory(name=name)
    MembershipFactory(organisation=organisation, start_date=start, end_date=end,
                      status="paying" if paying else "trial")
    return organisation


def test_the_annual_survey_goes_to_primary_contacts_of_paying_members(
    django_capture_on_commit_callbacks,
):
    alpha = _member("Alpha ApS")
    beta = _member("Beta A/S")
    lapsed = _member("Gone ApS", end=date(2024, 12, 31))
    trial = _member("Trial ApS", paying=False)
    outsider = OrganisationFactory(name="Not a member ApS")
    alpha_contact = AffiliationFactory(organisation=alpha, is_primary=True,
                                       person__email="ceo@alpha.dk", person__language="en")
    AffiliationFactory(organisation=alpha, is_primary=False, person__email="dev@alpha.dk")
    AffiliationFactory(organisation=alpha, is_primary=True, person__email="old@alpha.dk",
                       end_date=date(2025, 1, 31))
    beta_contact = AffiliationFactory(organisation=beta, is_primary=True,
                                      person__email="ceo@beta.dk", person__language="en")
    for organisation in (lapsed, trial, outsider):
        AffiliationFactory(organisation=organisation, is_primary=True)

    with django_capture_on_commit_callbacks(execute=True):
        survey = services.annual_survey_create(year=2025, members_on=date(2025, 3, 1),
                                               actor=None)

    assert survey.title == "Annual member survey 2025"
    assert sorted(survey.responses.values_list("person_id", "organisation_id")) == sorted([
        (alpha_contact.person_id, alpha.pk), (beta_contact.person_id, beta.pk)])
    assert sorted(m.to[0] for m in mail.outbox) == ["ceo@alpha.dk", "ceo@beta.dk"]
    assert mail.outbox[0].subject == "The annual member survey 2025"
    assert survey.questions.count() == 5
    survey.refresh_from_db()
    assert survey.sent_at is not None


def test_one_annual_survey_per_year():
    services.annual_survey_create(year=2025, members_on=date(2025, 3, 1), actor=None)

    with pytest.raises(services.ApplicationError, match="already an annual member survey"):
        services.annual_survey_create(year=2025, members_on=date(2025, 6, 1), actor=None)

    assert Survey.objects.count() == 1
