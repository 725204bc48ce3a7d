"""Reads of projects: the list, a project's partners and outcomes, which KPIs it counts for,
and the projects on an organisation's timeline.

The KPI notes follow the definitions in DOMAIN.md ("How each KPI is counted") without
importing the kpis app, which sits above this one: KPI 2 counts a project in the year it
starts when another cluster organisation is a partner; KPI 4 counts the company partners of
an EU application in the year it was submitted (whatever came after); KPI 5 counts a project
once per year in which a commercial outcome is dated.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.core.audit import audit_entries_for
from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.models import Organisation
from klynge.ecosystem.selectors import TimelineEntry
from klynge.projects.choices import (
    CARRIED_OUT_STATUSES,
    COMMERCIAL_OUTCOMES,
    SUBMITTED_STATUSES,
    PartnerRole,
    ProjectKind,
)
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

#: Partners are listed coordinator first, then in the order of the roles' weight.
ROLE_ORDER = [PartnerRole.COORDINATOR, PartnerRole.PARTNER, PartnerRole.ASSOCIATED,
              PartnerRole.END_USER, PartnerRole.SUBCONTRACTOR]


def _role_rank():
    return Case(
        *[When(role=role, then=Value(rank)) for rank, role in enumerate(ROLE_ORDER)],
        default=Value(len(ROLE_ORDER)), output_field=IntegerField(),
    )


def project_list():
    """Projects with their hub, responsible and partner counts, for the list and export."""
    return (
        Project.objects.select_related("hub", "responsible")
        .annotate(
            partner_count=Count("partnerships", distinct=True),
            company_count=Count(
                "partnerships",
                filter=Q(partnerships__organisation__kind=OrganisationKind.COMPANY),
                distinct=True,
            ),
            outcome_count=Count("outcomes", distinct=True),
        )
        .order_by(F("start_date").desc(nulls_last=True), "-submitted_on", "title")
    )


def project_detail(pk: int) -> Project:
    """One project with what its page shows; raises Project.DoesNotExist."""
    return (
        Project.objects.select_related("hub", "responsible")
        .prefetch_related("focus_areas")
        .get(pk=pk)
    )


def project_partners(project: Project):
    """The project's partners, coordinator first, with their organisations."""
    return (
        project.partnerships.select_related("organisation")
        .annotate(role_rank=_role_rank())
        .order_by("role_rank", "organisation__name")
    )


def project_outcomes(project: Project):
    """The project's outcomes, newest first (the timeline on its page)."""
    return project.outcomes.select_related("recorded_by").order_by("-date", "-pk")


def audit_trail(project: Project, limit: int = 50):
    return audit_entries_for(project, limit=limit)


# --- which KPIs a project counts for ---------------------------------------------------------


@dataclass(frozen=True)
class KpiNote:
    """One line of the project's KPI box: `counts` is False for a hint why it does not (yet)."""

    kpi: int
    year: int | None
    text: str
    counts: bool = True


def _is_other_cluster(organisation: Organisation) -> bool:
    own_cvr = getattr(settings, "KLYNGE_CLUSTER_CVR", "")
    return organisation.kind == OrganisationKind.CLUSTER and not (
        own_cvr and organisation.cvr == own_cvr
    )


def _company_key(organisation: Organisation) -> str:
    """A Danish company counts once per CVR number, any other once per record (DOMAIN.md)."""
    if (organisation.country or "DK") == "DK" and organisation.cvr:
        return f"cvr:{organisation.cvr}"
    return f"org:{organisation.pk}"


def _kpi2(project: Project, organisations: list[Organisation]) -> list[KpiNote]:
    clusters = [o.name for o in organisations if _is_other_cluster(o)]
    if clusters and project.start_date and project.status not in CARRIED_OUT_STATUSES:
        return [KpiNote(2, None, _(
            "Will count for KPI 2 (collaborations with other clusters) once it is funded, "
            "running or completed."), counts=False)]
    if clusters and project.start_date:
        return [KpiNote(2, project.start_date.year, _(
            "Counts for KPI 2 (collaborations with other clusters) in %(year)s: a joint "
            "project with %(names)s.") % {"year": project.start_date.year,
                                          "names": ", ".join(clusters)})]
    if clusters:
        return [KpiNote(2, None, _(
            "Will count for KPI 2 (collaborations with other clusters) in the year it starts: "
            "give it a start date."), counts=False)]
    if project.kind == ProjectKind.CLUSTER_COLLABORATION:
        return [KpiNote(2, None, _(
            "A joint project counts for KPI 2 once another cluster organisation is one of its "
            "partners."), counts=False)]
    return []


def _kpi4(project: Project, organisations: list[Organisation]) -> list[KpiNote]:
    if project.kind != ProjectKind.EU_APPLICATION:
        return []
    companies = len({_company_key(o) for o in organisations
                     if o.kind == OrganisationKind.COMPANY})
    if project.status in SUBMITTED_STATUSES and project.submitted_on:
        year = project.submitted_on.year
        if not companies:
            return [KpiNote(4, year, _(
                "Submitted in %(year)s, but no company is a partner: it adds nothing to KPI 4 "
                "(companies in EU applications).") % {"year": year}, counts=False)]
        return [KpiNote(4, year, ngettext(
            "Counts for KPI 4 (companies in EU applications) in %(year)s: %(count)s company "
            "partner.",
            "Counts for KPI 4 (companies in EU applications) in %(year)s: %(count)s company "
            "partners.", companies) % {"year": year, "count": companies})]
    return [KpiNote(4, None, ngettext(
        "Counts for KPI 4 (companies in EU applications) in the year it is submitted: "
        "%(count)s company partner so far.",
        "Counts for KPI 4 (companies in EU applications) in the year it is submitted: "
        "%(count)s company partners so far.", companies) % {"count": companies}, counts=False)]


def _kpi5(outcomes: list[ProjectOutcome]) -> list[KpiNote]:
    by_year: dict[int, list[ProjectOutcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.kind in COMMERCIAL_OUTCOMES:
            by_year[outcome.date.year].append(outcome)
    notes = []
    for year in sorted(by_year):
        what = "; ".join(
            f"{o.get_kind_display()} ({date_format(o.date, 'j M Y')})"
            for o in sorted(by_year[year], key=lambda o: o.date)
        )
        notes.append(KpiNote(5, year, _(
            "Counts for KPI 5 (commercial use of research) in %(year)s, once: %(outcomes)s.")
            % {"year": year, "outcomes": what}))
    return notes


def kpi_notes(project: Project) -> list[KpiNote]:
    """Which KPIs the project counts for, in which year and why; hints where it does not yet.

    Two queries: the partners' organisations and the outcomes.
    """
    organisations = list(
        Organisation.objects.filter(project_partnerships__project=project).order_by("name")
    )
    outcomes = list(project.outcomes.all())
    return [*_kpi2(project, organisations), *_kpi4(project, organisations), *_kpi5(outcomes)]


# --- the organisation's timeline -------------------------------------------------------------


def organisation_projects(organisation: Organisation) -> list[TimelineEntry]:
    """The organisation's projects and its role in each, for its timeline.

    A project is dated by its start, else its submission, else the day it was registered.
    """
    entries = []
    partnerships = ProjectPartner.objects.filter(organisation=organisation).select_related(
        "project"
    )
    for partnership in partnerships:
        project = partnership.project
        when = (project.start_date or project.submitted_on
                or timezone.localtime(project.created_at).date())
        detail = " · ".join(
            [partnership.get_role_display(), project.get_kind_display(),
             project.get_status_display()]
        )
        entries.append(TimelineEntry(
            when, _("Project"), str(project), detail,
            reverse("projects:project_detail", args=[project.pk]),
        ))
    return entries
