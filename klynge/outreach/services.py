"""Writes of outreach: segments, invitations and their sending.

The consent rule of invitations: an activity invitation is sent only to people whose consent
to "member communication" (`klynge.privacy.choices.Purpose.MEMBER_COMMUNICATION`) is in
force, i.e. the latest consent row for that purpose is a grant. A person without any row is
recorded as `skipped_no_consent`; a person whose latest row is a withdrawal (the unsubscribe
link, or staff recording an objection) as `skipped_unsubscribed`. Nobody is e-mailed twice
for one invitation: a person whose delivery is `sent` is passed over when it is sent again;
skipped and failed people are tried again then, under the rule as it stands at that time.
"""

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.activities.choices import ActivityStatus
from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.core.models import Job
from klynge.outreach.choices import DeliveryStatus
from klynge.outreach.domain.segments import SegmentFilters
from klynge.outreach.models import Delivery, Invitation, Segment
from klynge.outreach.selectors import INVITATION_PURPOSE, segment_people
from klynge.privacy.selectors import CONSENT_STATE, annotate_consent
from klynge.privacy.tokens import unsubscribe_path

BATCH_SIZE = 100
JOB_KIND = "outreach.invitation"


# --- segments ----------------------------------------------------------------------------------


def _clean_segment(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("A segment needs a name."), field="name")
    return name


def segment_create(
    *, name: str, description: str = "", filters: SegmentFilters, actor=None
) -> Segment:
    """Save a segment. Side effect: an audit entry."""
    segment = Segment.objects.create(
        name=_clean_segment(name), description=description, filters=filters.to_json(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(segment, "klynge.outreach.segment.created", actor=actor,
               data={"filters": segment.filters})
    return segment


def segment_update(
    *, segment: Segment, name: str, description: str = "", filters: SegmentFilters, actor=None
) -> Segment:
    """Change a segment's name and filters. Invitations already sent keep their deliveries."""
    before = segment.filters
    segment.name = _clean_segment(name)
    segment.description = description
    segment.filters = filters.to_json()
    segment.save()
    log_action(segment, "klynge.outreach.segment.updated", actor=actor,
               data={"before": before, "after": segment.filters})
    return segment


def segment_delete(*, segment: Segment, actor=None) -> None:
    """Delete a segment; its invitations and their delivery logs stay (segment left empty)."""
    log_action(segment, "klynge.outreach.segment.deleted", actor=actor,
               data={"name": segment.name, "filters": segment.filters})
    segment.delete()


# --- invitations -------------------------------------------------------------------------------


def check_invitable(activity) -> None:
    """Only public activities open for registration can be invited to."""
    if not activity.is_public:
        raise ApplicationError(
            _("Only public activities can be invited to: this activity has no public "
              "sign-up page."), field="activity",
        )
    if activity.status != ActivityStatus.OPEN:
        raise ApplicationError(
            _("Only activities open for registration can be invited to; this one is "
              "“%(status)s”.") % {"status": activity.get_status_display()},
            field="activity",
        )


def _clean_invitation(subject: str, message: str, segment) -> tuple[str, str]:
    subject, message = (subject or "").strip(), (message or "").strip()
    if segment is None:
        raise ApplicationError(_("Choose the segment to invite."), field="segment")
    if not subject:
        raise ApplicationError(_("An invitation needs a subject."), field="subject")
    if not message:
        raise ApplicationError(_("An invitation needs a message."), field="message")
    return subject, message


def invitation_create(
    *, activity, segment: Segment, subject: str, message: str, actor=None
) -> Invitation:
    """Write an invitation as a draft. Refused for an activity that is not public and open."""
    check_invitable(activity)
    subject, message = _clean_invitation(subject, message, segment)
    invitation = Invitation.objects.create(
        activity=activity, segment=segment, subject=subject, message=message,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(invitation, "klynge.outreach.invitation.created", actor=actor,
               data={"activity": activity.pk, "segment": segment.pk})
    return invitation


def invitation_update(*, invitation: Invitation, segment: Segment, subject: str, message: str,
                      actor=None) -> Invitation:
    """Edit a draft; an invitation that has been sent cannot be changed."""
    if invitation.sent_at is not None:
        raise ApplicationError(_("This invitation has been sent and can no longer be changed."))
    invitation.subject, invitation.message = _clean_invitation(subject, message, segment)
    invitation.segment = segment
    invitation.save()
    log_action(invitation, "klynge.outreach.invitation.updated", actor=actor)
    return invitation


@transaction.atomic
def invitation_send(*, invitation: Invitation, actor=None, base_url: str = "") -> Job:
    """Start sending an invitation to its segment: checks, then a task on commit.

    Refused when the activity is no longer public and open, the segment is gone, or a
    sending of the same invitation is still running. `base_url` (e.g. "https://klynge.dk")
    makes the links in the e-mail absolute; the setting KLYNGE_BASE_URL wins when set.
    Side effects: a Job row for the progress, an audit entry, the task enqueued on commit.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_invitable(invitation.activity)
    if invitation.segment is None:
        raise ApplicationError(_("The segment of this invitation was deleted."))
    if invitation.job is not None and not invitation.job.is_finished:
        raise ApplicationError(_("This invitation is being sent already."))
    job = Job.objects.create(
        kind=JOB_KIND, total=segment_people(invitation.segment).count(),
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invitation.job = job
    invitation.sent_at = timezone.now()
    invitation.sent_by = job.started_by
    invitation.save(update_fields=["job", "sent_at", "sent_by", "updated_at"])
    log_action(invitation, "klynge.outreach.invitation.sent", actor=actor,
               data={"segment": invitation.segment_id, "people": job.total})
    base_url = base_url or settings.KLYNGE_BASE_URL

    def enqueue():
        from klynge.outreach.tasks import send_invitation

        send_invitation.enqueue(invitation.pk, base_url.rstrip("/"))

    transaction.on_commit(enqueue)
    return job


def invitation_deliver(*, invitation_id: int, base_url: str = "") -> dict[str, int]:
    """The task's work: go through the segment in batches, recording one Delivery per person.

    Each batch locks the invitation, so two runs of the same invitation cannot e-mail a
    person twice. Returns the number of deliveries recorded in this run per status.
    """
    invitation = Invitation.objects.select_related("activity", "segment", "job").get(
        pk=invitation_id
    )
    job = invitation.job
    if invitation.segment is None:  # deleted between the click and the worker
        if job is not None:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, finished_at=timezone.now(),
                message=_("The segment of this invitation was deleted."),
            )
        return dict.fromkeys(DeliveryStatus.values, 0)
    if job is not None:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    people = annotate_consent(segment_people(invitation.segment), INVITATION_PURPOSE)
    people = people.order_by("pk")
    last_pk, done = 0, 0
    try:
        while True:
            batch = list(people.filter(pk__gt=last_pk)[:BATCH_SIZE])
            if not batch:
                break
            _deliver_batch(invitation, batch, base_url, counts)
            last_pk, done = batch[-1].pk, done + len(batch)
            if job is not None:
                job.advance(done, every=BATCH_SIZE)
    except Exception as error:
        if job is not None:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, message=str(error)[:2000], finished_at=timezone.now()
            )
        raise
    if job is not None:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED, done=done, finished_at=timezone.now()
        )
    log_action(invitation, "klynge.outreach.invitation.delivered", data=counts)
    return counts


@transaction.atomic
def _deliver_batch(invitation: Invitation, people: list, base_url: str, counts: dict) -> None:
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    existing = {
        d.person_id: d
        for d in Delivery.objects.filter(invitation=invitation, person__in=people)
    }
    connection = mail.get_connection()
    for person in people:
        delivery = existing.get(person.pk) or Delivery(invitation=invitation, person=person)
        if delivery.status == DeliveryStatus.SENT:
            continue
        delivery.email, delivery.error, delivery.sent_at = person.email, "", None
        state = getattr(person, CONSENT_STATE)
        if state is None:
            delivery.status = DeliveryStatus.SKIPPED_NO_CONSENT
        elif state is False:
            delivery.status = DeliveryStatus.SKIPPED_UNSUBSCRIBED
        else:
            try:
                invitation_email(invitation, person, base_url, connection).send()
            except Exception as error:  # noqa: BLE001 - any mail failure is recorded, not fatal
                delivery.status, delivery.error = DeliveryStatus.FAILED, str(error)[:2000]
            else:
                delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
        delivery.save()
        counts[delivery.status] += 1


def signup_url(activity, base_url: str = "") -> str | None:
    """The activity's public sign-up page, or None while that page does not exist."""
    try:
        return base_url + reverse("public_activities:signup", args=[activity.pk])
    except NoReverseMatch:
        return None


def invitation_email(invitation: Invitation, person, base_url: str = "", connection=None):
    """The plain-text e-mail for one person, in the person's language."""
    unsubscribe = base_url + unsubscribe_path(person=person, purpose=INVITATION_PURPOSE)
    activity = invitation.activity
    with translation.override(person.language or settings.LANGUAGE_CODE):
        body = render_to_string("outreach/email/invitation.txt", {
            "invitation": invitation, "activity": activity, "person": person,
            "starts_at": timezone.localtime(activity.starts_at),
            "ends_at": timezone.localtime(activity.ends_at),
            "deadline": timezone.localtime(activity.registration_deadline)
            if activity.registration_deadline else None,
            "signup_url": signup_url(activity, base_url), "unsubscribe_url": unsubscribe,
        })
    return mail.EmailMessage(
        subject=invitation.subject, body=body, to=[person.email], connection=connection,
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
