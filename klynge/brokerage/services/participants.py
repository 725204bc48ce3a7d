"""Writes of an event's participants: add them (one, or every registered person at once),
their marketplace entry, type and cap, the slots they cannot attend, and withdrawing.

A participant's personal pages open with the `key` in the link of their welcome e-mail; it
goes out in their language (Person.language) after the transaction commits.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.activities.choices import RegistrationStatus
from klynge.activities.models import Registration
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import BrokerageEvent, Meeting, Participant, ParticipationType
from klynge.brokerage.selectors_events import registrations_to_add
from klynge.core.audit import assign_fields, changes, field_values, log_action
from klynge.core.errors import ApplicationError

#: What a participant may change themselves (me_profile, actor None).
MARKETPLACE_FIELDS = ("headline", "offers", "seeks", "is_listed")
#: What the organiser may change besides.
ORGANISER_FIELDS = (*MARKETPLACE_FIELDS, "participation_type", "meeting_cap", "organisation")
OPEN_STATUSES = (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)


def personal_url(participant: Participant) -> str:
    """The absolute link to a participant's own pages (the key is the credential)."""
    base = str(getattr(settings, "KLYNGE_BASE_URL", "http://localhost:8000")).rstrip("/")
    return base + reverse("brokerage:me_home", args=[participant.key])


# --- e-mail -----------------------------------------------------------------------------------


def welcome_email_send(participant: Participant) -> None:
    """E-mail a participant the personal link to their requests and agenda, in their language."""
    person, activity = participant.person, participant.event.activity
    with translation.override(person.language or settings.LANGUAGE_CODE):
        context = {
            "participant": participant, "person": person, "activity": activity,
            "event": participant.event, "url": personal_url(participant),
            "cluster_name": getattr(settings, "KLYNGE_CLUSTER_NAME", "Klynge"),
            "deadline": participant.event.requests_deadline,
        }
        body = render_to_string("brokerage/email/welcome.txt", context)
        subject = _("Your B2B meetings at %(title)s") % {"title": activity.title}
    send_mail(subject, body, None, [person.email])


def _welcome_after_commit(participant: Participant) -> None:
    transaction.on_commit(lambda: welcome_email_send(participant), robust=True)


@transaction.atomic
def participant_welcome_send(*, participant: Participant, actor) -> None:
    """Send the welcome e-mail again (a lost e-mail, a changed address).

    Rules: not to a withdrawn participant. Side effects: audit entry
    klynge.brokerage.participant.welcome_sent; the e-mail after commit.
    """
    if participant.withdrawn_at is not None:
        raise ApplicationError(_("%(name)s has withdrawn; no e-mail was sent.")
                               % {"name": participant.person})
    _welcome_after_commit(participant)
    log_action(participant, "klynge.brokerage.participant.welcome_sent", actor=actor,
               data={"to": participant.person.email})


# --- adding -----------------------------------------------------------------------------------


def _primary_organisation(person):
    affiliation = (person.affiliations.filter(end_date__isnull=True)
                   .select_related("organisation").order_by("-is_primary", "pk").first())
    return affiliation.organisation if affiliation else None


def _first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of a text, at most `limit` characters (cut at a word)."""
    text = " ".join((text or "").split())
    end = re.search(r"[.!?](\s|$)", text)
    sentence = text[:end.end()].strip() if end else text
    if len(sentence) > limit:
        sentence = sentence[:limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _prefill(organisation, person) -> dict:
    """The marketplace entry from the profiles: the first sentence of the organisation's
    description as the headline (else the person's job title; the organisation's name and
    kind are shown beside the entry anyway), its offers (or competences) and what it seeks."""
    if organisation is None:
        return {"headline": person.job_title or "", "offers": "", "seeks": ""}
    return {"headline": _first_sentence(organisation.description) or person.job_title or "",
            "offers": (organisation.offers or organisation.competences or "").strip(),
            "seeks": (organisation.seeks or "").strip()}


def _check_type(event: BrokerageEvent, kind: ParticipationType | None,
                participant: Participant | None = None) -> None:
    if kind is None:
        return
    if kind.event_id != event.pk:
        raise ApplicationError(_("This participation type belongs to another event."),
                               field="participation_type")
    if kind.capacity is None:
        return
    taken = kind.participants.filter(withdrawn_at__isnull=True)
    if participant is not None and participant.pk:
        taken = taken.exclude(pk=participant.pk)
    if taken.count() >= kind.capacity:
        raise ApplicationError(
            _("%(type)s is full: %(n)s of %(n)s places are taken.")
            % {"type": kind.name, "n": kind.capacity}, field="participation_type")


def _check_registration(event: BrokerageEvent, person, registration: Registration) -> None:
    if registration.activity_id != event.activity_id or registration.person_id != person.pk:
        raise ApplicationError(
            _("This registration is not %(name)s's registration for %(title)s.")
            % {"name": person, "title": event.activity.title}, field="registration")
    if registration.status != RegistrationStatus.REGISTERED:
        raise ApplicationError(
            _("%(name)s's registration is %(status)s; only registered people take part in the "
              "meetings.") % {"name": person,
                              "status": registration.get_status_display().lower()},
            field="registration")


@transaction.atomic
def participant_add(*, event: BrokerageEvent, person, actor, organisation=None,
                    registration: Registration | None = None,
                    participation_type: ParticipationType | None = None) -> Participant:
    """Make a person a participant of the event.

    Rules: a person once per event (a withdrawn one too: reinstate them instead); a given
    registration is this person's for this activity and registered (not cancelled or on the
    waitlist); without one, their live registration is linked when they have one; the type
    is the event's and has room. The organisation is the given one, else the registration's,
    else the person's current primary affiliation; the marketplace entry is prefilled from
    its profile.
    Side effects: audit entry klynge.brokerage.participant.added; the welcome e-mail with
    the personal link after commit.
    """
    existing = Participant.objects.filter(event=event, person=person).first()
    if existing is not None:
        if existing.withdrawn_at is not None:
            raise ApplicationError(
                _("%(name)s withdrew on %(day)s; reinstate them on their page instead.")
                % {"name": person,
                   "day": timezone.localtime(existing.withdrawn_at).date().isoformat()},
                field="person")
        raise ApplicationError(_("%(name)s is already a participant.") % {"name": person},
                               field="person")
    if registration is not None:
        _check_registration(event, person, registration)
    else:
        registration = Registration.objects.filter(
            activity_id=event.activity_id, person=person,
            status=RegistrationStatus.REGISTERED).first()
    if registration is not None and Participant.objects.filter(
            registration=registration).exists():
        registration = None  # linked elsewhere (cannot be for this event: one per person)
    _check_type(event, participation_type)
    if organisation is None:
        organisation = (registration.organisation if registration is not None
                        and registration.organisation_id else _primary_organisation(person))
    participant = Participant.objects.create(
        event=event, person=person, organisation=organisation, registration=registration,
        participation_type=participation_type, **_prefill(organisation, person))
    log_action(participant, "klynge.brokerage.participant.added", actor=actor, data={
        "event": event.pk, "person": person.pk,
        "organisation": organisation.pk if organisation else None,
        "registration": registration.pk if registration else None,
        "participation_type": participation_type.pk if participation_type else None})
    _welcome_after_commit(participant)
    return participant


@transaction.atomic
def participants_add_registered(*, event: BrokerageEvent, actor) -> int:
    """Add every registered person of the activity who is not a participant yet (each as
    participant_add: prefilled entry, welcome e-mail). Returns how many were added."""
    added = 0
    for registration in registrations_to_add(event):
        participant_add(event=event, person=registration.person, actor=actor,
                        organisation=registration.organisation, registration=registration)
        added += 1
    return added


# --- changing ---------------------------------------------------------------------------------


@transaction.atomic
def participant_update(*, participant: Participant, actor, data: dict) -> Participant:
    """Change a participant's marketplace entry (headline, offers, looking for, listed) and,
    for the organiser, their type, meeting cap and organisation.

    Rules: a participant editing themselves (actor None) changes only the marketplace entry
    (other keys are ignored) and not after withdrawing; a headline of at most 200 characters;
    the type is the event's and has room; a cap of at least 1 or empty.
    Side effects: audit entry klynge.brokerage.participant.updated with the changes.
    """
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    fields = MARKETPLACE_FIELDS if actor is None else ORGANISER_FIELDS
    if actor is None and participant.withdrawn_at is not None:
        raise ApplicationError(_("You have withdrawn from the meetings."))
    data = {key: value for key, value in data.items() if key in fields}
    if "headline" in data and len((data["headline"] or "").strip()) > 200:
        raise ApplicationError(_("The headline has at most 200 characters."), field="headline")
    if "participation_type" in data:
        kind = data["participation_type"]
        if isinstance(kind, int):
            kind = ParticipationType.objects.filter(pk=kind).first()
        if kind is not None and kind.pk != participant.participation_type_id:
            _check_type(participant.event, kind, participant)
        data["participation_type"] = kind
    if data.get("meeting_cap") is not None and data["meeting_cap"] < 1:
        raise ApplicationError(
            _("The number of meetings is at least 1, or empty for the limit of the type or the "
              "event."), field="meeting_cap")
    for key in ("offers", "seeks"):
        if key in data:
            data[key] = (data[key] or "").strip()
    before = field_values(participant, fields)
    assign_fields(participant, fields, data, strip_text=True)
    participant.save()
    difference = changes(before, field_values(participant, fields))
    if difference:
        log_action(participant, "klynge.brokerage.participant.updated", actor=actor,
                   data={"changes": difference, "by_participant": actor is None})
    return participant


@transaction.atomic
def participant_set_unavailable(*, participant: Participant, actor, slots) -> Participant:
    """Set the slots a participant cannot attend (replacing the earlier ones).

    Rules: the slots are the event's. An accepted meeting of the participant scheduled in a
    newly unavailable slot is unscheduled (slot and table emptied, unlocked) so the
    scheduler places it again; its published time stays recorded, so the change is
    announced at the next publication.
    Side effects: audit entry klynge.brokerage.participant.unavailable_set with the slots
    and the meetings unscheduled.
    """
    slots = list(slots)
    if any(slot.event_id != participant.event_id for slot in slots):
        raise ApplicationError(_("Only the event's own slots can be chosen."),
                               field="unavailable")
    before = set(participant.unavailable.values_list("pk", flat=True))
    after = {slot.pk for slot in slots}
    participant.unavailable.set(slots)
    added = after - before
    unscheduled = []
    if added:
        hit = (Meeting.objects.filter(Q(requester=participant) | Q(recipient=participant),
                                      status=MeetingStatus.ACCEPTED, slot_id__in=added)
               .select_for_update(of=("self",)))
        unscheduled = list(hit.values_list("pk", flat=True))
        hit.update(slot=None, table=None, locked=False, updated_at=timezone.now())
    if before != after:
        log_action(participant, "klynge.brokerage.participant.unavailable_set", actor=actor,
                   data={"slots": sorted(after), "unscheduled_meetings": unscheduled})
    return participant


def open_meetings(participant: Participant):
    """The participant's requested and accepted meetings (withdrawing cancels these)."""
    return Meeting.objects.filter(Q(requester=participant) | Q(recipient=participant),
                                  status__in=OPEN_STATUSES)


@transaction.atomic
def participant_withdraw(*, participant: Participant, actor) -> int:
    """Withdraw a participant: their open meetings (requested or accepted) are cancelled
    through meetings.meeting_cancel as theirs (it frees the slot and tells the other side), they
    leave the marketplace and their personal link stops working. Returns the number of
    meetings cancelled.

    Rules: not twice. Side effects: audit entry klynge.brokerage.participant.withdrawn.
    """
    from klynge.brokerage.services.meetings import meeting_cancel

    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if participant.withdrawn_at is not None:
        raise ApplicationError(_("%(name)s has already withdrawn.") % {"name": participant.person})
    cancelled = 0
    for meeting in open_meetings(participant).select_related("requester", "recipient"):
        # as the participant's own cancellation: the other side is told, not them
        meeting_cancel(meeting=meeting, actor=actor, participant=participant,
                       reason=_("%(name)s has withdrawn from the meetings.")
                       % {"name": participant.person})
        cancelled += 1
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["withdrawn_at", "updated_at"])
    log_action(participant, "klynge.brokerage.participant.withdrawn", actor=actor,
               data={"meetings_cancelled": cancelled})
    return cancelled


@transaction.atomic
def participant_reinstate(*, participant: Participant, actor) -> Participant:
    """Take a withdrawn participant back (their cancelled meetings stay cancelled).

    Rules: only a withdrawn participant; their type still has room.
    Side effects: audit entry klynge.brokerage.participant.reinstated.
    """
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if participant.withdrawn_at is None:
        raise ApplicationError(_("%(name)s has not withdrawn.") % {"name": participant.person})
    _check_type(participant.event, participant.participation_type, participant)
    participant.withdrawn_at = None
    participant.save(update_fields=["withdrawn_at", "updated_at"])
    log_action(participant, "klynge.brokerage.participant.reinstated", actor=actor)
    return participant
