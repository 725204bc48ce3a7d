"""The organiser's schedule: runs of the scheduler against the bound, the grid of slots ×
tables (one session and 30 tables at a time) or each participant's day (50 at a time, with a
search), the unscheduled meetings with the reason (30 at a time), publishing, and moving or
locking one meeting. Each page is read in a fixed number of queries."""

from django.contrib import messages
from django.core.paginator import Paginator
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


def query(request, **changes) -> str:
    """The current query string with `changes` applied (None drops a parameter)."""
    params = request.GET.copy()
    params.pop("format", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


def grid_context(request, event) -> dict:
    """The grid of one session (or all) × one page of tables, with the session tabs and the
    table pages as links. Without a choice: every session when the tables fit on one page,
    else the session of the slot in progress on the day, else the first."""
    slots = reads.slots_of(event)
    sessions = reads.sessions_of(event, slots)
    tables_page = reads.table_page(event, request.GET.get("page"))
    chosen = request.GET.get("session", "")
    session = next((s for s in sessions if str(s["session"].pk) == chosen), None)
    if session is None and chosen != "all" and len(sessions) > 1 \
            and tables_page.paginator.num_pages > 1:
        current = reads.current_slot(slots)
        session = next((s for s in sessions if current and s["session"].pk ==
                        current.session_id), sessions[0])
    tables, rows = reads.grid(event, slots=session["slots"] if session else slots,
                              tables=list(tables_page.object_list))
    for item in sessions:
        item["url"] = query(request, session=item["session"].pk, page=None)
        item["current"] = item is session
    paginator = tables_page.paginator
    table_pages = [{"number": n, "url": query(request, page=n) if n != paginator.ELLIPSIS
                    else None, "current": n == tables_page.number}
                   for n in paginator.get_elided_page_range(tables_page.number, on_each_side=2,
                                                            on_ends=1)]
    return {
        "tables": tables, "rows": rows, "sessions": sessions if len(sessions) > 1 else [],
        "session": session, "all_sessions_url": query(request, session="all", page=None),
        "tables_page": tables_page, "table_pages": table_pages if paginator.num_pages > 1
        else [],
        "tables_previous": query(request, page=tables_page.previous_page_number())
        if tables_page.has_previous() else None,
        "tables_next": query(request, page=tables_page.next_page_number())
        if tables_page.has_next() else None,
    }


@access(CLUSTER_TEAM)
def schedule(request, pk: int):
    event = reads.event_for_organiser(pk)
    view = request.GET.get("view") if request.GET.get("view") in ("grid", "people") else "grid"
    counts = reads.counts(event)
    waiting = Paginator(reads.waiting_meetings(event), reads.WAITING_PER_PAGE).get_page(
        request.GET.get("waiting"))
    context = {
        "event": event, "activity": event.activity, "counts": counts, "view": view,
        "runs": reads.runs(event), "waiting": waiting,
        "unscheduled": reads.unscheduled(event, list(waiting.object_list)),
        "waiting_previous": query(request, waiting=waiting.previous_page_number())
        if waiting.has_previous() else None,
        "waiting_next": query(request, waiting=waiting.next_page_number())
        if waiting.has_next() else None,
        "exact_allowed": counts["accepted"] <= scheduling.EXACT_LIMIT,
        "exact_limit": scheduling.EXACT_LIMIT,
        "recipients": reads.publication_recipient_count(event),
        "run_form": RunForm(),
        "grid_url": query(request, view="grid", page=None, q=None),
        "people_url": query(request, view="people", page=None, session=None, q=None),
    }
    if view == "grid":
        context.update(grid_context(request, event))
    else:
        search = request.GET.get("q", "").strip()
        listing = paginate(request, reads.participants_for_days(event, search),
                           per_page=reads.PEOPLE_PER_PAGE)
        context["slots"], context["people"] = reads.per_participant(
            event, list(listing.page.object_list))
        context.update({"listing": listing, "q": search})
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
