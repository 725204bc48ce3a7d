"""Which KPIs a project counts for, the partner order, and the organisation timeline."""

from datetime import date

import pytest

from klynge.ecosystem.selectors import TimelineEntry, organisation_timeline
from klynge.projects import selectors
from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.selectors import KpiNote
from tests.factories import OrganisationFactory
from tests.projects.factories import (
    EuApplicationFactory,
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

pytestmark = pytest.mark.django_db


def _partners(project, *organisations):
    for organisation in organisations:
        ProjectPartnerFactory(project=project, organisation=organisation)


# --- KPI 4 ---------------------------------------------------------------------------------


def test_a_submitted_eu_application_counts_its_company_partners_for_kpi_4():
    application = EuApplicationFactory(submitted_on=date(2025, 4, 10),
                                       status=ProjectStatus.REJECTED)
    _partners(application, *OrganisationFactory.create_batch(3, kind="company"),
              OrganisationFactory(kind="university", cvr=None))

    notes = selectors.kpi_notes(application)

    assert notes == [KpiNote(4, 2025, "Counts for KPI 4 (companies in EU applications) in "
                                      "2025: 3 company partners.")]


def test_one_company_partner_is_worded_in_the_singular():
    application = EuApplicationFactory(submitted_on=date(2024, 11, 1))
    _partners(application, OrganisationFactory(kind="company"))

    assert selectors.kpi_notes(application)[0].text == (
        "Counts for KPI 4 (companies in EU applications) in 2024: 1 company partner."
    )


def test_an_application_in_preparation_says_it_counts_once_submitted():
    application = EuApplicationFactory(status=ProjectStatus.PREPARING, submitted_on=None)
    _partners(application, *OrganisationFactory.create_batch(2, kind="company"))

    assert selectors.kpi_notes(application) == [KpiNote(
        4, None, "Counts for KPI 4 (companies in EU applications) in the year it is "
                 "submitted: 2 company partners so far.", counts=False)]


def test_a_submitted_application_without_companies_adds_nothing_to_kpi_4():
    application = EuApplicationFactory(submitted_on=date(2025, 2, 1))
    _partners(application, OrganisationFactory(kind="university", cvr=None))

    assert selectors.kpi_notes(application) == [KpiNote(
        4, 2025, "Submitted in 2025, but no company is a partner: it adds nothing to KPI 4 "
                 "(companies in EU applications).", counts=False)]


# --- KPI 2 ---------------------------------------------------------------------------------


def test_a_project_with_another_cluster_counts_for_kpi_2_in_the_year_it_starts():
    project = ProjectFactory(start_date=date(2025, 5, 1))
    _partners(project, OrganisationFactory(kind="cluster", name="Energy Cluster Denmark",
                                           cvr=None),
              OrganisationFactory(kind="company"))

    assert selectors.kpi_notes(project) == [KpiNote(
        2, 2025, "Counts for KPI 2 (collaborations with other clusters) in 2025: a joint "
                 "project with Energy Cluster Denmark.")]


def test_the_cluster_itself_is_not_another_cluster(settings):
    own = OrganisationFactory(kind="cluster", name="DigitalLead")
    settings.KLYNGE_CLUSTER_CVR = own.cvr
    project = ProjectFactory(start_date=date(2025, 5, 1))
    _partners(project, own)

    assert selectors.kpi_notes(project) == []


def test_a_cluster_project_without_a_start_asks_for_one():
    project = ProjectFactory(start_date=None, kind=ProjectKind.CLUSTER_COLLABORATION)
    _partners(project, OrganisationFactory(kind="cluster", cvr=None))

    assert selectors.kpi_notes(project) == [KpiNote(
        2, None, "Will count for KPI 2 (collaborations with other clusters) in the year it "
                 "starts: give it a start date.", counts=False)]


def test_a_joint_project_without_a_cluster_partner_says_what_is_missing():
    project = ProjectFactory(kind=ProjectKind.CLUSTER_COLLABORATION)

    assert selectors.kpi_notes(project) == [KpiNote(
        2, None, "A joint project counts for KPI 2 once another cluster organisation is one "
                 "of its partners.", counts=False)]


# --- KPI 5 ---------------------------------------------------------------------------------


def test_commercial_outcomes_count_for_kpi_5_once_per_year():
    project = ProjectFactory()
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.NEW_COMPANY, date=date(2025, 9, 1))
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.COMMERCIAL_USE,
                          date=date(2025, 3, 5))
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.COMMERCIAL_USE,
                          date=date(2026, 1, 20))
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.MET, date=date(2025, 1, 2))

    notes = selectors.kpi_notes(project)

    assert notes == [
        KpiNote(5, 2025, "Counts for KPI 5 (commercial use of research) in 2025, once: "
                         "Commercial use of research results (5 Mar 2025); New company "
                         "(1 Sep 2025)."),
        KpiNote(5, 2026, "Counts for KPI 5 (commercial use of research) in 2026, once: "
                         "Commercial use of research results (20 Jan 2026)."),
    ]


def test_a_plain_project_counts_for_no_kpi():
    project = ProjectFactory()
    _partners(project, OrganisationFactory(kind="company"))
    ProjectOutcomeFactory(project=project, kind=OutcomeKind.COLLABORATION_STARTED)

    assert selectors.kpi_notes(project) == []


# --- lists ---------------------------------------------------------------------------------


def test_partners_are_listed_coordinator_first_then_by_role_and_name():
    project = ProjectFactory()
    ProjectPartnerFactory(project=project, role=PartnerRole.SUBCONTRACTOR,
                          organisation=OrganisationFactory(name="A Sub"))
    ProjectPartnerFactory(project=project, role=PartnerRole.PARTNER,
                          organisation=OrganisationFactory(name="B Partner"))
    ProjectPartnerFactory(project=project, role=PartnerRole.PARTNER,
                          organisation=OrganisationFactory(name="A Partner"))
    ProjectPartnerFactory(project=project, role=PartnerRole.COORDINATOR,
                          organisation=OrganisationFactory(name="Z Lead"))

    names = [p.organisation.name for p in selectors.project_partners(project)]

    assert names == ["Z Lead", "A Partner", "B Partner", "A Sub"]


def test_project_list_counts_partners_companies_and_outcomes():
    project = ProjectFactory()
    _partners(project, OrganisationFactory(kind="company"), OrganisationFactory(kind="company"),
              OrganisationFactory(kind="gts", cvr=None))
    ProjectOutcomeFactory(project=project)

    row = selectors.project_list().get(pk=project.pk)

    assert (row.partner_count, row.company_count, row.outcome_count) == (3, 2, 1)


# --- the organisation's timeline -----------------------------------------------------------


def test_an_organisations_timeline_shows_its_projects_and_roles():
    organisation = OrganisationFactory()
    project = EuApplicationFactory(title="Quantum SMEs", acronym="QSME",
                                   submitted_on=date(2025, 2, 3), start_date=None)
    ProjectPartnerFactory(project=project, organisation=organisation,
                          role=PartnerRole.COORDINATOR)

    entries = [e for e in organisation_timeline(organisation) if e.kind == "Project"]

    assert entries == [TimelineEntry(
        date(2025, 2, 3), "Project", "QSME: Quantum SMEs",
        "Coordinator · EU application · Submitted", f"/projects/{project.pk}/",
    )]
