"""Matchmaking records: EU project history from CORDIS, call topics, composition rules for
consortia, and introductions with their outcomes over time."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.matchmaking.choices import (
    CordisRole,
    IntroductionStatus,
    ProfileKind,
    Purpose,
    Response,
    SizeRequirement,
)
from klynge.projects.choices import OutcomeKind

# --- EU project history (CORDIS) ------------------------------------------------------------


class CordisOrganisation(models.Model):
    """An organisation as CORDIS knows it; linked to the registry when it is one of ours (by
    CVR for Danish organisations, or by staff). Unlinked ones are candidates for consortia."""

    cordis_id = models.CharField(_("CORDIS organisation id"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProfileKind.choices,
                            default=ProfileKind.OTHER)
    is_sme = models.BooleanField(_("SME"), default=False)
    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "ecosystem.Organisation", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="cordis_records", verbose_name=_("organisation in the registry"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("CORDIS organisation")
        verbose_name_plural = _("CORDIS organisations")

    def __str__(self) -> str:
        return self.name


class CordisProject(models.Model):
    """An EU-funded project from CORDIS with the texts that describe it."""

    cordis_id = models.CharField(_("CORDIS project id"), max_length=20, unique=True)
    acronym = models.CharField(_("acronym"), max_length=100, blank=True)
    topic_code = models.CharField(_("call topic"), max_length=120, blank=True)
    topic_title = models.TextField(_("call topic title"), blank=True)
    labels = models.JSONField(_("euroSciVoc labels"), default=list, blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    programme = models.CharField(_("programme"), max_length=120, blank=True)

    class Meta:
        ordering = ["-cordis_id"]
        verbose_name = _("CORDIS project")
        verbose_name_plural = _("CORDIS projects")

    def __str__(self) -> str:
        return self.acronym or self.cordis_id

    def text(self) -> str:
        """The project's text for matchmaking: topic title, labels and deliverable titles."""
        return "\n".join((self.topic_title, *self.labels, self.deliverables)).strip()


class CordisParticipation(models.Model):
    project = models.ForeignKey(CordisProject, on_delete=models.CASCADE,
                                related_name="participations")
    cordis_organisation = models.ForeignKey(CordisOrganisation, on_delete=models.CASCADE,
                                            related_name="participations")
    role = models.CharField(_("role"), max_length=20, choices=CordisRole.choices)
    ec_contribution = models.DecimalField(_("EU contribution (EUR)"), max_digits=14,
                                          decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "cordis_organisation"],
                                               name="cordis_participation_unique")]
        verbose_name = _("CORDIS participation")
        verbose_name_plural = _("CORDIS participations")

    def __str__(self) -> str:
        return f"{self.cordis_organisation_id} in {self.project_id} ({self.role})"


class CordisImport(TimeStampedModel):
    """One run of `klynge import-cordis`: what was read, added, linked and refused."""

    source = models.CharField(_("source"), max_length=255)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CORDIS import")
        verbose_name_plural = _("CORDIS imports")


# --- EU call topics ---------------------------------------------------------------------------


class CallTopic(TimeStampedModel):
    """A call topic from the EU Funding & Tenders portal (imported from its CSV exports)."""

    identifier = models.CharField(_("identifier"), max_length=120, unique=True)
    title = models.TextField(_("title"))
    description = models.TextField(_("description"), blank=True)
    programme = models.CharField(_("programme"), max_length=60, blank=True, db_index=True)
    action_type = models.CharField(_("type of action"), max_length=255, blank=True)
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    budget_min = models.DecimalField(_("budget from (EUR)"), max_digits=16, decimal_places=2,
                                     null=True, blank=True)
    budget_max = models.DecimalField(_("budget up to (EUR)"), max_digits=16, decimal_places=2,
                                     null=True, blank=True)
    source = models.CharField(_("imported from"), max_length=255, blank=True)

    class Meta:
        ordering = ["deadline", "identifier"]
        verbose_name = _("call topic")
        verbose_name_plural = _("call topics")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:call_detail", args=[self.pk])


# --- consortium composition rules ----------------------------------------------------------


class CompositionRules(TimeStampedModel):
    """What a consortium must look like (e.g. Horizon Europe's minimum: three independent
    organisations from three EU member states or associated countries)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    min_partners = models.PositiveSmallIntegerField(_("at least this many organisations"),
                                                    default=3)
    max_partners = models.PositiveSmallIntegerField(_("at most this many organisations"),
                                                    default=8)
    min_countries = models.PositiveSmallIntegerField(_("from at least this many countries"),
                                                     default=3)
    eligible_countries = models.JSONField(
        _("eligible countries"), default=list, blank=True,
        help_text=_("ISO country codes whose organisations count towards the countries; "
                    "empty: every country."),
    )
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("composition rules")
        verbose_name_plural = _("composition rules")

    def __str__(self) -> str:
        return self.name


class RoleRequirement(models.Model):
    """A role the consortium must fill: at least `min_count` organisations of these kinds (and
    size)."""

    rules = models.ForeignKey(CompositionRules, on_delete=models.CASCADE,
                              related_name="roles")
    label = models.CharField(_("role"), max_length=120)
    min_count = models.PositiveSmallIntegerField(_("at least"), default=1)
    kinds = models.JSONField(_("kinds"), default=list,
                             help_text=_("Which kinds of organisation fill the role."))
    size = models.CharField(_("size"), max_length=10, choices=SizeRequirement.choices,
                            default=SizeRequirement.ANY)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rules", "position", "pk"]
        verbose_name = _("required role")
        verbose_name_plural = _("required roles")

    def __str__(self) -> str:
        return self.label


# --- introductions ---------------------------------------------------------------------------


class Introduction(TimeStampedModel):
    """Staff introduce two organisations (a person on each side) with the explanation of why;
    each side accepts or declines by a link in its e-mail; outcomes follow over time."""

    organisation_a = models.ForeignKey("ecosystem.Organisation", on_delete=models.PROTECT,
                                       related_name="introductions_as_a",
                                       verbose_name=_("organisation"))
    person_a = models.ForeignKey("ecosystem.Person", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name=_("contact"))
    organisation_b = models.ForeignKey("ecosystem.Organisation", on_delete=models.PROTECT,
                                       related_name="introductions_as_b",
                                       verbose_name=_("introduced to"))
    person_b = models.ForeignKey("ecosystem.Person", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("contact at the other side"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices,
                               default=Purpose.ANY)
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True,
                               help_text=_("The explanation as suggested: code, text and "
                                           "contribution of each reason."))
    explanation = models.TextField(_("why these two should meet"))
    message = models.TextField(_("personal message"), blank=True)
    call_topic = models.ForeignKey(CallTopic, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="introductions", verbose_name=_("call topic"))
    hub = models.ForeignKey("ecosystem.Hub", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="introductions", verbose_name=_("hub"))
    response_a = models.CharField(_("answer"), max_length=10, choices=Response.choices,
                                  default=Response.PENDING)
    responded_a_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_b = models.CharField(_("answer of the other side"), max_length=10,
                                  choices=Response.choices, default=Response.PENDING)
    responded_b_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("made by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(condition=~models.Q(organisation_a=models.F("organisation_b")),
                                   name="introduction_two_organisations"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_a} ↔ {self.organisation_b}"

    def get_absolute_url(self) -> str:
        return reverse("matchmaking:introduction_detail", args=[self.pk])

    @property
    def status(self) -> str:
        if Response.DECLINED in (self.response_a, self.response_b):
            return IntroductionStatus.DECLINED
        if self.response_a == self.response_b == Response.ACCEPTED:
            return IntroductionStatus.ACCEPTED
        if self.sent_at is None:
            return IntroductionStatus.DRAFT
        return IntroductionStatus.WAITING

    def get_status_display(self) -> str:
        return IntroductionStatus(self.status).label


class IntroductionOutcome(TimeStampedModel):
    """What came of an introduction, dated (KPI 5 counts commercial use and new companies;
    an EU application is a project that KPI 4 counts)."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE,
                                     related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=30, choices=OutcomeKind.choices)
    date = models.DateField(_("date"), db_index=True)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey("projects.Project", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="introduction_outcomes",
                                verbose_name=_("project"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("outcome of an introduction")
        verbose_name_plural = _("outcomes of introductions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date})"
