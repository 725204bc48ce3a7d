"""The project services: every rule, the audit entries, and nothing written on failure."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.projects import services
from klynge.projects.choices import (
    SUBMITTED_STATUSES,
    OutcomeKind,
    PartnerRole,
    ProjectKind,
    ProjectStatus,
)
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from tests.factories import FocusAreaFactory, HubFactory, OrganisationFactory, user_with_role
from tests.projects.factories import (
    EuApplicationFactory,
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return user_with_role(Role.STAFF)


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _data(**extra):
    data = {"title": "Edge AI for SMEs", "acronym": "EDGE", "kind": ProjectKind.COLLABORATION,
            "status": ProjectStatus.RUNNING, "start_date": date(2025, 2, 1),
            "end_date": date(2026, 1, 31), "budget": Decimal("1500000.00")}
    data.update(extra)
    return data


# --- project_create ------------------------------------------------------------------------


def test_project_create_saves_the_project_and_writes_an_audit_entry(actor):
    hub = HubFactory(name="Hub Odense")
    area = FocusAreaFactory()

    project = services.project_create(
        actor=actor, data=_data(hub=hub, title="  Edge AI for SMEs "), focus_areas=[area]
    )

    project.refresh_from_db()
    assert (project.title, project.acronym, project.hub, project.budget) == (
        "Edge AI for SMEs", "EDGE", hub, Decimal("1500000.00"))
    assert list(project.focus_areas.all()) == [area]
    entry = AuditEntry.objects.get()
    assert entry.action == "klynge.projects.project.created"
    assert entry.actor == actor
    assert entry.object_id == str(project.pk)
    assert entry.data["title"] == "Edge AI for SMEs"
    assert entry.data["hub"] == hub.pk
    assert entry.data["focus_areas"] == [area.pk]


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"title": "  "}, "title", "A project needs a title."),
        ({"start_date": date(2025, 5, 1), "end_date": date(2025, 4, 30)}, "end_date",
         "The project cannot end (2025-04-30) before it starts (2025-05-01)."),
        ({"budget": Decimal("-1")}, "budget", "A budget cannot be negative."),
        ({"kind": "nonsense"}, "kind", "Choose the kind of project."),
        ({"status": "nonsense"}, "status", "Choose the project's status."),
    ],
)
def test_project_create_refuses_broken_rules_and_writes_nothing(actor, extra, field, message):
    with pytest.raises(ApplicationError) as raised:
        services.project_create(actor=actor, data=_data(**extra))

    assert (raised.value.field, raised.value.message) == (field, message)
    assert Project.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_submission_day_in_the_future_is_refused(actor):
    tomorrow = _tomorrow()

    with pytest.raises(ApplicationError) as raised:
        services.project_create(actor=actor, data=_data(
            kind=ProjectKind.EU_APPLICATION, status=ProjectStatus.SUBMITTED,
            submitted_on=tomorrow,
        ))

    assert raised.value.field == "submitted_on"
    assert raised.value.message == (
        f"The submission date {tomorrow} is in the future; record it once the application "
        "has been sent in."
    )
    assert Project.objects.count() == 0


@pytest.mark.parametrize("status", sorted(SUBMITTED_STATUSES))
def test_an_eu_application_sent_in_needs_its_submission_day(actor, status):
    with pytest.raises(ApplicationError) as raised:
        services.project_create(actor=actor, data=_data(
            kind=ProjectKind.EU_APPLICATION, status=status, submitted_on=None,
        ))

    assert raised.value.field == "submitted_on"
    assert raised.value.message == (
        f"An EU application with the status “{ProjectStatus(status).label}” was sent in: give "
        "the day it was submitted (KPI 4 counts it in that year)."
    )
    assert Project.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("status", [ProjectStatus.IDEA, ProjectStatus.PREPARING,
                                    ProjectStatus.WITHDRAWN])
def test_an_eu_application_not_sent_in_needs_no_submission_day(actor, status):
    project = services.project_create(actor=actor, data=_data(
        kind=ProjectKind.EU_APPLICATION, status=status, submitted_on=None,
    ))

    assert project.submitted_on is None


def test_other_kinds_need_no_submission_day_whatever_their_status(actor):
    project = services.project_create(actor=actor, data=_data(status=ProjectStatus.COMPLETED))

    assert project.status == ProjectStatus.COMPLETED


# --- project_update ------------------------------------------------------------------------


def test_project_update_records_each_changed_field(actor):
    project = ProjectFactory(title="Old title", budget=Decimal("100.00"))

    services.project_update(
        project=project, actor=actor, data={"title": "New title", "budget": Decimal("250.00")}
    )

    project.refresh_from_db()
    assert (project.title, project.budget) == ("New title", Decimal("250.00"))
    entry = AuditEntry.objects.get()
    assert entry.action == "klynge.projects.project.updated"
    assert entry.data == {"changes": {"budget": ["100.00", "250.00"],
                                      "title": ["Old title", "New title"]}}


def test_project_update_without_changes_writes_no_audit_entry(actor):
    project = ProjectFactory(title="Same")

    services.project_update(project=project, actor=actor, data={"title": "Same"})

    assert AuditEntry.objects.count() == 0


def test_project_update_records_changed_focus_areas(actor):
    first, second = FocusAreaFactory.create_batch(2)
    project = ProjectFactory()
    project.focus_areas.set([first])

    services.project_update(project=project, actor=actor, data={}, focus_areas=[second])

    entry = AuditEntry.objects.get()
    assert entry.data == {"changes": {"focus_areas": [[first.pk], [second.pk]]}}


def test_a_refused_update_changes_nothing(actor):
    project = EuApplicationFactory(title="Kept", submitted_on=date(2025, 3, 1))

    with pytest.raises(ApplicationError) as raised:
        services.project_update(
            project=project, actor=actor, data={"title": "Changed", "submitted_on": None}
        )

    assert raised.value.field == "submitted_on"
    assert project.title == "Kept"  # the object in hand is reset too
    project.refresh_from_db()
    assert (project.title, project.submitted_on) == ("Kept", date(2025, 3, 1))
    assert AuditEntry.objects.count() == 0


# --- project_delete ------------------------------------------------------------------------


def test_project_delete_removes_partners_and_outcomes_and_keeps_a_copy_in_the_log(actor):
    project = ProjectFactory(title="Gone")
    partner = ProjectPartnerFactory(project=project, role=PartnerRole.COORDINATOR,
                                    budget=Decimal("10.00"))
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.NEW_COMPANY,
                          date=date(2025, 6, 1), description="Spin-out")
    project_id = project.pk

    services.project_delete(project=project, actor=actor)

    assert Project.objects.count() == 0
    assert ProjectPartner.objects.count() == 0
    assert ProjectOutcome.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("klynge.projects.project.deleted", str(project_id))
    assert entry.data["title"] == "Gone"
    assert entry.data["partners"] == [{"organisation_id": partner.organisation_id,
                                       "organisation": partner.organisation.name,
                                       "role": "coordinator", "budget": "10.00"}]
    assert entry.data["outcomes"] == [{"kind": "new_company", "date": "2025-06-01",
                                       "description": "Spin-out"}]


# --- partners ------------------------------------------------------------------------------


def test_partner_add_saves_the_partner_and_logs_it_on_the_project(actor):
    project = ProjectFactory()
    organisation = OrganisationFactory(name="Aarhus Robotics ApS")

    partner = services.partner_add(
        project=project, organisation=organisation, actor=actor,
        role=PartnerRole.COORDINATOR, budget=Decimal("400000"),
    )

    assert (partner.project, partner.organisation, partner.role, partner.budget) == (
        project, organisation, "coordinator", Decimal("400000"))
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("klynge.projects.partner.added", str(project.pk))
    assert entry.data == {"organisation_id": organisation.pk,
                          "organisation": "Aarhus Robotics ApS", "role": "coordinator",
                          "budget": "400000"}


def test_an_organisation_is_a_partner_in_a_project_once(actor):
    partner = ProjectPartnerFactory(organisation=OrganisationFactory(name="Twice ApS"))

    with pytest.raises(ApplicationError) as raised:
        services.partner_add(project=partner.project, organisation=partner.organisation,
                             actor=actor)

    assert (raised.value.field, raised.value.message) == (
        "organisation", "Twice ApS is already a partner in this project.")
    assert ProjectPartner.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_a_project_has_at_most_one_coordinator(actor):
    first = ProjectPartnerFactory(role=PartnerRole.COORDINATOR,
                                  organisation=OrganisationFactory(name="Lead A/S"))

    with pytest.raises(ApplicationError) as raised:
        services.partner_add(project=first.project, organisation=OrganisationFactory(),
                             actor=actor, role=PartnerRole.COORDINATOR)

    assert raised.value.field == "role"
    assert raised.value.message == (
        "Lead A/S already coordinates this project; a project has one coordinator. Change "
        "its role first."
    )
    assert ProjectPartner.objects.count() == 1
    assert AuditEntry.objects.count() == 0


def test_a_partners_budget_cannot_be_negative(actor):
    project = ProjectFactory()

    with pytest.raises(ApplicationError) as raised:
        services.partner_add(project=project, organisation=OrganisationFactory(), actor=actor,
                             budget=Decimal("-5"))

    assert (raised.value.field, raised.value.message) == ("budget",
                                                          "A budget cannot be negative.")
    assert ProjectPartner.objects.count() == 0


def test_an_unknown_role_is_refused(actor):
    with pytest.raises(ApplicationError) as raised:
        services.partner_add(project=ProjectFactory(), organisation=OrganisationFactory(),
                             actor=actor, role="boss")

    assert (raised.value.field, raised.value.message) == ("role", "Choose the partner's role.")
    assert ProjectPartner.objects.count() == 0


def test_partner_update_changes_role_and_budget_and_logs_the_changes(actor):
    partner = ProjectPartnerFactory(role=PartnerRole.PARTNER, budget=None)

    services.partner_update(partner=partner, actor=actor, role=PartnerRole.COORDINATOR,
                            budget=Decimal("1000.00"))

    partner.refresh_from_db()
    assert (partner.role, partner.budget) == ("coordinator", Decimal("1000.00"))
    entry = AuditEntry.objects.get()
    assert entry.action == "klynge.projects.partner.updated"
    assert entry.object_id == str(partner.project_id)
    assert entry.data["changes"] == {"budget": [None, "1000.00"],
                                     "role": ["partner", "coordinator"]}


def test_the_coordinator_may_stay_coordinator_on_edit(actor):
    partner = ProjectPartnerFactory(role=PartnerRole.COORDINATOR)

    services.partner_update(partner=partner, actor=actor, role=PartnerRole.COORDINATOR,
                            budget=Decimal("5.00"))

    partner.refresh_from_db()
    assert partner.budget == Decimal("5.00")


def test_partner_update_refuses_a_second_coordinator_and_changes_nothing(actor):
    coordinator = ProjectPartnerFactory(role=PartnerRole.COORDINATOR)
    other = ProjectPartnerFactory(project=coordinator.project, role=PartnerRole.PARTNER)

    with pytest.raises(ApplicationError) as raised:
        services.partner_update(partner=other, actor=actor, role=PartnerRole.COORDINATOR)

    assert raised.value.field == "role"
    other.refresh_from_db()
    assert other.role == "partner"
    assert AuditEntry.objects.count() == 0


def test_partner_update_refuses_a_negative_budget(actor):
    partner = ProjectPartnerFactory(budget=Decimal("3.00"))

    with pytest.raises(ApplicationError) as raised:
        services.partner_update(partner=partner, actor=actor, role=partner.role,
                                budget=Decimal("-3"))

    assert raised.value.field == "budget"
    partner.refresh_from_db()
    assert partner.budget == Decimal("3.00")
    assert AuditEntry.objects.count() == 0


def test_partner_remove_deletes_the_partner_and_logs_it(actor):
    partner = ProjectPartnerFactory(organisation=OrganisationFactory(name="Leaving ApS"))
    project = partner.project

    services.partner_remove(partner=partner, actor=actor)

    assert ProjectPartner.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("klynge.projects.partner.removed",
                                               str(project.pk))
    assert entry.data["organisation"] == "Leaving ApS"


# --- outcomes ------------------------------------------------------------------------------


def test_outcome_record_saves_the_outcome_with_who_recorded_it(actor):
    project = ProjectFactory()

    outcome = services.outcome_record(
        project=project, actor=actor, kind=OutcomeKind.COMMERCIAL_USE,
        date=date(2025, 9, 15), description="  Licence to a Danish SME  ",
    )

    outcome.refresh_from_db()
    assert (outcome.project, outcome.kind, outcome.date, outcome.description,
            outcome.recorded_by) == (project, "commercial_use", date(2025, 9, 15),
                                     "Licence to a Danish SME", actor)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("klynge.projects.outcome.recorded",
                                               str(project.pk))
    assert entry.data == {"outcome_id": outcome.pk, "kind": "commercial_use",
                          "date": "2025-09-15", "description": "Licence to a Danish SME"}


def test_an_outcome_today_is_accepted(actor):
    outcome = services.outcome_record(project=ProjectFactory(), actor=actor,
                                      kind=OutcomeKind.MET, date=timezone.localdate())

    assert outcome.pk is not None


@pytest.mark.parametrize(
    ("kind", "day", "field", "message"),
    [
        ("nonsense", date(2025, 1, 1), "kind", "Choose what came of the project."),
        (OutcomeKind.MET, None, "date", "Give the day of the outcome."),
    ],
)
def test_outcome_record_refuses_bad_input_and_writes_nothing(actor, kind, day, field, message):
    with pytest.raises(ApplicationError) as raised:
        services.outcome_record(project=ProjectFactory(), actor=actor, kind=kind, date=day)

    assert (raised.value.field, raised.value.message) == (field, message)
    assert ProjectOutcome.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_an_outcome_in_the_future_is_refused(actor):
    tomorrow = _tomorrow()

    with pytest.raises(ApplicationError) as raised:
        services.outcome_record(project=ProjectFactory(), actor=actor,
                                kind=OutcomeKind.NEW_COMPANY, date=tomorrow)

    assert raised.value.field == "date"
    assert raised.value.message == (
        f"The outcome's date {tomorrow} is in the future; record outcomes once they have "
        "happened."
    )
    assert ProjectOutcome.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_outcome_delete_removes_it_and_logs_it_on_the_project(actor):
    outcome = ProjectOutcomeFactory(kind=OutcomeKind.NEW_COMPANY, date=date(2025, 4, 2),
                                    description="")
    project, outcome_id = outcome.project, outcome.pk

    services.outcome_delete(outcome=outcome, actor=actor)

    assert ProjectOutcome.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id) == ("klynge.projects.outcome.deleted",
                                               str(project.pk))
    assert entry.data == {"outcome_id": outcome_id, "kind": "new_company",
                          "date": "2025-04-02", "description": ""}
