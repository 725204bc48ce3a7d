"""The member edits their organisation's public profile and their own, through the
ecosystem services (same rules, same audit log, optimistic locking), and nobody else's."""

import pytest
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem import services as ecosystem
from klynge.ecosystem.models import Organisation
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

ORGANISATION = reverse("portal:organisation")
PROFILE = reverse("portal:profile")


def signed_in_member(client, *, name="Firma ApS", email="mette@firma.dk"):
    organisation = MembershipFactory(organisation__name=name, organisation__cvr="10000009"
                                     if name == "Firma ApS" else None).organisation
    person = PersonFactory(first_name="Mette", last_name="Holm", email=email, phone="1111")
    AffiliationFactory(person=person, organisation=organisation)
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=person, email=email)
    client.force_login(user)
    return user


def profile_data(organisation, **changes):
    data = {"description": "We weld.", "website": "https://firma.dk", "competences": "Welding",
            "offers": "Test cells", "seeks": "Vision experts", "directory_listed": "on",
            "directory_fields": ["description", "offers"], "version": organisation.version}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def entries(obj, action):
    return list(AuditEntry.objects.filter(object_id=str(obj.pk), action=action))


def test_the_member_edits_the_public_profile_through_the_service(client):
    user = signed_in_member(client)
    organisation = user.organisation
    area = FocusAreaFactory(name_en="Robotics")

    response = client.post(ORGANISATION, {**profile_data(organisation),
                                          "focus_areas": [area.pk]})

    assert response.status_code == 302 and response["Location"] == ORGANISATION
    organisation.refresh_from_db()
    assert (organisation.description, organisation.website, organisation.offers,
            organisation.seeks) == ("We weld.", "https://firma.dk", "Test cells",
                                    "Vision experts")
    assert organisation.directory_listed is True
    assert organisation.directory_fields == ["description", "offers"]
    assert list(organisation.focus_areas.all()) == [area]
    assert organisation.version == 2
    [entry] = entries(organisation, "klynge.ecosystem.organisation.updated")
    assert entry.actor == user
    assert entry.data["changes"]["directory_fields"] == [[], ["description", "offers"]]
    assert entry.data["changes"]["offers"] == ["", "Test cells"]


def test_the_profile_page_shows_staff_fields_read_only_and_a_directory_preview(client):
    user = signed_in_member(client)
    ecosystem.organisation_update(organisation=user.organisation, actor=None, data={
        "offers": "Test cells", "directory_listed": True, "directory_fields": ["offers"]})

    response = client.get(ORGANISATION)

    page = response.content.decode()
    assert "10000009" in page
    assert set(response.context["form"].fields) == {
        "description", "website", "competences", "offers", "seeks", "focus_areas",
        "directory_listed", "directory_fields", "version"}
    assert response.context["preview"] == [("Offers", "Test cells")]


def test_a_stale_profile_form_is_refused_and_nothing_is_overwritten(client):
    user = signed_in_member(client)
    organisation = user.organisation
    opened = profile_data(organisation, offers="Mine")
    ecosystem.organisation_update(organisation=organisation, actor=user_with_role(Role.STAFF),
                                  data={"offers": "Theirs"}, version=organisation.version)

    response = client.post(ORGANISATION, opened)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert errors[0].startswith("Someone else changed this organisation while you were "
                                "editing it")
    organisation.refresh_from_db()
    assert organisation.offers == "Theirs"
    assert entries(organisation, "klynge.ecosystem.organisation.updated")[0].actor != user


def test_an_unknown_directory_field_is_refused(client):
    user = signed_in_member(client)

    response = client.post(ORGANISATION, profile_data(user.organisation,
                                                      directory_fields=["cvr"]))

    assert response.status_code == 200
    assert "directory_fields" in response.context["form"].errors
    user.organisation.refresh_from_db()
    assert user.organisation.directory_fields == []


def test_a_member_cannot_edit_another_organisation(client):
    other = MembershipFactory(organisation__name="Other ApS").organisation
    user = signed_in_member(client)

    staff_page = client.get(reverse("ecosystem:organisation_edit", args=[other.pk]))
    client.post(ORGANISATION, {**profile_data(user.organisation), "organisation": other.pk,
                               "pk": other.pk})

    assert staff_page.status_code == 403
    other = Organisation.objects.get(pk=other.pk)
    assert (other.offers, other.version) == ("", 1)
    assert entries(other, "klynge.ecosystem.organisation.updated") == []


def test_the_member_edits_their_own_profile_but_not_the_email(client):
    user = signed_in_member(client)
    person = user.person

    response = client.post(PROFILE, {
        "first_name": "Mette", "last_name": "Holm-Berg", "phone": "+45 12 34 56 78",
        "job_title": "CTO", "language": "en", "email": "hacker@evil.dk",
        "version": person.version})

    assert response.status_code == 302 and response["Location"] == PROFILE
    person.refresh_from_db()
    assert (person.last_name, person.phone, person.job_title, person.language, person.email) == (
        "Holm-Berg", "+45 12 34 56 78", "CTO", "en", "mette@firma.dk")
    [entry] = entries(person, "klynge.ecosystem.person.updated")
    assert entry.actor == user
    assert sorted(entry.data["changes"]) == ["job_title", "language", "last_name", "phone"]


def test_a_stale_own_profile_is_refused(client):
    user = signed_in_member(client)
    person = user.person
    version = person.version
    ecosystem.person_update(person=person, actor=None, data={"phone": "2222"}, version=version)

    response = client.post(PROFILE, {"first_name": "Mette", "last_name": "Holm",
                                      "phone": "3333", "language": "da", "version": version})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith(
        "Someone else changed this person while you were editing it")
    person.refresh_from_db()
    assert person.phone == "2222"


def test_the_profile_page_links_to_password_and_two_factor_and_explains_the_email(client):
    signed_in_member(client)

    page = client.get(PROFILE).content.decode()

    assert f'href="{reverse("account_change_password")}"' in page
    assert f'href="{reverse("mfa_index")}"' in page
    assert "only the cluster can change it" in page


def test_a_login_without_a_person_gets_a_clear_page(member_client):
    page = member_client.get(PROFILE)

    assert page.status_code == 200
    assert "Your login is not linked to a person" in page.content.decode()
