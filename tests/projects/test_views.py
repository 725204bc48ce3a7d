"""The project pages: list (filters, sorting, exports), detail, forms and permissions."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.forms import organisation_label
from klynge.projects import services
from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from tests.factories import HubFactory, OrganisationFactory, user_with_role
from tests.projects.factories import (
    EuApplicationFactory,
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("projects:project_list")


def _titles(response) -> list[str]:
    return [p.title for p in response.context["listing"].rows]


def _form(**extra):
    data = {"title": "Edge AI for SMEs", "acronym": "EDGE", "kind": "collaboration",
            "status": "running", "start_date": "2025-02-01", "end_date": "2026-01-31",
            "budget": "1500000"}
    data.update(extra)
    return data


@pytest.fixture
def grant_giver_client(client):
    user = user_with_role(Role.GRANT_GIVER)
    client.force_login(user)
    return client


# --- list ----------------------------------------------------------------------------------


def test_the_list_shows_every_project_newest_start_first(staff_client):
    ProjectFactory(title="Older", start_date=date(2024, 1, 1))
    ProjectFactory(title="Newer", start_date=date(2025, 6, 1),
                   hub=HubFactory(name="Hub Odense"))

    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert _titles(response) == ["Newer", "Older"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "robot"}, ["Robot arms"]),
        ({"q": "CL4-2025"}, ["EU bid"]),
        ({"q": "ROBO"}, ["Robot arms"]),
        ({"kind": "eu_application"}, ["EU bid"]),
        ({"status": "completed"}, ["Robot arms"]),
        ({"submitted_year": "2024"}, ["EU bid"]),
        ({"start_year": "2023"}, ["Robot arms"]),
    ],
)
def test_the_list_filters(staff_client, params, expected):
    ProjectFactory(title="Robot arms", acronym="ROBO", status=ProjectStatus.COMPLETED,
                   start_date=date(2023, 5, 1))
    EuApplicationFactory(title="EU bid", call_identifier="HORIZON-CL4-2025-01",
                         submitted_on=date(2024, 10, 1))
    ProjectFactory(title="Green data", start_date=date(2025, 1, 1))

    response = staff_client.get(LIST, params)

    assert _titles(response) == expected


def test_the_list_filters_by_hub(staff_client):
    odense = HubFactory(name="Hub Odense")
    ProjectFactory(title="In Odense", hub=odense)
    ProjectFactory(title="Elsewhere")

    response = staff_client.get(LIST, {"hub": odense.pk})

    assert _titles(response) == ["In Odense"]


def test_the_list_filters_by_a_picked_partner_or_by_typed_text(staff_client):
    picked = OrganisationFactory(name="Nordic Sensors ApS")
    namesake = OrganisationFactory(name="Nordic Sensors Holding")
    ProjectPartnerFactory(project=ProjectFactory(title="With the picked one"),
                          organisation=picked)
    ProjectPartnerFactory(project=ProjectFactory(title="With the namesake"),
                          organisation=namesake)
    ProjectFactory(title="Without")

    by_pick = staff_client.get(LIST, {"partner": organisation_label(picked)})
    by_text = staff_client.get(LIST, {"partner": "nordic sensors", "ordering": "title"})
    by_cvr = staff_client.get(LIST, {"partner": namesake.cvr})

    assert _titles(by_pick) == ["With the picked one"]
    assert _titles(by_text) == ["With the namesake", "With the picked one"]
    assert _titles(by_cvr) == ["With the namesake"]


def test_the_list_sorts_by_title_and_by_partner_count(staff_client):
    few = ProjectFactory(title="B few")
    many = ProjectFactory(title="A many")
    ProjectPartnerFactory(project=few)
    ProjectPartnerFactory.create_batch(3, project=many)

    by_title = staff_client.get(LIST, {"ordering": "title"})
    by_partners = staff_client.get(LIST, {"ordering": "-partners"})

    assert _titles(by_title) == ["A many", "B few"]
    assert _titles(by_partners) == ["A many", "B few"]


def test_the_list_paginates(staff_client):
    for n in range(30):
        ProjectFactory(title=f"Project {n:02d}")

    response = staff_client.get(LIST, {"per_page": 25, "page": 2, "ordering": "title"})

    assert _titles(response) == [f"Project {n:02d}" for n in range(25, 30)]
    assert response.context["listing"].total == 30


def test_the_empty_list_invites_to_register_a_project(staff_client):
    response = staff_client.get(LIST)

    assert "No projects registered yet." in response.content.decode()


def test_a_filtered_empty_list_offers_to_clear_the_filters(staff_client):
    ProjectFactory(title="Something")

    response = staff_client.get(LIST, {"q": "nothing matches"})

    content = response.content.decode()
    assert "No projects match these filters." in content
    assert "Clear the filters" in content


def _export_fixture():
    hub = HubFactory(name="Hub Aalborg")
    application = EuApplicationFactory(
        title="Quantum SMEs", acronym="QSME", status=ProjectStatus.FUNDED,
        programme="Horizon Europe", call_identifier="HORIZON-CL4-2025-01",
        submitted_on=date(2025, 2, 3), start_date=date(2025, 9, 1), end_date=date(2027, 8, 31),
        budget=Decimal("2500000.00"), hub=hub,
    )
    ProjectPartnerFactory(project=application, role=PartnerRole.COORDINATOR,
                          organisation=OrganisationFactory(name="Beta ApS"))
    ProjectPartnerFactory(project=application, role=PartnerRole.PARTNER,
                          organisation=OrganisationFactory(name="Alpha University",
                                                           kind="university", cvr=None))
    ProjectOutcomeFactory(project=application, kind=OutcomeKind.EU_APPLICATION_FUNDED,
                          date=date(2025, 6, 30))
    ProjectFactory(title="Not exported", kind=ProjectKind.FEASIBILITY)
    return application


def test_the_csv_export_holds_exactly_the_filtered_projects(staff_client):
    application = _export_fixture()

    response = staff_client.get(LIST, {"kind": "eu_application", "format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "id", "title", "acronym", "kind", "status", "programme", "call", "submitted", "start",
        "end", "budget_dkk", "hub", "responsible", "coordinator", "partners", "partner_count",
        "company_partners", "outcomes", "focus_areas",
    ]
    assert rows[1:] == [[
        str(application.pk), "Quantum SMEs", "QSME", "EU application", "Funded",
        "Horizon Europe", "HORIZON-CL4-2025-01", "2025-02-03", "2025-09-01", "2027-08-31",
        "2500000.00", "Hub Aalborg", "", "Beta ApS",
        "Alpha University (Partner); Beta ApS (Coordinator)", "2", "1",
        "2025-06-30 EU application funded", "",
    ]]


def test_the_xlsx_export_holds_the_same_rows(staff_client):
    application = _export_fixture()

    response = staff_client.get(LIST, {"kind": "eu_application", "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:5] == (application.pk, "Quantum SMEs", "QSME", "EU application", "Funded")
    assert rows[1][10] == 2500000
    assert rows[1][13:17] == ("Beta ApS", "Alpha University (Partner); Beta ApS (Coordinator)",
                              2, 1)


# --- detail --------------------------------------------------------------------------------


def test_the_detail_page_shows_partners_outcomes_kpis_and_history(staff_client):
    application = EuApplicationFactory(title="Quantum SMEs", submitted_on=date(2025, 2, 3))
    for name in ("Alpha ApS", "Beta ApS", "Gamma ApS"):
        ProjectPartnerFactory(project=application, organisation=OrganisationFactory(name=name))
    ProjectPartnerFactory(project=application, role=PartnerRole.COORDINATOR,
                          organisation=OrganisationFactory(name="Delta University",
                                                           kind="university", cvr=None,
                                                           country="DK"))
    ProjectOutcomeFactory(project=application, kind=OutcomeKind.NEW_COMPANY,
                          date=date(2025, 5, 1), description="Spin-out founded")
    services.project_update(project=application, actor=staff_client.user,
                            data={"acronym": "QS"})

    response = staff_client.get(application.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert [p.organisation.name for p in response.context["partners"]] == [
        "Delta University", "Alpha ApS", "Beta ApS", "Gamma ApS"]
    assert "Counts for KPI 4 (companies in EU applications) in 2025: 3 company partners." \
        in content
    assert "Counts for KPI 5 (commercial use of research) in 2025, once: New company " \
        "(1 May 2025)." in content
    assert "Spin-out founded" in content
    assert "klynge.projects.project.updated" in content


def test_the_detail_page_of_a_new_project_shows_empty_states(staff_client):
    project = ProjectFactory()

    content = staff_client.get(project.get_absolute_url()).content.decode()

    assert "No partners yet." in content
    assert "No outcomes recorded yet." in content
    assert "This project does not count for any KPI (yet)." in content


def test_an_unknown_project_is_not_found(staff_client):
    response = staff_client.get(reverse("projects:project_detail", args=[999999]))

    assert response.status_code == 404


# --- create, edit, delete ------------------------------------------------------------------


def test_creating_a_project_saves_it_and_opens_it(staff_client):
    response = staff_client.post(reverse("projects:project_create"), _form())

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert (project.title, project.budget, project.start_date) == (
        "Edge AI for SMEs", Decimal("1500000"), date(2025, 2, 1))
    assert AuditEntry.objects.filter(action="klynge.projects.project.created").count() == 1


def test_the_new_project_form_starts_with_the_users_hub_and_a_kind_from_the_link(staff_client):
    response = staff_client.get(reverse("projects:project_create"), {"kind": "eu_application"})

    form = response.context["form"]
    assert form.initial["hub"] == staff_client.user.hub_id
    assert form.initial["responsible"] == staff_client.user.pk
    assert form.initial["kind"] == "eu_application"


def test_a_service_error_is_shown_on_its_field_and_nothing_is_saved(staff_client):
    response = staff_client.post(reverse("projects:project_create"), _form(
        kind="eu_application", status="submitted", submitted_on=""))

    assert response.status_code == 200
    assert response.context["form"].errors["submitted_on"] == [
        "An EU application with the status “Submitted” was sent in: give the day it was "
        "submitted (KPI 4 counts it in that year)."]
    assert Project.objects.count() == 0


def test_an_end_before_the_start_is_shown_on_the_end_field(staff_client):
    response = staff_client.post(reverse("projects:project_create"), _form(
        start_date="2025-05-01", end_date="2025-04-01"))

    assert response.context["form"].errors["end_date"] == [
        "The project cannot end (2025-04-01) before it starts (2025-05-01)."]
    assert Project.objects.count() == 0


def test_editing_a_project_saves_the_changes(staff_client):
    project = ProjectFactory(title="Old")

    response = staff_client.post(reverse("projects:project_edit", args=[project.pk]),
                                 _form(title="New", budget="-1"))
    assert response.context["form"].errors["budget"] == ["A budget cannot be negative."]

    response = staff_client.post(reverse("projects:project_edit", args=[project.pk]),
                                 _form(title="New"))

    project.refresh_from_db()
    assert response.status_code == 302
    assert project.title == "New"


def test_deleting_asks_first_then_deletes(staff_client):
    project = EuApplicationFactory(title="To delete", submitted_on=date(2025, 2, 3))
    ProjectPartnerFactory(project=project)
    url = reverse("projects:project_delete", args=[project.pk])

    question = staff_client.get(url)
    response = staff_client.post(url)

    content = question.content.decode()
    assert "Delete To delete?" in content
    assert "Its 1 partner is removed with it" in content
    assert "Counts for KPI 4 (companies in EU applications) in 2025: 1 company partner." \
        in content
    assert 'data-confirm="Delete this project for good?"' in content
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert Project.objects.count() == 0
    assert AuditEntry.objects.filter(action="klynge.projects.project.deleted").count() == 1


# --- partners ------------------------------------------------------------------------------


def test_adding_a_partner_picked_from_the_suggestions(staff_client):
    project = ProjectFactory()
    organisation = OrganisationFactory(name="Nordic Sensors ApS")

    response = staff_client.post(
        reverse("projects:partner_add", args=[project.pk]),
        {"organisation": organisation_label(organisation), "role": "coordinator",
         "budget": "120000"},
    )

    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    partner = ProjectPartner.objects.get()
    assert (partner.organisation, partner.role, partner.budget) == (
        organisation, "coordinator", Decimal("120000"))


def test_adding_a_partner_twice_shows_why_on_the_form(staff_client):
    partner = ProjectPartnerFactory(organisation=OrganisationFactory(name="Twice ApS"))

    response = staff_client.post(
        reverse("projects:partner_add", args=[partner.project_id]),
        {"organisation": organisation_label(partner.organisation), "role": "partner"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Twice ApS is already a partner in this project."]
    assert ProjectPartner.objects.count() == 1


def test_an_unknown_organisation_is_explained(staff_client):
    project = ProjectFactory()

    response = staff_client.post(reverse("projects:partner_add", args=[project.pk]),
                                 {"organisation": "Nobody at all", "role": "partner"})

    assert response.context["form"].errors["organisation"] == [
        "No organisation matches “Nobody at all”. Type part of the name and pick one from "
        "the list, or give its CVR number."]
    assert ProjectPartner.objects.count() == 0


def test_editing_a_partners_role(staff_client):
    partner = ProjectPartnerFactory(role=PartnerRole.PARTNER)
    url = reverse("projects:partner_edit", args=[partner.pk])

    form_page = staff_client.get(url)
    response = staff_client.post(url, {"role": "end_user", "budget": ""})

    assert form_page.context["form"].initial == {"role": "partner", "budget": None}
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.role == "end_user"


def test_a_second_coordinator_is_refused_on_the_edit_form(staff_client):
    coordinator = ProjectPartnerFactory(role=PartnerRole.COORDINATOR,
                                        organisation=OrganisationFactory(name="Lead A/S"))
    other = ProjectPartnerFactory(project=coordinator.project)

    response = staff_client.post(reverse("projects:partner_edit", args=[other.pk]),
                                 {"role": "coordinator"})

    assert response.context["form"].errors["role"] == [
        "Lead A/S already coordinates this project; a project has one coordinator. Change "
        "its role first."]


def test_removing_a_partner(staff_client):
    partner = ProjectPartnerFactory()
    project = partner.project

    response = staff_client.post(reverse("projects:partner_remove", args=[partner.pk]))

    assert response["Location"] == project.get_absolute_url()
    assert ProjectPartner.objects.count() == 0


def test_removing_needs_a_post(staff_client):
    partner = ProjectPartnerFactory()

    response = staff_client.get(reverse("projects:partner_remove", args=[partner.pk]))

    assert response.status_code == 405
    assert ProjectPartner.objects.count() == 1


# --- outcomes ------------------------------------------------------------------------------


def test_recording_an_outcome(staff_client):
    project = ProjectFactory()

    response = staff_client.post(
        reverse("projects:outcome_record", args=[project.pk]),
        {"kind": "commercial_use", "date": "2025-09-15", "description": "Licence sold"},
    )

    assert response["Location"] == project.get_absolute_url()
    outcome = ProjectOutcome.objects.get()
    assert (outcome.kind, outcome.date, outcome.recorded_by) == (
        "commercial_use", date(2025, 9, 15), staff_client.user)


def test_an_outcome_in_the_future_is_refused_on_the_form(staff_client):
    project = ProjectFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = staff_client.post(reverse("projects:outcome_record", args=[project.pk]),
                                 {"kind": "new_company", "date": tomorrow.isoformat()})

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        f"The outcome's date {tomorrow} is in the future; record outcomes once they have "
        "happened."]
    assert ProjectOutcome.objects.count() == 0


def test_deleting_an_outcome(staff_client):
    outcome = ProjectOutcomeFactory()
    project = outcome.project

    response = staff_client.post(reverse("projects:outcome_delete", args=[outcome.pk]))

    assert response["Location"] == project.get_absolute_url()
    assert ProjectOutcome.objects.count() == 0


# --- the organisation's page ---------------------------------------------------------------


def test_the_organisation_page_shows_its_projects_and_roles(staff_client):
    organisation = OrganisationFactory()
    project = ProjectFactory(title="Smart harbour", start_date=date(2025, 4, 1))
    ProjectPartnerFactory(project=project, organisation=organisation,
                          role=PartnerRole.COORDINATOR)

    response = staff_client.get(reverse("ecosystem:organisation_detail",
                                        args=[organisation.pk]))

    content = response.content.decode()
    assert f'<a href="/projects/{project.pk}/">Smart harbour</a>' in content
    assert "Coordinator · Collaboration project · Running" in content


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["member_client", "grant_giver_client"])
def test_members_and_grant_givers_may_not_see_or_change_projects(request, fixture):
    client = request.getfixturevalue(fixture)
    project = ProjectFactory(title="Kept")
    partner = ProjectPartnerFactory(project=project)
    outcome = ProjectOutcomeFactory(project=project)

    answers = [
        client.get(LIST).status_code,
        client.get(LIST, {"format": "csv"}).status_code,
        client.get(project.get_absolute_url()).status_code,
        client.post(reverse("projects:project_create"), _form()).status_code,
        client.post(reverse("projects:project_edit", args=[project.pk]),
                    _form(title="Changed")).status_code,
        client.post(reverse("projects:project_delete", args=[project.pk])).status_code,
        client.post(reverse("projects:partner_remove", args=[partner.pk])).status_code,
        client.post(reverse("projects:outcome_delete", args=[outcome.pk])).status_code,
    ]

    assert answers == [403] * 8
    project.refresh_from_db()
    assert project.title == "Kept"
    assert (ProjectPartner.objects.count(), ProjectOutcome.objects.count()) == (1, 1)


@pytest.mark.parametrize("fixture", ["staff_client", "management_client", "admin_client"])
def test_the_cluster_team_may_use_the_pages(request, fixture):
    client = request.getfixturevalue(fixture)
    project = ProjectFactory()

    assert client.get(LIST).status_code == 200
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.get(reverse("projects:project_create")).status_code == 200


def _menu_urls(client, role) -> list[str]:
    client.force_login(user_with_role(role))
    page = client.get(reverse("core:home"), follow=True)  # members land on the portal
    return [item["url"] for item in page.context["navigation"]]


def test_the_menu_offers_projects_to_the_cluster_team_only(client):
    assert LIST in _menu_urls(client, Role.STAFF)
    assert LIST in _menu_urls(client, Role.MANAGEMENT)
    assert LIST not in _menu_urls(client, Role.GRANT_GIVER)
    assert LIST not in _menu_urls(client, Role.MEMBER)
