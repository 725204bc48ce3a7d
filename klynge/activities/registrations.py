"""Registration and attendance: the services (writes) and selectors (reads) of sign-ups.

Rules kept here:
- One live (not cancelled) registration per person and activity (backed by a DB constraint).
- Capacity counts registered people; a participant past capacity goes on the waitlist, which
  moves up in `waitlisted_at` order whenever a seat frees up. Speakers, organisers and other
  programme roles, and walk-ins at the door, always get a seat.
- The public sign-up page takes registrations only for public activities that are open, before
  the deadline and before the start; everything it writes happens in one transaction.
- Attendance is recorded separately, only for registered people, from the day of the activity.

E-mails (confirmation, waitlist, "you have a seat") go out after the transaction commits, in
the person's preferred language. Audit entries are written on the activity and carry ids only.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.activities.choices import (
    ActivityStatus,
    ParticipationRole,
    QuestionKind,
    RegistrationSource,
    RegistrationStatus,
)
from klynge.activities.models import Activity, Registration, RegistrationQuestion
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.models import Organisation, Person
from klynge.ecosystem.services import (
    affiliation_add,
    cvr_error_message,
    organisation_create,
    person_create,
)

CANCEL_SALT = "klynge.activities.registration.cancel"
#: A hard upper bound on a cancel link's age; the activity's start ends it sooner.
CANCEL_LINK_MAX_AGE = 60 * 60 * 24 * 400
YES, NO = "yes", "no"
REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


# --- selectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationCounts:
    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0
    no_shows: int = 0
    unmarked: int = 0


# Aliases carry a prefix: an aggregate may not share its name with a field ("attended").
_COUNTS = {
    "n_registered": Count("pk", filter=Q(status=REGISTERED)),
    "n_waitlisted": Count("pk", filter=Q(status=WAITLISTED)),
    "n_cancelled": Count("pk", filter=Q(status=CANCELLED)),
    "n_attended": Count("pk", filter=Q(status=REGISTERED, attended=True)),
    "n_no_shows": Count("pk", filter=Q(status=REGISTERED, attended=False)),
    "n_unmarked": Count("pk", filter=Q(status=REGISTERED, attended__isnull=True)),
}


def _counts(row: dict) -> RegistrationCounts:
    return RegistrationCounts(**{key[2:]: row[key] for key in _COUNTS})


def registration_counts(*, activity: Activity) -> RegistrationCounts:
    """The counts of one activity's registrations, in one query."""
    return _counts(Registration.objects.filter(activity=activity).aggregate(**_COUNTS))


def registration_counts_by_activity(*, activity_ids) -> dict[int, RegistrationCounts]:
    """The counts of many activities, in one query (activities without any are left out)."""
    rows = (
        Registration.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id").annotate(**_COUNTS).order_by()
    )
    return {row["activity_id"]: _counts(row) for row in rows}


def registration_list(*, activity: Activity):
    return activity.registrations.select_related("person", "organisation").order_by(
        "person__last_name", "person__first_name"
    )


def checkin_list(*, activity: Activity):
    """The people the check-in list shows: those holding a seat."""
    return registration_list(activity=activity).filter(status=REGISTERED)


def signup_closed_reason(activity: Activity, *, now=None) -> str | None:
    """Why the public sign-up page takes no registrations now, or None when it does."""
    now = now or timezone.now()
    if activity.status != ActivityStatus.OPEN:
        return _("Registration for this activity is closed.")
    if now >= activity.starts_at:
        return _("This activity has already started; registration is closed.")
    if activity.registration_deadline and now >= activity.registration_deadline:
        return _("The registration deadline has passed.")
    return None


def _seats_left(activity: Activity) -> int | None:
    if activity.capacity is None:
        return None
    taken = activity.registrations.filter(status=REGISTERED).count()
    return max(activity.capacity - taken, 0)


# --- answers to the per-activity questions ---------------------------------------------------


def answer_key(question: RegistrationQuestion) -> str:
    return str(question.pk)


def answers_clean(
    *, questions, raw: dict[str, Any], enforce_required: bool = True
) -> dict[str, str]:
    """Check answers keyed by question id: required ones given, choices among the choices."""
    clean: dict[str, str] = {}
    for question in questions:
        value = raw.get(answer_key(question))
        value = "" if value is None else str(value).strip()
        field = f"q_{question.pk}"
        if not value:
            if question.required and enforce_required:
                raise ApplicationError(
                    _("Please answer: %(question)s") % {"question": question.text}, field=field
                )
            continue
        if question.kind == QuestionKind.CHOICE and value not in question.choices:
            raise ApplicationError(_("Please pick one of the choices."), field=field)
        if question.kind == QuestionKind.YES_NO and value not in (YES, NO):
            raise ApplicationError(_("Please answer yes or no."), field=field)
        clean[answer_key(question)] = value
    return clean


def answer_display(question: RegistrationQuestion, answers: dict) -> str:
    value = (answers or {}).get(answer_key(question), "")
    if question.kind == QuestionKind.YES_NO and value:
        return _("Yes") if value == YES else _("No")
    return value


# --- registering -----------------------------------------------------------------------------


def _locked(activity: Activity) -> Activity:
    """The activity row, locked for the transaction, so two sign-ups cannot take one seat."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _audit(activity, action: str, registration: Registration, actor, **extra) -> None:
    data = {"registration_id": registration.pk, "person_id": registration.person_id, **extra}
    log_action(activity, f"klynge.activities.{action}", actor=actor, data=data)


def _already_registered_message(person: Person, source: str) -> str:
    if source == RegistrationSource.PUBLIC:
        return _("You are already registered for this activity")
    return _("%(name)s is already registered for this activity.") % {"name": person}


def _primary_organisation(person: Person) -> Organisation | None:
    affiliation = person.affiliations.filter(is_primary=True).select_related("organisation")
    first = affiliation.first()
    return first.organisation if first else None


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    person: Person,
    actor=None,
    organisation: Organisation | None = None,
    role: str = ParticipationRole.PARTICIPANT,
    source: str = RegistrationSource.STAFF,
    answers: dict | None = None,
    walk_in: bool = False,
    site_url: str | None = None,
) -> Registration:
    """Register a person. Rules: not for a cancelled activity; one live registration per
    person; a participant past capacity is waitlisted (programme roles and walk-ins are not).

    Side effects: audit entry klynge.activities.registration.created; a confirmation (or
    waitlist) e-mail after commit, except for walk-ins, who are marked attended at once.
    """
    activity = _locked(activity)
    if activity.status == ActivityStatus.CANCELLED:
        raise ApplicationError(_("This activity is cancelled."))
    if activity.registrations.filter(person=person).exclude(status=CANCELLED).exists():
        raise ApplicationError(_already_registered_message(person, source), field="email")
    if walk_in and timezone.localdate() < timezone.localtime(activity.starts_at).date():
        raise ApplicationError(_("Walk-ins can be added from the day of the activity."))
    seats = _seats_left(activity)
    full = seats is not None and seats <= 0
    waitlist = full and role == ParticipationRole.PARTICIPANT and not walk_in
    now = timezone.now()
    registration = Registration(
        activity=activity, person=person, role=role, source=source,
        organisation=organisation or _primary_organisation(person), answers=answers or {},
        status=WAITLISTED if waitlist else REGISTERED, waitlisted_at=now if waitlist else None,
        attended=True if walk_in else None, checked_in_at=now if walk_in else None,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # a concurrent sign-up of the same person won the race
        message = _already_registered_message(person, source)
        raise ApplicationError(message, field="email") from error
    _audit(activity, "registration.created", registration, actor, status=registration.status,
           role=role, source=source, walk_in=walk_in)
    if not walk_in:
        template = "registration_waitlisted" if waitlist else "registration_confirmed"
        _send_after_commit(registration, template, site_url)
    return registration


def _signup_organisation(*, name: str, cvr: str) -> Organisation | None:
    """The organisation a public sign-up names: matched by CVR, else by exact name, else new."""
    check = check_cvr(cvr)
    if check.error:
        raise ApplicationError(cvr_error_message(check.error), field="cvr")
    name = (name or "").strip()
    if check.value:
        found = Organisation.objects.filter(cvr=check.value).first()
        if found:
            return found
    if name:
        named = list(Organisation.objects.filter(name__iexact=name)[:2])
        if len(named) == 1 and not (check.value and named[0].cvr):
            return named[0]
    elif check.value:
        raise ApplicationError(
            _("We do not know this CVR number yet: please give the organisation's name too."),
            field="organisation_name",
        )
    if not name:
        return None
    return organisation_create(actor=None, data={"name": name, "cvr": check.value or ""})


@transaction.atomic
def public_signup(
    *,
    activity: Activity,
    first_name: str,
    last_name: str,
    email: str,
    organisation_name: str = "",
    cvr: str = "",
    job_title: str = "",
    answers: dict | None = None,
    language: str = "da",
    site_url: str | None = None,
) -> Registration:
    """A sign-up on the public page, all or nothing.

    Rules: the page is open (public, status open, before deadline and start); required
    questions are answered; the e-mail is not registered yet. The person is matched by e-mail
    (created if new), the organisation by CVR or exact name (created if new) and the person
    affiliated to it. Existing records are never changed by what a visitor types.
    """
    if not activity.is_public:
        raise ApplicationError(_("This activity has no public sign-up."))
    reason = signup_closed_reason(activity)
    if reason:
        raise ApplicationError(reason)
    email = (email or "").strip().lower()
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person and activity.registrations.filter(person=person).exclude(status=CANCELLED).exists():
        raise ApplicationError(_already_registered_message(person, RegistrationSource.PUBLIC),
                               field="email")
    clean_answers = answers_clean(questions=activity.questions.all(), raw=answers or {})
    organisation = _signup_organisation(name=organisation_name, cvr=cvr)
    if person is None:
        person = person_create(
            actor=None, organisation=organisation, role=(job_title or "").strip(),
            data={"first_name": first_name, "last_name": (last_name or "").strip(),
                  "email": email, "job_title": (job_title or "").strip(),
                  "language": language if language in ("da", "en") else "da"},
        )
    elif organisation and not person.affiliations.filter(organisation=organisation).exists():
        has_primary = person.affiliations.filter(is_primary=True).exists()
        affiliation_add(person=person, organisation=organisation, actor=None,
                        role=(job_title or "").strip(), is_primary=not has_primary)
    return registration_create(
        activity=activity, person=person, organisation=organisation, answers=clean_answers,
        source=RegistrationSource.PUBLIC, site_url=site_url,
    )


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor=None, site_url: str | None = None
) -> list[Registration]:
    """Cancel a registration; a freed seat goes to the first on the waitlist.

    Returns the registrations promoted from the waitlist. Audit: registration.cancelled.
    """
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    activity = _locked(registration.activity)
    if registration.status == CANCELLED:
        raise ApplicationError(_("This registration is already cancelled."))
    held_seat = registration.status == REGISTERED
    registration.status = CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    _audit(activity, "registration.cancelled", registration, actor)
    if not held_seat:
        return []
    return waitlist_promote(activity=activity, actor=actor, site_url=site_url)


@transaction.atomic
def waitlist_promote(
    *, activity: Activity, actor=None, site_url: str | None = None
) -> list[Registration]:
    """Give free seats to the waitlist, first come first served; e-mail each one promoted.

    Call it after anything that frees seats (a cancellation, a larger capacity). Nothing moves
    for a cancelled activity or one that has started.
    """
    activity = _locked(activity)
    if activity.status == ActivityStatus.CANCELLED or timezone.now() >= activity.starts_at:
        return []
    queue = activity.registrations.filter(status=WAITLISTED).order_by("waitlisted_at", "pk")
    seats = _seats_left(activity)
    promoted = list(queue if seats is None else queue[:seats])
    for registration in promoted:
        registration.status = REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        _audit(activity, "registration.promoted", registration, actor)
        _send_after_commit(registration, "registration_promoted", site_url)
    return promoted


@transaction.atomic
def registration_change_role(*, registration: Registration, role: str, actor) -> Registration:
    """Change the role a person takes part in. Audit: registration.role_changed."""
    if role not in ParticipationRole.values:
        raise ApplicationError(_("Choose one of the roles."), field="role")
    previous = registration.role
    if previous == role:
        return registration
    registration.role = role
    registration.save(update_fields=["role", "updated_at"])
    _audit(registration.activity, "registration.role_changed", registration, actor,
           changes={"role": [previous, role]})
    return registration


# --- attendance ------------------------------------------------------------------------------


def _check_attendance_day(activity: Activity) -> None:
    if timezone.localdate() < timezone.localtime(activity.starts_at).date():
        raise ApplicationError(_("Attendance can be recorded from the day of the activity."))


@transaction.atomic
def attendance_mark(*, registration: Registration, attended: bool | None, actor) -> Registration:
    """Mark a registered person as attended (True), absent (False) or unmarked (None, undo).

    Rule: only registered people (not waitlisted or cancelled), from the activity's day.
    Audit: attendance.marked with the previous value.
    """
    if registration.status != REGISTERED:
        raise ApplicationError(_("Only registered people can be checked in."))
    _check_attendance_day(registration.activity)
    previous = registration.attended
    registration.attended = attended
    registration.checked_in_at = timezone.now() if attended else None
    registration.save(update_fields=["attended", "checked_in_at", "updated_at"])
    _audit(registration.activity, "attendance.marked", registration, actor,
           attended=attended, previous=previous)
    return registration


def _mark_many(activity: Activity, queryset, attended: bool, actor, action: str) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    if ids:
        Registration.objects.filter(pk__in=ids).update(
            attended=attended, checked_in_at=timezone.now() if attended else None,
            updated_at=timezone.now(),
        )
        log_action(activity, f"klynge.activities.{action}", actor=actor,
                   data={"registration_ids": ids, "attended": attended})
    return len(ids)


@transaction.atomic
def attendance_mark_many(
    *, activity: Activity, registration_ids, attended: bool, actor
) -> int:
    """Mark the chosen registered people of an activity; returns how many were marked."""
    _check_attendance_day(activity)
    chosen = activity.registrations.filter(status=REGISTERED, pk__in=list(registration_ids))
    return _mark_many(activity, chosen, attended, actor, "attendance.marked_many")


@transaction.atomic
def attendance_mark_unmarked_absent(*, activity: Activity, actor) -> int:
    """Everyone registered but not yet marked becomes a no-show; returns how many."""
    _check_attendance_day(activity)
    unmarked = activity.registrations.filter(status=REGISTERED, attended__isnull=True)
    return _mark_many(activity, unmarked, False, actor, "attendance.no_shows_marked")


@transaction.atomic
def walk_in_register(
    *, activity: Activity, actor, email: str, first_name: str = "", last_name: str = "",
    organisation: Organisation | None = None, role: str = ParticipationRole.PARTICIPANT,
) -> Registration:
    """Someone at the door: matched or created by e-mail, registered and attended at once."""
    person = person_for_email(actor=actor, email=email, first_name=first_name,
                              last_name=last_name, organisation=organisation)
    return registration_create(activity=activity, person=person, actor=actor,
                               organisation=organisation, role=role, walk_in=True)


@transaction.atomic
def staff_register(
    *, activity: Activity, actor, email: str, first_name: str = "", last_name: str = "",
    organisation: Organisation | None = None, role: str = ParticipationRole.PARTICIPANT,
    answers: dict | None = None, site_url: str | None = None,
) -> Registration:
    """Staff register someone found (or created) by e-mail; questions are optional here."""
    person = person_for_email(actor=actor, email=email, first_name=first_name,
                              last_name=last_name, organisation=organisation)
    clean = answers_clean(questions=activity.questions.all(), raw=answers or {},
                          enforce_required=False)
    return registration_create(activity=activity, person=person, actor=actor,
                               organisation=organisation, role=role, answers=clean,
                               site_url=site_url)


def person_for_email(
    *, actor, email: str, first_name: str = "", last_name: str = "",
    organisation: Organisation | None = None,
) -> Person:
    """The person with this e-mail, or a new one (who then needs a first name)."""
    email = (email or "").strip().lower()
    person = Person.objects.filter(email__iexact=email).first() if email else None
    if person is not None:
        return person
    if not (first_name or "").strip():
        raise ApplicationError(
            _("Nobody is registered with this e-mail address: give a first name to create "
              "the person."),
            field="first_name",
        )
    return person_create(actor=actor, organisation=organisation,
                         data={"first_name": first_name, "last_name": last_name, "email": email})


# --- questions -------------------------------------------------------------------------------


def _clean_question(data: dict[str, Any]) -> dict[str, Any]:
    text = (data.get("text") or "").strip()
    if not text:
        raise ApplicationError(_("A question needs a text."), field="text")
    kind = data.get("kind") or QuestionKind.TEXT
    choices = [str(c).strip() for c in (data.get("choices") or []) if str(c).strip()]
    if kind == QuestionKind.CHOICE and len(choices) < 2:
        raise ApplicationError(_("Give at least two choices, one a line."), field="choices")
    return {"text": text, "kind": kind, "required": bool(data.get("required")),
            "choices": choices if kind == QuestionKind.CHOICE else []}


@transaction.atomic
def question_create(*, activity: Activity, actor, data: dict[str, Any]) -> RegistrationQuestion:
    """Add a question at the end of the sign-up form. Audit: question.created."""
    clean = _clean_question(data)
    last = activity.questions.aggregate(last=Max("position"))["last"]
    question = RegistrationQuestion.objects.create(
        activity=activity, position=0 if last is None else last + 1, **clean
    )
    log_action(activity, "klynge.activities.question.created", actor=actor,
               data={"question_id": question.pk, **clean})
    return question


@transaction.atomic
def question_update(
    *, question: RegistrationQuestion, actor, data: dict[str, Any]
) -> RegistrationQuestion:
    clean = _clean_question(data)
    for field, value in clean.items():
        setattr(question, field, value)
    question.save()
    log_action(question.activity, "klynge.activities.question.updated", actor=actor,
               data={"question_id": question.pk, **clean})
    return question


@transaction.atomic
def question_delete(*, question: RegistrationQuestion, actor) -> None:
    """Remove a question; answers already given stay in the registrations."""
    activity, pk = question.activity, question.pk
    question.delete()
    log_action(activity, "klynge.activities.question.deleted", actor=actor,
               data={"question_id": pk})


@transaction.atomic
def question_move(*, question: RegistrationQuestion, actor, up: bool) -> None:
    """Swap a question with its neighbour above (up) or below; renumbers 0, 1, 2..."""
    ordered = list(question.activity.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    log_action(question.activity, "klynge.activities.question.moved", actor=actor,
               data={"question_id": question.pk, "order": [q.pk for q in ordered]})


# --- the cancel link and the e-mails ---------------------------------------------------------


def cancel_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "p": registration.person_id}, salt=CANCEL_SALT)


def registration_for_token(token: str, *, max_age: int = CANCEL_LINK_MAX_AGE) -> Registration:
    """The registration a cancel link is for. Refused: a forged or altered link, an expired
    one (older than `max_age`, or the activity has started), or one whose registration is gone.
    """
    try:
        payload = signing.loads(token, salt=CANCEL_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ApplicationError(_("This link has expired.")) from error
    except signing.BadSignature as error:
        raise ApplicationError(_("This link is not valid.")) from error
    registration = (
        Registration.objects.select_related("activity", "person")
        .filter(pk=payload.get("r"), person_id=payload.get("p")).first()
        if isinstance(payload, dict) else None
    )
    if registration is None:
        raise ApplicationError(_("This link is not valid."))
    if timezone.now() >= registration.activity.starts_at:
        raise ApplicationError(_("This link has expired: the activity has started."))
    return registration


def _site_url(site_url: str | None) -> str:
    return (site_url or settings.KLYNGE_BASE_URL).rstrip("/")


SUBJECTS = {
    "registration_confirmed": lambda title: _("You are registered: %(title)s") % {"title": title},
    "registration_waitlisted": lambda title: _("You are on the waitlist: %(title)s")
    % {"title": title},
    "registration_promoted": lambda title: _("You have a seat: %(title)s") % {"title": title},
}


def registration_email_send(
    *, registration: Registration, template: str, site_url: str | None = None
) -> None:
    """Send one of the registration e-mails, in the person's preferred language."""
    person, activity = registration.person, registration.activity
    cancel_url = _site_url(site_url) + reverse(
        "public_activities:cancel", args=[cancel_token(registration)]
    )
    with translation.override(person.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            f"activities/email/{template}.txt",
            {"registration": registration, "person": person, "activity": activity,
             "cancel_url": cancel_url, "cluster_name": settings.KLYNGE_CLUSTER_NAME},
        )
        subject = SUBJECTS[template](activity.title)
    send_mail(subject, body, None, [person.email])


def _send_after_commit(registration: Registration, template: str, site_url: str | None) -> None:
    transaction.on_commit(
        lambda: registration_email_send(
            registration=registration, template=template, site_url=site_url
        ),
        robust=True,
    )
