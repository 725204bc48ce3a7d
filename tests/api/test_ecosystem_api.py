"""The registry's API: lists with the pages' filters, writes through the services (same rules,
same audit entries), optimistic locking, and members scoped to their own organisation."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem import services
from klynge.ecosystem.models import Membership, Organisation, Person
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    HubFactory,
    MembershipFactory,
    MembershipTierFactory,
    OrganisationFactory,
    PersonFactory,
    next_cvr,
)

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organisations/"
PEOPLE = "/api/v1/people/"
MEMBERSHIPS = "/api/v1/memberships/"


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


# --- lists: filters, ordering, pagination ---------------------------------------------------


def test_the_organisation_list_takes_the_pages_search_filters_and_ordering(staff_api_client):
    aarhus, odense = HubFactory(name="Hub Aarhus"), HubFactory(name="Hub Odense")
    OrganisationFactory(name="Robo ApS", hub=aarhus, city="Aarhus C")
    OrganisationFactory(name="Aqua Robotics A/S", hub=odense, city="Odense")
    OrganisationFactory(name="Bakery ApS", hub=aarhus)
    OrganisationFactory(name="SDU", kind="university", cvr=None, hub=odense)

    assert names(staff_api_client.get(ORGS)) == [
        "Aqua Robotics A/S", "Bakery ApS", "Robo ApS", "SDU"]
    assert names(staff_api_client.get(ORGS, {"q": "robo"})) == ["Aqua Robotics A/S", "Robo ApS"]
    assert names(staff_api_client.get(ORGS, {"hub": aarhus.pk, "ordering": "-name"})) == [
        "Robo ApS", "Bakery ApS"]
    assert names(staff_api_client.get(ORGS, {"kind": "knowledge"})) == ["SDU"]
    assert names(staff_api_client.get(ORGS, {"ordering": "hub,-name"})) == [
        "Robo ApS", "Bakery ApS", "SDU", "Aqua Robotics A/S"]


def test_the_organisation_list_filters_by_membership_as_the_page_does(staff_api_client):
    paying = OrganisationFactory(name="Paying ApS")
    MembershipFactory(organisation=paying, status="paying")
    OrganisationFactory(name="Prospect ApS")

    assert names(staff_api_client.get(ORGS, {"membership": "paying"})) == ["Paying ApS"]
    assert names(staff_api_client.get(ORGS, {"membership": "none"})) == ["Prospect ApS"]
    row = staff_api_client.get(ORGS, {"membership": "paying"}).json()["results"][0]
    assert row["membership_status"] == "paying"


def test_an_invalid_filter_or_ordering_answers_400_naming_the_parameter(staff_api_client):
    response = staff_api_client.get(ORGS, {"hub": "99999", "kind": "spaceship"})

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["hub", "kind"]

    response = staff_api_client.get(ORGS, {"ordering": "password"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ordering"]


def test_lists_are_paginated_with_a_page_size_up_to_500(staff_api_client):
    for number in range(7):
        OrganisationFactory(name=f"Org {number:02d}")

    first = staff_api_client.get(ORGS, {"page_size": 3}).json()
    third = staff_api_client.get(ORGS, {"page_size": 3, "page": 3}).json()

    assert first["count"] == 7
    assert [row["name"] for row in first["results"]] == ["Org 00", "Org 01", "Org 02"]
    assert first["next"] == "http://testserver/api/v1/organisations/?page=2&page_size=3"
    assert first["previous"] is None
    assert [row["name"] for row in third["results"]] == ["Org 06"]
    assert third["next"] is None
    past_the_end = staff_api_client.get(ORGS, {"page": 9})
    assert past_the_end.status_code == 404
    assert past_the_end.json() == {"detail": "Invalid page."}


def test_the_organisation_list_runs_a_fixed_number_of_queries(staff_api_client):
    hub = HubFactory(name="Hub Aarhus")
    areas = [FocusAreaFactory(), FocusAreaFactory()]

    def make(count):
        for _ in range(count):
            organisation = OrganisationFactory(hub=hub)
            organisation.focus_areas.set(areas)
            MembershipFactory(organisation=organisation)
            AffiliationFactory(organisation=organisation)

    make(3)
    with CaptureQueriesContext(connection) as few:
        assert len(staff_api_client.get(ORGS).json()["results"]) == 3
    make(27)
    with CaptureQueriesContext(connection) as many:
        rows = staff_api_client.get(ORGS).json()["results"]

    assert len(rows) == 30
    assert rows[0]["focus_areas"] == [area.pk for area in areas]
    assert len(many.captured_queries) == len(few.captured_queries)


def test_one_organisation_shows_its_fields_and_version(staff_api_client):
    hub = HubFactory(name="Hub Aarhus")
    organisation = OrganisationFactory(name="Robo ApS", cvr=next_cvr(),
                                       hub=hub, employee_band="10-49", postcode="8000")
    AffiliationFactory(organisation=organisation)

    body = staff_api_client.get(f"{ORGS}{organisation.pk}/").json()

    assert body["id"] == organisation.pk
    assert body["name"] == "Robo ApS"
    assert body["cvr"] == organisation.cvr
    assert body["hub"] == hub.pk
    assert body["size"] == "sme"
    assert body["people_count"] == 1
    assert body["membership_status"] is None
    assert body["version"] == 1


# --- writes through the services ---------------------------------------------------------


def test_creating_an_organisation_writes_the_same_audit_entry_as_the_page(staff_api_client):
    hub = HubFactory(name="Hub Aarhus")
    area = FocusAreaFactory()
    cvr = next_cvr()

    response = staff_api_client.post(ORGS, {
        "name": "  Robo ApS ", "cvr": cvr, "postcode": "8000", "hub": hub.pk,
        "focus_areas": [area.pk], "employee_band": "10-49",
    }, format="json")

    assert response.status_code == 201
    body = response.json()
    organisation = Organisation.objects.get(pk=body["id"])
    assert (organisation.name, organisation.cvr, organisation.region) == (
        "Robo ApS", cvr, "midtjylland")
    assert body["focus_areas"] == [area.pk]
    assert body["version"] == 1
    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.created")
    assert entry.actor == staff_api_client.user
    assert entry.object_id == str(organisation.pk)
    assert entry.data["name"] == "Robo ApS"
    assert entry.data["cvr"] == cvr
    assert entry.data["hub"] == hub.pk


def test_a_bad_cvr_number_answers_400_with_the_services_message(staff_api_client):
    response = staff_api_client.post(ORGS, {"name": "Robo ApS", "cvr": "12345678"},
                                     format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This is not a valid CVR number: its check digit is wrong (modulus-11 rule).",
        "field": "cvr",
        "errors": {"cvr": [
            "This is not a valid CVR number: its check digit is wrong (modulus-11 rule)."]},
    }
    assert not Organisation.objects.exists()


def test_a_taken_cvr_number_answers_400_naming_the_existing_organisation(staff_api_client):
    existing = OrganisationFactory(name="First ApS")

    response = staff_api_client.post(ORGS, {"name": "Second ApS", "cvr": existing.cvr},
                                     format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "cvr"
    assert response.json()["detail"] == (
        f"CVR number {existing.cvr} is already registered for First ApS.")
    assert response.json()["extra"] == {"existing_id": existing.pk}


def test_updating_an_organisation_logs_the_changes_and_raises_the_version(staff_api_client):
    organisation = OrganisationFactory(name="Robo ApS", city="Aarhus C")

    response = staff_api_client.patch(f"{ORGS}{organisation.pk}/",
                                      {"city": "Aarhus N", "version": 1}, format="json")

    assert response.status_code == 200
    assert response.json()["city"] == "Aarhus N"
    assert response.json()["version"] == 2
    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.updated")
    assert entry.data == {"changes": {"city": ["Aarhus C", "Aarhus N"]}}
    assert entry.actor == staff_api_client.user


def test_an_update_without_version_answers_400_and_saves_nothing(staff_api_client):
    organisation = OrganisationFactory(name="Robo ApS")

    response = staff_api_client.patch(f"{ORGS}{organisation.pk}/", {"name": "Other"},
                                      format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]
    organisation.refresh_from_db()
    assert organisation.name == "Robo ApS"


def test_an_update_on_a_stale_version_answers_409(staff_api_client):
    organisation = OrganisationFactory(name="Robo ApS", city="Aarhus C")
    services.organisation_update(organisation=organisation, actor=None,
                                 data={"city": "Vejle"}, version=1)

    response = staff_api_client.patch(f"{ORGS}{organisation.pk}/",
                                      {"name": "Robo Robotics ApS", "version": 1},
                                      format="json")

    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changed"] == ["city"]
    organisation.refresh_from_db()
    assert organisation.name == "Robo ApS"


def test_put_needs_every_required_field(staff_api_client):
    organisation = OrganisationFactory(name="Robo ApS")

    response = staff_api_client.put(f"{ORGS}{organisation.pk}/", {"version": 1},
                                    format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]


def test_unknown_fields_and_invalid_json_answer_400(staff_api_client):
    response = staff_api_client.post(ORGS, {"name": "Robo ApS", "colour": "red"},
                                     format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown field.",
                               "errors": {"colour": ["Unknown field."]}}

    response = staff_api_client.post(ORGS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert not Organisation.objects.exists()


def test_organisations_cannot_be_deleted_through_the_api(staff_api_client):
    organisation = OrganisationFactory()

    response = staff_api_client.delete(f"{ORGS}{organisation.pk}/")

    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_creating_a_person_with_an_organisation_affiliates_them(staff_api_client):
    organisation = OrganisationFactory(name="Robo ApS")

    response = staff_api_client.post(PEOPLE, {
        "first_name": "Mette", "last_name": "Holm", "email": "Mette@Robo.dk",
        "organisation": organisation.pk, "role": "CTO",
    }, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "mette@robo.dk"
    assert body["primary_organisation"] == organisation.pk
    assert body["primary_organisation_name"] == "Robo ApS"
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "klynge.ecosystem.person.created", "klynge.ecosystem.affiliation.added"]


def test_a_taken_e_mail_answers_400_on_the_email_field(staff_api_client):
    PersonFactory(first_name="Mette", last_name="Holm", email="mette@robo.dk")

    response = staff_api_client.post(PEOPLE, {"first_name": "M", "email": "METTE@robo.dk"},
                                     format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "email"
    assert response.json()["detail"] == (
        "The e-mail address mette@robo.dk already belongs to Mette Holm.")


def test_updating_a_person_needs_the_version_and_logs_the_change(staff_api_client):
    person = PersonFactory(first_name="Mette", job_title="CTO")

    stale = staff_api_client.patch(f"{PEOPLE}{person.pk}/", {"job_title": "CEO",
                                                              "version": 7}, format="json")
    fresh = staff_api_client.patch(f"{PEOPLE}{person.pk}/", {"job_title": "CEO",
                                                              "version": 1}, format="json")

    assert stale.status_code == 409
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2
    entry = AuditEntry.objects.get(action="klynge.ecosystem.person.updated")
    assert entry.data == {"changes": {"job_title": ["CTO", "CEO"]}}


def test_a_membership_is_added_with_the_tiers_fee_and_overlaps_are_refused(staff_api_client):
    organisation = OrganisationFactory()
    tier = MembershipTierFactory(name="Large company", annual_fee=Decimal("25000"))

    created = staff_api_client.post(MEMBERSHIPS, {
        "organisation": organisation.pk, "tier": tier.pk, "start_date": "2025-01-01",
        "end_date": "2025-12-31",
    }, format="json")
    overlapping = staff_api_client.post(MEMBERSHIPS, {
        "organisation": organisation.pk, "tier": tier.pk, "start_date": "2025-06-01",
    }, format="json")

    assert created.status_code == 201
    assert created.json()["annual_fee"] == "25000.00"
    assert created.json()["status"] == "paying"
    assert overlapping.status_code == 400
    assert overlapping.json()["field"] == "start_date"
    assert Membership.objects.count() == 1
    assert AuditEntry.objects.filter(action="klynge.ecosystem.membership.created").count() == 1


def test_a_membership_is_ended_with_patch_and_renewed(staff_api_client):
    membership = MembershipFactory(start_date=date(2024, 1, 1), end_date=None)

    ended = staff_api_client.patch(f"{MEMBERSHIPS}{membership.pk}/",
                                   {"end_date": "2024-12-31"}, format="json")
    renewed = staff_api_client.post(f"{MEMBERSHIPS}{membership.pk}/renew/", {}, format="json")

    assert ended.status_code == 200
    assert ended.json()["end_date"] == "2024-12-31"
    assert renewed.status_code == 201
    assert (renewed.json()["start_date"], renewed.json()["end_date"]) == (
        "2025-01-01", "2025-12-31")


# --- roles and scoping -------------------------------------------------------------------


def test_anonymous_callers_get_401_with_a_token_challenge(anon_api_client):
    response = anon_api_client.get(ORGS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_an_invalid_token_answers_401(anon_api_client):
    anon_api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = anon_api_client.get(ORGS)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_member_sees_their_own_organisation_only(api_client):
    own = OrganisationFactory(name="Own ApS")
    MembershipFactory(organisation=own, notes="Pays late")
    other = OrganisationFactory(name="Other ApS")
    other_membership = MembershipFactory(organisation=other)
    colleague = AffiliationFactory(organisation=own).person
    stranger = AffiliationFactory(organisation=other).person
    client = api_client(Role.MEMBER, organisation=own)

    assert names(client.get(ORGS)) == ["Own ApS"]
    assert client.get(f"{ORGS}{own.pk}/").status_code == 200
    assert client.get(f"{ORGS}{other.pk}/").status_code == 404
    assert [row["id"] for row in client.get(PEOPLE).json()["results"]] == [colleague.pk]
    assert client.get(f"{PEOPLE}{stranger.pk}/").status_code == 404
    own_memberships = client.get(MEMBERSHIPS).json()["results"]
    assert [row["organisation"] for row in own_memberships] == [own.pk]
    assert "notes" not in own_memberships[0]
    assert client.get(f"{MEMBERSHIPS}{other_membership.pk}/").status_code == 404
    assert "notes" not in client.get(f"{PEOPLE}{colleague.pk}/").json()


def test_a_member_cannot_write(member_api_client):
    own = member_api_client.user.organisation

    create = member_api_client.post(ORGS, {"name": "New ApS"}, format="json")
    update = member_api_client.patch(f"{ORGS}{own.pk}/", {"name": "Renamed", "version": 1},
                                     format="json")

    assert create.status_code == 403
    assert update.status_code == 403
    assert update.json() == {"detail": "You do not have permission to use this endpoint."}
    own.refresh_from_db()
    assert own.name != "Renamed"


def test_a_member_without_a_current_membership_is_refused(api_client):
    lapsed = OrganisationFactory()
    MembershipFactory(organisation=lapsed, start_date=date(2020, 1, 1),
                      end_date=date(2020, 12, 31))
    client = api_client(Role.MEMBER, organisation=lapsed)

    assert client.get(ORGS).status_code == 403


def test_grant_givers_may_not_read_the_registry(grant_giver_api_client):
    assert grant_giver_api_client.get(ORGS).status_code == 403
    assert grant_giver_api_client.get(PEOPLE).status_code == 403


def test_reference_data_is_readable_by_members(member_api_client):
    HubFactory(name="Hub Aarhus")

    response = member_api_client.get("/api/v1/hubs/")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Hub Aarhus"]


def test_affiliations_filter_by_organisation(staff_api_client):
    first, second = OrganisationFactory(), OrganisationFactory()
    mine = AffiliationFactory(organisation=first, role="CEO")
    AffiliationFactory(organisation=second)

    rows = staff_api_client.get("/api/v1/affiliations/", {"organisation": first.pk}).json()

    assert [(row["id"], row["role"]) for row in rows["results"]] == [(mine.pk, "CEO")]


def test_a_person_list_for_staff_carries_notes(staff_api_client):
    PersonFactory(first_name="Mette", notes="Met at the fair")

    row = staff_api_client.get(PEOPLE, {"q": "mette"}).json()["results"][0]

    assert row["notes"] == "Met at the fair"
    assert Person.objects.count() == 1
