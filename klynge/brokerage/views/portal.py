"""A participant's own pages, opened by the personal link in their e-mail (the key is the
credential, like an order secret: an unknown key or a withdrawn participant gets 404): their
requests and meetings, their marketplace entry and availability, the marketplace with
"people you should meet", a request; and the signed-in member's list of their events.

Another participant's private data never shows here: not their unavailability, not their
requests to others, and their e-mail only once a meeting with them is accepted.
"""

import functools

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.brokerage import selectors_meetings as meeting_reads
from klynge.brokerage import selectors_portal as reads
from klynge.brokerage.domain import rules
from klynge.brokerage.filters_meetings import MarketplaceFilter
from klynge.brokerage.forms_meetings import AnswerForm, MeetingRequestForm, ProfileForm
from klynge.brokerage.models import Meeting, Participant
from klynge.brokerage.services import meetings as services
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing
from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import Role


def _me(key) -> Participant:
    participant = reads.participant_by_key(key)
    if participant is None:
        raise Http404
    return participant


def _context(participant: Participant, section: str, **extra) -> dict:
    return {"me": participant, "event": participant.event,
            "activity": participant.event.activity, "section": section, **extra}


@access({Role.MEMBER})
def my_events(request):
    """The signed-in user's participations in B2B meeting events, with their personal
    pages."""
    return render(request, "brokerage/mine.html", {
        "participations": list(reads.my_participations(request.user)),
        "has_person": getattr(request.user, "person_id", None) is not None,
    })


@access(PUBLIC)
def me_home(request, key):
    """Requests received (answer), sent (cancel), accepted meetings, counts against the
    cap. ?meeting=&answer= (the links in the request e-mail) highlight one request; nothing
    changes on GET (mail scanners follow links)."""
    participant = _me(key)
    data = reads.home(participant)
    focus = request.GET.get("meeting", "")
    return render(request, "brokerage/me_home.html", _context(
        participant, "home", home=data,
        focus=int(focus) if focus.isdigit() else None,
        suggested=request.GET.get("answer", ""),
    ))


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def me_profile(request, key):
    """The participant's marketplace entry and the times they cannot meet."""
    from klynge.brokerage.services import participants as participant_services

    participant = _me(key)
    slots = reads.meeting_slots(participant)
    initial = {"headline": participant.headline, "offers": participant.offers,
               "seeks": participant.seeks, "is_listed": participant.is_listed,
               "unavailable": list(participant.unavailable.values_list("pk", flat=True))}
    form = ProfileForm(request.POST or None, slots=slots, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            participant_services.participant_update(participant=participant, actor=None, data={
                key: data[key] for key in ("headline", "offers", "seeks", "is_listed")})
            if "unavailable" in form.fields:
                participant_services.participant_set_unavailable(
                    participant=participant, actor=None, slots=list(data["unavailable"]))
        except ApplicationError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, _("Your entry and availability are saved."))
            return redirect("brokerage:me_profile", key=participant.key)
    return render(request, "brokerage/me_profile.html", _context(
        participant, "profile", form=form, has_slots="unavailable" in form.fields))


@access(PUBLIC)
def me_marketplace(request, key):
    """The other listed participants: search, type and kind of organisation, pages; each
    with a request button or the reasons it is not possible; and "people you should
    meet" on the unfiltered first page."""
    participant = _me(key)
    filter_class = functools.partial(MarketplaceFilter, event=participant.event)
    listing = build_listing(request, filter_class, reads.marketplace(participant))
    switched_off, deadline_passed = meeting_reads.requests_closed(participant.event)
    closed = switched_off or deadline_passed
    filtered = any(request.GET.get(k) for k in ("q", "type", "kind"))
    first_page = not filtered and listing.page.number == 1
    suggestions = reads.people_to_meet(participant) if first_page else []
    rows = list(listing.rows)
    obstacles = services.booking_obstacles_many(
        requester=participant, recipients=rows + [m.participant for m in suggestions],
        leave_out=(rules.REQUESTS_CLOSED,))
    cards = [{"participant": p, "obstacles": obstacles[p.pk]} for p in rows]
    for match in suggestions:
        match.obstacles = obstacles[match.participant.pk]
    return render(request, "brokerage/me_marketplace.html", _context(
        participant, "marketplace", listing=listing, cards=cards, filtered=filtered,
        suggestions=suggestions, anyone=reads.marketplace(participant).exists(),
        closed=closed,
        deadline=participant.event.requests_deadline if deadline_passed else None,
    ))


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def me_request(request, key, participant: int):
    """Request a meeting with one participant: the form, or the reasons it is not
    possible."""
    me = _me(key)
    other = get_object_or_404(
        meeting_reads.in_marketplace(me.event).select_related(
            "person", "organisation", "participation_type"), pk=participant)
    if other.pk == me.pk:
        raise Http404
    reasons = services.booking_obstacles(requester=me, recipient=other)
    form = MeetingRequestForm(request.POST or None)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            services.meeting_request(requester=me, recipient=other,
                                     message=form.cleaned_data["message"],
                                     priority=form.cleaned_data["priority"])
        except ApplicationError as error:
            reasons = error.extra.get("reasons") or [error.message]
        else:
            messages.success(request, _("Your request was sent to %(name)s. You will get an "
                                        "e-mail when they answer.") % {
                "name": other.person.full_name})
            return redirect("brokerage:me_home", key=me.key)
    return render(request, "brokerage/me_request.html", _context(
        me, "marketplace", other=other, form=form, reasons=reasons,
    ), status=400 if request.method == "POST" and reasons else 200)


def _own_meeting(participant: Participant, pk: int,
                 sides=("requester", "recipient")) -> Meeting:
    """One of the participant's meetings (404 for anyone else's: never a hint it exists)."""
    query = Q()
    for side in sides:
        query |= Q(**{side: participant})
    return get_object_or_404(Meeting.objects.filter(query).select_related(
        "requester__person", "recipient__person"), pk=pk, event=participant.event)


@access(PUBLIC)
@require_POST
def me_answer(request, key, meeting: int):
    """Accept or decline a request made to this participant."""
    participant = _me(key)
    found = _own_meeting(participant, meeting, sides=("recipient",))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or decline."))
    else:
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.meeting_answer(meeting=found, participant=participant, accept=accept,
                                    message=form.cleaned_data["message"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            name = found.requester.person.full_name
            messages.success(request, (_("You accepted the meeting with %(name)s.") if accept
                                       else _("You declined the request of %(name)s."))
                             % {"name": name})
    return redirect(reverse("brokerage:me_home", args=[participant.key]))


@access(PUBLIC)
@require_POST
def me_cancel(request, key, meeting: int):
    """Cancel a request this participant made, or one of their meetings."""
    participant = _me(key)
    found = _own_meeting(participant, meeting)
    try:
        services.meeting_cancel(meeting=found, participant=participant,
                                reason=request.POST.get("reason", "")[:500])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The meeting with %(name)s was cancelled; they were "
                                    "e-mailed.") % {
            "name": found.other(participant).person.full_name})
    return redirect(reverse("brokerage:me_home", args=[participant.key]))


urlpatterns = [
    path("mine/", my_events, name="my_events"),
    path("me/<uuid:key>/", me_home, name="me_home"),
    path("me/<uuid:key>/profile/", me_profile, name="me_profile"),
    path("me/<uuid:key>/marketplace/", me_marketplace, name="me_marketplace"),
    path("me/<uuid:key>/request/<int:participant>/", me_request, name="me_request"),
    path("me/<uuid:key>/meetings/<int:meeting>/answer/", me_answer, name="me_answer"),
    path("me/<uuid:key>/meetings/<int:meeting>/cancel/", me_cancel, name="me_cancel"),
]
