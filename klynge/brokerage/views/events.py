"""The organiser's pages of brokerage events: the list, setting one up from an activity, its
dashboard, its settings, sessions and slots, tables and participation types.
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.activities.models import Activity
from klynge.brokerage import selectors_events as reads
from klynge.brokerage.filters_participants import EventFilter
from klynge.brokerage.forms_events import (
    EventCreateForm,
    EventForm,
    SessionForm,
    TableNameForm,
    TablesForm,
    TypeForm,
)
from klynge.brokerage.models import BrokerageEvent, ParticipationType, Session, Slot, Table
from klynge.brokerage.services import events as services
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.views.common import apply_error, default_hub_params

EXPORT_HEADERS = [
    "id", "activity", "starts", "ends", "hub", "place", "meeting_minutes", "pause_minutes",
    "meeting_cap", "participants", "requests", "accepted", "scheduled", "requests_open",
    "requests_deadline", "published", "url",
]
#: The default first session: three hours from the activity's start ("morning").
MORNING = timedelta(hours=3)


def _when(value):
    """Spreadsheets hold no time zones: local wall-clock time, as people read it."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _posted(request, name: str) -> int:
    """The id a button posted (0 when missing or not a number: a 404 follows)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _event(pk: int) -> BrokerageEvent:
    try:
        return reads.event_for_page(pk)
    except BrokerageEvent.DoesNotExist as error:
        raise Http404 from error


# --- the list ---------------------------------------------------------------------------------


def _export_rows(request, queryset):
    for event in queryset:
        activity = event.activity
        yield [
            event.pk, activity.title, _when(activity.starts_at), _when(activity.ends_at),
            str(activity.hub or ""), activity.place, event.meeting_minutes,
            event.pause_minutes, event.meeting_cap, event.participant_count,
            event.request_count, event.accepted_count, event.scheduled_count,
            event.requests_open, _when(event.requests_deadline), _when(event.published_at),
            request.build_absolute_uri(event.get_absolute_url()),
        ]


@access(CLUSTER_TEAM)
def event_list(request):
    """Every B2B meeting event, upcoming ones first; search, filter, sort, export."""
    params = default_hub_params(request)
    listing = build_listing(request, EventFilter, reads.event_list(), data=params)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename="b2b-events", fmt=fmt, headers=EXPORT_HEADERS,
                               rows=_export_rows(request, listing.filterset.qs))
    return render(request, "brokerage/event_list.html", {
        "listing": listing,
        "filtered": listing.total == 0 and BrokerageEvent.objects.exists(),
        "candidates": reads.activities_without_event()[:5] if listing.total == 0 else [],
    })


# --- setting one up ---------------------------------------------------------------------------


def _morning(activity: Activity) -> tuple[datetime, datetime]:
    start = activity.starts_at
    return start, min(start + MORNING, activity.ends_at)


def _morning_label(activity: Activity) -> str:
    start, end = _morning(activity)
    if end <= start:
        return ""
    return _("%(start)s–%(end)s on %(day)s, from the activity's start; more sessions can be "
             "added later.") % {
        "start": f"{timezone.localtime(start):%H:%M}", "end": f"{timezone.localtime(end):%H:%M}",
        "day": timezone.localtime(start).date().isoformat()}


def _pick_activity(request):
    """No activity chosen: the upcoming activities without B2B meetings to choose from."""
    search = request.GET.get("q", "").strip()
    show_past = request.GET.get("past") == "1"
    candidates = reads.activities_without_event(upcoming_only=not show_past, search=search)
    return render(request, "brokerage/event_pick.html", {
        "candidates": candidates[:100], "total": candidates.count(), "search": search,
        "show_past": show_past,
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def event_create(request):
    """Set up B2B meetings for an activity (?activity=<pk>): timing, cap, deadline and, by
    default, a first session from the activity's start."""
    value = request.GET.get("activity", "")
    if not value.isdigit():
        return _pick_activity(request)
    activity = get_object_or_404(Activity.objects.select_related("hub"), pk=int(value))
    existing = BrokerageEvent.objects.filter(activity=activity).first()
    if existing is not None:
        return render(request, "brokerage/event_exists.html",
                      {"activity": activity, "event": existing}, status=409)
    label = _morning_label(activity)
    form = EventCreateForm(request.POST or None, morning_label=label)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # all or nothing: no half set-up event
                event = services.event_create(
                    activity=activity, actor=request.user,
                    meeting_minutes=data["meeting_minutes"],
                    pause_minutes=data["pause_minutes"], meeting_cap=data["meeting_cap"])
                if data["requests_deadline"]:
                    services.event_update(event=event, actor=request.user,
                                          data={"requests_deadline": data["requests_deadline"]})
                if data.get("morning_session"):
                    start, end = _morning(activity)
                    session = services.session_add(event=event, actor=request.user,
                                                   name=_("Morning"), starts_at=start,
                                                   ends_at=end)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            text = _("B2B meetings were set up for %(title)s.") % {"title": activity.title}
            if data.get("morning_session"):
                text += " " + _("The session %(name)s has %(n)s slots.") % {
                    "name": session.name, "n": session.slots.count()}
            messages.success(request, text)
            return redirect(event)
    return render(request, "brokerage/event_form.html",
                  {"form": form, "activity": activity, "creating": True})


# --- the dashboard and settings ---------------------------------------------------------------


@access(CLUSTER_TEAM)
def event_detail(request, pk: int):
    event = _event(pk)
    return render(request, "brokerage/event_detail.html",
                  {"event": event, "activity": event.activity, **reads.event_dashboard(event)})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = _event(pk)
    form = EventForm(request.POST or None, instance=BrokerageEvent.objects.get(pk=event.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(event)
    return render(request, "brokerage/event_form.html",
                  {"form": form, "activity": event.activity, "event": event})


# --- sessions and slots -----------------------------------------------------------------------


def _session_initial(event: BrokerageEvent) -> dict:
    """The next session after the last one (an hour's lunch, three hours), or the morning."""
    last = event.sessions.order_by("-ends_at").first()
    if last is None:
        start, end = _morning(event.activity)
        return {"name": _("Morning"), "starts_at": timezone.localtime(start),
                "ends_at": timezone.localtime(end)}
    start = last.ends_at + timedelta(hours=1)
    end = min(start + MORNING, max(event.activity.ends_at, start + timedelta(hours=1)))
    return {"name": _("Afternoon") if timezone.localtime(start).hour >= 12 else "",
            "starts_at": timezone.localtime(start), "ends_at": timezone.localtime(end)}


def _slot_action(request, event: BrokerageEvent) -> None:
    slot = get_object_or_404(Slot, pk=_posted(request, "slot"), event=event)
    make_break = request.POST.get("action") == "break"
    services.slot_set_break(slot=slot, actor=request.user, is_break=make_break)
    messages.success(request, (_("%(time)s is now a break.") if make_break
                               else _("%(time)s is now a meeting slot.")) % {"time": str(slot)})


def _session_delete(request, event: BrokerageEvent) -> None:
    session = get_object_or_404(Session, pk=_posted(request, "session"), event=event)
    name = session.name
    services.session_delete(session=session, actor=request.user)
    messages.success(request, _("The session %(name)s was deleted.") % {"name": name})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def event_sessions(request, pk: int):
    """The sessions with their slots; add a session (slots made from the event's timing),
    mark a slot as a break or not, delete a session."""
    event = _event(pk)
    form = SessionForm(initial=_session_initial(event))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("break", "unbreak"):
                _slot_action(request, event)
                return redirect("brokerage:event_sessions", event.pk)
            if action == "delete":
                _session_delete(request, event)
                return redirect("brokerage:event_sessions", event.pk)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("brokerage:event_sessions", event.pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = services.session_add(event=event, actor=request.user,
                                               **form.cleaned_data)
            except ApplicationError as error:
                apply_error(form, error)
            else:
                last = session.slots.order_by("-starts_at").first()
                messages.success(request, _(
                    "The session %(name)s has %(n)s slots, the last ending at %(end)s.") % {
                    "name": session.name, "n": session.slots.count(),
                    "end": f"{timezone.localtime(last.ends_at):%H:%M}"})
                return redirect("brokerage:event_sessions", event.pk)
    return render(request, "brokerage/event_sessions.html", {
        "event": event, "activity": event.activity, "form": form,
        "sessions": reads.sessions_with_slots(event),
    })


# --- tables -----------------------------------------------------------------------------------


def _table_action(request, event: BrokerageEvent, action: str):
    table = get_object_or_404(Table, pk=_posted(request, "table"), event=event)
    if action == "rename":
        form = TableNameForm(request.POST)
        if not form.is_valid():
            raise ApplicationError(_("Every table needs a name."))
        old = table.name
        services.table_rename(table=table, actor=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("%(old)s is now called %(new)s.")
                         % {"old": old, "new": table.name})
    else:
        name = table.name
        services.table_delete(table=table, actor=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": name})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def event_tables(request, pk: int):
    """How many tables (numbered), rename one, remove one (never one holding a meeting)."""
    event = _event(pk)
    tables = reads.tables_with_use(event)
    form = TablesForm(initial={"count": len(tables) or 10})
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("rename", "delete"):
            try:
                _table_action(request, event, action)
            except ApplicationError as error:
                messages.error(request, error.message)
            return redirect("brokerage:event_tables", event.pk)
        form = TablesForm(request.POST)
        if form.is_valid():
            try:
                after = services.tables_set(event=event, actor=request.user,
                                            count=form.cleaned_data["count"])
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("The event has %(n)s tables.") % {"n": len(after)})
                return redirect("brokerage:event_tables", event.pk)
    return render(request, "brokerage/event_tables.html", {
        "event": event, "activity": event.activity, "form": form, "tables": tables,
        "slot_count": event.slots.filter(is_break=False).count(),
    })


# --- participation types ----------------------------------------------------------------------


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def event_types(request, pk: int):
    """Participation types (buyer/seller, company/researcher) with their caps: add, change
    (?edit=<type>), delete (never one that participants have)."""
    event = _event(pk)
    edit = request.POST.get("type") or request.GET.get("edit")
    editing = (get_object_or_404(ParticipationType, pk=edit, event=event)
               if edit and str(edit).isdigit() else None)
    if request.method == "POST" and request.POST.get("action") == "delete" and editing:
        name = editing.name
        try:
            services.type_delete(type=editing, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The type %(name)s was deleted.") % {"name": name})
        return redirect("brokerage:event_types", event.pk)
    form = TypeForm(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.type_save(event=event, actor=request.user, type=editing,
                                      data=form.cleaned_data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, (_("The type %(name)s was saved.") if editing
                                       else _("The type %(name)s was added."))
                             % {"name": kind.name})
            return redirect("brokerage:event_types", event.pk)
    return render(request, "brokerage/event_types.html", {
        "event": event, "activity": event.activity, "form": form, "editing": editing,
        "types": reads.types_with_use(event),
        "cancel_url": reverse("brokerage:event_types", args=[event.pk]),
    })


urlpatterns = [
    path("", event_list, name="event_list"),
    path("new/", event_create, name="event_create"),
    path("<int:pk>/", event_detail, name="event_detail"),
    path("<int:pk>/edit/", event_edit, name="event_edit"),
    path("<int:pk>/sessions/", event_sessions, name="event_sessions"),
    path("<int:pk>/tables/", event_tables, name="event_tables"),
    path("<int:pk>/types/", event_types, name="event_types"),
]
