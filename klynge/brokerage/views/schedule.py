"""The organiser's schedule: runs of the scheduler against the bound, the grid of slots ×
tables (or each participant's day), unscheduled meetings with the reason, publishing, and
moving or locking one meeting."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klynge.brokerage import selectors_schedule as reads
from klynge.brokerage.forms_schedule import MoveForm, RunForm
from klynge.brokerage.models import Meeting
from klynge.brokerage.services import scheduling
from klynge.core.errors import ApplicationError
from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM


def _next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@access(CLUSTER_TEAM)
def schedule(request, pk: int):
    event = reads.event_for_organiser(pk)
    view = request.GET.get("view") if request.GET.get("view") in ("grid", "people") else "grid"
    counts = reads.counts(event)
    context = {
        "event": event, "activity": event.activity, "counts": counts, "view": view,
        "runs": reads.runs(event), "unscheduled": reads.unscheduled(event),
        "exact_allowed": counts["accepted"] <= scheduling.EXACT_LIMIT,
        "exact_limit": scheduling.EXACT_LIMIT,
        "recipients": len(scheduling.publication_recipients(event)),
        "run_form": RunForm(),
    }
    if view == "grid":
        context["tables"], context["rows"] = reads.grid(event)
    else:
        context["slots"], rows = reads.per_participant(event)
        context["listing"] = paginate(request, rows, per_page=50)
    return render(request, "brokerage/schedule.html", context)


@require_POST
@access(CLUSTER_TEAM)
def schedule_run(request, pk: int):
    event = reads.event_for_organiser(pk)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to run the scheduler."))
        return redirect("brokerage:schedule", pk=event.pk)
    mode, limit = form.cleaned_data["mode"], form.cleaned_data["time_limit"]
    try:
        if mode == "late":
            run = scheduling.schedule_place_late(event=event, actor=request.user)
        else:
            run = scheduling.schedule_optimise(event=event, actor=request.user,
                                               exact=mode == "exact", time_limit=limit)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        bound = (_(" of at most %(bound)s") % {"bound": run.bound_meetings}
                 if run.bound_meetings is not None else "")
        messages.success(request, _("Scheduled %(scheduled)s%(bound)s meetings (%(accepted)s "
                                    "accepted), %(breaks)s breaks, in %(seconds)s s.")
                         % {"scheduled": run.scheduled, "bound": bound,
                            "accepted": run.accepted, "breaks": run.breaks,
                            "seconds": f"{run.seconds:.1f}"})
    return redirect("brokerage:schedule", pk=event.pk)


@require_POST
@access(CLUSTER_TEAM)
def schedule_publish(request, pk: int):
    event = reads.event_for_organiser(pk)
    try:
        sent = scheduling.schedule_publish(event=event, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The schedule is published; %(count)s participants are "
                                    "e-mailed their agenda.") % {"count": sent})
    return redirect("brokerage:schedule", pk=event.pk)


@require_POST
@access(CLUSTER_TEAM)
def meeting_move(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("event"), pk=pk)
    form = MoveForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose a slot and table of this event."))
        return _next(request, meeting.get_absolute_url())
    data = form.cleaned_data
    try:
        scheduling.meeting_move(meeting=meeting, actor=request.user, slot=data["slot"],
                                table=data["table"], locked=data["locked"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting was moved.") if data["slot"]
                         else _("The meeting was taken out of the schedule."))
    return _next(request, meeting.get_absolute_url())


urlpatterns = [
    path("<int:pk>/schedule/", schedule, name="schedule"),
    path("<int:pk>/schedule/run/", schedule_run, name="schedule_run"),
    path("<int:pk>/schedule/publish/", schedule_publish, name="schedule_publish"),
    path("meetings/<int:pk>/move/", meeting_move, name="meeting_move"),
]
