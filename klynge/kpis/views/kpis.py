"""The KPI page, the drill-down per indicator, and freezing a period's figures."""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response, paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.kpis import selectors, services
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.kpis.forms import FreezeForm
from klynge.kpis.views.common import (
    MANAGERS,
    lines_for,
    may_manage,
    params_for,
    period_choice,
)

DRILLDOWN_PAGE_SIZE = 50


@access(CLUSTER_TEAM)
def kpi_list(request):
    choice = period_choice(request)
    period = choice.period
    snapshot = selectors.snapshot_for(period)
    lines = lines_for(selectors.kpi_rows(period), snapshot)
    freeze_form = None
    if may_manage(request.user) and snapshot is None:
        freeze_form = FreezeForm(initial={"start": period.start, "end": period.end})
    return render(request, "kpis/kpi_list.html", {
        "choice": choice, "period": period, "lines": lines, "snapshot": snapshot,
        "freeze_form": freeze_form, "year": period.end.year,
        "programme": selectors.target_period_for(period.end.year),
    })


def _key_for(number: int) -> str:
    if not 1 <= number <= len(keys.ORDER):
        raise Http404(_("There is no indicator %(number)s.") % {"number": number})
    return keys.ORDER[number - 1]


def _matches(row, query: str) -> bool:
    texts = [row.label, row.detail, row.key, *(e.text for e in row.evidence)]
    return any(query in (text or "").lower() for text in texts)


@access(CLUSTER_TEAM)
def kpi_detail(request, number: int):
    """Exactly what counts for one indicator in the period, with its evidence."""
    key = _key_for(number)
    choice = period_choice(request)
    figure = selectors.kpi_figure(key, choice.period)
    rows = selectors.drilldown(key, choice.period)
    query = request.GET.get("q", "").strip()
    if query:
        rows = [row for row in rows if _matches(row, query.lower())]
    rows = _ordered(rows, request.GET.get("ordering", ""))
    if request.GET.get("format") in ("csv", "xlsx"):
        return _export(request, key, number, choice, rows)
    return render(request, "kpis/kpi_detail.html", {
        "number": number, "definition": DEFINITIONS[key], "figure": figure,
        "choice": choice, "listing": paginate(request, rows, per_page=DRILLDOWN_PAGE_SIZE),
        "query": query, "is_organisations": key not in (keys.CLUSTER_COLLABORATIONS,
                                                        keys.COMMERCIAL_USE),
    })


SORT_KEYS = {
    "label": lambda row: row.label.lower(),
    "evidence": lambda row: min((e.day for e in row.evidence if e.day), default=date.min),
}


def _ordered(rows, ordering: str):
    """Sorted by name (the default) or by the first evidence date; "-" reverses."""
    field = ordering.lstrip("-")
    if field not in SORT_KEYS:
        return rows
    return sorted(rows, key=SORT_KEYS[field], reverse=ordering.startswith("-"))


def _export(request, key, number, choice, rows):
    headers = [_("Indicator"), _("Period"), _("Counted as"), _("Name"), _("Details"),
               _("Link"), _("Evidence date"), _("Evidence"), _("Evidence link")]
    title = f"{number}. {DEFINITIONS[key].title}"

    def lines():
        for row in rows:
            base = [title, choice.period.label, row.key, row.label, row.detail,
                    request.build_absolute_uri(row.url) if row.url else ""]
            for evidence in row.evidence or [None]:
                if evidence is None:
                    yield [*base, "", "", ""]
                else:
                    yield [*base, evidence.day, evidence.text,
                           request.build_absolute_uri(evidence.url) if evidence.url else ""]

    return export_response(basename=f"kpi-{number}", fmt=request.GET["format"],
                           headers=headers, rows=lines())


@access(MANAGERS)
@require_POST
def snapshot_freeze(request):
    form = FreezeForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("__all__", []) or [_("The period is not valid.")]:
            messages.error(request, error)
        return redirect("kpis:kpi_list")
    period = form.cleaned_data["period"]
    target = f"{reverse('kpis:kpi_list')}?{params_for(period)}"
    try:
        services.snapshot_freeze(period=period, actor=request.user,
                                 note=form.cleaned_data["note"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The figures for %(period)s are frozen.")
                         % {"period": period.label})
    return redirect(target)


@access(CLUSTER_TEAM)
def snapshot_list(request):
    snapshots = [(snapshot, params_for(_period_of(snapshot)))
                 for snapshot in selectors.snapshot_list()]
    return render(request, "kpis/snapshot_list.html", {
        "listing": paginate(request, snapshots), "definitions": DEFINITIONS,
    })


def _period_of(snapshot):
    return Period(snapshot.period_start, snapshot.period_end)
