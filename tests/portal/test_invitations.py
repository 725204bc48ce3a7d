"""Portal invitations: staff (or a colleague) invite by e-mail, the person accepts with a
password and is signed in as a member of the organisation; every refusal is clear."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.portal.models import Invitation
from tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

CREATE = reverse("portal:invitation_create")
LIST = reverse("portal:invitation_list")
GOOD_PASSWORD = "Blue-harbour-2026!"


def member_person(*, first_name="Mette", email="mette@firma.dk", organisation=None):
    """A person affiliated with an organisation that holds a current membership."""
    if organisation is None:
        organisation = MembershipFactory(organisation__name="Firma ApS").organisation
    person = PersonFactory(first_name=first_name, last_name="Holm", email=email, language="en")
    AffiliationFactory(person=person, organisation=organisation)
    return person, organisation


def invite(client, person, organisation, message=""):
    return client.post(f"{CREATE}?person={person.pk}",
                       {"organisation": organisation.pk, "message": message})


def token_from(message) -> str:
    return re.search(r"/portal/join/([\w-]+)/", message.body).group(1)


def accept_url(token: str) -> str:
    return reverse("portal:invitation_accept", args=[token])


def actions() -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith="klynge.portal.invitation")
                .order_by("id").values_list("action", flat=True))


def test_an_invited_person_accepts_and_lands_signed_in_on_the_portal_home(staff_client, client):
    person, organisation = member_person()

    response = invite(staff_client, person, organisation, message="Welcome aboard!")

    assert response.status_code == 302 and response["Location"] == LIST
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["mette@firma.dk"]
    assert email.subject == "Your invitation to the DigitalLead member portal"
    assert "Welcome aboard!" in email.body
    assert "as a member of Firma ApS" in email.body
    token = token_from(email)
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)

    staff_client.logout()
    page = client.get(accept_url(token)).content.decode()
    assert "invited Mette Holm to the member portal as a member of Firma ApS" in page

    response = client.post(accept_url(token),
                           {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    user = get_user_model().objects.get(email="mette@firma.dk")
    assert (user.role, user.organisation, user.person) == (Role.MEMBER, organisation, person)
    assert user.check_password(GOOD_PASSWORD)
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert home.context["user"] == user
    assert "Firma ApS" in home.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.user == user
    assert actions() == ["klynge.portal.invitation.created", "klynge.portal.invitation.accepted"]


def test_a_member_lands_on_the_portal_home_from_the_front_page(client):
    person, organisation = member_person()
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                       email="mette@firma.dk")
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_an_organisation_without_a_current_membership_is_refused(staff_client):
    organisation = OrganisationFactory(name="Ex-member A/S")
    MembershipFactory(organisation=organisation, start_date=date(2020, 1, 1),
                      end_date=date(2021, 12, 31))
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=organisation)

    page = staff_client.get(f"{CREATE}?person={person.pk}").content.decode()
    response = invite(staff_client, person, organisation)

    assert "is not affiliated with any organisation that holds a current membership" in page
    assert response.status_code == 200
    assert Invitation.objects.count() == 0 and mail.outbox == [] and actions() == []


def test_the_service_refuses_an_organisation_without_membership_with_a_clear_message(db):
    from klynge.core.errors import ApplicationError
    from klynge.portal.services import invitation_create

    organisation = OrganisationFactory(name="Never A/S")
    person = PersonFactory()
    AffiliationFactory(person=person, organisation=organisation)

    with pytest.raises(ApplicationError) as refused:
        invitation_create(person=person, organisation=organisation,
                          actor=user_with_role(Role.STAFF))

    assert str(refused.value) == ("Never A/S holds no current membership; only people of "
                                  "member organisations can be invited to the portal.")
    assert refused.value.field == "organisation"
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_a_person_who_already_has_a_login_gets_a_clear_refusal(staff_client):
    person, organisation = member_person()
    UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                email="mette@firma.dk")

    page = staff_client.get(f"{CREATE}?person={person.pk}").content.decode()
    response = invite(staff_client, person, organisation)

    assert "Mette Holm already has a login (mette@firma.dk) and can sign in already" in page
    assert response.status_code == 200
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_a_second_open_invitation_is_refused_resend_instead(staff_client):
    person, organisation = member_person()
    invite(staff_client, person, organisation)

    response = invite(staff_client, person, organisation)

    assert "An invitation was sent on" in response.content.decode()
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_person_of_another_organisation_cannot_be_invited_for_this_one(db):
    from klynge.core.errors import ApplicationError
    from klynge.portal.services import invitation_create

    person, _own = member_person()
    other = MembershipFactory(organisation__name="Other ApS").organisation

    with pytest.raises(ApplicationError) as refused:
        invitation_create(person=person, organisation=other, actor=user_with_role(Role.STAFF))

    assert str(refused.value) == "Mette Holm is not (or no longer) affiliated with Other ApS."
    assert Invitation.objects.count() == 0


def _invited(staff_client):
    person, organisation = member_person()
    invite(staff_client, person, organisation)
    return Invitation.objects.get(), token_from(mail.outbox[-1])


def test_an_expired_link_gets_a_clear_page_and_makes_no_login(staff_client, client):
    invitation, token = _invited(staff_client)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1))
    staff_client.logout()

    page = client.get(accept_url(token))
    posted = client.post(accept_url(token),
                         {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert page.status_code == 410 and posted.status_code == 410
    assert "This invitation has expired." in page.content.decode()
    assert "Mette" not in page.content.decode()
    assert not get_user_model().objects.filter(email="mette@firma.dk").exists()


def test_a_revoked_link_no_longer_works(staff_client, client):
    invitation, token = _invited(staff_client)

    response = staff_client.post(reverse("portal:invitation_revoke", args=[invitation.pk]))
    staff_client.logout()
    page = client.get(accept_url(token))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert page.status_code == 410
    assert "This invitation has been withdrawn." in page.content.decode()
    assert actions() == ["klynge.portal.invitation.created", "klynge.portal.invitation.revoked"]


def test_a_used_link_cannot_make_a_second_login(staff_client, client):
    _invitation, token = _invited(staff_client)
    staff_client.logout()
    client.post(accept_url(token), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    client.logout()

    page = client.get(accept_url(token))

    assert page.status_code == 410
    assert "This invitation has been used already." in page.content.decode()
    assert get_user_model().objects.filter(email="mette@firma.dk").count() == 1


def test_an_unknown_token_answers_404_with_a_clear_page(client, db):
    page = client.get(accept_url("not-a-real-token"))

    assert page.status_code == 404
    assert "This invitation link is not valid." in page.content.decode()


def test_mismatched_passwords_are_refused_and_nothing_is_made(staff_client, client):
    invitation, token = _invited(staff_client)
    staff_client.logout()

    response = client.post(accept_url(token),
                           {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})

    assert response.status_code == 200
    assert response.context["form"].errors["password2"] == [
        "The two passwords differ; type the same one twice."]
    assert not get_user_model().objects.filter(email="mette@firma.dk").exists()
    invitation.refresh_from_db()
    assert invitation.status == "open"


def test_a_weak_password_is_refused_by_djangos_validators(staff_client, client):
    _invitation, token = _invited(staff_client)
    staff_client.logout()

    response = client.post(accept_url(token), {"password1": "12345678", "password2": "12345678"})

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"][0]
    assert not get_user_model().objects.filter(email="mette@firma.dk").exists()


def test_resending_sends_a_new_link_and_the_old_one_stops_working(staff_client, client):
    invitation, old_token = _invited(staff_client)

    response = staff_client.post(reverse("portal:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_token = token_from(mail.outbox[1])
    assert new_token != old_token
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    staff_client.logout()
    assert client.get(accept_url(old_token)).status_code == 404
    assert client.get(accept_url(new_token)).status_code == 200
    assert actions() == ["klynge.portal.invitation.created", "klynge.portal.invitation.resent"]


def test_the_list_filters_by_status_searches_and_exports(staff_client):
    first, _token = _invited(staff_client)
    person, organisation = member_person(first_name="Jonas", email="jonas@firma.dk",
                                         organisation=first.organisation)
    invite(staff_client, person, organisation)
    staff_client.post(reverse("portal:invitation_revoke", args=[first.pk]))

    revoked = staff_client.get(LIST, {"status": "revoked"})
    found = staff_client.get(LIST, {"q": "jonas"})
    export = staff_client.get(LIST, {"ordering": "person", "format": "csv"})

    assert [i.email for i in revoked.context["listing"].rows] == ["mette@firma.dk"]
    assert [i.email for i in found.context["listing"].rows] == ["jonas@firma.dk"]
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "person", "email", "organisation", "status"]
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ("Jonas Holm", "jonas@firma.dk", "Open"), ("Mette Holm", "mette@firma.dk", "Revoked")]


def test_the_list_has_an_empty_state(staff_client):
    page = staff_client.get(LIST).content.decode()

    assert "Nobody has been invited to the portal yet." in page


def test_a_member_invites_a_colleague_but_not_someone_of_another_organisation(client):
    me, organisation = member_person()
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=me,
                       email="mette@firma.dk")
    colleague, _ = member_person(first_name="Jonas", email="jonas@firma.dk",
                                 organisation=organisation)
    stranger, _other = member_person(first_name="Eva", email="eva@andet.dk")
    client.force_login(user)

    picker = client.get(CREATE)
    other = client.get(f"{CREATE}?person={stranger.pk}")
    response = invite(client, colleague, organisation)

    assert [p.email for p in picker.context["found"]] == ["jonas@firma.dk"]
    assert other.status_code == 404
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.invited_by) == (colleague, user)
    assert mail.outbox[0].to == ["jonas@firma.dk"]


def test_the_person_page_offers_the_invitation(staff_client):
    person, _organisation = member_person()

    page = staff_client.get(person.get_absolute_url()).content.decode()

    assert f'href="{CREATE}?person={person.pk}"' in page


def test_the_email_is_written_in_the_persons_language(staff_client):
    person, organisation = member_person()
    person.language = "da"
    person.save()

    invite(staff_client, person, organisation)

    expires = timezone.localtime(Invitation.objects.get().expires_at)
    assert f"{expires:%d.%m.%Y}" in mail.outbox[0].body  # the Danish date format


def test_staff_find_the_person_to_invite_by_name(staff_client):
    member_person()
    member_person(first_name="Jonas", email="jonas@andet.dk")
    outsider = PersonFactory(first_name="Jonas", email="jonas@nomember.dk")
    AffiliationFactory(person=outsider)  # an organisation without membership

    empty = staff_client.get(CREATE)
    found = staff_client.get(CREATE, {"q": "jonas"})

    assert empty.context["found"] == []
    assert [p.email for p in found.context["found"]] == ["jonas@andet.dk"]
    assert f'href="?person={found.context["found"][0].pk}"' in found.content.decode()


def test_erasing_the_person_deletes_their_invitations_and_the_link_stops_working(
        staff_client, client):
    from klynge.privacy.services_erasure import person_erase

    invitation, token = _invited(staff_client)

    person_erase(person=invitation.person, actor=staff_client.user, reason="Asked to be erased")
    staff_client.logout()

    assert Invitation.objects.count() == 0
    assert client.get(accept_url(token)).status_code == 404
