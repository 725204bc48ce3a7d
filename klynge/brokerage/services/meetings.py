"""Writes of meetings: a participant requests one, the other side accepts or declines, either
side (or the organiser) cancels, and the organiser arranges one directly. The rules of who may
meet whom are pure code (domain/rules.py); `booking_obstacles` words them for a person.

E-mails go out after the transaction commits, in the recipient's language (Person.language):
the recipient of a new request (with links to answer it on their page), the requester when
it is answered, the other side when a meeting is cancelled, both sides when the organiser
arranges one.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.brokerage import selectors_meetings as reads
from klynge.brokerage.choices import MeetingOrigin, MeetingStatus, Priority
from klynge.brokerage.domain import rules
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError

logger = logging.getLogger(__name__)


def base_url() -> str:
    return str(getattr(settings, "KLYNGE_BASE_URL", "http://localhost:8000")).rstrip("/")


def cluster_name() -> str:
    return getattr(settings, "KLYNGE_CLUSTER_NAME", "Klynge")


def home_url(participant: Participant) -> str:
    """The participant's personal page, as a full link for an e-mail."""
    return base_url() + reverse("brokerage:me_home", args=[participant.key])


# --- the obstacles in words -------------------------------------------------------------------


def _name(participant: Participant) -> str:
    return participant.person.full_name


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _sentence(code: str, facts: rules.RequestFacts, requester: Participant,
              recipient: Participant, organiser: bool) -> str:
    """One obstacle as a whole sentence: to the requester ("you") or, for the organiser,
    naming both sides."""
    a, b = _name(requester), _name(recipient)
    names = {"a": a, "b": b, "name": b}
    if code == rules.SELF:
        return (_("A meeting needs two different participants.") if organiser
                else _("You cannot request a meeting with yourself."))
    if code == rules.COLLEAGUE:
        org = requester.organisation.name if requester.organisation else ""
        if organiser:
            return _("%(a)s and %(b)s both work at %(organisation)s: colleagues cannot be "
                     "booked against each other.") % {**names, "organisation": org}
        return _("%(name)s works at %(organisation)s, as you do: colleagues cannot be booked "
                 "against each other.") % {**names, "organisation": org}
    if code == rules.WITHDRAWN:
        gone = [p for p in (requester, recipient) if p.withdrawn_at is not None]
        if not organiser and requester in gone:
            return _("You have withdrawn from this event.")
        return " ".join(_("%(name)s has withdrawn from this event.") % {"name": _name(p)}
                        for p in gone)
    if code == rules.NOT_LISTED:
        return _("%(name)s is not shown in the marketplace and does not take meeting "
                 "requests.") % names
    if code == rules.SAME_TYPE_NOT_ALLOWED:
        kind = str(requester.participation_type)
        if organiser:
            return _("%(a)s and %(b)s are both “%(type)s”, and participants of that type do "
                     "not meet each other at this event.") % {**names, "type": kind}
        return _("%(name)s is a “%(type)s” participant, as you are, and participants of that "
                 "type do not meet each other at this event.") % {**names, "type": kind}
    if code == rules.REQUESTS_CLOSED:
        event = requester.event
        if facts.deadline_passed and event.requests_deadline:
            return _("Meeting requests closed on %(when)s.") % {
                "when": _when(event.requests_deadline)}
        return _("Meeting requests are closed for this event.")
    if code == rules.ALREADY_REQUESTED:
        existing = facts.existing
        if existing.status == MeetingStatus.ACCEPTED:
            return (_("%(a)s and %(b)s already have a meeting.") % names if organiser
                    else _("You already have a meeting with %(name)s.") % names)
        if existing.requester_id == requester.pk:
            return (_("%(a)s has already asked %(b)s for a meeting; it waits for an answer.")
                    % names if organiser
                    else _("You have already asked %(name)s for a meeting; they have not "
                           "answered yet.") % names)
        return (_("%(b)s has already asked %(a)s for a meeting; it waits for an answer.")
                % names if organiser
                else _("%(name)s has already asked you for a meeting: accept it on your page "
                       "instead.") % names)
    if code == rules.ALREADY_DECLINED:
        return (_("%(b)s has declined a meeting requested by %(a)s.") % names if organiser
                else _("%(name)s has declined your request for a meeting, so it cannot be "
                       "requested again.") % names)
    if code == rules.REQUESTER_FULL:
        count = facts.requester.accepted
        if organiser:
            return _full_other(requester, count)
        return _full_own(count)
    if code == rules.RECIPIENT_FULL:
        return _full_other(recipient, facts.recipient.accepted)
    if code == rules.NO_COMMON_SLOT:
        return (_("%(a)s and %(b)s have no free meeting time in common.") % names if organiser
                else _("You and %(name)s have no free meeting time in common.") % names)
    raise ValueError(f"unknown obstacle {code!r}")


def _full_own(count: int) -> str:
    return ngettext("You already have %(count)s accepted meeting, as many as you can have at "
                    "this event.",
                    "You already have %(count)s accepted meetings, as many as you can have at "
                    "this event.", count) % {"count": count}


def _full_other(participant: Participant, count: int) -> str:
    return ngettext("%(name)s's agenda is full: they already have %(count)s accepted meeting, "
                    "as many as they can have.",
                    "%(name)s's agenda is full: they already have %(count)s accepted meetings, "
                    "as many as they can have.", count) % {"name": _name(participant),
                                                           "count": count}


def describe(codes, facts: rules.RequestFacts, *, requester: Participant,
             recipient: Participant, organiser: bool = False) -> list[str]:
    """The obstacle codes as sentences, in their order."""
    return [_sentence(code, facts, requester, recipient, organiser) for code in codes]


def booking_obstacles(*, requester: Participant, recipient: Participant) -> list[str]:
    """Why `requester` cannot request a meeting with `recipient`, every reason in words;
    empty when the request is possible (rules: domain/rules.py)."""
    facts = reads.request_facts(requester, [recipient])[recipient.pk]
    return describe(rules.obstacles(facts), facts, requester=requester, recipient=recipient)


def booking_obstacles_many(*, requester: Participant, recipients,
                           leave_out: tuple[str, ...] = ()) -> dict[int, list[str]]:
    """`booking_obstacles` for many recipients at once (a page of the marketplace), in a
    fixed number of queries: {recipient id: sentences}. `leave_out` names obstacle codes the
    page says once for all (e.g. requests_closed)."""
    recipients = list(recipients)
    facts = reads.request_facts(requester, recipients)
    return {r.pk: describe([c for c in rules.obstacles(facts[r.pk]) if c not in leave_out],
                           facts[r.pk], requester=requester, recipient=r)
            for r in recipients}


def _refuse(sentences: list[str]) -> ApplicationError:
    return ApplicationError(" ".join(sentences), extra={"reasons": sentences})


def _check_pair(event: BrokerageEvent | None, requester: Participant,
                recipient: Participant) -> None:
    if requester is None or recipient is None:
        raise ApplicationError(_("Choose both participants of the meeting."))
    if requester.event_id != recipient.event_id or (event is not None
                                                    and requester.event_id != event.pk):
        raise ApplicationError(_("Both participants must take part in this event."))


def _lock(*participants: Participant) -> None:
    """Lock the two participants' rows (in a fixed order), so two answers at once cannot both
    take the last place in an agenda."""
    list(Participant.objects.select_for_update(of=("self",)).filter(
        pk__in=sorted(p.pk for p in participants)).order_by("pk").values_list("pk"))


# --- e-mails ----------------------------------------------------------------------------------


def _send(template: str, subject: str, context: dict, to: str) -> None:
    body = render_to_string(f"brokerage/email/{template}.txt",
                            {**context, "cluster_name": cluster_name()})
    send_mail(subject, body, None, [to], fail_silently=False)


def _mail(participant: Participant, template: str, subject, context: dict) -> None:
    """E-mail one participant in their language; a failure is logged, never raised (the
    change is saved and shown on their page either way)."""
    person = participant.person
    if not person.email:
        return
    try:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            _send(template, str(subject()), {
                **context, "person": person, "participant": participant,
                "event": participant.event, "activity": participant.event.activity,
                "home_url": home_url(participant)}, person.email)
    except Exception:  # SMTP failures must not undo the answer that was given
        logger.exception("Could not e-mail %s about a brokerage meeting", person.email)


def _tell_request(meeting: Meeting) -> None:
    recipient, requester = meeting.recipient, meeting.requester
    answer = home_url(recipient) + f"?meeting={meeting.pk}"
    _mail(recipient, "request", lambda: _("Meeting request from %(name)s") % {
        "name": _name(requester)}, {
        "meeting": meeting, "other": requester,
        "priority": Priority(meeting.priority).label,
        "accept_url": f"{answer}&answer=accept#meeting-{meeting.pk}",
        "decline_url": f"{answer}&answer=decline#meeting-{meeting.pk}",
    })


def _tell_arranged(meeting: Meeting) -> None:
    for participant in (meeting.requester, meeting.recipient):
        other = meeting.other(participant)
        _mail(participant, "request_arranged", lambda other=other: _(
            "Meeting arranged with %(name)s") % {"name": _name(other)},
            {"meeting": meeting, "other": other})


def _tell_answer(meeting: Meeting) -> None:
    accepted = meeting.status == MeetingStatus.ACCEPTED
    recipient = meeting.recipient
    _mail(meeting.requester, "answer",
          lambda: (_("%(name)s accepted your meeting request") if accepted
                   else _("%(name)s declined your meeting request")) % {
              "name": _name(recipient)},
          {"meeting": meeting, "other": recipient, "accepted": accepted})


def _tell_cancelled(meeting: Meeting, told: list[Participant], by: Participant | None,
                    slot, table) -> None:
    for participant in told:
        other = meeting.other(participant)
        _mail(participant, "cancel", lambda other=other: _(
            "Meeting with %(name)s cancelled") % {"name": _name(other)}, {
            "meeting": meeting, "other": other, "by_other": by is not None,
            "by_organiser": by is None, "slot": slot, "table": table})


# --- the services -----------------------------------------------------------------------------


def _priority(priority) -> int:
    try:
        value = int(priority)
    except (TypeError, ValueError):
        value = 0
    if value not in Priority.values:
        raise ApplicationError(_("Choose how much the meeting matters to you."),
                               field="priority")
    return value


@transaction.atomic
def meeting_request(*, requester: Participant, recipient: Participant, message: str = "",
                    priority: int = Priority.NORMAL, actor=None) -> Meeting:
    """A participant asks another for a meeting, with a message and a priority.

    Rules: every obstacle of domain/rules.py (refused with all of them in words).
    Side effects: the meeting (requested, origin participant); audit entry
    klynge.brokerage.meeting.requested; the recipient is e-mailed with links to answer it.
    """
    _check_pair(None, requester, recipient)
    priority = _priority(priority)
    _lock(requester, recipient)
    reasons = booking_obstacles(requester=requester, recipient=recipient)
    if reasons:
        raise _refuse(reasons)
    meeting = Meeting.objects.create(
        event=requester.event, requester=requester, recipient=recipient,
        message=(message or "").strip(), priority=priority, status=MeetingStatus.REQUESTED,
        origin=MeetingOrigin.PARTICIPANT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(meeting, "klynge.brokerage.meeting.requested", actor=actor, data={
        "requester": _name(requester), "recipient": _name(recipient), "priority": priority})
    transaction.on_commit(lambda: _tell_request(meeting), robust=True)
    return meeting


@transaction.atomic
def meeting_answer(*, meeting: Meeting, participant: Participant, accept: bool,
                   message: str = "") -> Meeting:
    """The recipient accepts or declines a request, with an optional message.

    Rules: only the recipient answers, only a request still waiting; accepting needs room in
    both agendas and neither side withdrawn. After the schedule was published an accepted
    meeting is placed at once (scheduling.schedule_place_late), without moving others.
    Side effects: status, answer and time; audit entry klynge.brokerage.meeting.accepted or
    .declined; the requester is e-mailed the answer.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related(
        *reads.MEETING_RELATED).get(pk=meeting.pk)
    if participant is None or participant.pk != meeting.recipient_id:
        raise ApplicationError(
            _("Only %(name)s can answer this request.") % {"name": _name(meeting.recipient)})
    if meeting.status != MeetingStatus.REQUESTED:
        raise ApplicationError(
            _("This request has already been answered: it is %(status)s.")
            % {"status": meeting.get_status_display().lower()})
    requester, recipient = meeting.requester, meeting.recipient
    if accept:
        _lock(requester, recipient)
        facts = reads.request_facts(requester, [recipient])[recipient.pk]
        codes = rules.accept_obstacles(facts)
        if codes:
            raise _refuse(_accept_sentences(codes, facts, requester, recipient))
    meeting.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting.answer_message = (message or "").strip()
    meeting.answered_at = timezone.now()
    meeting.save(update_fields=["status", "answer_message", "answered_at", "updated_at"])
    log_action(meeting, f"klynge.brokerage.meeting.{meeting.status}", actor=None, data={
        "by": _name(recipient), "message": meeting.answer_message})
    transaction.on_commit(lambda: _tell_answer(meeting), robust=True)
    if accept and meeting.event.published_at is not None:
        _place_late(meeting.event)
        meeting.refresh_from_db()
    return meeting


def _accept_sentences(codes, facts, requester: Participant, recipient: Participant):
    """The obstacles to accepting, worded for the recipient (who is answering)."""
    sentences = []
    for code in codes:
        if code == rules.RECIPIENT_FULL:
            sentences.append(_full_own(facts.recipient.accepted))
        elif code == rules.REQUESTER_FULL:
            sentences.append(_full_other(requester, facts.requester.accepted))
        else:
            sentences.append(_sentence(code, facts, requester, recipient, True))
    return sentences


def _place_late(event: BrokerageEvent) -> None:
    """Place the accepted meeting in the published schedule at once. When it cannot be
    placed now (the scheduler refuses), the meeting stays accepted and unscheduled: the
    organiser's next run places it."""
    from klynge.brokerage.services.scheduling import schedule_place_late

    try:
        with transaction.atomic():
            schedule_place_late(event=event, actor=None)
    except ApplicationError:
        logger.warning("A late meeting of event %s could not be placed at once", event.pk,
                       exc_info=True)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor=None, participant: Participant | None = None,
                   reason: str = "") -> Meeting:
    """Cancel a request or a meeting: by one of its two participants (`participant`) or by
    the organiser (`actor`, no participant).

    Rules: only a meeting still on (requested or accepted); a participant cancels only their
    own meetings. Its slot and table are freed (the published ones stay as the record of
    what was announced).
    Side effects: status cancelled; audit entry klynge.brokerage.meeting.cancelled with the
    reason and the freed place; the other side (both sides, when the organiser cancels) is
    e-mailed.
    """
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related(
        *reads.MEETING_RELATED).get(pk=meeting.pk)
    if participant is not None and participant.pk not in (meeting.requester_id,
                                                           meeting.recipient_id):
        raise ApplicationError(_("You can cancel only your own meetings."))
    if meeting.status not in reads.OPEN_STATUSES:
        raise ApplicationError(
            _("This meeting cannot be cancelled: it is %(status)s.")
            % {"status": meeting.get_status_display().lower()})
    slot, table = meeting.slot, meeting.table
    previous = meeting.status
    meeting.status = MeetingStatus.CANCELLED
    meeting.slot = meeting.table = None
    meeting.locked = False
    if participant is not None and participant.pk == meeting.recipient_id and not (
            meeting.answered_at):
        meeting.answered_at = timezone.now()
    meeting.save(update_fields=["status", "slot", "table", "locked", "answered_at",
                                "updated_at"])
    log_action(meeting, "klynge.brokerage.meeting.cancelled", actor=actor, data={
        "by": _name(participant) if participant is not None else "organiser",
        "reason": (reason or "").strip(), "previous": previous,
        "slot": str(slot) if slot else None, "table": str(table) if table else None,
    })
    told = ([meeting.other(participant)] if participant is not None
            else [meeting.requester, meeting.recipient])
    transaction.on_commit(lambda: _tell_cancelled(meeting, told, participant, slot, table),
                          robust=True)
    return meeting


@transaction.atomic
def meeting_arrange(*, event: BrokerageEvent, requester: Participant, recipient: Participant,
                    actor, priority: int = Priority.HIGH, message: str = "") -> Meeting:
    """The organiser arranges a meeting between two participants: accepted at once.

    Rules: those of domain/rules.py except that the recipient may be unlisted and requests
    may be closed (the organiser decides); refused with every obstacle in words.
    Side effects: the meeting (accepted, origin organiser, created_by the actor); audit entry
    klynge.brokerage.meeting.arranged; both sides are e-mailed; after publication it is
    placed at once.
    """
    _check_pair(event, requester, recipient)
    priority = _priority(priority)
    _lock(requester, recipient)
    facts = reads.request_facts(requester, [recipient], by_organiser=True)[recipient.pk]
    codes = rules.obstacles(facts)
    if codes:
        raise _refuse(describe(codes, facts, requester=requester, recipient=recipient,
                               organiser=True))
    now = timezone.now()
    meeting = Meeting.objects.create(
        event=event, requester=requester, recipient=recipient,
        message=(message or "").strip(), priority=priority, status=MeetingStatus.ACCEPTED,
        origin=MeetingOrigin.ORGANISER, answered_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(meeting, "klynge.brokerage.meeting.arranged", actor=actor, data={
        "requester": _name(requester), "recipient": _name(recipient), "priority": priority})
    transaction.on_commit(lambda: _tell_arranged(meeting), robust=True)
    if event.published_at is not None:
        _place_late(event)
        meeting.refresh_from_db()
    return meeting
