"""Writes of the member portal: invitations to sign in, and accepting one.

Everything else a member changes in the portal goes through the owning app's services
(ecosystem organisation_update/person_update, privacy consent_give/consent_withdraw), so the
rules and the audit log are the same as on the staff pages.

Invitation e-mails go out in the invited person's language (Person.language). They are sent
as the last step inside the transaction rather than on commit: when the mail server refuses,
the user gets a clear message and no invitation is left behind that nobody received.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.core.roles import CLUSTER_TEAM, Role
from klynge.ecosystem.models import Organisation, Person
from klynge.portal.models import Invitation, InvitationStatus, default_expiry
from klynge.portal.selectors import (
    has_current_membership,
    invitation_for_token,
    is_current_affiliate,
    login_for,
    open_invitation_for,
)

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def accept_url(token: str) -> str:
    """The invitation link, as a full address for the e-mail."""
    return settings.KLYNGE_BASE_URL + reverse("portal:invitation_accept", args=[token])


# --- rules ------------------------------------------------------------------------------------


def _check_actor(actor, organisation: Organisation) -> None:
    """The cluster team invites anyone; a member only colleagues of their own organisation."""
    role = getattr(actor, "role", None)
    if role in CLUSTER_TEAM:
        return
    if role == Role.MEMBER and actor.organisation_id == organisation.pk and (
            actor.has_member_access()):
        return
    raise ApplicationError(
        _("You may only invite colleagues of your own organisation."), field="organisation")


def _check_invitable(person: Person, organisation: Organisation) -> None:
    if person.erased_at is not None:
        raise ApplicationError(_("This person's data has been erased; they cannot be invited."),
                               field="person")
    if not person.email:
        raise ApplicationError(_("%(name)s has no e-mail address to send the invitation to.")
                               % {"name": person.full_name}, field="person")
    login = login_for(person)
    if login is not None:
        raise ApplicationError(
            _("%(name)s already has a login (%(email)s) and can sign in already; no invitation "
              "is needed.") % {"name": person.full_name, "email": login.email},
            field="person")
    if not has_current_membership(organisation):
        raise ApplicationError(
            _("%(organisation)s holds no current membership; only people of member "
              "organisations can be invited to the portal.") % {"organisation": organisation},
            field="organisation")
    if not is_current_affiliate(person, organisation):
        raise ApplicationError(
            _("%(name)s is not (or no longer) affiliated with %(organisation)s.")
            % {"name": person.full_name, "organisation": organisation}, field="organisation")


# --- invitations ------------------------------------------------------------------------------


def _send(invitation: Invitation, token: str) -> None:
    person = invitation.person
    with translation.override(person.language or settings.LANGUAGE_CODE):
        cluster = settings.KLYNGE_CLUSTER_NAME
        subject = _("Your invitation to the %(cluster)s member portal") % {"cluster": cluster}
        body = render_to_string("portal/account_email_invitation.txt", {
            "invitation": invitation, "person": person, "organisation": invitation.organisation,
            "inviter": invitation.invited_by, "cluster_name": cluster,
            "url": accept_url(token), "expires_at": invitation.expires_at,
        })
    try:
        send_mail(subject, body, None, [invitation.email], fail_silently=False)
    except Exception as error:  # SMTP failures: a clear message, nothing half-saved
        logger.exception("Could not e-mail portal invitation %s", invitation.pk)
        raise ApplicationError(
            _("The e-mail to %(email)s could not be sent; please try again later.")
            % {"email": invitation.email}) from error


@transaction.atomic
def invitation_create(
    *, person: Person, organisation: Organisation, actor, message: str = ""
) -> Invitation:
    """Invite a person of a member organisation to the portal by e-mail.

    Rules: the organisation holds a current membership; the person is currently affiliated
    with it, has an e-mail address and no login yet; at most one open invitation per person
    (resend that one instead); members invite only colleagues of their own organisation.
    Side effects: the e-mail with the link (valid 14 days); audit entry
    klynge.portal.invitation.created.
    """
    _check_actor(actor, organisation)
    _check_invitable(person, organisation)
    if open_invitation_for(person) is not None:
        raise ApplicationError(
            _("%(name)s already has an open invitation; resend it instead of making a new "
              "one.") % {"name": person.full_name}, field="person")
    token, token_hash = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        person=person, organisation=organisation, email=person.email, token_hash=token_hash,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        message=(message or "").strip(), created_at=now, sent_at=now, send_count=1,
        expires_at=default_expiry(now),
    )
    log_action(invitation, "klynge.portal.invitation.created", actor=actor, data={
        "person": person.pk, "organisation": organisation.pk, "email": invitation.email,
        "expires_at": invitation.expires_at,
    })
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """Send an open or expired invitation again, with a new link valid for 14 days (the old
    link stops working). Rules: as for a new invitation; accepted or revoked ones cannot be
    resent. Side effect: audit entry klynge.portal.invitation.resent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_actor(actor, invitation.organisation)
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise ApplicationError(
            _("This invitation was %(status)s; it cannot be sent again.")
            % {"status": invitation.get_status_display().lower()})
    _check_invitable(invitation.person, invitation.organisation)
    token, invitation.token_hash = _new_token()
    invitation.email = invitation.person.email
    invitation.sent_at = timezone.now()
    invitation.expires_at = default_expiry(invitation.sent_at)
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "email", "expires_at", "sent_at",
                                   "send_count"])
    log_action(invitation, "klynge.portal.invitation.resent", actor=actor, data={
        "email": invitation.email, "expires_at": invitation.expires_at,
        "send_count": invitation.send_count,
    })
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation that has not been accepted: its link stops working at once.
    Side effect: audit entry klynge.portal.invitation.revoked."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_actor(actor, invitation.organisation)
    if invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        raise ApplicationError(
            _("This invitation was %(status)s already; there is nothing to revoke.")
            % {"status": invitation.get_status_display().lower()})
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(invitation, "klynge.portal.invitation.revoked", actor=actor,
               data={"email": invitation.email})
    return invitation


def _refusal(invitation: Invitation | None) -> str | None:
    """Why a link cannot be used (worded without naming anybody), or None."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you opened the whole link "
                 "from the e-mail.")
    status = invitation.status
    if status == InvitationStatus.ACCEPTED:
        return _("This invitation has been used already. Sign in with your e-mail address "
                 "and password.")
    if status == InvitationStatus.REVOKED:
        return _("This invitation has been withdrawn. Contact the cluster if you think "
                 "this is a mistake.")
    if status == InvitationStatus.EXPIRED:
        return _("This invitation has expired. Ask the cluster (or a colleague) to send you "
                 "a new one.")
    return None


def invitation_refusal(token: str) -> tuple[Invitation | None, str | None]:
    """The invitation a link names and, when it cannot be used, why."""
    invitation = invitation_for_token(token)
    return invitation, _refusal(invitation)


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Accept an invitation: make the person's login and return it.

    Rules: the link is open (not used, revoked or expired); the organisation still holds a
    current membership; nobody has a login with that person or e-mail address yet; the
    password passes Django's password validators. The login gets the role MEMBER, the
    organisation, the person and the e-mail address. Side effect: audit entry
    klynge.portal.invitation.accepted (actor: the new login).
    """
    found = invitation_for_token(token)
    invitation = (Invitation.objects.select_for_update().get(pk=found.pk)
                  if found is not None else None)
    refusal = _refusal(invitation)
    if refusal:
        raise ApplicationError(refusal)
    person, organisation = invitation.person, invitation.organisation
    user_model = get_user_model()
    if login_for(person) is not None or user_model.objects.filter(
            email__iexact=invitation.email).exists():
        raise ApplicationError(
            _("A login with this e-mail address exists already. Sign in with it instead, or "
              "use “Forgot password”."))
    if not has_current_membership(organisation):
        raise ApplicationError(
            _("%(organisation)s no longer holds a membership, so the portal cannot be "
              "opened for it. Contact the cluster.") % {"organisation": organisation})
    candidate = user_model(email=invitation.email, first_name=person.first_name,
                           last_name=person.last_name)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password1") from error
    user = user_model.objects.create_user(
        email=invitation.email, password=password, role=Role.MEMBER, organisation=organisation,
        person=person, first_name=person.first_name, last_name=person.last_name,
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    log_action(invitation, "klynge.portal.invitation.accepted", actor=user,
               data={"user": user.pk, "email": user.email})
    return user
