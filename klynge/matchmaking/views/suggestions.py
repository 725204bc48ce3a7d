"""Suggestion pages: partners for a free-text need (the matchmaking home), partners for an
organisation by purpose, and the "Suggested partners" panel on an organisation's page."""

from django.http import QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from klynge.core.listing import export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Organisation
from klynge.matchmaking import selectors
from klynge.matchmaking.choices import Purpose
from klynge.matchmaking.forms_suggestions import (
    NEED_RESULTS,
    SHOW_COUNTS,
    NeedForm,
    OrganisationSuggestionsForm,
)
from klynge.matchmaking.index import current_index

#: How many suggestions the organisation page's panel shows.
PANEL_COUNT = 3
EXPORT_FORMATS = ("csv", "xlsx")
#: Reasons that tie an organisation to a need itself (its text, or the lead's collaborations);
#: a result with only location, kind or size of record is not an answer to the need.
NEED_REASONS = frozenset({"shared_terms", "past_partner", "joint_work", "common_collaborators"})


def _max_score(suggestions) -> float:
    return max((s.score for s in suggestions), default=0.0)


def _export(suggestions, *, basename: str, fmt: str):
    """The suggestions as they are shown: name, source, kind, country, score, reasons."""
    rows = ([s.name, _("Registry") if s.in_registry else "CORDIS", s.kind_label, s.country,
             round(s.score, 3), "; ".join(r.text for r in s.reasons)] for s in suggestions)
    return export_response(
        basename=basename, fmt=fmt,
        headers=[_("Name"), _("Source"), _("Kind"), _("Country"), _("Score"), _("Reasons")],
        rows=rows)


@access(CLUSTER_TEAM)
def home(request):
    """Find partners for a need typed in Danish or English."""
    form = NeedForm(request.GET or None)
    suggestions, lead = None, None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        lead = data["lead"]
        suggestions = selectors.suggestions_for_need(
            data["need"], kinds=form.profile_kinds(), countries=data["countries"],
            include_external=data["include_external"], lead=lead, k=NEED_RESULTS)
        suggestions = [s for s in suggestions if any(r.code in NEED_REASONS for r in s.reasons)]
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return _export(suggestions, basename="partners-for-need", fmt=fmt)
    return render(request, "matchmaking/suggest_home.html", {
        "form": form,
        "suggestions": suggestions,
        "lead": lead,
        "purpose": Purpose.ANY.value,
        "max_score": _max_score(suggestions or ()),
    })


def _options_url(purpose: str, show: int, external: bool) -> str:
    params = QueryDict(mutable=True)
    params["purpose"] = purpose
    if show != SHOW_COUNTS[0]:
        params["show"] = str(show)
    if external:
        params["external"] = "on"
    return "?" + params.urlencode()


@access(CLUSTER_TEAM)
def organisation_suggestions(request, pk: int):
    """Partners for one organisation, a tab per purpose that applies to it."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        return render(request, "core/404.html", status=404)
    index = current_index()
    purposes = selectors.purposes_for(organisation, index=index)
    form = OrganisationSuggestionsForm(request.GET, purposes=purposes)
    purpose, show, external = form.options()
    suggestions = selectors.suggestions_for_organisation(
        organisation, purpose=purpose, k=show, include_external=external, index=index)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return _export(suggestions, basename=f"partners-{organisation.pk}-{purpose}", fmt=fmt)
    tabs = [{"value": value, "label": label, "active": value == purpose,
             "url": _options_url(value, show, external)} for value, label in purposes]
    return render(request, "matchmaking/suggest_organisation.html", {
        "organisation": organisation,
        "lead": organisation,
        "tabs": tabs,
        "purpose": purpose,
        "purpose_label": dict(purposes)[purpose],
        "show": show,
        "more": [{"count": n, "url": _options_url(purpose, n, external)}
                 for n in SHOW_COUNTS if n > show] if len(suggestions) >= show else [],
        "external": external,
        "external_url": _options_url(purpose, show, not external),
        "suggestions": suggestions,
        "max_score": _max_score(suggestions),
        "thin": selectors.profile_is_thin(organisation),
        "indexed": selectors.org_id(organisation.pk) in index,
    })


def organisation_panel(request, organisation: Organisation) -> dict:
    """The "Suggested partners" panel: the top three of the first purpose that applies
    (one look at the cached index, a fixed number of queries)."""
    index = current_index()
    purposes = selectors.purposes_for(organisation, index=index)
    purpose, label = purposes[0]
    suggestions = selectors.suggestions_for_organisation(
        organisation, purpose=purpose, k=PANEL_COUNT, index=index)
    return {
        "organisation": organisation,
        "lead": organisation,
        "purpose": purpose,
        "purpose_label": label,
        "suggestions": suggestions,
        "max_score": _max_score(suggestions),
        "thin": selectors.profile_is_thin(organisation),
    }


urlpatterns: list = [
    path("", home, name="home"),
    path("organisations/<int:pk>/", organisation_suggestions, name="organisation_suggestions"),
]
