"""Suggested partners and introduction requests in the member portal."""

import pytest
from django.core import mail
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.matchmaking.models import Introduction
from tests.factories import HubFactory, MembershipFactory, UserFactory, user_with_role
from tests.matchmaking.factories_introductions import (
    company,
    contact,
    introduce,
    university,
    withdraw_visibility,
)

pytestmark = pytest.mark.django_db


def listed(organisation, fields=("description", "competences")):
    organisation.directory_listed = True
    organisation.directory_fields = list(fields)
    organisation.save()
    MembershipFactory(organisation=organisation)
    return organisation


def sign_in_member(client, organisation, person):
    user = user_with_role(Role.MEMBER, organisation=organisation, person=person)
    client.force_login(user)
    client.user = user
    return user


@pytest.fixture
def world(client):
    """A member company (Anna signed in) that seeks computer vision, a listed university that
    offers it (contact Bo), and an unlisted university that offers it too."""
    hub = HubFactory(name="Hub Aalborg", email="aalborg@cluster.test")
    own = listed(company(hub=hub))
    anna = contact(own, first_name="Anna")
    other = listed(university(), fields=("description", "city"))
    bo = contact(other, first_name="Bo", language="da")
    hidden = university(name="Hidden Institute", cvr=None)
    MembershipFactory(organisation=hidden)
    contact(hidden, first_name="Hanne")
    user = sign_in_member(client, own, anna)
    return {"own": own, "anna": anna, "other": other, "bo": bo, "hidden": hidden,
            "user": user, "client": client}


def test_suggestions_show_directory_organisations_with_reasons(world):
    # when
    response = world["client"].get(reverse("portal:partners"))
    # then: the listed university is suggested with reasons; the unlisted one never shows
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert [s.entry.name for s in suggestions] == ["Aalborg University"]
    assert any(reason.startswith("Shared topics:") for reason in suggestions[0].reasons)
    html = response.content.decode()
    assert "Hidden Institute" not in html
    # (the recommender itself does suggest it: the portal left it out)
    from klynge.matchmaking.selectors import suggestions_for_organisation

    assert "Hidden Institute" in [s.name for s in suggestions_for_organisation(world["own"])]
    assert reverse("portal:introduction_request", args=[world["other"].pk]) in html


def test_suggestions_never_show_unpublished_fields(world):
    html = world["client"].get(reverse("portal:partners")).content.decode()
    # the university published description and city, not its competences
    assert "Deep learning for image recognition" not in html


def test_request_creates_an_introduction_for_the_team_and_tells_them(
        world, django_capture_on_commit_callbacks):
    # when: Anna asks to meet the university
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = world["client"].post(url, {"purpose": "any",
                                              "message": "We need vision for our welding cells."})
    # then: an unsent introduction made by Anna, the contact chosen by matchmaking's rules
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:partners") + "#requests"
    intro = Introduction.objects.get()
    assert (intro.organisation_a, intro.person_a, intro.organisation_b, intro.person_b) == (
        world["own"], world["anna"], world["other"], world["bo"])
    assert intro.sent_at is None and intro.status == "draft"
    assert intro.created_by == world["user"]
    assert intro.message == "We need vision for our welding cells."
    assert intro.hub.name == "Hub Aalborg"
    assert intro.reasons  # the recommender's reasons were stored with it
    actions = list(AuditEntry.objects.filter(object_id=str(intro.pk)).order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["klynge.matchmaking.introduction.created",
                       "klynge.portal.introduction.requested"]
    # and the hub's team address got one e-mail; nobody else did
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aalborg@cluster.test"]
    assert message.subject == ("Introduction requested: Vision Robotics ApS would like to "
                               "meet Aalborg University")
    assert "We need vision for our welding cells." in message.body
    assert f"/matchmaking/introductions/{intro.pk}/" in message.body


def test_request_list_shows_the_status(world):
    introduce(world["user"], world["own"], world["anna"], world["other"], world["bo"],
              message="Hello")
    response = world["client"].get(reverse("portal:partners"))
    rows = response.context["requests"]
    assert [(intro.organisation_b.name, tone, text) for intro, tone, text in rows] == [
        ("Aalborg University", "warn", "The cluster team is looking at your request")]


def test_duplicate_request_is_refused_with_a_clear_message(world):
    # given: an open introduction of the pair, made by staff
    staff = UserFactory(role=Role.STAFF)
    introduce(staff, world["other"], world["bo"], world["own"], world["anna"], message="x")
    # when
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    response = world["client"].post(url, {"purpose": "any", "message": "Again"})
    # then
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("There is already an open introduction between Vision "
                                "Robotics ApS and Aalborg University (made ")
    assert Introduction.objects.count() == 1
    assert mail.outbox == []


def test_message_is_required(world):
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    response = world["client"].post(url, {"purpose": "any", "message": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["message"] == ["This field is required."]
    assert Introduction.objects.count() == 0


def test_request_to_an_unlisted_organisation_is_404(world):
    url = reverse("portal:introduction_request", args=[world["hidden"].pk])
    assert world["client"].get(url).status_code == 404
    assert world["client"].post(url, {"purpose": "any", "message": "Hi"}).status_code == 404
    assert Introduction.objects.count() == 0


def test_request_to_own_organisation_is_404(world):
    url = reverse("portal:introduction_request", args=[world["own"].pk])
    assert world["client"].get(url).status_code == 404


def test_withdrawn_visibility_refuses_the_request(world):
    withdraw_visibility(world["anna"])
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    response = world["client"].post(url, {"purpose": "any", "message": "Hi"})
    assert response.context["form"].non_field_errors() == [
        "You have withdrawn your consent to being visible in matchmaking. Give it again under "
        "your consents to ask for introductions."]
    assert Introduction.objects.count() == 0


def test_contact_who_withdrew_visibility_is_never_chosen(world):
    withdraw_visibility(world["bo"])
    bodil = contact(world["other"], first_name="Bodil", last_name="Dahl")
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    world["client"].post(url, {"purpose": "any", "message": "Hi"})
    assert Introduction.objects.get().person_b == bodil


def test_member_sees_only_their_own_organisations_requests(world, client):
    # given: Anna's request, and a member of another organisation
    introduce(world["user"], world["own"], world["anna"], world["other"], world["bo"],
              message="Hello")
    stranger_org = listed(company(name="Stranger ApS", cvr=None))
    stranger = contact(stranger_org, first_name="Sven")
    sign_in_member(client, stranger_org, stranger)
    # when
    response = client.get(reverse("portal:partners"))
    # then
    assert response.context["requests"] == []
    assert "Vision Robotics ApS" not in response.content.decode().split('id="requests"')[1]


def test_staff_made_introductions_are_not_listed_as_requests(world):
    staff = UserFactory(role=Role.STAFF)
    introduce(staff, world["own"], world["anna"], world["other"], world["bo"], message="x")
    response = world["client"].get(reverse("portal:partners"))
    assert response.context["requests"] == []


def test_team_addresses_fall_back_to_the_hubs_staff(
        world, django_capture_on_commit_callbacks):
    hub = world["own"].hub
    hub.email = ""
    hub.save()
    UserFactory(role=Role.STAFF, hub=hub, email="ida@cluster.test")
    UserFactory(role=Role.STAFF, email="elsewhere@cluster.test")
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        world["client"].post(url, {"purpose": "any", "message": "Hi"})
    assert [m.to for m in mail.outbox] == [["ida@cluster.test"]]


def test_no_suggestions_empty_state(client):
    own = listed(company(seeks="", competences=""))
    person = contact(own, first_name="Ole")
    sign_in_member(client, own, person)
    response = client.get(reverse("portal:partners"))
    html = response.content.decode()
    assert response.context["suggestions"] == []
    assert "No suggestions yet." in html
    assert "You have not asked for any introductions yet." in html


def test_a_decline_of_a_members_request_is_told_to_the_staff_who_sent_it(
        world, django_capture_on_commit_callbacks):
    from klynge.matchmaking.services import introductions as services

    # given Anna's request, sent on by Sofie of the cluster team
    url = reverse("portal:introduction_request", args=[world["other"].pk])
    world["client"].post(url, {"purpose": "any", "message": "We need vision."})
    intro = Introduction.objects.get()
    sofie = user_with_role(Role.STAFF, hub=world["own"].hub)
    sofie.email = "sofie@cluster.test"
    sofie.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_send(introduction=intro, actor=sofie)
    mail.outbox.clear()

    # when the university declines
    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(token=services.respond_token(intro, "b"), accept=False)

    # then the notice with the staff link goes to Sofie, not to Anna who asked
    (message,) = mail.outbox
    assert message.to == ["sofie@cluster.test"]
    assert message.subject == "Introduction declined: Aalborg University"
