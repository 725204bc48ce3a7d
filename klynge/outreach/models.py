"""Segments of the registry and the activity invitations sent to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.outreach.choices import DeliveryStatus
from klynge.outreach.domain.segments import SegmentFilters


class Segment(TimeStampedModel):
    """A saved, named selection of people, e.g. "members in robotics in Central Denmark".

    `filters` holds the conditions (see `domain.segments.SegmentFilters`), not the people: a
    segment is evaluated when it is used, so it follows the registry as it changes. It selects
    people with a current affiliation to an organisation that matches.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def parsed_filters(self) -> SegmentFilters:
        return SegmentFilters.from_json(self.filters)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outreach:segment_preview", args=[self.pk])


class Invitation(TimeStampedModel):
    """An e-mail inviting a segment to a public activity, and the log of its delivery.

    Written as a draft, then sent by a background task in batches; each person gets one
    Delivery row, so sending again reaches only those not yet sent to. The segment may be
    deleted later: the deliveries remain the record of who was invited.
    """

    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE,
        related_name="invitations",
    )
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), null=True, on_delete=models.SET_NULL,
        related_name="invitations",
    )
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("outreach:invitation_detail", args=[self.pk])


class Delivery(models.Model):
    """What happened when one invitation went to one person: sent, skipped (and why), failed.

    The e-mail address is kept as it was when sent, as the record of where the mail went.
    """

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="deliveries"
    )
    person = models.ForeignKey(
        "ecosystem.Person", verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="invitation_deliveries",
    )
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("status"), max_length=30, choices=DeliveryStatus.choices, db_index=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["invitation", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "person"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_status_display()}"
