"""The API's introductions: filters, making, sending and outcomes through the services (the
same rules, e-mails and audit entries as the pages), member scoping, query counts."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.matchmaking.models import Introduction
from klynge.matchmaking.services import introductions as services
from klynge.projects.models import Project
from tests.factories import OrganisationFactory
from tests.matchmaking.factories_introductions import contact, introduce, pair

URL = "/api/v1/introductions/"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KLYNGE_BASE_URL = "http://testserver"
    settings.KLYNGE_CLUSTER_NAME = "Klynge Test"


@pytest.fixture
def no_recommender(monkeypatch):
    """The pair is not indexed: the staff member's message is the explanation."""
    monkeypatch.setattr(services.reads, "pair_suggestion", lambda *args, **kw: None)


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_create_writes_the_same_audit_entry_as_the_page(staff_api_client, no_recommender):
    a, anna, b, bo = pair()

    response = staff_api_client.post(URL, {
        "organisation_a": a.pk, "person_a": anna.pk, "organisation_b": b.pk,
        "person_b": bo.pk, "purpose": "knowledge", "message": "Both work on vision."},
        format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["explanation"], body["sent_at"]) == (
        "draft", "Both work on vision.", None)
    entry = AuditEntry.objects.get(object_id=str(body["id"]),
                                   action="klynge.matchmaking.introduction.created")
    assert entry.actor == staff_api_client.user
    assert entry.data["organisation_a"] == "Vision Robotics ApS"


def test_a_refused_rule_answers_400_with_the_services_message(staff_api_client, no_recommender):
    a, anna, b, bo = pair()
    stranger = contact(OrganisationFactory(name="Elsewhere"), first_name="Eva")

    same = staff_api_client.post(URL, {"organisation_a": a.pk, "organisation_b": a.pk},
                                 format="json")
    wrong_contact = staff_api_client.post(URL, {
        "organisation_a": a.pk, "person_a": stranger.pk, "organisation_b": b.pk,
        "person_b": bo.pk, "message": "Meet."}, format="json")
    no_message = staff_api_client.post(URL, {
        "organisation_a": a.pk, "person_a": anna.pk, "organisation_b": b.pk,
        "person_b": bo.pk}, format="json")

    assert same.status_code == 400
    assert same.json() == {
        "detail": "An introduction needs two different organisations.",
        "field": "organisation_b",
        "errors": {"organisation_b": ["An introduction needs two different organisations."]}}
    assert wrong_contact.status_code == 400
    assert wrong_contact.json()["detail"] == "Eva Berg is not affiliated with Vision Robotics ApS."
    assert wrong_contact.json()["field"] == "person_a"
    assert no_message.status_code == 400
    assert no_message.json()["field"] == "message"
    assert Introduction.objects.count() == 0


def test_send_emails_both_sides_and_a_sent_one_is_not_deleted(
        staff_api_client, no_recommender, django_capture_on_commit_callbacks):
    a, anna, b, bo = pair()
    intro = introduce(staff_api_client.user, a, anna, b, bo, message="Meet.")

    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_api_client.post(f"{URL}{intro.pk}/send/")
    delete = staff_api_client.delete(f"{URL}{intro.pk}/")

    assert sent.status_code == 200
    assert sorted(sent.json()["sent_to"]) == ["anna@example.dk", "bo@example.dk"]
    assert sent.json()["introduction"]["status"] == "waiting"
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "bo@example.dk"]
    assert delete.status_code == 400
    assert delete.json()["detail"].startswith("This introduction was sent on ")
    assert Introduction.objects.filter(pk=intro.pk).exists()


def test_a_draft_is_deleted_through_the_service(staff_api_client, no_recommender):
    a, anna, b, bo = pair()
    intro = introduce(staff_api_client.user, a, anna, b, bo, message="Meet.")

    response = staff_api_client.delete(f"{URL}{intro.pk}/")

    assert response.status_code == 204
    assert not Introduction.objects.filter(pk=intro.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(intro.pk),
                                     action="klynge.matchmaking.introduction.deleted").exists()


def test_an_eu_application_outcome_creates_the_project(staff_api_client, no_recommender):
    a, anna, b, bo = pair()
    intro = introduce(staff_api_client.user, a, anna, b, bo, message="Meet.")
    today = timezone.localdate()

    recorded = staff_api_client.post(f"{URL}{intro.pk}/outcomes/", {
        "kind": "eu_application_submitted", "date": today.isoformat()}, format="json")
    future = staff_api_client.post(f"{URL}{intro.pk}/outcomes/", {
        "kind": "commercial_use", "date": (today + timedelta(days=2)).isoformat()},
        format="json")
    detail = staff_api_client.get(f"{URL}{intro.pk}/")

    assert recorded.status_code == 201
    project = Project.objects.get(pk=recorded.json()["project"])
    assert project.kind == "eu_application"
    assert sorted(project.partners.values_list("name", flat=True)) == [
        "Aalborg University", "Vision Robotics ApS"]
    assert future.status_code == 400
    assert future.json()["field"] == "date"
    assert [o["kind"] for o in detail.json()["outcomes"]] == ["eu_application_submitted"]

    deleted = staff_api_client.delete(f"{URL}{intro.pk}/outcomes/{recorded.json()['id']}/")
    assert deleted.status_code == 204
    assert intro.outcomes.count() == 0


def test_list_filters_by_derived_status_and_searches(staff_api_client, no_recommender):
    a, anna, b, bo = pair()
    draft = introduce(staff_api_client.user, a, anna, b, bo, message="Meet.")
    other = OrganisationFactory(name="Nordic Sensors")
    sent = introduce(staff_api_client.user, a, anna, other, contact(other, first_name="Cai"),
                     message="Meet too.")
    Introduction.objects.filter(pk=sent.pk).update(sent_at=timezone.now())

    drafts = staff_api_client.get(URL, {"status": "draft"})
    waiting = staff_api_client.get(URL, {"status": "waiting"})
    found = staff_api_client.get(URL, {"q": "nordic"})
    ordered = staff_api_client.get(URL, {"ordering": "other"})

    assert _ids(drafts) == [draft.pk]
    assert _ids(waiting) == [sent.pk]
    assert _ids(found) == [sent.pk]
    assert _ids(ordered) == [draft.pk, sent.pk]


def test_list_query_count_does_not_grow_with_rows(staff_api_client, no_recommender):
    def make(count):
        for n in range(count):
            a = OrganisationFactory()
            b = OrganisationFactory()
            intro = Introduction.objects.create(organisation_a=a, organisation_b=b,
                                                explanation=f"Pair {n}")
            intro.outcomes.create(kind="met", date=timezone.localdate())

    make(2)
    with CaptureQueriesContext(connection) as few:
        staff_api_client.get(URL)
    make(28)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(URL)

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_member_reads_only_their_organisations_introductions(member_api_client,
                                                             no_recommender):
    own = member_api_client.user.organisation
    partner = OrganisationFactory()
    mine = Introduction.objects.create(organisation_a=partner, organisation_b=own,
                                       explanation="You should meet.")
    other = Introduction.objects.create(organisation_a=partner,
                                        organisation_b=OrganisationFactory(),
                                        explanation="Not yours.")

    listed = member_api_client.get(URL)
    foreign = member_api_client.get(f"{URL}{other.pk}/")
    send = member_api_client.post(f"{URL}{mine.pk}/send/")

    assert _ids(listed) == [mine.pk]
    assert foreign.status_code == 404
    assert send.status_code == 403


def test_grant_giver_is_refused(api_client):
    assert api_client(Role.GRANT_GIVER).get(URL).status_code == 403
