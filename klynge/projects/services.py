"""Writes to projects, their partners and outcomes. Each service validates, saves and writes
the audit log; errors a user can cause are ApplicationErrors naming the offending field.

Partner and outcome events are logged on the project, so the project's change history tells
the whole story of the project in one place.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.audit import assign_fields, changes, field_values, log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Organisation
from klynge.projects.choices import (
    SUBMITTED_STATUSES,
    OutcomeKind,
    PartnerRole,
    ProjectKind,
    ProjectStatus,
)
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

PROJECT_FIELDS = (
    "title", "acronym", "kind", "status", "description", "programme", "call_identifier",
    "submitted_on", "start_date", "end_date", "budget", "hub", "responsible",
)


def _ids(items) -> list[int]:
    return sorted(item.pk for item in items)


# --- rules -------------------------------------------------------------------------------------


def _check_amount(value: Decimal | None, *, field: str) -> None:
    if value is not None and value < 0:
        raise ApplicationError(_("A budget cannot be negative."), field=field)


def _check_project(project: Project) -> None:
    """The rules every saved project keeps (see the service docstrings)."""
    if not project.title:
        raise ApplicationError(_("A project needs a title."), field="title")
    if project.kind not in ProjectKind.values:
        raise ApplicationError(_("Choose the kind of project."), field="kind")
    if project.status not in ProjectStatus.values:
        raise ApplicationError(_("Choose the project's status."), field="status")
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise ApplicationError(
            _("The project cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": project.end_date, "start": project.start_date},
            field="end_date",
        )
    today = timezone.localdate()
    if project.submitted_on and project.submitted_on > today:
        raise ApplicationError(
            _("The submission date %(day)s is in the future; record it once the application "
              "has been sent in.") % {"day": project.submitted_on},
            field="submitted_on",
        )
    if (
        project.kind == ProjectKind.EU_APPLICATION
        and project.status in SUBMITTED_STATUSES
        and not project.submitted_on
    ):
        raise ApplicationError(
            _("An EU application with the status “%(status)s” was sent in: give the day it "
              "was submitted (KPI 4 counts it in that year).")
            % {"status": ProjectStatus(project.status).label},
            field="submitted_on",
        )
    _check_amount(project.budget, field="budget")


# --- projects ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *, actor, data: dict[str, Any], focus_areas: Iterable | None = None
) -> Project:
    """Register a project, an EU application or a joint project with another cluster.

    Rules: it has a title; it ends after it starts; the submission day is not in the future;
    an EU application that was sent in (submitted, funded, rejected, running, completed) has
    a submission day; the budget is not negative.
    Side effects: audit entry klynge.projects.project.created.
    """
    project = Project()
    assign_fields(project, PROJECT_FIELDS, data, strip_text=True)
    _check_project(project)
    project.save()
    if focus_areas is not None:
        project.focus_areas.set(focus_areas)
    log_action(
        project, "klynge.projects.project.created", actor=actor,
        data={**field_values(project, PROJECT_FIELDS),
              "focus_areas": _ids(project.focus_areas.all())},
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, actor, data: dict[str, Any], focus_areas: Iterable | None = None
) -> Project:
    """Change a project under the rules of `project_create`.

    Side effects: audit entry klynge.projects.project.updated with each changed field, old
    and new (none when nothing changed).
    """
    before = field_values(project, PROJECT_FIELDS)
    before_areas = _ids(project.focus_areas.all())
    assign_fields(project, PROJECT_FIELDS, data, strip_text=True)
    try:
        _check_project(project)
    except ApplicationError:
        project.refresh_from_db()
        raise
    project.save()
    diff = changes(before, field_values(project, PROJECT_FIELDS))
    if focus_areas is not None:
        project.focus_areas.set(focus_areas)
        after_areas = _ids(project.focus_areas.all())
        if after_areas != before_areas:
            diff["focus_areas"] = [before_areas, after_areas]
    if diff:
        log_action(project, "klynge.projects.project.updated", actor=actor,
                   data={"changes": diff})
    return project


@transaction.atomic
def project_delete(*, project: Project, actor) -> None:
    """Delete a project with its partners and outcomes (the KPIs no longer count it).

    Side effects: audit entry klynge.projects.project.deleted carrying the project's full
    snapshot, its partners and outcomes, so what was deleted can be read afterwards.
    """
    partners = [
        {"organisation_id": p.organisation_id, "organisation": p.organisation.name,
         "role": p.role, "budget": p.budget}
        for p in project.partnerships.select_related("organisation")
    ]
    outcomes = [
        {"kind": o.kind, "date": o.date, "description": o.description}
        for o in project.outcomes.all()
    ]
    log_action(
        project, "klynge.projects.project.deleted", actor=actor,
        data={**field_values(project, PROJECT_FIELDS), "partners": partners, "outcomes": outcomes},
    )
    project.delete()


# --- partners ----------------------------------------------------------------------------------


def _check_role(project: Project, role: str, *, exclude: ProjectPartner | None = None) -> None:
    if role not in PartnerRole.values:
        raise ApplicationError(_("Choose the partner's role."), field="role")
    if role != PartnerRole.COORDINATOR:
        return
    coordinators = project.partnerships.filter(role=PartnerRole.COORDINATOR)
    if exclude is not None:
        coordinators = coordinators.exclude(pk=exclude.pk)
    current = coordinators.select_related("organisation").first()
    if current is not None:
        raise ApplicationError(
            _("%(name)s already coordinates this project; a project has one coordinator. "
              "Change its role first.") % {"name": current.organisation.name},
            field="role",
        )


def _partner_data(partner: ProjectPartner) -> dict[str, Any]:
    return {"organisation_id": partner.organisation_id,
            "organisation": partner.organisation.name,
            "role": partner.role, "budget": partner.budget}


@transaction.atomic
def partner_add(
    *, project: Project, organisation: Organisation, actor,
    role: str = PartnerRole.PARTNER, budget: Decimal | None = None,
) -> ProjectPartner:
    """Add an organisation to a project in a role.

    Rules: an organisation is a partner in a project once; a project has at most one
    coordinator; the partner's budget is not negative.
    Side effects: audit entry klynge.projects.partner.added on the project.
    """
    if organisation is None:
        raise ApplicationError(_("Choose the organisation."), field="organisation")
    if project.partnerships.filter(organisation=organisation).exists():
        raise ApplicationError(
            _("%(name)s is already a partner in this project.") % {"name": organisation.name},
            field="organisation",
        )
    role = role or PartnerRole.PARTNER
    _check_role(project, role)
    _check_amount(budget, field="budget")
    partner = ProjectPartner.objects.create(
        project=project, organisation=organisation, role=role, budget=budget
    )
    log_action(project, "klynge.projects.partner.added", actor=actor,
               data=_partner_data(partner))
    return partner


@transaction.atomic
def partner_update(
    *, partner: ProjectPartner, actor, role: str, budget: Decimal | None = None
) -> ProjectPartner:
    """Change a partner's role or budget, under the rules of `partner_add`.

    Side effects: audit entry klynge.projects.partner.updated on the project with the changes.
    """
    _check_role(partner.project, role, exclude=partner)
    _check_amount(budget, field="budget")
    before = {"role": partner.role, "budget": partner.budget}
    partner.role, partner.budget = role, budget
    partner.save(update_fields=["role", "budget"])
    diff = changes(before, {"role": partner.role, "budget": partner.budget})
    if diff:
        log_action(
            partner.project, "klynge.projects.partner.updated", actor=actor,
            data={"organisation_id": partner.organisation_id,
                  "organisation": partner.organisation.name, "changes": diff},
        )
    return partner


@transaction.atomic
def partner_remove(*, partner: ProjectPartner, actor) -> None:
    """Take an organisation out of a project.

    Side effects: audit entry klynge.projects.partner.removed on the project.
    """
    project = partner.project
    data = _partner_data(partner)
    partner.delete()
    log_action(project, "klynge.projects.partner.removed", actor=actor, data=data)


# --- outcomes ----------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, project: Project, actor, kind: str, date: datetime.date | None, description: str = ""
) -> ProjectOutcome:
    """Record what came of a project on a day (KPI 5 counts commercial use and new companies
    in the year of their date).

    Rules: a known kind of outcome; a date, not in the future.
    Side effects: audit entry klynge.projects.outcome.recorded on the project.
    """
    if kind not in OutcomeKind.values:
        raise ApplicationError(_("Choose what came of the project."), field="kind")
    if date is None:
        raise ApplicationError(_("Give the day of the outcome."), field="date")
    if date > timezone.localdate():
        raise ApplicationError(
            _("The outcome's date %(day)s is in the future; record outcomes once they have "
              "happened.") % {"day": date},
            field="date",
        )
    outcome = ProjectOutcome.objects.create(
        project=project, kind=kind, date=date, description=(description or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        project, "klynge.projects.outcome.recorded", actor=actor,
        data={"outcome_id": outcome.pk, "kind": kind, "date": date,
              "description": outcome.description},
    )
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: ProjectOutcome, actor) -> None:
    """Delete a recorded outcome (e.g. one recorded by mistake).

    Side effects: audit entry klynge.projects.outcome.deleted on the project.
    """
    project = outcome.project
    data = {"outcome_id": outcome.pk, "kind": outcome.kind, "date": outcome.date,
            "description": outcome.description}
    outcome.delete()
    log_action(project, "klynge.projects.outcome.deleted", actor=actor, data=data)


# --- merging organisations ---------------------------------------------------------------------


def partner_merge_collision(*, row: ProjectPartner, field_name: str, target) -> None:
    """Merging two organisations that are both partners in one project: the survivor's
    partnership stays (the merge drops the duplicate's); it takes over the duplicate's
    coordinator role, and its budget where it has none, so the project keeps its coordinator.

    Registered in `klynge.core.merging.ON_COLLISION`. Side effects: audit entry
    klynge.projects.partner.merged on the project when anything was carried over.
    """
    if field_name != "organisation":
        return
    kept = ProjectPartner.objects.filter(project_id=row.project_id, organisation=target).first()
    if kept is None:
        return
    before = {"role": kept.role, "budget": kept.budget}
    if row.role == PartnerRole.COORDINATOR:
        kept.role = PartnerRole.COORDINATOR
    if kept.budget is None and row.budget is not None:
        kept.budget = row.budget
    diff = changes(before, {"role": kept.role, "budget": kept.budget})
    if diff:
        kept.save(update_fields=["role", "budget"])
        log_action(
            kept.project, "klynge.projects.partner.merged", actor=None,
            data={"organisation_id": kept.organisation_id, "organisation": target.name,
                  "changes": diff},
        )
