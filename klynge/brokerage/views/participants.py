"""The organiser's participant pages: the list (search, filters, counts, export with the
personal links), adding the activity's registered people, and one participant's page
(marketplace entry, type, cap, unavailable slots, withdraw or reinstate, resend the link).
"""

from functools import partial

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.brokerage import selectors_events as reads
from klynge.brokerage.filters_participants import ParticipantFilter
from klynge.brokerage.forms_participants import ParticipantAddForm, ParticipantForm
from klynge.brokerage.models import BrokerageEvent, Participant
from klynge.brokerage.services import participants as services
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.views.common import apply_error

EXPORT_HEADERS = [
    "id", "first_name", "last_name", "email", "language", "organisation", "cvr",
    "participation_type", "meeting_cap", "headline", "offers", "seeks", "listed",
    "requests_made", "requests_received", "accepted", "scheduled", "withdrawn", "added",
    "personal_link",
]


def _event(pk: int) -> BrokerageEvent:
    try:
        return reads.event_for_page(pk)
    except BrokerageEvent.DoesNotExist as error:
        raise Http404 from error


def _when(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _export_rows(queryset):
    for p in queryset:
        organisation = p.organisation
        yield [
            p.pk, p.person.first_name, p.person.last_name, p.person.email, p.person.language,
            organisation.name if organisation else "", (organisation.cvr or "")
            if organisation else "", str(p.participation_type or ""), p.meeting_cap,
            p.headline, p.offers, p.seeks, p.is_listed, p.made_count, p.received_count,
            p.accepted_count, p.scheduled_count, _when(p.withdrawn_at), _when(p.created_at),
            services.personal_url(p),
        ]


@access(CLUSTER_TEAM)
def participant_list(request, pk: int):
    """Search, filter, sort and page through the event's participants; export what is
    filtered, with each personal link for the organiser to send."""
    event = _event(pk)
    params = request.GET.copy()
    if "state" not in params:
        params["state"] = "active"
    listing = build_listing(request, partial(ParticipantFilter, event=event),
                            reads.participant_list(event), data=params,
                            default_ordering="name")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename="b2b-participants", fmt=fmt, headers=EXPORT_HEADERS,
                               rows=_export_rows(listing.filterset.qs))
    return render(request, "brokerage/participant_list.html", {
        "event": event, "activity": event.activity, "listing": listing,
        "default_ordering": "name",
        "has_any": event.participants.exists(),
        "types": event.participation_types.exists(),
        "to_add": reads.registrations_to_add(event).count(),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def participant_add(request, pk: int):
    """Add every registered person of the activity at once, or one of them."""
    event = _event(pk)
    registrations = reads.registrations_to_add(event)
    form = ParticipantAddForm(None, registrations=registrations, event=event)
    if request.method == "POST" and request.POST.get("action") == "all":
        try:
            added = services.participants_add_registered(event=event, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("brokerage:participant_add", event.pk)
        if added:
            messages.success(request, _("%(n)s participants were added; each gets an e-mail "
                                        "with their personal link.") % {"n": added})
        else:
            messages.info(request, _("Every registered person is a participant already."))
        return redirect("brokerage:participant_list", event.pk)
    if request.method == "POST":
        form = ParticipantAddForm(request.POST, registrations=registrations, event=event)
        if form.is_valid():
            registration = form.cleaned_data["registration"]
            try:
                participant = services.participant_add(
                    event=event, person=registration.person, actor=request.user,
                    organisation=registration.organisation, registration=registration,
                    participation_type=form.cleaned_data.get("participation_type"))
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("%(name)s was added and gets an e-mail with their "
                                            "personal link.") % {"name": participant.person})
                return redirect("brokerage:participant_add", event.pk)
    counts = event.activity.registrations.values_list("status", flat=True)
    return render(request, "brokerage/participant_add.html", {
        "event": event, "activity": event.activity, "form": form,
        "to_add": registrations.count(), "participants": event.participants.count(),
        "registered": sum(1 for status in counts if status == "registered"),
        "waitlisted": sum(1 for status in counts if status == "waitlisted"),
    })


def _participant(pk: int) -> Participant:
    try:
        return reads.participant_for_page(pk)
    except Participant.DoesNotExist as error:
        raise Http404 from error


def _status_action(request, participant: Participant, action: str) -> None:
    name = participant.person
    if action == "withdraw":
        cancelled = services.participant_withdraw(participant=participant, actor=request.user)
        messages.success(request, _("%(name)s has withdrawn; %(n)s open meetings were "
                                    "cancelled.") % {"name": name, "n": cancelled})
    elif action == "reinstate":
        services.participant_reinstate(participant=participant, actor=request.user)
        messages.success(request, _("%(name)s takes part again.") % {"name": name})
    elif action == "welcome":
        services.participant_welcome_send(participant=participant, actor=request.user)
        messages.success(request, _("The personal link was e-mailed to %(email)s.")
                         % {"email": participant.person.email})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk: int):
    """A participant's entry, type, cap and unavailable slots; withdraw (cancelling their
    open meetings), reinstate, resend the personal link."""
    participant = _participant(pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("withdraw", "reinstate", "welcome"):
        try:
            _status_action(request, participant, action)
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("brokerage:participant_edit", participant.pk)
    form = ParticipantForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the entry and the slots together, or neither
                services.participant_update(participant=participant, actor=request.user,
                                            data=data)
                if "unavailable" in form.fields:
                    services.participant_set_unavailable(
                        participant=participant, actor=request.user,
                        slots=data["unavailable"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("brokerage:participant_edit", participant.pk)
    event = participant.event
    return render(request, "brokerage/participant_edit.html", {
        "participant": participant, "event": event, "activity": event.activity, "form": form,
        "meetings": reads.participant_meetings(participant),
        "open_count": services.open_meetings(participant).count(),
        "personal_url": services.personal_url(participant),
        "audit": reads.audit_trail(participant),
    })


urlpatterns = [
    path("<int:pk>/participants/", participant_list, name="participant_list"),
    path("<int:pk>/participants/add/", participant_add, name="participant_add"),
    path("participants/<int:pk>/edit/", participant_edit, name="participant_edit"),
]
