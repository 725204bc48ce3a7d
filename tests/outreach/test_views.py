"""The outreach pages: segments, invitation drafts, sending with confirmation, the log."""

import pytest
from django.core import mail
from django.urls import reverse

from klynge.outreach import services
from klynge.outreach.domain.segments import SegmentFilters
from klynge.outreach.models import Delivery, Invitation, Segment
from klynge.privacy import services as privacy
from tests.activities.factories import ActivityFactory
from tests.factories import AffiliationFactory, FocusAreaFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    organisation = OrganisationFactory(name="Robo", region="nordjylland")
    anna = PersonFactory(first_name="Anna", email="anna@robo.dk")
    bo = PersonFactory(first_name="Bo", email="bo@robo.dk")
    for person in (anna, bo):
        AffiliationFactory(person=person, organisation=organisation)
    privacy.consent_give(person=anna, purpose="member_communication", source="staff")
    return anna, bo


def test_create_a_segment_and_preview_it(staff_client, people):
    area = FocusAreaFactory(name_en="Robotics")

    response = staff_client.post(reverse("outreach:segment_create"), {
        "name": "North", "description": "Nordjylland", "regions": ["nordjylland"],
        "focus_areas": [], "membership": "", "language": "",
    })

    segment = Segment.objects.get()
    assert response.status_code == 302 and response["Location"] == segment.get_absolute_url()
    assert segment.filters["regions"] == ["nordjylland"]
    assert segment.created_by == staff_client.user
    page = staff_client.get(segment.get_absolute_url())
    assert page.status_code == 200
    assert [p.first_name for p in page.context["preview"].first] == ["Anna", "Bo"]
    assert (page.context["preview"].reachable, page.context["preview"].no_consent) == (1, 1)
    assert "North Denmark Region" in page.content.decode()
    assert area.pk not in segment.filters["focus_areas"]


def test_edit_and_delete_with_confirmation(staff_client, people):
    segment = services.segment_create(name="All", filters=SegmentFilters())

    staff_client.post(reverse("outreach:segment_edit", args=[segment.pk]), {
        "name": "Danish speakers", "language": "da", "membership": ""})
    segment.refresh_from_db()
    assert (segment.name, segment.filters["language"]) == ("Danish speakers", "da")

    confirm = staff_client.get(reverse("outreach:segment_delete", args=[segment.pk]))
    assert confirm.status_code == 200 and Segment.objects.count() == 1
    staff_client.post(reverse("outreach:segment_delete", args=[segment.pk]))
    assert Segment.objects.count() == 0


def test_invite_preview_draft_confirm_send_and_log(
    staff_client, people, django_capture_on_commit_callbacks
):
    segment = services.segment_create(name="All", filters=SegmentFilters())
    activity = ActivityFactory(title="Robot seminar")
    url = reverse("outreach:invitation_create", args=[activity.pk])
    data = {"segment": segment.pk, "subject": "Join us", "message": "Come along."}

    preview = staff_client.post(url, {**data, "preview": "1"})
    assert preview.context["preview"].total == 2 and Invitation.objects.count() == 0

    staff_client.post(url, data)
    invitation = Invitation.objects.get()
    send_url = reverse("outreach:invitation_send", args=[invitation.pk])
    confirm = staff_client.get(send_url)
    assert confirm.status_code == 200 and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(send_url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["anna@robo.dk"]]

    detail = staff_client.get(invitation.get_absolute_url())
    counts = {value: n for value, _label, n in detail.context["counts"]}
    assert counts == {"sent": 1, "skipped_no_consent": 1, "skipped_unsubscribed": 0,
                      "failed": 0}
    csv = staff_client.get(invitation.get_absolute_url() + "?format=csv").content.decode()
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0] == "person_id,first_name,last_name,email,status,sent_at,error"
    assert [line.split(",")[4] for line in lines[1:]] == ["sent", "skipped_no_consent"]


def test_a_private_activity_shows_a_clear_refusal(staff_client, people):
    segment = services.segment_create(name="All", filters=SegmentFilters())
    activity = ActivityFactory(is_public=False)
    url = reverse("outreach:invitation_create", args=[activity.pk])

    page = staff_client.get(url)
    staff_client.post(url, {"segment": segment.pk, "subject": "Hi", "message": "Come"})

    assert "Only public activities can be invited to" in page.content.decode()
    assert Invitation.objects.count() == 0


def test_sending_refused_for_a_closed_activity_shows_the_message(staff_client, people):
    segment = services.segment_create(name="All", filters=SegmentFilters())
    activity = ActivityFactory()
    invitation = services.invitation_create(activity=activity, segment=segment,
                                            subject="Hi", message="Come")
    activity.status = "closed"
    activity.save()

    response = staff_client.post(reverse("outreach:invitation_send", args=[invitation.pk]),
                                 follow=True)

    assert "Only activities open for registration" in response.content.decode()
    assert Delivery.objects.count() == 0 and mail.outbox == []


def test_members_are_refused(member_client):
    assert member_client.get(reverse("outreach:segment_list")).status_code == 403


def test_the_lists_and_the_draft_edit_page_render(staff_client, people):
    segment = services.segment_create(name="Everyone", filters=SegmentFilters())
    invitation = services.invitation_create(activity=ActivityFactory(), segment=segment,
                                            subject="Draft one", message="Come")

    for name, args in [("segment_list", []), ("invitation_list", []),
                       ("invitation_edit", [invitation.pk])]:
        response = staff_client.get(reverse(f"outreach:{name}", args=args))
        assert response.status_code == 200, name
        assert "Draft one" in response.content.decode() or name == "segment_list"

    staff_client.post(reverse("outreach:invitation_edit", args=[invitation.pk]),
                      {"segment": segment.pk, "subject": "Draft two", "message": "Come!"})
    invitation.refresh_from_db()
    assert (invitation.subject, invitation.message) == ("Draft two", "Come!")
