"""The funding pages: grants and their rules' verdicts, action plans, time and costs.

The cluster team reads; administrators and management write; staff may register their own
time. Grant givers get read-only report pages elsewhere, not these.
"""

from functools import lru_cache

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM, MANAGERS
from klynge.funding import charts, selectors, services
from klynge.funding.filters import CostFilter, TimeRegistrationFilter
from klynge.funding.forms import (
    ActionPlanForm,
    BudgetLineForm,
    CostForm,
    PlannedActivityForm,
    TimeRegistrationForm,
)
from klynge.funding.models import ActionPlan, Grant


def _may_manage(user) -> bool:
    return user.role in MANAGERS


def _apply_error(form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _plan_url(grant, year) -> str:
    return reverse("funding:action_plan", args=[grant.pk, year])


# --- grants and verdicts -------------------------------------------------------------------


@access(CLUSTER_TEAM)
def grant_list(request):
    return render(request, "funding/grant_list.html", {
        "grants": selectors.grants(), "today": timezone.localdate(),
    })


@access(CLUSTER_TEAM)
def grant_detail(request, pk: int):
    grant = get_object_or_404(Grant, pk=pk)
    year = selectors.default_year(grant, timezone.localdate())
    return redirect("funding:grant_year", grant.pk, year)


@access(CLUSTER_TEAM)
def grant_year(request, pk: int, year: int):
    grant = selectors.grant_for_year(pk, year)
    return render(request, "funding/grant_year.html", {
        "grant": grant, "year": year, "overview": selectors.grant_year(grant, year),
        "may_manage": _may_manage(request.user),
    })


# --- action plans --------------------------------------------------------------------------


@access(CLUSTER_TEAM)
def action_plan(request, pk: int, year: int):
    grant = selectors.grant_for_year(pk, year)
    result = selectors.plan_against_actual(grant, year)
    return render(request, "funding/action_plan.html", {
        "grant": grant, "year": year, "result": result,
        "chart": charts.plan_against_actual_chart(result),
        "may_manage": _may_manage(request.user),
    })


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def action_plan_create(request, pk: int, year: int):
    grant = selectors.grant_for_year(pk, year)
    form = ActionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_plan_create(grant=grant, year=year, actor=request.user,
                                        description=form.cleaned_data["description"])
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The action plan was created."))
            return redirect(_plan_url(grant, year))
    return render(request, "funding/form.html", {
        "form": form, "grant": grant, "year": year, "cancel_url": _plan_url(grant, year),
        "heading": _("New action plan for %(grant)s %(year)d") % {"grant": grant.code,
                                                                   "year": year},
    })


def _plan_or_404(pk: int, year: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.select_related("grant"), grant_id=pk,
                             year=year)


def _plan_item_page(request, *, plan: ActionPlan, year: int, form, create, done, heading):
    """A form that adds one item (a budget line, a planned activity) to an action plan."""
    if request.method == "POST" and form.is_valid():
        try:
            create(plan=plan, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_plan_url(plan.grant, year))
    return render(request, "funding/form.html", {
        "form": form, "grant": plan.grant, "year": year,
        "cancel_url": _plan_url(plan.grant, year),
        "heading": heading % {"grant": plan.grant.code, "year": year},
    })


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def budget_line_create(request, pk: int, year: int):
    plan = _plan_or_404(pk, year)
    return _plan_item_page(
        request, plan=plan, year=year, form=BudgetLineForm(request.POST or None),
        create=services.budget_line_create, done=_("The budget line was added."),
        heading=_("New budget line in the %(year)d plan of %(grant)s"),
    )


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def planned_activity_create(request, pk: int, year: int):
    plan = _plan_or_404(pk, year)
    return _plan_item_page(
        request, plan=plan, year=year,
        form=PlannedActivityForm(request.POST or None, grant=plan.grant),
        create=services.planned_activity_create, done=_("The planned activity was added."),
        heading=_("New planned activity in the %(year)d plan of %(grant)s"),
    )


# --- time and costs ------------------------------------------------------------------------

TIME_HEADERS = ["id", "date", "person", "organisation", "hours", "hourly_rate", "cost",
                "budget_line", "activity", "description"]
COST_HEADERS = ["id", "date", "amount", "description", "organisation", "budget_line",
                "activity"]


def _name(value) -> str:
    return str(value) if value is not None else ""


@access(CLUSTER_TEAM)
def time_list(request, pk: int):
    grant = get_object_or_404(Grant, pk=pk)
    listing = build_listing(request, TimeRegistrationFilter, selectors.time_registrations(grant),
                            default_ordering="-date")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [t.pk, t.date, t.who, _name(t.organisation), t.hours, t.hourly_rate, t.cost,
             _name(t.budget_line and t.budget_line.name), _name(t.activity), t.description]
            for t in listing.filterset.qs
        )
        return export_response(basename=f"time-{grant.code}", fmt=fmt, headers=TIME_HEADERS,
                               rows=rows)
    return render(request, "funding/time_list.html", {
        "grant": grant, "listing": listing, "may_manage": _may_manage(request.user),
    })


@access(CLUSTER_TEAM)
def cost_list(request, pk: int):
    grant = get_object_or_404(Grant, pk=pk)
    listing = build_listing(request, CostFilter, selectors.costs(grant), default_ordering="-date")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [c.pk, c.date, c.amount, c.description, _name(c.organisation),
             _name(c.budget_line and c.budget_line.name), _name(c.activity)]
            for c in listing.filterset.qs
        )
        return export_response(basename=f"costs-{grant.code}", fmt=fmt, headers=COST_HEADERS,
                               rows=rows)
    return render(request, "funding/cost_list.html", {
        "grant": grant, "listing": listing, "may_manage": _may_manage(request.user),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def time_create(request, pk: int):
    """Management and administrators register anyone's hours; staff register their own."""
    grant = get_object_or_404(Grant, pk=pk)
    own_only = not _may_manage(request.user)
    form = TimeRegistrationForm(request.POST or None, grant=grant, own_time_only=own_only,
                                initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if own_only:
            data["user"] = request.user
        try:
            services.time_registration_create(grant=grant, day=data.pop("date"),
                                              actor=request.user, **data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The hours were registered."))
            return redirect("funding:time_list", grant.pk)
    return render(request, "funding/form.html", {
        "form": form, "grant": grant, "cancel_url": reverse("funding:time_list", args=[pk]),
        "heading": _("Register time on %(grant)s") % {"grant": grant.code},
    })


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def cost_create(request, pk: int):
    grant = get_object_or_404(Grant, pk=pk)
    form = CostForm(request.POST or None, grant=grant, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.cost_create(grant=grant, day=data.pop("date"), actor=request.user, **data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The cost was added."))
            return redirect("funding:cost_list", grant.pk)
    return render(request, "funding/form.html", {
        "form": form, "grant": grant, "cancel_url": reverse("funding:cost_list", args=[pk]),
        "heading": _("Add a cost to %(grant)s") % {"grant": grant.code},
    })


# --- the chart library, served offline ----------------------------------------------------


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@access(CLUSTER_TEAM)
@cache_control(max_age=86400, private=True)
def plotly_js(request):
    """Plotly's JavaScript from the installed package: the charts work without internet."""
    return HttpResponse(_plotly_js(), content_type="application/javascript; charset=utf-8")
