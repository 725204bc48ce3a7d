"""The member downloads a zip of their own data; the download is logged."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from tests.factories import AffiliationFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = reverse("portal:data")


def signed_in_member(client):
    organisation = MembershipFactory(organisation__name="Firma ApS").organisation
    person = PersonFactory(first_name="Mette", last_name="Holm", email="mette@firma.dk",
                           job_title="CTO")
    AffiliationFactory(person=person, organisation=organisation)
    user = UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                       email="mette@firma.dk")
    client.force_login(user)
    return user


def test_the_page_explains_the_download(client):
    signed_in_member(client)

    page = client.get(DATA).content.decode()

    assert "Each download is recorded in the audit log." in page
    assert AuditEntry.objects.filter(action="klynge.privacy.person.exported").count() == 0


def test_the_download_is_a_zip_of_the_persons_data_and_is_logged(client):
    user = signed_in_member(client)
    other = PersonFactory(first_name="Eva", email="eva@andet.dk")

    response = client.post(DATA)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="klynge-data-{user.person.pk}-')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert {"README.txt", "data.json"} <= set(names)
    document = json.loads(archive.read("data.json"))
    assert document["person"] == {"id": user.person.pk, "name": "Mette Holm",
                                  "email": "mette@firma.dk"}
    [person_row] = document["tables"]["ecosystem.person"]
    assert person_row["job_title"] == "CTO"
    assert [row["organisation"] for row in document["tables"]["ecosystem.affiliations"]
            ] == ["Firma ApS"]
    assert other.email not in json.dumps(document)
    [entry] = AuditEntry.objects.filter(action="klynge.privacy.person.exported")
    assert (entry.object_id, entry.actor) == (str(user.person.pk), user)


def test_the_download_includes_the_persons_portal_invitation(staff_client):
    client = staff_client  # the same test client: staff invite, then the member signs in
    organisation = MembershipFactory(organisation__name="Firma ApS").organisation
    person = PersonFactory(first_name="Mette", email="mette@firma.dk")
    AffiliationFactory(person=person, organisation=organisation)
    staff_client.post(f"{reverse('portal:invitation_create')}?person={person.pk}",
                      {"organisation": organisation.pk})
    client.logout()
    client.force_login(UserFactory(role=Role.MEMBER, organisation=organisation, person=person,
                                   email="mette@firma.dk"))

    document = json.loads(zipfile.ZipFile(io.BytesIO(client.post(DATA).content))
                          .read("data.json"))

    [row] = document["tables"]["portal.portal_invitations"]
    assert (row["organisation"], row["email"], row["status"]) == (
        "Firma ApS", "mette@firma.dk", "open")
