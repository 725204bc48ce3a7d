"""The organiser's meeting pages: every request and meeting of an event (search, filters,
export), a meeting arranged between two participants, one meeting with its history, and
cancelling it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.brokerage import selectors_meetings as reads
from klynge.brokerage.filters_meetings import MeetingFilter
from klynge.brokerage.forms_meetings import MeetingArrangeForm, MeetingCancelForm
from klynge.brokerage.models import BrokerageEvent, Meeting
from klynge.brokerage.services import meetings as services
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM

EXPORT_HEADERS = [
    "id", "made", "requester", "requester_email", "requester_organisation", "recipient",
    "recipient_email", "recipient_organisation", "priority", "status", "origin", "message",
    "answer", "answered", "slot", "table", "published_slot", "published_table", "locked",
    "attendance", "checked_in",
]


def _when(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _slot(slot):
    return _when(slot.starts_at) if slot else None


def _export_rows(queryset):
    for m in queryset:
        yield [
            m.pk, _when(m.created_at), m.requester.person.full_name, m.requester.person.email,
            str(m.requester.organisation or ""), m.recipient.person.full_name,
            m.recipient.person.email, str(m.recipient.organisation or ""),
            m.get_priority_display(), m.get_status_display(), m.get_origin_display(),
            m.message, m.answer_message, _when(m.answered_at), _slot(m.slot),
            str(m.table or ""), _slot(m.published_slot), str(m.published_table or ""),
            m.locked, m.get_attendance_display(), _when(m.checked_in_at),
        ]


def _event(pk: int) -> BrokerageEvent:
    return get_object_or_404(BrokerageEvent.objects.select_related("activity"), pk=pk)


def _meeting(pk: int) -> Meeting:
    try:
        return reads.meeting_detail(pk)
    except Meeting.DoesNotExist as error:
        raise Http404 from error


@access(CLUSTER_TEAM)
def meeting_list(request, pk: int):
    """Search, filter, sort and page through the event's meetings; export what is filtered."""
    event = _event(pk)
    listing = build_listing(request, MeetingFilter, reads.meeting_list(event))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename=f"meetings-{event.pk}", fmt=fmt,
                               headers=EXPORT_HEADERS, rows=_export_rows(listing.filterset.qs))
    counts = reads.meeting_counts(event)
    return render(request, "brokerage/meeting_list.html", {
        "event": event, "listing": listing, "counts": counts,
        "any": sum(counts.values()) > 0,
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk: int):
    """The organiser arranges a meeting between two participants (?requester=&recipient=
    preselect them); refused with every reason in words."""
    event = _event(pk)
    participants = reads.active_participants(event)
    initial = {key: request.GET[key] for key in ("requester", "recipient")
               if request.GET.get(key, "").isdigit()}
    form = MeetingArrangeForm(request.POST or None, participants=participants,
                              initial=initial)
    reasons = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_arrange(
                event=event, requester=data["requester"], recipient=data["recipient"],
                actor=request.user, priority=data["priority"], message=data["message"])
        except ApplicationError as error:
            reasons = error.extra.get("reasons") or [error.message]
        else:
            messages.success(request, _("The meeting of %(a)s and %(b)s is arranged; both "
                                        "were e-mailed.") % {
                "a": meeting.requester.person.full_name,
                "b": meeting.recipient.person.full_name})
            return redirect(meeting)
    return render(request, "brokerage/meeting_form.html", {
        "event": event, "form": form, "reasons": reasons,
        "has_participants": participants.count() >= 2,
    }, status=400 if reasons else 200)


@access(CLUSTER_TEAM)
def meeting_detail(request, pk: int):
    meeting = _meeting(pk)
    return render(request, "brokerage/meeting_detail.html", {
        "meeting": meeting, "event": meeting.event, "audit": reads.audit_trail(meeting),
        "cancel_form": MeetingCancelForm(),
        "may_cancel": meeting.status in reads.OPEN_STATUSES,
    })


@access(CLUSTER_TEAM)
@require_POST
def meeting_cancel(request, pk: int):
    """Cancel on POST (the button asks first); both sides are e-mailed."""
    meeting = _meeting(pk)
    form = MeetingCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.meeting_cancel(meeting=meeting, actor=request.user, reason=reason)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting was cancelled; both sides were e-mailed."))
    return redirect(meeting)


urlpatterns = [
    path("<int:pk>/meetings/", meeting_list, name="meeting_list"),
    path("<int:pk>/meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
]
