"""Activities, focus networks, registrations and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.activities.choices import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    ParticipationRole,
    QuestionKind,
    RegistrationSource,
    RegistrationStatus,
)
from klynge.core.models import TimeStampedModel


class FocusNetwork(TimeStampedModel):
    """A standing group of people around a theme that meets in a series of activities."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    hub = models.ForeignKey(
        "ecosystem.Hub", verbose_name=_("hub"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="focus_networks",
    )
    focus_areas = models.ManyToManyField(
        "ecosystem.FocusArea", verbose_name=_("focus areas and themes"), blank=True,
        related_name="focus_networks",
    )
    members = models.ManyToManyField(
        "ecosystem.Person", verbose_name=_("members"), through="FocusNetworkMember",
        related_name="focus_networks", blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("focus network")
        verbose_name_plural = _("focus networks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FocusNetworkMember(models.Model):
    """A person's membership of a focus network, from when (and until when)."""

    network = models.ForeignKey(FocusNetwork, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "ecosystem.Person", on_delete=models.CASCADE, related_name="focus_network_memberships"
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("focus network member")
        verbose_name_plural = _("focus network members")
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="focus_network_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.network}"


class Activity(TimeStampedModel):
    """Something the cluster does with its members: a meeting, seminar, visit, mission...

    Funding may be split across grants by share (ActivityFunding); co-organisers are
    organisations of the registry (other clusters, business hubs, international partners).
    Public activities have a sign-up page that needs no login. Whether the grant rules are
    met is computed (klynge.funding), never stored.
    """

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    type = models.CharField(_("type"), max_length=40, choices=ActivityType.choices)
    format = models.CharField(_("format"), max_length=40, choices=ActivityFormat.choices)
    focus_areas = models.ManyToManyField(
        "ecosystem.FocusArea", verbose_name=_("focus areas and themes"), blank=True,
        related_name="activities",
    )
    focus_network = models.ForeignKey(
        FocusNetwork, verbose_name=_("focus network"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="activities",
    )
    hub = models.ForeignKey(
        "ecosystem.Hub", verbose_name=_("hub"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="activities",
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED, db_index=True,
    )
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("Public activities have a sign-up page and appear in the calendar feed."),
    )
    green_focus = models.BooleanField(_("green transition focus"), default=False)
    innovation_project = models.CharField(
        _("concrete innovation project"), max_length=255, blank=True,
        help_text=_("The innovation project the activity is tied to (DEB), if any."),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="activities",
    )
    co_organisers = models.ManyToManyField(
        "ecosystem.Organisation", verbose_name=_("co-organisers"), blank=True,
        related_name="co_organised_activities",
    )
    held_at = models.DateTimeField(_("marked held"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Raised by every save; guards an edit form against saving over a newer "
                    "change (optimistic locking)."),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("activities:activity_detail", args=[self.pk])


class ActivityFunding(models.Model):
    """The share (in per cent) of an activity paid by one grant."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="fundings")
    grant = models.ForeignKey(
        "funding.Grant", verbose_name=_("grant"), on_delete=models.PROTECT,
        related_name="activity_fundings",
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=100)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.UniqueConstraint(fields=["activity", "grant"], name="activity_grant_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=100), name="funding_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.grant} {self.share} %"


class RegistrationQuestion(models.Model):
    """A question asked on an activity's sign-up form (dietary needs, interests...)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices,
                            default=QuestionKind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Registration(TimeStampedModel):
    """A person's registration for an activity, and whether they came.

    Registration and attendance are separate: `attended` is unknown (None) until the
    check-in list is marked; a registered person marked absent is a no-show. At most one
    live (not cancelled) registration per person and activity; the waitlist is ordered by
    `waitlisted_at` and moves up when someone cancels.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "ecosystem.Person", on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="registrations",
        help_text=_("The organisation the person took part for."),
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices,
                            default=ParticipationRole.PARTICIPANT)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=RegistrationSource.choices,
                              default=RegistrationSource.STAFF)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    waitlisted_at = models.DateTimeField(_("on the waitlist since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], condition=~Q(status="cancelled"),
                name="one_live_registration_per_person",
            )
        ]
        indexes = [models.Index(fields=["activity", "status"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.activity}"

    @property
    def is_no_show(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED and self.attended is False
