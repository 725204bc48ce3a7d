"""Every write of evaluations: surveys, questions, invitations, reminders and answers.

Each service names its rule and side effects. E-mails go out in the recipient's language;
a failed e-mail leaves `sent_at` empty so the next run of `klynge send_surveys` retries it.
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Affiliation, Membership
from klynge.evaluations.choices import FOLLOW_UP_WAVES, QuestionKind, SurveyKind
from klynge.evaluations.domain import answers as rules
from klynge.evaluations.domain.calendar import follow_up_window, reminder_due
from klynge.evaluations.domain.standard import standard_questions_for
from klynge.evaluations.models import Answer, Question, Response, Survey, columns_for

logger = logging.getLogger(__name__)

CONSENT_PURPOSE = "evaluations"
EXTRA_POSITION_START = 100


# --- settings ---------------------------------------------------------------------------------


def reminder_days() -> int:
    """Days after the invitation a non-responder gets their one reminder."""
    return int(getattr(settings, "KLYNGE_SURVEY_REMINDER_DAYS", 7))


def open_days() -> int:
    """How long an activity or follow-up survey takes answers."""
    return int(getattr(settings, "KLYNGE_SURVEY_OPEN_DAYS", 30))


def base_url() -> str:
    return str(getattr(settings, "KLYNGE_BASE_URL", "http://localhost:8000")).rstrip("/")


def survey_link(response: Response) -> str:
    return base_url() + reverse("surveys:answer", args=[response.token])


# --- consent ----------------------------------------------------------------------------------


def may_evaluate(person) -> bool:
    """Whether the person may receive evaluations: not if they withdrew that consent.

    Evaluations rest on the cluster's legitimate interest (the grant givers' effect
    measurement), so a person with no recorded choice is asked; only a withdrawal (the latest
    row of the consent register refusing "evaluations") stops it. The register lives in
    klynge.privacy, built in parallel, hence the guarded imports: without it everyone is asked.
    """
    try:
        from klynge.privacy.selectors import consent_in_force
    except ImportError:
        consent_in_force = None
    if consent_in_force is not None:
        row = consent_in_force(person, CONSENT_PURPOSE)
        return row is None or bool(row.granted)
    try:
        from klynge.privacy.selectors import has_consent
    except ImportError:
        return True
    return bool(has_consent(person, CONSENT_PURPOSE))


# --- surveys and questions --------------------------------------------------------------------


def _add_standard_questions(survey: Survey) -> None:
    Question.objects.bulk_create(
        Question(survey=survey, key=q.key, kind=q.kind, text_en=q.text_en, text_da=q.text_da,
                 required=q.kind != rules.TEXT, position=index)
        for index, q in enumerate(standard_questions_for(survey.kind))
    )


def _activity_title(activity: Activity, kind: str) -> str:
    label = SurveyKind(kind).label
    return f"{label}: {activity.title}"[:255]


@transaction.atomic
def activity_survey_get_or_create(*, activity: Activity, actor=None) -> Survey:
    """The activity's evaluation survey, created as a draft with the standard questions.

    Side effects on creation: audit entry klynge.evaluations.survey.created.
    """
    survey = Survey.objects.filter(activity=activity, kind=SurveyKind.ACTIVITY).first()
    if survey is not None:
        return survey
    survey = Survey.objects.create(
        kind=SurveyKind.ACTIVITY, activity=activity, created_by=actor,
        title=_activity_title(activity, SurveyKind.ACTIVITY),
    )
    _add_standard_questions(survey)
    log_action(survey, "klynge.evaluations.survey.created", actor=actor,
               data={"kind": survey.kind, "activity": activity.pk})
    return survey


def _check_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise ApplicationError(
            _("The survey has already been sent; its questions can no longer be changed.")
        )


def _clean_question(data: dict) -> dict:
    cleaned = {
        "kind": data.get("kind") or QuestionKind.TEXT,
        "text_da": (data.get("text_da") or "").strip(),
        "text_en": (data.get("text_en") or "").strip(),
        "required": bool(data.get("required")),
    }
    if cleaned["kind"] not in QuestionKind.values:
        raise ApplicationError(_("Choose a kind of question."), field="kind")
    if not cleaned["text_da"] and not cleaned["text_en"]:
        raise ApplicationError(_("Write the question in Danish or English."), field="text_en")
    return cleaned


@transaction.atomic
def question_create(*, activity: Activity, actor, data: dict) -> Question:
    """Add an extra question to the activity's survey.

    Rule: only before the survey is sent. Side effects: the draft survey is created if
    needed; audit entry klynge.evaluations.survey.question_added.
    """
    survey = activity_survey_get_or_create(activity=activity, actor=actor)
    _check_draft(survey)
    cleaned = _clean_question(data)
    last = survey.questions.order_by("-position").values_list("position", flat=True).first()
    position = max(EXTRA_POSITION_START, (last or 0) + 1)
    question = Question.objects.create(survey=survey, position=position, **cleaned)
    log_action(survey, "klynge.evaluations.survey.question_added", actor=actor,
               data={"question": question.pk, **cleaned})
    return question


@transaction.atomic
def question_update(*, question: Question, actor, data: dict) -> Question:
    """Change an extra question. Rule: standard questions are fixed; only before sending."""
    if question.is_standard:
        raise ApplicationError(_("The standard questions cannot be changed."))
    _check_draft(question.survey)
    cleaned = _clean_question(data)
    for field, value in cleaned.items():
        setattr(question, field, value)
    question.save()
    log_action(question.survey, "klynge.evaluations.survey.question_changed", actor=actor,
               data={"question": question.pk, **cleaned})
    return question


@transaction.atomic
def question_delete(*, question: Question, actor) -> None:
    """Remove an extra question. Rule: standard questions stay; only before sending."""
    if question.is_standard:
        raise ApplicationError(_("The standard questions cannot be removed."))
    survey = question.survey
    _check_draft(survey)
    data = {"question": question.pk, "text_en": question.text_en, "text_da": question.text_da}
    question.delete()
    log_action(survey, "klynge.evaluations.survey.question_removed", actor=actor, data=data)


# --- recipients -------------------------------------------------------------------------------


def _attendees(activity: Activity) -> list[tuple]:
    """(person, organisation) of each distinct person who attended (no-shows and cancelled
    registrations excluded), in registration order."""
    registrations = (
        Registration.objects.filter(activity=activity, attended=True)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person", "organisation")
        .order_by("created_at", "pk")
    )
    seen, people = set(), []
    for registration in registrations:
        if registration.person_id not in seen:
            seen.add(registration.person_id)
            people.append((registration.person, registration.organisation))
    return people


def _add_responses(survey: Survey, recipients) -> int:
    """One response per recipient who may be asked and has none yet; the number added."""
    existing = set(survey.responses.values_list("person_id", flat=True))
    added = 0
    for person, organisation in recipients:
        if person.pk in existing or person.erased_at or not may_evaluate(person):
            continue
        Response.objects.create(survey=survey, person=person, organisation=organisation)
        existing.add(person.pk)
        added += 1
    return added


# --- e-mail -----------------------------------------------------------------------------------


def _message(response: Response, *, reminder: bool) -> tuple[str, str]:
    survey = response.survey
    activity = survey.activity.title if survey.activity_id else ""
    if survey.kind == SurveyKind.ACTIVITY:
        subject = _("How was “%(activity)s”?") % {"activity": activity}
        intro = _("Thank you for taking part in “%(activity)s”. Please tell us what it gave "
                  "you; it takes about two minutes.") % {"activity": activity}
    elif survey.kind == SurveyKind.ANNUAL:
        subject = _("The annual member survey %(year)s") % {"year": survey.year}
        intro = _("Please answer our annual member survey %(year)s: what did the cluster's "
                  "activities give your organisation this year?") % {"year": survey.year}
    else:
        months = 6 if survey.kind == SurveyKind.FOLLOW_UP_6 else 12
        subject = _("What did “%(activity)s” lead to?") % {"activity": activity}
        intro = _("%(months)s months ago you took part in “%(activity)s”. Effects often show "
                  "later: please tell us what it has led to since.") % {
                      "months": months, "activity": activity}
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    lines = [
        _("Dear %(name)s,") % {"name": response.person.first_name},
        "",
        intro,
        "",
        survey_link(response),
        "",
        _("The link is personal, so please do not pass it on. You can use it again to change "
          "your answers while the survey is open."),
    ]
    if survey.closes_at:
        lines.append(_("The survey closes on %(day)s.") % {
            "day": date_format(timezone.localtime(survey.closes_at), "DATE_FORMAT")})
    lines += ["", _("Kind regards"), getattr(settings, "KLYNGE_CLUSTER_NAME", "Klynge")]
    return subject, "\n".join(lines)


def _mail(response: Response, *, reminder: bool) -> bool:
    """E-mail one response's link in the person's language; whether it went out."""
    with translation.override(response.person.language or settings.LANGUAGE_CODE):
        subject, body = _message(response, reminder=reminder)
    try:
        send_mail(subject, body, None, [response.person.email], fail_silently=False)
    except Exception:  # an SMTP failure must not stop the other invitations; retried later
        logger.exception("Could not e-mail survey response %s", response.pk)
        return False
    return True


def survey_send_invitations(*, survey: Survey, actor=None) -> int:
    """E-mail every response of the survey that has not been sent yet; the number sent.

    Side effects: sent_at per response (after its e-mail went out) and on the survey the
    first time; audit entry klynge.evaluations.survey.sent.
    """
    pending = survey.responses.filter(sent_at__isnull=True, person__isnull=False).select_related(
        "person", "survey", "survey__activity"
    )
    sent = 0
    for response in pending:
        if _mail(response, reminder=False):
            Response.objects.filter(pk=response.pk).update(sent_at=timezone.now())
            sent += 1
    if survey.sent_at is None:
        survey.sent_at = timezone.now()
        survey.save(update_fields=["sent_at"])
    if sent:
        log_action(survey, "klynge.evaluations.survey.sent", actor=actor, data={"sent": sent})
    return sent


# --- the activity survey ----------------------------------------------------------------------


def activity_survey_send(*, activity_id: int) -> Survey | None:
    """Send the evaluation of a held activity to everyone who attended.

    Rule: only held activities; one response per distinct attended person (no-shows and
    cancelled registrations get nothing), skipping people who withdrew consent to
    evaluations. Idempotent: running it again e-mails only attendees not yet invited.
    Side effects: the survey (with standard and extra questions) if it was not drafted;
    closes_at set to KLYNGE_SURVEY_OPEN_DAYS after sending; e-mails; audit entries.
    """
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None or activity.status != ActivityStatus.HELD:
        return None
    with transaction.atomic():
        survey = activity_survey_get_or_create(activity=activity)
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.sent_at is None:
            survey.opens_at = timezone.now()
            survey.closes_at = survey.opens_at + timedelta(days=open_days())
            survey.save(update_fields=["opens_at", "closes_at"])
        _add_responses(survey, _attendees(activity))
    survey_send_invitations(survey=survey)
    return survey


# --- follow-up waves --------------------------------------------------------------------------


def _follow_up_create(activity: Activity, kind: str, first: Survey, now: datetime) -> Survey | None:
    """The follow-up survey of one wave, to the people who were sent the first survey."""
    recipients = [
        (response.person, response.organisation)
        for response in first.responses.filter(sent_at__isnull=False, person__isnull=False)
        .select_related("person", "organisation")
    ]
    if not recipients:
        return None
    try:
        with transaction.atomic():
            survey = Survey.objects.create(
                kind=kind, activity=activity, title=_activity_title(activity, kind),
                opens_at=now, closes_at=now + timedelta(days=open_days()),
            )
            _add_standard_questions(survey)
            _add_responses(survey, recipients)
            log_action(survey, "klynge.evaluations.survey.created", data={
                "kind": kind, "activity": activity.pk})
    except IntegrityError:  # another run created it at the same moment: never twice
        return None
    return survey


def follow_ups_create(*, today: date | None = None) -> list[Survey]:
    """Create and send the 6- and 12-month follow-ups that are due today.

    Rule: activities held (status held) whose end falls within ±7 days of 6 (12) months ago
    and whose evaluation was sent get one follow-up per wave, never twice (existing ones are
    skipped, and a unique constraint guards against a parallel run).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    created = []
    for kind, months in FOLLOW_UP_WAVES:
        window = follow_up_window(today, months)
        firsts = (
            Survey.objects.filter(
                kind=SurveyKind.ACTIVITY, sent_at__isnull=False,
                activity__status=ActivityStatus.HELD,
                activity__ends_at__date__gte=window.start,
                activity__ends_at__date__lte=window.end,
            )
            .exclude(activity__surveys__kind=kind)
            .select_related("activity")
        )
        for first in firsts:
            survey = _follow_up_create(first.activity, kind, first, now)
            if survey is not None:
                survey_send_invitations(survey=survey)
                created.append(survey)
    return created


# --- reminders --------------------------------------------------------------------------------


def reminders_send(*, survey: Survey | None = None, now: datetime | None = None,
                   after_days: int | None = None, actor=None) -> int:
    """Remind non-responders once; the number reminded.

    Rule: a response that was sent, is unanswered and not yet reminded, in a survey still
    open, gets one reminder `after_days` (KLYNGE_SURVEY_REMINDER_DAYS, default 7) after the
    invitation. Staff sending reminders now for one survey pass after_days=0.
    Side effects: reminded_at per response; audit entry klynge.evaluations.survey.reminded.
    """
    now = now or timezone.now()
    after_days = reminder_days() if after_days is None else after_days
    candidates = (
        Response.objects.filter(
            sent_at__isnull=False, answered_at__isnull=True, reminded_at__isnull=True,
            person__isnull=False, sent_at__lte=now - timedelta(days=after_days),
            survey__opens_at__lte=now,
        )
        .filter(Q(survey__closes_at__isnull=True) | Q(survey__closes_at__gt=now))
        .select_related("person", "survey", "survey__activity")
    )
    if survey is not None:
        candidates = candidates.filter(survey=survey)
    counts: dict[int, int] = {}
    for response in candidates:
        if not reminder_due(response.sent_at, response.answered_at, response.reminded_at, now,
                            after_days):
            continue
        # Claim the response before mailing, so two runs never remind the same person twice.
        claimed = Response.objects.filter(pk=response.pk, reminded_at__isnull=True).update(
            reminded_at=now)
        if not claimed:
            continue
        if _mail(response, reminder=True):
            counts[response.survey_id] = counts.get(response.survey_id, 0) + 1
        else:
            Response.objects.filter(pk=response.pk).update(reminded_at=None)
    for survey_id, count in counts.items():
        log_action(Survey.objects.get(pk=survey_id), "klynge.evaluations.survey.reminded",
                   actor=actor, data={"reminded": count})
    return sum(counts.values())


# --- the annual member survey -----------------------------------------------------------------


def annual_recipients(members_on: date) -> list[tuple]:
    """(person, organisation) for the primary contact persons (primary, current affiliation)
    of every organisation with a paying membership on `members_on`; each person once."""
    paying = Membership.objects.paying_on(members_on).values("organisation_id")
    affiliations = (
        Affiliation.objects.filter(organisation_id__in=paying, is_primary=True)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=members_on))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=members_on))
        .select_related("person", "organisation")
        .order_by("organisation__name", "organisation_id", "person_id")
    )
    seen, recipients = set(), []
    for affiliation in affiliations:
        if affiliation.person_id not in seen:
            seen.add(affiliation.person_id)
            recipients.append((affiliation.person, affiliation.organisation))
    return recipients


@transaction.atomic
def annual_survey_create(*, year: int, members_on: date, actor, title: str = "",
                         closes_at: datetime | None = None) -> Survey:
    """Create the annual member survey of `year` with the outcome questions.

    Rule: one per year; closes after it opens. The recipients are fixed now (see
    annual_recipients); the e-mails are sent by a task after the transaction commits.
    Side effects: audit entry klynge.evaluations.survey.created; task send_survey enqueued.
    """
    from klynge.evaluations.tasks import send_survey

    if Survey.objects.filter(kind=SurveyKind.ANNUAL, year=year).exists():
        raise ApplicationError(_("There is already an annual member survey for %(year)s.")
                               % {"year": year}, field="year")
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        raise ApplicationError(_("The survey must close in the future."), field="closes_at")
    survey = Survey.objects.create(
        kind=SurveyKind.ANNUAL, year=year, members_on=members_on, created_by=actor,
        title=title or _("Annual member survey %(year)s") % {"year": year},
        opens_at=now, closes_at=closes_at,
    )
    _add_standard_questions(survey)
    added = _add_responses(survey, annual_recipients(members_on))
    log_action(survey, "klynge.evaluations.survey.created", actor=actor,
               data={"kind": survey.kind, "year": year, "members_on": members_on,
                     "recipients": added})
    transaction.on_commit(lambda: send_survey.enqueue(survey.pk))
    return survey


# --- answering --------------------------------------------------------------------------------


def _check_values(questions, values: dict[int, object]) -> None:
    for question in questions:
        value = values.get(question.pk)
        if value in (None, "") and question.required:
            raise ApplicationError(_("Please answer this question."), field=f"q{question.pk}")
        if not rules.is_valid(question.kind, value if value != "" else None):
            raise ApplicationError(_("This is not a possible answer."), field=f"q{question.pk}")


def response_answer(*, response: Response, values: dict[int, object]) -> Response:
    """Save the answers given through a personal link, all or nothing.

    Rules: the survey must be open; required questions answered; each value possible for
    its question (0–10 on scales). Answering again updates the answers (one per question;
    an optional answer left empty is removed). Side effects: answered_at the first time,
    updated_at every time; audit entry klynge.evaluations.response.answered.
    """
    with transaction.atomic():
        locked = Response.objects.select_for_update().select_related("survey").get(
            pk=response.pk)
        now = timezone.now()
        if not locked.survey.is_open(now):
            raise ApplicationError(_("This survey is closed, so answers can no longer be "
                                     "given or changed."))
        questions = list(locked.survey.questions.all())
        _check_values(questions, values)
        for question in questions:
            value = values.get(question.pk)
            if value in (None, ""):
                Answer.objects.filter(response=locked, question=question).delete()
                continue
            Answer.objects.update_or_create(
                response=locked, question=question, defaults=columns_for(question.kind, value))
        again = locked.answered_at is not None
        locked.answered_at = locked.answered_at or now
        locked.updated_at = now
        locked.save(update_fields=["answered_at", "updated_at"])
        log_action(locked, "klynge.evaluations.response.answered",
                   data={"survey": locked.survey_id, "again": again})
    return locked


# --- the daily run ----------------------------------------------------------------------------


def due_surveys_send(*, today: date | None = None) -> dict[str, int]:
    """What `klynge send_surveys` does each day: follow-ups due, invitations that failed
    before (retried), and reminders. Returns the counts."""
    follow_ups = follow_ups_create(today=today)
    retried = sum(
        survey_send_invitations(survey=survey)
        for survey in Survey.objects.filter(
            sent_at__isnull=False, responses__sent_at__isnull=True,
            responses__person__isnull=False,
        ).filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now())).distinct()
    )
    return {
        "follow_ups": len(follow_ups),
        "retried": retried,
        "reminded": reminders_send(),
    }
