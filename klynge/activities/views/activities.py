"""Activity pages: list with filters and exports, detail with the grant verdicts, forms,
and the status buttons (open/close, mark held, cancel) and co-organisers."""

from datetime import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.activities import hooks, registrations, selectors, services
from klynge.activities.filters import ActivityFilter
from klynge.activities.forms import ActivityForm, CancelForm, CoOrganiserForm, StatusForm
from klynge.activities.models import Activity
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.locking import StaleEdit, show_stale
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Organisation
from klynge.ecosystem.views.common import apply_error, default_hub_params

#: Changed relations of an activity the form shows in rows: the row that carries the hint.
STALE_ALIASES = {"fundings": "grant_0", "co_organisers": "co_organiser_0"}

EXPORT_HEADERS = [
    "id", "title", "type", "format", "status", "starts", "ends", "hub", "place", "online_link",
    "public", "capacity", "registration_deadline", "funding", "co_organisers", "focus_areas",
    "registered", "waitlisted", "attended",
]


def _funding_text(activity) -> str:
    return ", ".join(f"{f.grant} {f.share.normalize():f} %" for f in activity.fundings.all())


def _export_rows(queryset):
    for a in queryset:
        yield [
            a.pk, a.title, a.get_type_display(), a.get_format_display(), a.get_status_display(),
            a.starts_at, a.ends_at, str(a.hub or ""), a.place, a.online_link, a.is_public,
            a.capacity, a.registration_deadline, _funding_text(a),
            ", ".join(o.name for o in a.co_organisers.all()),
            ", ".join(str(area) for area in a.focus_areas.all()),
            a.registered_count, a.waitlisted_count, a.attended_count,
        ]


def _export_value(value):
    # Spreadsheets hold no time zones: local wall-clock time, as people read it.
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


@access(CLUSTER_TEAM)
def activity_list(request):
    """Search, filter, sort and page through activities; export exactly what is shown."""
    listing = build_listing(
        request, ActivityFilter, selectors.activity_list(),
        data=default_hub_params(request), default_ordering="-starts",
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = ([_export_value(v) for v in row] for row in _export_rows(listing.filterset.qs))
        return export_response(basename="activities", fmt=fmt, headers=EXPORT_HEADERS, rows=rows)
    return render(request, "activities/activity_list.html", {"listing": listing})


@access(CLUSTER_TEAM)
def activity_detail(request, pk: int):
    try:
        activity = selectors.activity_detail(pk)
    except Activity.DoesNotExist:
        return render(request, "core/404.html", status=404)
    context = {
        "activity": activity,
        "fundings": list(activity.fundings.all()),
        "verdicts": selectors.grant_verdicts(activity),
        "summary": registrations.registration_counts(activity=activity),
        "audit": selectors.audit_trail(activity),
        "cancel_form": CancelForm(),
        "status_form": StatusForm(initial={"status": activity.status}),
        "co_organiser_form": CoOrganiserForm(),
        "is_final": activity.status in ("held", "cancelled"),
        "panels": hooks.render_detail_panels(request, activity),
    }
    return render(request, "activities/activity_detail.html", context)


def _activity_page(request, *, activity: Activity | None):
    initial = None
    if activity is None:
        initial = {"hub": request.user.hub_id, "responsible": request.user.pk,
                   "status": "planned", "is_public": True}
        network = request.GET.get("focus_network", "")
        if network.isdigit():  # "Plan a meeting" on a focus network's page
            initial.update(focus_network=int(network), format="focus_network_meeting")
    form = ActivityForm(request.POST or None, instance=activity, initial=initial)
    creating = activity is None
    if request.method == "POST" and form.is_valid():
        arguments = {
            "actor": request.user, "data": form.activity_data(),
            "focus_areas": form.cleaned_data.get("focus_areas"),
            "fundings": form.fundings(), "co_organisers": form.co_organisers(),
        }
        try:
            if activity is None:
                activity = services.activity_create(**arguments)
            else:
                services.activity_update(
                    activity=activity, version=form.cleaned_data.get("version"), **arguments
                )
        except StaleEdit as error:
            show_stale(form, activity, error, aliases=STALE_ALIASES,
                       display={"fundings": _funding_text})
        except ApplicationError as error:
            if error.field == "fundings":
                error.field = "grant_0"
            apply_error(form, error)
        else:
            messages.success(
                request, _("%(title)s was created.") % {"title": activity.title}
                if creating else _("Your changes were saved.")
            )
            return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    return _activity_page(request, activity=None)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    return _activity_page(request, activity=get_object_or_404(Activity, pk=pk))


def _run(request, activity: Activity, action, success: str):
    """Call a service for a button on the detail page; show its error or its success."""
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(activity)


@access(CLUSTER_TEAM)
@require_POST
def activity_set_status(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(activity)
    return _run(
        request, activity,
        lambda: services.activity_set_status(
            activity=activity, actor=request.user, status=form.cleaned_data["status"]
        ),
        _("The status was changed."),
    )


@access(CLUSTER_TEAM)
@require_POST
def activity_mark_held(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    return _run(
        request, activity,
        lambda: services.activity_mark_held(activity=activity, actor=request.user),
        _("The activity is marked as held."),
    )


@access(CLUSTER_TEAM)
@require_POST
def activity_cancel(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request, activity,
        lambda: services.activity_cancel(activity=activity, actor=request.user, reason=reason),
        _("The activity was cancelled."),
    )


@access(CLUSTER_TEAM)
@require_POST
def co_organiser_add(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = CoOrganiserForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(activity)
    organisation = form.cleaned_data["organisation"]
    return _run(
        request, activity,
        lambda: services.activity_add_co_organiser(
            activity=activity, organisation=organisation, actor=request.user
        ),
        _("%(name)s was added as co-organiser.") % {"name": organisation.name},
    )


@access(CLUSTER_TEAM)
@require_POST
def co_organiser_remove(request, pk: int, organisation_pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    return _run(
        request, activity,
        lambda: services.activity_remove_co_organiser(
            activity=activity, organisation=organisation, actor=request.user
        ),
        _("%(name)s is no longer a co-organiser.") % {"name": organisation.name},
    )
