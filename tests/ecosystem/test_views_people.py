"""Person pages: create with an affiliation, duplicates, edit, affiliations, merge."""

import pytest

from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Affiliation, Person
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_create_person_with_organisation_picked_from_the_suggestions(staff_client):
    organisation = OrganisationFactory(name="Omikron ApS")
    response = staff_client.post(
        "/ecosystem/people/new/",
        {"first_name": "Mette", "last_name": "Frederiksen", "email": "Mette@Omikron.dk",
         "language": "da", "organisation": f"Omikron ApS [#{organisation.pk}]", "role": "CTO"},
    )
    person = Person.objects.get(email="mette@omikron.dk")
    assert response.status_code == 302
    affiliation = person.affiliations.get()
    assert (affiliation.organisation, affiliation.role, affiliation.is_primary) == (
        organisation, "CTO", True
    )


def test_create_person_with_an_unknown_organisation_explains_and_writes_nothing(staff_client):
    response = staff_client.post(
        "/ecosystem/people/new/",
        {"first_name": "Ole", "email": "ole@example.dk", "language": "da",
         "organisation": "Findes Ikke ApS"},
    )
    assert response.status_code == 200
    assert "No organisation matches" in str(response.context["form"].errors["organisation"])
    assert not Person.objects.exists()


def test_an_e_mail_address_belongs_to_one_person(staff_client):
    PersonFactory(first_name="Anna", last_name="Berg", email="anna@example.dk")
    response = staff_client.post(
        "/ecosystem/people/new/",
        {"first_name": "Anne", "last_name": "Bjerg", "email": "ANNA@example.dk",
         "language": "da"},
    )
    assert "already belongs to Anna Berg" in str(response.context["form"].errors["email"])
    assert Person.objects.count() == 1


def test_same_name_needs_confirmation(staff_client):
    PersonFactory(first_name="Jens", last_name="Jensen", email="jens1@example.dk")
    data = {"first_name": "Jens", "last_name": "Jensen", "email": "jens2@example.dk",
            "language": "da"}
    assert staff_client.post("/ecosystem/people/new/", data).status_code == 200
    assert Person.objects.count() == 1
    response = staff_client.post("/ecosystem/people/new/", {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_edit_person_is_audited(staff_client):
    person = PersonFactory(job_title="Developer")
    response = staff_client.post(
        f"/ecosystem/people/{person.pk}/edit/",
        {"first_name": person.first_name, "last_name": person.last_name, "email": person.email,
         "language": "en", "job_title": "Head of AI"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="klynge.ecosystem.person.updated")
    assert entry.data["changes"]["job_title"] == ["Developer", "Head of AI"]
    assert entry.data["changes"]["language"] == ["da", "en"]


def test_new_primary_affiliation_demotes_the_old_one_and_ending_keeps_history(staff_client):
    old = AffiliationFactory()
    person = old.person
    new_org = OrganisationFactory(name="Pi Systems ApS")
    staff_client.post(
        f"/ecosystem/people/{person.pk}/affiliations/new/",
        {"organisation": new_org.cvr, "role": "CEO", "is_primary": "on"},
    )
    old.refresh_from_db()
    assert old.is_primary is False
    assert person.affiliations.get(organisation=new_org).is_primary is True

    staff_client.post(f"/ecosystem/affiliations/{old.pk}/end/")
    old.refresh_from_db()
    assert old.end_date is not None
    assert Affiliation.objects.filter(pk=old.pk).exists()


def test_detail_lists_affiliations_and_timeline(staff_client):
    affiliation = AffiliationFactory(role="Innovationschef")
    page = staff_client.get(f"/ecosystem/people/{affiliation.person_id}/").content.decode()
    assert "Innovationschef" in page
    assert affiliation.organisation.name in page


def test_person_list_searches_and_exports(staff_client):
    AffiliationFactory(person=PersonFactory(first_name="Rasmus", email="rasmus@rho.dk"))
    PersonFactory(first_name="Sofie", email="sofie@sigma.dk")
    response = staff_client.get("/ecosystem/people/?hub=&q=rasmus")
    assert [p.first_name for p in response.context["listing"].rows] == ["Rasmus"]
    export = staff_client.get("/ecosystem/people/?hub=&q=sofie&format=csv")
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "sofie@sigma.dk" in lines[1]


def test_merge_people_keeps_the_survivors_email_and_moves_affiliations(staff_client):
    survivor = PersonFactory(first_name="Tove", last_name="Ditlevsen", email="tove@a.dk",
                             phone="")
    duplicate = PersonFactory(first_name="Tove", last_name="Ditlevsen", email="tove@b.dk",
                              phone="+45 12 34 56 78")
    AffiliationFactory(person=duplicate)
    response = staff_client.post(
        f"/ecosystem/people/{survivor.pk}/merge/",
        {"other": duplicate.pk, "keep": "this", "confirm": "on"},
    )
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.email == "tove@a.dk"
    assert survivor.phone == "+45 12 34 56 78"
    assert survivor.affiliations.count() == 1
    assert not Person.objects.filter(pk=duplicate.pk).exists()
