"""Project pages: the list with filters, sorting and exports; the project with its partners,
outcomes, KPI notes and change history; forms for projects, partners and outcomes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.views.common import apply_error
from klynge.projects import selectors, services
from klynge.projects.choices import PartnerRole
from klynge.projects.filters import ProjectFilter
from klynge.projects.forms import OutcomeForm, PartnerEditForm, PartnerForm, ProjectForm
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

EXPORT_HEADERS = [
    "id", "title", "acronym", "kind", "status", "programme", "call", "submitted", "start",
    "end", "budget_dkk", "hub", "responsible", "coordinator", "partners", "partner_count",
    "company_partners", "outcomes", "focus_areas",
]


def _export_rows(queryset):
    rows = queryset.prefetch_related("partnerships__organisation", "outcomes", "focus_areas")
    for p in rows:
        partnerships = sorted(p.partnerships.all(), key=lambda x: x.organisation.name)
        coordinator = next(
            (x.organisation.name for x in partnerships if x.role == PartnerRole.COORDINATOR), ""
        )
        yield [
            p.pk, p.title, p.acronym, p.get_kind_display(), p.get_status_display(),
            p.programme, p.call_identifier, p.submitted_on, p.start_date, p.end_date, p.budget,
            str(p.hub or ""), str(p.responsible or ""), coordinator,
            "; ".join(f"{x.organisation.name} ({x.get_role_display()})" for x in partnerships),
            p.partner_count, p.company_count,
            "; ".join(f"{o.date:%Y-%m-%d} {o.get_kind_display()}" for o in p.outcomes.all()),
            ", ".join(str(area) for area in p.focus_areas.all()),
        ]


@access(CLUSTER_TEAM)
def project_list(request):
    """Search, filter, sort and page through projects; export exactly what is filtered."""
    # Without a chosen order the selector's own applies: newest start first, projects
    # without a start (applications) after them.
    listing = build_listing(request, ProjectFilter, selectors.project_list())
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            basename="projects", fmt=fmt, headers=EXPORT_HEADERS,
            rows=_export_rows(listing.filterset.qs),
        )
    return render(request, "projects/project_list.html", {
        "listing": listing, "default_ordering": "-start",
        "filtered": any(v for k, v in request.GET.items() if k not in ("ordering", "per_page",
                                                                          "page")),
    })


@access(CLUSTER_TEAM)
def project_detail(request, pk: int):
    try:
        project = selectors.project_detail(pk)
    except Project.DoesNotExist:
        return render(request, "core/404.html", status=404)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "partners": selectors.project_partners(project),
        "outcomes": selectors.project_outcomes(project),
        "kpi_notes": selectors.kpi_notes(project),
        "audit": selectors.audit_trail(project),
        "partner_form": PartnerForm(),
        "outcome_form": OutcomeForm(initial={"date": timezone.localdate()}),
    })


def _project_form_data(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    focus_areas = data.pop("focus_areas", None)
    return data, focus_areas


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def project_create(request):
    initial = {"hub": request.user.hub_id, "responsible": request.user.pk}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, focus_areas = _project_form_data(form)
        try:
            project = services.project_create(
                actor=request.user, data=data, focus_areas=focus_areas
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": project})
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        data, focus_areas = _project_form_data(form)
        try:
            services.project_update(
                project=project, actor=request.user, data=data, focus_areas=focus_areas
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def project_delete(request, pk: int):
    """Ask first (what will go with it), then delete on POST."""
    project = get_object_or_404(Project, pk=pk)
    if request.method == "POST":
        name = str(project)
        services.project_delete(project=project, actor=request.user)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("projects:project_list")
    return render(request, "projects/project_confirm_delete.html", {
        "project": project,
        "partner_count": project.partnerships.count(),
        "outcome_count": project.outcomes.count(),
        "kpi_notes": [note for note in selectors.kpi_notes(project) if note.counts],
    })


# --- partners ----------------------------------------------------------------------------------


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def partner_add(request, pk: int):
    """The form is on the project's page; errors come back on a page of their own."""
    project = get_object_or_404(Project, pk=pk)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.partner_add(
                project=project, organisation=organisation, actor=request.user,
                role=form.cleaned_data["role"], budget=form.cleaned_data["budget"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request, _("%(name)s was added to the project.") % {"name": organisation.name}
            )
            return redirect(project)
    return render(request, "projects/partner_form.html", {"form": form, "project": project})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk: int):
    partner = get_object_or_404(
        ProjectPartner.objects.select_related("project", "organisation"), pk=pk
    )
    form = PartnerEditForm(
        request.POST or None, initial={"role": partner.role, "budget": partner.budget}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                partner=partner, actor=request.user, role=form.cleaned_data["role"],
                budget=form.cleaned_data["budget"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(partner.project)
    return render(request, "projects/partner_form.html", {
        "form": form, "project": partner.project, "partner": partner,
    })


@access(CLUSTER_TEAM)
@require_POST
def partner_remove(request, pk: int):
    partner = get_object_or_404(
        ProjectPartner.objects.select_related("project", "organisation"), pk=pk
    )
    project, name = partner.project, partner.organisation.name
    services.partner_remove(partner=partner, actor=request.user)
    messages.success(request, _("%(name)s is no longer a partner.") % {"name": name})
    return redirect(project)


# --- outcomes ----------------------------------------------------------------------------------


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def outcome_record(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    form = OutcomeForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.outcome_record(
                project=project, actor=request.user, kind=form.cleaned_data["kind"],
                date=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request, _("The outcome “%(kind)s” was recorded.")
                % {"kind": outcome.get_kind_display()},
            )
            return redirect(project)
    return render(request, "projects/outcome_form.html", {"form": form, "project": project})


@access(CLUSTER_TEAM)
@require_POST
def outcome_delete(request, pk: int):
    outcome = get_object_or_404(ProjectOutcome.objects.select_related("project"), pk=pk)
    project = outcome.project
    services.outcome_delete(outcome=outcome, actor=request.user)
    messages.success(request, _("The outcome was deleted."))
    return redirect(project)
