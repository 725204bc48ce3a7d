"""The event day for the organiser: the table plan (one session and 30 tables at a time on
the page; the PDF, CSV and Excel files hold every slot and table), check-in of meetings held
(one slot at a time, with a search), what came of a meeting, the statistics, and all agendas
in one PDF."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.brokerage import agenda_files
from klynge.brokerage import selectors_agenda as agendas
from klynge.brokerage import selectors_schedule as reads
from klynge.brokerage import selectors_statistics as stats
from klynge.brokerage.choices import Attendance
from klynge.brokerage.forms_day import CheckinForm, OutcomeForm
from klynge.brokerage.models import Meeting
from klynge.brokerage.services import day as services
from klynge.brokerage.views.schedule import grid_context, query
from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response, paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.views.common import apply_error


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


PLAN_HEADERS = ["session", "starts", "ends", "table", "requester", "requester_organisation",
                "recipient", "recipient_organisation", "attendance"]


@access(CLUSTER_TEAM)
def table_plan(request, pk: int):
    event = reads.event_for_organiser(pk)
    fmt = request.GET.get("format")
    name = f"table-plan-{slugify(event.activity.title)[:40] or event.pk}"
    if fmt == "pdf":  # every slot and table, read in three queries
        tables, rows = reads.grid(event)
        return _pdf(agenda_files.table_plan_pdf(activity=event.activity, tables=tables,
                                                rows=rows), name)
    if fmt in ("csv", "xlsx"):  # every scheduled meeting, one query of plain columns
        return export_response(basename="table-plan", fmt=fmt, headers=PLAN_HEADERS,
                               rows=reads.plan_export_rows(event))
    return render(request, "brokerage/plan.html", {
        "event": event, "activity": event.activity,
        "scheduled": reads.checkin_figures(event)["scheduled"], **grid_context(request, event),
    })


# --- check-in ---------------------------------------------------------------------------------


@access(CLUSTER_TEAM)
def checkin(request, pk: int):
    """One slot at a time: the slots as tabs with the meetings still to check in; without a
    choice the slot in progress (or next) on the day, else the first with meetings open."""
    event = reads.event_for_organiser(pk)
    groups = reads.checkin_slots(event)
    chosen = request.GET.get("slot", "")
    group = next((g for g in groups if str(g["slot"].pk) == chosen), None) \
        or reads.default_checkin_slot(groups)
    search = request.GET.get("q", "").strip()
    pending = request.GET.get("open") == "1"
    for g in groups:
        g["url"] = query(request, slot=g["slot"].pk, q=None, page=None)
        g["current"] = g is group
    listing = paginate(request, reads.checkin_meetings(group["slot"], search,
                                                       open_only=pending) if group else [],
                       per_page=reads.CHECKIN_PER_PAGE)
    return render(request, "brokerage/checkin.html", {
        "event": event, "activity": event.activity, "slots": groups, "group": group,
        "meetings": list(listing.page.object_list), "listing": listing,
        "q": search, "pending": pending, "figures": reads.checkin_figures(event),
        "choices": Attendance.choices,
        "back": reverse("brokerage:checkin", args=[event.pk])
        + query(request, slot=group["slot"].pk) if group else "",
        "pending_url": query(request, open=None if pending else "1", page=None),
    })


@require_POST
@access(CLUSTER_TEAM)
def meeting_checkin(request, pk: int):
    """One tap: htmx gets the updated row back, a plain POST the list (or `next`)."""
    meeting = get_object_or_404(Meeting.objects.select_related("event"), pk=pk)
    form = CheckinForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose whether the meeting was held.")
    else:
        try:
            services.meeting_check_in(meeting=meeting, actor=request.user,
                                      attendance=form.cleaned_data["attendance"])
        except ApplicationError as refused:
            error = refused.message
    if request.htmx:
        meeting = (Meeting.objects.select_related(
            "requester__person", "requester__organisation", "recipient__person",
            "recipient__organisation", "slot", "table").get(pk=meeting.pk))
        return render(request, "brokerage/checkin_row.html",
                      {"m": meeting, "error": error, "choices": Attendance.choices})
    if error:
        messages.error(request, error)
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("brokerage:checkin", args=[meeting.event_id])
                    + (f"?slot={meeting.slot_id}" if meeting.slot_id else ""))


@require_http_methods(["GET", "POST"])
@access(CLUSTER_TEAM)
def meeting_outcome(request, pk: int):
    meeting = get_object_or_404(
        Meeting.objects.select_related("event__activity", "requester__person",
                                       "requester__organisation", "recipient__person",
                                       "recipient__organisation", "slot", "table",
                                       "introduction"), pk=pk)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_record_outcome(meeting=meeting, actor=request.user,
                                            kind=data["kind"], on=data["on"], note=data["note"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("The outcome was recorded on the introduction between "
                                        "the two organisations."))
            return redirect(meeting.get_absolute_url())
    outcomes = list(meeting.introduction.outcomes.order_by("date", "pk")
                    if meeting.introduction_id else [])
    return render(request, "brokerage/checkin_outcome.html", {
        "meeting": meeting, "event": meeting.event, "form": form, "outcomes": outcomes,
        "held": meeting.attendance == Attendance.HELD,
    })


# --- statistics and agendas -------------------------------------------------------------------

STAT_HEADERS = ["type", "participants", "requested", "accepted", "scheduled", "held",
                "no_shows"]


@access(CLUSTER_TEAM)
def statistics(request, pk: int):
    event = reads.event_for_organiser(pk)
    figures = stats.event_statistics(event)
    types = stats.by_type(event)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = [[row[key] for key in STAT_HEADERS] for row in types]
        rows.append([_("All participants")] + [figures[key] for key in STAT_HEADERS[1:]])
        return export_response(basename="b2b-statistics", fmt=fmt, headers=STAT_HEADERS,
                               rows=rows)
    return render(request, "brokerage/statistics.html", {
        "event": event, "activity": event.activity, "s": figures, "types": types,
        "runs": reads.runs(event, limit=5),
    })


@access(CLUSTER_TEAM)
def agendas_pdf(request, pk: int):
    event = reads.event_for_organiser(pk)
    published = event.published_at is not None
    content = agenda_files.agenda_pdf(
        activity=event.activity,
        agendas=agendas.agendas_for_event(event, published=published))
    return _pdf(content, f"agendas-{slugify(event.activity.title)[:40] or event.pk}")


urlpatterns = [
    path("<int:pk>/plan/", table_plan, name="table_plan"),
    path("<int:pk>/checkin/", checkin, name="checkin"),
    path("meetings/<int:pk>/checkin/", meeting_checkin, name="meeting_checkin"),
    path("meetings/<int:pk>/outcome/", meeting_outcome, name="meeting_outcome"),
    path("<int:pk>/statistics/", statistics, name="statistics"),
    path("<int:pk>/agendas.pdf", agendas_pdf, name="agendas_pdf"),
]
