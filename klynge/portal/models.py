"""The member portal's own records: invitations to sign in."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: How long an invitation link stays valid.
INVITATION_VALID_DAYS = 14


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def default_expiry(start=None):
    """When an invitation sent at `start` (default: now) stops working."""
    return (start or timezone.now()) + timedelta(days=INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An invitation for a person of a member organisation to sign in to the member portal.

    The cluster team (or a colleague of the same organisation) invites by e-mail; the link
    carries a random token of which only its SHA-256 hash is stored, so a database copy cannot
    be used to sign up. The invitation is open until it is accepted (a login is made),
    revoked, or `expires_at` passes; resending makes a new token and a new expiry. At most one
    open invitation per person (the services enforce it).
    """

    person = models.ForeignKey(
        "ecosystem.Person", verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="portal_invitations",
    )
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="portal_invitations_sent",
    )
    message = models.TextField(_("personal message"), blank=True)
    created_at = models.DateTimeField(_("invited"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="portal_invitation",
    )

    class Meta:
        verbose_name = _("portal invitation")
        verbose_name_plural = _("portal invitations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.OPEN

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.OPEN
