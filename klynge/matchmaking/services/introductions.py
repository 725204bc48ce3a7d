"""Writes of introductions: make one from a suggestion, e-mail both sides, record their
answers (by the signed links in the e-mails), record what came of it over time.

E-mails go out in the recipient's language (Person.language). Contact details of one side
reach the other side only when both have accepted.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Organisation, Person
from klynge.matchmaking import selectors_introductions as reads
from klynge.matchmaking.choices import IntroductionStatus, Purpose, Response
from klynge.matchmaking.explain import as_sentence
from klynge.matchmaking.models import CallTopic, Introduction, IntroductionOutcome
from klynge.projects import services as project_services
from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project

logger = logging.getLogger(__name__)

#: The salt of the answer links: a token signed for this purpose is useless anywhere else.
RESPOND_SALT = "klynge.matchmaking.introduction.respond"
#: How long an answer link works.
LINK_VALID_DAYS = 90
SIDES = ("a", "b")

#: Outcomes that are EU applications: recorded without a project, they create one.
EU_OUTCOMES = {
    OutcomeKind.EU_APPLICATION_SUBMITTED: ProjectStatus.SUBMITTED,
    OutcomeKind.EU_APPLICATION_FUNDED: ProjectStatus.FUNDED,
}


def base_url() -> str:
    return str(getattr(settings, "KLYNGE_BASE_URL", "http://localhost:8000")).rstrip("/")


def cluster_name() -> str:
    return getattr(settings, "KLYNGE_CLUSTER_NAME", "Klynge")


# --- the answer links -------------------------------------------------------------------------


def respond_token(introduction: Introduction, side: str) -> str:
    return signing.dumps({"i": introduction.pk, "s": side}, salt=RESPOND_SALT)


def respond_url(introduction: Introduction, side: str, answer: str = "") -> str:
    url = base_url() + reverse("matchmaking:introduction_respond",
                               args=[respond_token(introduction, side)])
    return f"{url}?answer={answer}" if answer else url


def introduction_for_token(token: str) -> tuple[Introduction, str]:
    """The introduction and side ("a" or "b") an answer link is for.

    Refused: a forged or altered link, one older than LINK_VALID_DAYS, one whose
    introduction was deleted.
    """
    try:
        payload = signing.loads(token, salt=RESPOND_SALT,
                                max_age=datetime.timedelta(days=LINK_VALID_DAYS))
    except signing.SignatureExpired as error:
        raise ApplicationError(
            _("This link has expired: answer links work for %(days)s days.")
            % {"days": LINK_VALID_DAYS}) from error
    except signing.BadSignature as error:
        raise ApplicationError(_("This link is not valid.")) from error
    if not isinstance(payload, dict) or payload.get("s") not in SIDES:
        raise ApplicationError(_("This link is not valid."))
    introduction = Introduction.objects.select_related(
        "organisation_a", "organisation_b", "person_a", "person_b", "created_by", "call_topic",
    ).filter(pk=payload.get("i")).first()
    if introduction is None:
        raise ApplicationError(_("This introduction no longer exists."))
    return introduction, payload["s"]


# --- making one -------------------------------------------------------------------------------


def _check_contact(person: Person | None, organisation: Organisation, field: str) -> None:
    if person is None:
        if reads.eligible_contacts(organisation).exists():
            raise ApplicationError(
                _("Choose the contact person at %(name)s.") % {"name": organisation.name},
                field=field)
        return  # nobody can be e-mailed there yet: saved, but sending is refused
    if not reads.is_affiliated(person, organisation):
        raise ApplicationError(
            _("%(person)s is not affiliated with %(name)s.")
            % {"person": person.full_name, "name": organisation.name}, field=field)
    if reads.has_withdrawn_visibility(person):
        raise ApplicationError(
            _("%(person)s has withdrawn consent to being visible in matchmaking; choose "
              "someone else.") % {"person": person.full_name}, field=field)


@transaction.atomic
def introduction_create(*, actor, organisation_a: Organisation, person_a: Person | None,
                        organisation_b: Organisation, person_b: Person | None,
                        purpose: str = Purpose.ANY, message: str = "",
                        call_topic: CallTopic | None = None, hub=None) -> Introduction:
    """Introduce two organisations (a contact at each), as a draft that can be sent.

    Rules: two different organisations; each contact is currently affiliated with its
    organisation and has not withdrawn consent to matchmaking visibility (a contact may be
    left out only where nobody can be e-mailed; sending is then refused); no second open
    introduction of the same pair; without the recommender's reasons (the pair is not
    indexed) the personal message is the explanation, so it is required.
    Side effects: audit entry klynge.matchmaking.introduction.created.
    """
    message = (message or "").strip()
    if organisation_a is None:
        raise ApplicationError(_("Choose the organisation."), field="organisation_a")
    if organisation_b is None:
        raise ApplicationError(_("Choose the organisation to introduce it to."),
                               field="organisation_b")
    if organisation_a.pk == organisation_b.pk:
        raise ApplicationError(_("An introduction needs two different organisations."),
                               field="organisation_b")
    if purpose not in Purpose.values:
        raise ApplicationError(_("Choose the purpose of the introduction."), field="purpose")
    _check_contact(person_a, organisation_a, "person_a")
    _check_contact(person_b, organisation_b, "person_b")
    existing = reads.open_between(organisation_a, organisation_b).first()
    if existing is not None:
        raise ApplicationError(
            _("%(a)s and %(b)s already have an open introduction (%(status)s, made %(day)s); "
              "finish or delete that one first.")
            % {"a": organisation_a.name, "b": organisation_b.name,
               "status": existing.get_status_display(),
               "day": timezone.localtime(existing.created_at).date().isoformat()},
            field="organisation_b")
    suggestion = reads.pair_suggestion(organisation_a, organisation_b, purpose=purpose,
                                      call=call_topic)
    if suggestion is not None and suggestion.reasons:
        score, reasons = suggestion.score, [r.as_json() for r in suggestion.reasons]
        explanation = as_sentence(suggestion.reasons)
    else:
        if not message:
            raise ApplicationError(
                _("The recommender has no reasons for this pair yet, so your message is the "
                  "explanation both sides read: write why they should meet."), field="message")
        score = suggestion.score if suggestion is not None else None
        reasons, explanation = [], message
    introduction = Introduction.objects.create(
        organisation_a=organisation_a, person_a=person_a, organisation_b=organisation_b,
        person_b=person_b, purpose=purpose, score=score, reasons=reasons,
        explanation=explanation, message=message, call_topic=call_topic,
        hub=hub if hub is not None else getattr(actor, "hub", None), created_by=actor,
    )
    log_action(introduction, "klynge.matchmaking.introduction.created", actor=actor, data={
        "organisation_a": organisation_a.name, "person_a": person_a.pk if person_a else None,
        "organisation_b": organisation_b.name, "person_b": person_b.pk if person_b else None,
        "purpose": purpose, "score": score,
        "call_topic": call_topic.identifier if call_topic else None,
    })
    return introduction


@transaction.atomic
def introduction_record_met(*, actor, organisation_a: Organisation, person_a: Person | None,
                            organisation_b: Organisation, person_b: Person | None,
                            explanation: str, met_at: datetime.datetime | None = None,
                            hub=None) -> Introduction:
    """Record a matchmaking that happened face to face (e.g. a meeting at a B2B event), so its
    outcomes can be recorded like any introduction's: accepted by both sides, nothing e-mailed.

    Rules: two different organisations; an explanation. `met_at` (default now) is when it was
    made and answered, so outcomes dated from that day on are accepted.
    Side effects: audit entry klynge.matchmaking.introduction.met_recorded.
    """
    explanation = (explanation or "").strip()
    if organisation_a is None or organisation_b is None:
        raise ApplicationError(_("An introduction needs two organisations."))
    if organisation_a.pk == organisation_b.pk:
        raise ApplicationError(_("An introduction needs two different organisations."))
    if not explanation:
        raise ApplicationError(_("Say where or why the two sides met."), field="explanation")
    when = met_at or timezone.now()
    introduction = Introduction.objects.create(
        organisation_a=organisation_a, person_a=person_a, organisation_b=organisation_b,
        person_b=person_b, purpose=Purpose.ANY, explanation=explanation,
        response_a=Response.ACCEPTED, responded_a_at=when, response_b=Response.ACCEPTED,
        responded_b_at=when, sent_at=when,
        hub=hub if hub is not None else getattr(actor, "hub", None),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Introduction.objects.filter(pk=introduction.pk).update(created_at=when)
    introduction.refresh_from_db()
    log_action(introduction, "klynge.matchmaking.introduction.met_recorded", actor=actor, data={
        "organisation_a": organisation_a.name, "person_a": person_a.pk if person_a else None,
        "organisation_b": organisation_b.name, "person_b": person_b.pk if person_b else None,
        "explanation": explanation,
    })
    return introduction


@transaction.atomic
def introduction_delete(*, introduction: Introduction, actor) -> None:
    """Delete an introduction that was never sent (a sent one is part of the record).

    Side effects: audit entry klynge.matchmaking.introduction.deleted with what it was.
    """
    if introduction.sent_at is not None:
        raise ApplicationError(
            _("This introduction was sent on %(day)s and can no longer be deleted; record "
              "its outcome instead.")
            % {"day": timezone.localtime(introduction.sent_at).date().isoformat()})
    log_action(introduction, "klynge.matchmaking.introduction.deleted", actor=actor, data={
        "organisation_a": introduction.organisation_a.name,
        "organisation_b": introduction.organisation_b.name,
        "purpose": introduction.purpose, "explanation": introduction.explanation,
    })
    introduction.delete()


# --- e-mails ----------------------------------------------------------------------------------


def side_of(introduction: Introduction, side: str) -> dict:
    """One side's organisation, contact and answer, and the other side's."""
    a = {"organisation": introduction.organisation_a, "person": introduction.person_a,
         "response": introduction.response_a, "responded_at": introduction.responded_a_at}
    b = {"organisation": introduction.organisation_b, "person": introduction.person_b,
         "response": introduction.response_b, "responded_at": introduction.responded_b_at}
    return {"own": a, "other": b} if side == "a" else {"own": b, "other": a}


def explanation_in_language(introduction: Introduction) -> str:
    """The explanation in the active language: the stored reasons reworded when the
    recommender still gives the same reasons, else the explanation as stored."""
    if not introduction.reasons:
        return introduction.explanation
    suggestion = reads.pair_suggestion(introduction.organisation_a, introduction.organisation_b,
                                      purpose=introduction.purpose,
                                      call=introduction.call_topic)
    if suggestion is None or [r.code for r in suggestion.reasons] != [
            r.get("code") for r in introduction.reasons]:
        return introduction.explanation
    return as_sentence(suggestion.reasons)


def _send(subject: str, template: str, context: dict, to: str) -> None:
    body = render_to_string(f"matchmaking/email/{template}.txt",
                            {**context, "cluster_name": cluster_name()})
    send_mail(subject, body, None, [to], fail_silently=False)


def _invite(introduction: Introduction, side: str, actor) -> None:
    sides = side_of(introduction, side)
    person = sides["own"]["person"]
    with translation.override(person.language or settings.LANGUAGE_CODE):
        subject = _("Introduction: %(other)s") % {"other": sides["other"]["organisation"]}
        _send(subject, "introduction_invitation", {
            "introduction": introduction, "person": person,
            "organisation": sides["own"]["organisation"],
            "other": sides["other"]["organisation"],
            "other_person": sides["other"]["person"],
            "explanation": explanation_in_language(introduction),
            "message": introduction.message,
            "accept_url": respond_url(introduction, side, "accept"),
            "decline_url": respond_url(introduction, side, "decline"),
            "valid_days": LINK_VALID_DAYS,
            "sender": actor or introduction.created_by,
        }, person.email)


@transaction.atomic
def introduction_send(*, introduction: Introduction, actor) -> list[str]:
    """E-mail each side that has not answered yet: who the other side is, why, the personal
    message, and links to accept or decline. Returns the addresses e-mailed.

    Rules: both sides have a contact who has not since withdrawn consent to matchmaking
    visibility; once both have answered there is nothing to send.
    Side effects: sent_at (the first time); audit entry klynge.matchmaking.introduction.sent
    (or .resent) with the recipients.
    """
    if introduction.status in (IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED):
        raise ApplicationError(
            _("This introduction has been answered (%(status)s); there is nothing to send.")
            % {"status": introduction.get_status_display()})
    for side in SIDES:
        sides = side_of(introduction, side)
        person, organisation = sides["own"]["person"], sides["own"]["organisation"]
        if person is None:
            raise ApplicationError(
                _("Choose a contact person at %(name)s before sending: the introduction "
                  "cannot be e-mailed to nobody.") % {"name": organisation.name})
        if reads.has_withdrawn_visibility(person):
            raise ApplicationError(
                _("%(person)s has withdrawn consent to being visible in matchmaking; the "
                  "introduction cannot be sent to them.") % {"person": person.full_name})
    recipients = []
    for side in SIDES:
        sides = side_of(introduction, side)
        if sides["own"]["response"] != Response.PENDING:
            continue
        try:
            _invite(introduction, side, actor)
        except Exception as error:  # SMTP failures: a clear message, nothing half-saved
            logger.exception("Could not e-mail introduction %s", introduction.pk)
            raise ApplicationError(
                _("The e-mail to %(email)s could not be sent; please try again later.")
                % {"email": sides["own"]["person"].email}) from error
        recipients.append(sides["own"]["person"].email)
    first = introduction.sent_at is None
    if first:
        introduction.sent_at = timezone.now()
        introduction.save(update_fields=["sent_at", "updated_at"])
    log_action(introduction,
               "klynge.matchmaking.introduction.sent" if first
               else "klynge.matchmaking.introduction.resent",
               actor=actor, data={"to": recipients})
    return recipients


def _connect(introduction: Introduction) -> None:
    """Both accepted: each side gets the other's contact details."""
    for side in SIDES:
        sides = side_of(introduction, side)
        person = sides["own"]["person"]
        if person is None:
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = _("%(other)s would like to meet you too") % {
                "other": sides["other"]["organisation"]}
            _send(subject, "introduction_connected", {
                "introduction": introduction, "person": person,
                "organisation": sides["own"]["organisation"],
                "other": sides["other"]["organisation"],
                "other_person": sides["other"]["person"],
                "sender": introduction.created_by,
            }, person.email)


def _tell_staff_declined(introduction: Introduction, side: str) -> None:
    # A member's own request (portal) is told by the team that sent it, never by this notice.
    staff = reads.team_contact(introduction)
    if staff is None or not staff.email:
        return
    sides = side_of(introduction, side)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Introduction declined: %(name)s") % {
            "name": sides["own"]["organisation"]}
        _send(subject, "introduction_declined", {
            "introduction": introduction, "staff": staff,
            "organisation": sides["own"]["organisation"], "person": sides["own"]["person"],
            "other": sides["other"]["organisation"],
            "url": base_url() + introduction.get_absolute_url(),
        }, staff.email)


@transaction.atomic
def introduction_respond(*, token: str, accept: bool) -> tuple[Introduction, str]:
    """Record one side's answer (by the link in its e-mail); returns the introduction and
    the side.

    Rules: the link is valid (see introduction_for_token); a side may change its answer
    until the other side has answered too, after that it is refused.
    Side effects: the side's answer and time; audit entry
    klynge.matchmaking.introduction.answered (without a user); when both have accepted,
    both sides are e-mailed each other's contact details; when a side declines, the staff
    member who made the introduction is e-mailed.
    """
    introduction, side = introduction_for_token(token)
    introduction = Introduction.objects.select_for_update(of=("self",)).select_related(
        "organisation_a", "organisation_b", "person_a", "person_b", "created_by", "call_topic",
    ).get(pk=introduction.pk)
    sides = side_of(introduction, side)
    own, other = sides["own"]["response"], sides["other"]["response"]
    answer = Response.ACCEPTED if accept else Response.DECLINED
    if own != Response.PENDING and other != Response.PENDING:
        raise ApplicationError(
            _("Both sides have answered, so the answer can no longer be changed. Please "
              "contact %(cluster)s if something has changed.") % {"cluster": cluster_name()})
    if own == answer:
        return introduction, side
    setattr(introduction, f"response_{side}", answer)
    setattr(introduction, f"responded_{side}_at", timezone.now())
    introduction.save(update_fields=[f"response_{side}", f"responded_{side}_at",
                                     "updated_at"])
    person = sides["own"]["person"]
    log_action(introduction, "klynge.matchmaking.introduction.answered", actor=None, data={
        "side": side, "answer": answer, "previous": own,
        "organisation": sides["own"]["organisation"].name,
        "person": person.full_name if person else None,
    })
    if introduction.status == IntroductionStatus.ACCEPTED:
        transaction.on_commit(lambda: _connect(introduction), robust=True)
    elif answer == Response.DECLINED:
        transaction.on_commit(lambda: _tell_staff_declined(introduction, side), robust=True)
    return introduction, side


# --- outcomes ---------------------------------------------------------------------------------


def _eu_project_of(introduction: Introduction) -> Project | None:
    outcome = introduction.outcomes.filter(
        project__kind=ProjectKind.EU_APPLICATION).select_related("project").order_by(
        "-date", "-pk").first()
    return outcome.project if outcome else None


def _create_eu_application(introduction: Introduction, status: str, day: datetime.date,
                           description: str, actor) -> Project:
    call = introduction.call_topic
    a, b = introduction.organisation_a, introduction.organisation_b
    title = (_("EU application: %(a)s and %(b)s") % {"a": a.name, "b": b.name})[:255]
    if call is not None:
        title = (_("EU application for %(call)s: %(a)s and %(b)s")
                 % {"call": call.identifier, "a": a.name, "b": b.name})[:255]
    project = project_services.project_create(actor=actor, data={
        "title": title, "kind": ProjectKind.EU_APPLICATION, "status": status,
        "submitted_on": day, "call_identifier": call.identifier[:120] if call else "",
        "programme": call.programme if call else "",
        "description": description or _("From the introduction of %(a)s and %(b)s.")
        % {"a": a.name, "b": b.name},
        "hub": introduction.hub, "responsible": actor if getattr(actor, "pk", None) else None,
    })
    project_services.partner_add(project=project, organisation=a, actor=actor,
                                 role=PartnerRole.COORDINATOR)
    project_services.partner_add(project=project, organisation=b, actor=actor,
                                 role=PartnerRole.PARTNER)
    return project


def _add_missing_partners(project: Project, introduction: Introduction, actor) -> None:
    present = set(project.partnerships.values_list("organisation_id", flat=True))
    has_coordinator = project.partnerships.filter(role=PartnerRole.COORDINATOR).exists()
    for organisation in (introduction.organisation_a, introduction.organisation_b):
        if organisation.pk in present:
            continue
        role = PartnerRole.PARTNER
        if (organisation.pk == introduction.organisation_a_id and not has_coordinator
                and project.kind == ProjectKind.EU_APPLICATION):
            role = PartnerRole.COORDINATOR
        project_services.partner_add(project=project, organisation=organisation, actor=actor,
                                     role=role)


@transaction.atomic
def introduction_outcome_record(*, introduction: Introduction, kind: str,
                                date: datetime.date | None, description: str = "",
                                project: Project | None = None,
                                actor) -> IntroductionOutcome:
    """Record what came of an introduction on a day; outcomes come in any order over time.

    Rules: a known kind; a date, not in the future and not before the introduction was
    made. An EU application outcome without a project creates the EU application (status
    submitted or funded, submitted on the date, the call topic's identifier, organisation
    A coordinator and B partner) — or, for "funded" after "submitted", marks the
    application it created funded; a given project is linked and gets the two
    organisations as partners if they are missing. KPI 5 counts the introduction for a
    commercial outcome; KPI 4 counts the companies of the EU application.
    Side effects: the project and its partners (audited by projects); audit entry
    klynge.matchmaking.introduction.outcome_recorded.
    """
    description = (description or "").strip()
    if kind not in OutcomeKind.values:
        raise ApplicationError(_("Choose what came of the introduction."), field="kind")
    if date is None:
        raise ApplicationError(_("Give the day it happened."), field="date")
    if date > timezone.localdate():
        raise ApplicationError(
            _("%(day)s is in the future; record an outcome once it has happened.")
            % {"day": date.isoformat()}, field="date")
    made = timezone.localtime(introduction.created_at).date()
    if date < made:
        raise ApplicationError(
            _("%(day)s is before the introduction was made (%(made)s).")
            % {"day": date.isoformat(), "made": made.isoformat()}, field="date")
    if project is not None:
        _add_missing_partners(project, introduction, actor)
    elif kind in EU_OUTCOMES:
        existing = _eu_project_of(introduction)
        if (kind == OutcomeKind.EU_APPLICATION_FUNDED and existing is not None
                and existing.status in (ProjectStatus.SUBMITTED, ProjectStatus.PREPARING,
                                        ProjectStatus.IDEA)):
            project_services.project_update(project=existing, actor=actor, data={
                "status": ProjectStatus.FUNDED,
                "submitted_on": existing.submitted_on or date,
            })
            project = existing
        else:
            project = _create_eu_application(introduction, EU_OUTCOMES[kind], date,
                                             description, actor)
    outcome = IntroductionOutcome.objects.create(
        introduction=introduction, kind=kind, date=date, description=description,
        project=project, recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    log_action(introduction, "klynge.matchmaking.introduction.outcome_recorded", actor=actor,
               data={"kind": kind, "date": date, "description": description,
                     "project_id": project.pk if project else None})
    return outcome


@transaction.atomic
def introduction_outcome_delete(*, outcome: IntroductionOutcome, actor) -> None:
    """Delete a recorded outcome (an EU application it created stays a project of its own).

    Side effects: audit entry klynge.matchmaking.introduction.outcome_deleted.
    """
    introduction = outcome.introduction
    log_action(introduction, "klynge.matchmaking.introduction.outcome_deleted", actor=actor,
               data={"kind": outcome.kind, "date": outcome.date,
                     "description": outcome.description, "project_id": outcome.project_id})
    outcome.delete()
