"""CORDIS history in the registry: the panel on the organisation page, all of an
organisation's EU projects, linking CORDIS records to it, and adding a CORDIS-only
organisation to the registry."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response, paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Organisation
from klynge.matchmaking import selectors_cordis
from klynge.matchmaking.forms_calls import CordisSearchForm
from klynge.matchmaking.models import CordisOrganisation
from klynge.matchmaking.services import cordis as services

EXPORT_HEADERS = ["project_id", "acronym", "topic", "topic_title", "programme", "role",
                  "eu_contribution_eur", "cordis_organisation"]


def _back(request, default):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@access(CLUSTER_TEAM)
def cordis_projects(request, pk: int):
    """Every EU project of an organisation (from its linked CORDIS records); export."""
    organisation = get_object_or_404(Organisation, pk=pk)
    participations = selectors_cordis.organisation_participations(organisation)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            basename="eu-projects", fmt=fmt, headers=EXPORT_HEADERS,
            rows=([p.project.cordis_id, p.project.acronym, p.project.topic_code,
                   p.project.topic_title, p.project.programme, p.get_role_display(),
                   p.ec_contribution, p.cordis_organisation.name]
                  for p in participations.iterator(chunk_size=1000)))
    return render(request, "matchmaking/cordis_projects.html", {
        "organisation": organisation, "listing": paginate(request, participations),
    })


@access(CLUSTER_TEAM)
def cordis_records(request, pk: int):
    """The CORDIS records linked to an organisation; search CORDIS to link more."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = CordisSearchForm(request.GET or None)
    term = form.cleaned_data["q"] if form.is_valid() else ""
    if not request.GET:
        term = organisation.cvr and f"DK{organisation.cvr}" or organisation.name
        form = CordisSearchForm(initial={"q": term})
    return render(request, "matchmaking/cordis_records.html", {
        "organisation": organisation, "form": form, "term": term,
        "linked": selectors_cordis.linked_records(organisation),
        "results": selectors_cordis.search_records(term),
    })


@access(CLUSTER_TEAM)
@require_POST
def cordis_link(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    record = get_object_or_404(CordisOrganisation, pk=request.POST.get("cordis_organisation")
                               or 0)
    try:
        services.cordis_link(cordis_organisation=record, organisation=organisation,
                             actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(record)s (CORDIS) is now linked to %(organisation)s.")
                         % {"record": record.name, "organisation": organisation.name})
    return _back(request, reverse("matchmaking:cordis_records", args=[organisation.pk]))


@access(CLUSTER_TEAM)
@require_POST
def cordis_unlink(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    record = get_object_or_404(CordisOrganisation, organisation=organisation,
                               pk=request.POST.get("cordis_organisation") or 0)
    services.cordis_unlink(cordis_organisation=record, actor=request.user)
    messages.success(request, _("%(record)s (CORDIS) is no longer linked to %(organisation)s.")
                     % {"record": record.name, "organisation": organisation.name})
    return _back(request, reverse("matchmaking:cordis_records", args=[organisation.pk]))


@access(CLUSTER_TEAM)
@require_POST
def cordis_add(request, pk: int):
    """Add a CORDIS-only organisation to the registry (linked), and open it."""
    record = get_object_or_404(CordisOrganisation, pk=pk)
    existed = record.organisation_id is not None
    try:
        organisation = services.cordis_add_to_registry(cordis_organisation=record,
                                                       actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
        return _back(request, reverse("matchmaking:call_list"))
    if existed:
        messages.info(request, _("%(name)s is already in the registry.")
                      % {"name": organisation.name})
    else:
        messages.success(request, _("%(name)s was added to the registry from CORDIS, with its "
                                    "EU projects.") % {"name": organisation.name})
    return redirect(organisation)


urlpatterns: list = [
    path("cordis/<int:pk>/add/", cordis_add, name="cordis_add"),
    path("organisations/<int:pk>/cordis/", cordis_records, name="cordis_records"),
    path("organisations/<int:pk>/cordis/link/", cordis_link, name="cordis_link"),
    path("organisations/<int:pk>/cordis/unlink/", cordis_unlink, name="cordis_unlink"),
    path("organisations/<int:pk>/cordis/projects/", cordis_projects, name="cordis_projects"),
]
