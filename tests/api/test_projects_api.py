"""The API's projects, partners and outcomes: filters, the services' rules and audit entries,
member scoping, query counts."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klynge.core.models import AuditEntry
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from tests.factories import OrganisationFactory
from tests.projects.factories import (
    EuApplicationFactory,
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

URL = "/api/v1/projects/"


def _ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_project_list_filters_sorts_and_paginates(staff_api_client):
    alpha = ProjectFactory(title="Alpha", start_date=date(2024, 1, 1))
    beta = ProjectFactory(title="Beta", start_date=date(2025, 1, 1))
    EuApplicationFactory(title="Gamma")

    collaborations = staff_api_client.get(URL, {"kind": "collaboration", "ordering": "-title"})
    started_2024 = staff_api_client.get(URL, {"start_year": 2024})
    paged = staff_api_client.get(URL, {"ordering": "title", "page_size": 2, "page": 2})

    assert _ids(collaborations) == [beta.pk, alpha.pk]
    assert _ids(started_2024) == [alpha.pk]
    assert paged.json()["count"] == 3
    assert [row["title"] for row in paged.json()["results"]] == ["Gamma"]


def test_project_list_filters_by_partner_the_ui_way(staff_api_client):
    partner = OrganisationFactory(name="Vestas Wind")
    project = ProjectFactory()
    ProjectPartnerFactory(project=project, organisation=partner)
    ProjectFactory()

    by_id = staff_api_client.get(URL, {"partner": f"Vestas Wind [#{partner.pk}]"})
    by_name = staff_api_client.get(URL, {"partner": "vestas"})

    assert _ids(by_id) == [project.pk]
    assert _ids(by_name) == [project.pk]


def test_project_list_query_count_does_not_grow_with_rows(staff_api_client):
    def make(count):
        for _ in range(count):
            project = ProjectFactory()
            ProjectPartnerFactory(project=project)
            ProjectOutcomeFactory(project=project)

    make(2)
    with CaptureQueriesContext(connection) as few:
        staff_api_client.get(URL)
    make(28)
    with CaptureQueriesContext(connection) as many:
        response = staff_api_client.get(URL)

    assert response.json()["count"] == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_create_project_writes_the_same_audit_entry_as_the_page(staff_api_client):
    response = staff_api_client.post(URL, {
        "title": "  Green steel  ", "acronym": "GS", "kind": "collaboration",
        "status": "preparing", "start_date": "2026-01-01", "end_date": "2027-12-31",
        "budget": "1500000.00"}, format="json")

    assert response.status_code == 201
    project = Project.objects.get(pk=response.json()["id"])
    assert (project.title, project.acronym, str(project.budget)) == ("Green steel", "GS",
                                                                     "1500000.00")
    entry = AuditEntry.objects.get(object_id=str(project.pk),
                                   action="klynge.projects.project.created")
    assert entry.actor == staff_api_client.user
    assert entry.data["title"] == "Green steel"


def test_service_rule_answers_400_with_the_field(staff_api_client):
    response = staff_api_client.post(URL, {"title": "EU call", "kind": "eu_application",
                                           "status": "submitted"}, format="json")
    unknown = staff_api_client.post(URL, {"title": "X", "colour": "red"}, format="json")

    assert response.status_code == 400
    assert response.json()["field"] == "submitted_on"
    assert Project.objects.count() == 0
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"colour": ["Unknown field."]}


def test_update_and_delete_go_through_the_services(staff_api_client):
    project = ProjectFactory(title="Before")

    patched = staff_api_client.patch(f"{URL}{project.pk}/", {"title": "After"}, format="json")
    deleted = staff_api_client.delete(f"{URL}{project.pk}/")

    assert patched.status_code == 200
    assert patched.json()["title"] == "After"
    assert deleted.status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()
    actions = list(AuditEntry.objects.filter(object_id=str(project.pk),
                                             content_type__model="project")
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["klynge.projects.project.updated", "klynge.projects.project.deleted"]


def test_partners_one_coordinator_and_changes(staff_api_client):
    project = ProjectFactory()
    first = OrganisationFactory(name="Aarhus Universitet")
    second = OrganisationFactory(name="Grundfos")

    added = staff_api_client.post(f"{URL}{project.pk}/partners/",
                                  {"organisation": first.pk, "role": "coordinator"},
                                  format="json")
    second_coordinator = staff_api_client.post(f"{URL}{project.pk}/partners/",
                                               {"organisation": second.pk,
                                                "role": "coordinator"}, format="json")
    partner = staff_api_client.post(f"{URL}{project.pk}/partners/",
                                    {"organisation": second.pk, "budget": "250000.00"},
                                    format="json")
    changed = staff_api_client.patch(f"{URL}{project.pk}/partners/{partner.json()['id']}/",
                                     {"role": "end_user", "budget": "100.00"}, format="json")
    detail = staff_api_client.get(f"{URL}{project.pk}/")
    removed = staff_api_client.delete(f"{URL}{project.pk}/partners/{added.json()['id']}/")

    assert added.status_code == 201
    assert second_coordinator.status_code == 400
    assert second_coordinator.json()["detail"] == (
        "Aarhus Universitet already coordinates this project; a project has one "
        "coordinator. Change its role first.")
    assert second_coordinator.json()["field"] == "role"
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["budget"]) == ("end_user", "100.00")
    assert [(p["organisation_name"], p["role"]) for p in detail.json()["partners"]] == [
        ("Aarhus Universitet", "coordinator"), ("Grundfos", "end_user")]
    assert removed.status_code == 204
    assert list(ProjectPartner.objects.values_list("organisation__name", flat=True)) == [
        "Grundfos"]


def test_outcomes_are_recorded_and_deleted_with_the_rules(staff_api_client):
    project = ProjectFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)

    recorded = staff_api_client.post(f"{URL}{project.pk}/outcomes/", {
        "kind": "commercial_use", "date": "2025-06-01", "description": "Sold"}, format="json")
    future = staff_api_client.post(f"{URL}{project.pk}/outcomes/", {
        "kind": "new_company", "date": tomorrow.isoformat()}, format="json")
    deleted = staff_api_client.delete(f"{URL}{project.pk}/outcomes/{recorded.json()['id']}/")

    assert recorded.status_code == 201
    assert recorded.json()["recorded_by"] == staff_api_client.user.pk
    assert future.status_code == 400
    assert future.json()["field"] == "date"
    assert deleted.status_code == 204
    assert ProjectOutcome.objects.count() == 0
    actions = list(AuditEntry.objects.filter(object_id=str(project.pk)).order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["klynge.projects.outcome.recorded", "klynge.projects.outcome.deleted"]


def test_member_reads_only_their_organisations_projects(member_api_client):
    own = member_api_client.user.organisation
    mine = ProjectFactory()
    ProjectPartnerFactory(project=mine, organisation=own)
    other = ProjectFactory()
    ProjectPartnerFactory(project=other)

    listed = member_api_client.get(URL)
    foreign = member_api_client.get(f"{URL}{other.pk}/")
    write = member_api_client.patch(f"{URL}{mine.pk}/", {"title": "Mine now"}, format="json")

    assert _ids(listed) == [mine.pk]
    assert foreign.status_code == 404
    assert write.status_code == 403
