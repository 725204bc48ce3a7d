"""Activities in the member portal: the list, one activity, signing up and cancelling."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klynge.activities.models import Registration, RegistrationQuestion
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def in_days(days, hour=10):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                          microsecond=0)


@pytest.fixture
def member(client):
    """Signed in: Mette of Fjord ApS (a member), with her colleague Carl."""
    org = OrganisationFactory(name="Fjord ApS")
    MembershipFactory(organisation=org)
    mette = PersonFactory(first_name="Mette", last_name="Lund", email="mette@fjord.dk",
                          language="en")
    carl = PersonFactory(first_name="Carl", last_name="Holm", email="carl@fjord.dk")
    AffiliationFactory(person=mette, organisation=org)
    AffiliationFactory(person=carl, organisation=org, is_primary=False)
    user = user_with_role(Role.MEMBER, organisation=org, person=mette)
    client.force_login(user)
    return {"client": client, "user": user, "org": org, "mette": mette, "carl": carl}


def titles(response):
    return [activity.title for activity, _seats, _signed in response.context["rows"]]


def test_list_shows_upcoming_published_public_activities_soonest_first(member):
    ActivityFactory(title="Later", starts_at=in_days(40))
    ActivityFactory(title="Sooner", starts_at=in_days(5))
    ActivityFactory(title="Registration closed", starts_at=in_days(10), status="closed")
    ActivityFactory(title="Planned only", status="planned")
    ActivityFactory(title="Internal", is_public=False)
    ActivityFactory(title="Cancelled", status="cancelled")
    ActivityFactory(title="Past", starts_at=in_days(-10))
    response = member["client"].get(reverse("portal:activities"))
    assert response.status_code == 200
    assert titles(response) == ["Sooner", "Registration closed", "Later"]


def test_list_search_and_filters(member):
    area = FocusAreaFactory(name_en="Robotics")
    robots = ActivityFactory(title="Robot day", starts_at=in_days(3), format="workshop")
    robots.focus_areas.add(area)
    ActivityFactory(title="Finance breakfast", description="Meet investors",
                    starts_at=in_days(4), type="access_to_finance")
    ActivityFactory(title="Far away", starts_at=in_days(70))
    url = reverse("portal:activities")
    assert titles(member["client"].get(url, {"q": "investors"})) == ["Finance breakfast"]
    assert titles(member["client"].get(url, {"focus_area": area.pk})) == ["Robot day"]
    assert titles(member["client"].get(url, {"format": "workshop"})) == ["Robot day"]
    assert titles(member["client"].get(url, {"type": "access_to_finance"})) == [
        "Finance breakfast"]
    month = timezone.localtime(in_days(70)).strftime("%Y-%m")
    assert titles(member["client"].get(url, {"month": month})) == ["Far away"]


def test_list_paginates_and_shows_empty_states(member):
    url = reverse("portal:activities")
    empty = member["client"].get(url).content.decode()
    assert "No upcoming activities are open yet." in empty
    for number in range(27):
        ActivityFactory(title=f"Meeting {number:02d}", starts_at=in_days(2 + number))
    second = member["client"].get(url, {"per_page": 25, "page": 2})
    assert titles(second) == ["Meeting 25", "Meeting 26"]
    no_match = member["client"].get(url, {"q": "nothing-like-this"}).content.decode()
    assert "No upcoming activities match these filters." in no_match


def test_sign_up_oneself(member):
    activity = ActivityFactory(title="Vision seminar", capacity=10)
    url = reverse("portal:activity_signup", args=[activity.pk])
    with_callbacks = member["client"].post(url, {"person": member["mette"].pk})
    assert with_callbacks.status_code == 302
    assert with_callbacks["Location"] == reverse("portal:activity", args=[activity.pk])
    registration = Registration.objects.get()
    assert (registration.person, registration.organisation, registration.status,
            registration.source) == (member["mette"], member["org"], "registered", "portal")
    entry = AuditEntry.objects.filter(action="klynge.activities.registration.created").get()
    assert entry.actor == member["user"]


def test_sign_up_sends_the_confirmation(member, django_capture_on_commit_callbacks):
    activity = ActivityFactory(title="Vision seminar")
    with django_capture_on_commit_callbacks(execute=True):
        member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                              {"person": member["mette"].pk})
    assert [m.to for m in mail.outbox] == [["mette@fjord.dk"]]
    assert "Vision seminar" in mail.outbox[0].subject


def test_sign_up_a_colleague(member):
    activity = ActivityFactory()
    member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                          {"person": member["carl"].pk})
    assert Registration.objects.get().person == member["carl"]


def test_cannot_sign_up_someone_of_another_organisation(member):
    stranger = PersonFactory(first_name="Stranger")
    AffiliationFactory(person=stranger)
    activity = ActivityFactory()
    response = member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                                     {"person": stranger.pk})
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert Registration.objects.count() == 0


def test_duplicate_sign_up_is_refused(member):
    activity = ActivityFactory()
    RegistrationFactory(activity=activity, person=member["mette"], organisation=member["org"])
    response = member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                                     {"person": member["mette"].pk})
    assert response.context["form"].errors["person"] == [
        "You are already signed up for this activity."]
    assert Registration.objects.count() == 1


def test_full_activity_puts_the_member_on_the_waitlist(member):
    activity = ActivityFactory(capacity=1)
    RegistrationFactory(activity=activity)
    member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                          {"person": member["mette"].pk})
    assert Registration.objects.get(person=member["mette"]).status == "waitlisted"


def test_past_deadline_is_closed(member):
    activity = ActivityFactory(registration_deadline=timezone.now() - timedelta(hours=1))
    url = reverse("portal:activity_signup", args=[activity.pk])
    page = member["client"].get(url)
    assert page.context["closed"] == "The registration deadline has passed."
    assert page.context["form"] is None
    member["client"].post(url, {"person": member["mette"].pk})
    assert Registration.objects.count() == 0


def test_registration_questions_are_asked_and_required(member):
    activity = ActivityFactory()
    diet = RegistrationQuestion.objects.create(activity=activity, text="Diet?", kind="choice",
                                               choices=["None", "Vegetarian"], required=True)
    url = reverse("portal:activity_signup", args=[activity.pk])
    missing = member["client"].post(url, {"person": member["mette"].pk})
    assert missing.context["form"].errors[f"q_{diet.pk}"] == ["This field is required."]
    assert Registration.objects.count() == 0
    member["client"].post(url, {"person": member["mette"].pk, f"q_{diet.pk}": "Vegetarian"})
    assert Registration.objects.get().answers == {str(diet.pk): "Vegetarian"}


def test_internal_or_planned_activity_is_404(member):
    internal = ActivityFactory(is_public=False)
    planned = ActivityFactory(status="planned")
    for activity in (internal, planned):
        assert member["client"].get(
            reverse("portal:activity", args=[activity.pk])).status_code == 404
        assert member["client"].post(reverse("portal:activity_signup", args=[activity.pk]),
                                     {"person": member["mette"].pk}).status_code == 404
    assert Registration.objects.count() == 0


def test_detail_shows_only_own_organisations_sign_ups(member):
    activity = ActivityFactory()
    RegistrationFactory(activity=activity, person=member["carl"], organisation=member["org"])
    RegistrationFactory(activity=activity,
                        person=PersonFactory(first_name="Outsider", last_name="Olsen"))
    response = member["client"].get(reverse("portal:activity", args=[activity.pk]))
    html = response.content.decode()
    assert [r.person.first_name for r, _answers in response.context["registrations"]] == ["Carl"]
    assert "Outsider" not in html


def test_cancel_own_sign_up_promotes_the_waitlist(member):
    activity = ActivityFactory(capacity=1)
    mine = RegistrationFactory(activity=activity, person=member["mette"],
                               organisation=member["org"])
    waiting = RegistrationFactory(activity=activity, status="waitlisted",
                                  waitlisted_at=timezone.now())
    response = member["client"].post(
        reverse("portal:activity_cancel", args=[activity.pk, mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "registered")


def test_cannot_cancel_someone_elses_sign_up(member):
    activity = ActivityFactory()
    theirs = RegistrationFactory(activity=activity)
    response = member["client"].post(
        reverse("portal:activity_cancel", args=[activity.pk, theirs.pk]))
    theirs.refresh_from_db()
    assert response.status_code == 404
    assert theirs.status == "registered"


def test_cancel_service_refuses_someone_elses_sign_up(member):
    from klynge.core.errors import ApplicationError
    from klynge.portal.services_public import activity_signup_cancel

    theirs = RegistrationFactory(activity=ActivityFactory())
    with pytest.raises(ApplicationError) as refused:
        activity_signup_cancel(user=member["user"], registration=theirs)
    theirs.refresh_from_db()
    assert refused.value.message == "You can cancel your own sign-ups and your colleagues' only."
    assert theirs.status == "registered"


def test_cancel_is_post_only(member):
    activity = ActivityFactory()
    mine = RegistrationFactory(activity=activity, person=member["mette"])
    url = reverse("portal:activity_cancel", args=[activity.pk, mine.pk])
    assert member["client"].get(url).status_code == 405


def test_member_without_person_cannot_sign_up(client):
    user = user_with_role(Role.MEMBER)
    client.force_login(user)
    activity = ActivityFactory()
    page = client.get(reverse("portal:activity_signup", args=[activity.pk]))
    assert page.context["no_person"] is True
    assert "not linked to a person" in page.content.decode()
