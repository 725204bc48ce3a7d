"""Collaboration projects, EU applications and joint projects with other clusters, their
partners and their outcomes: the records KPIs 2, 4 and 5 count."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus


class Project(TimeStampedModel):
    """A project the cluster facilitated: a collaboration project, an EU application, a
    feasibility study or a joint project with another cluster.

    An EU application is a project of kind EU application with a call and the day it was
    submitted; KPI 4 counts its company partners in the period of `submitted_on` whatever
    its later status. A project counts for KPI 2 in the period it starts, when one of its
    partners is another cluster organisation. Outcomes (ProjectOutcome) are dated, so KPI 5
    counts a project in the period its commercial outcome was recorded.
    """

    title = models.CharField(_("title"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ProjectKind.choices,
                            default=ProjectKind.COLLABORATION, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.IDEA, db_index=True)
    description = models.TextField(_("description"), blank=True)
    programme = models.CharField(
        _("programme"), max_length=120, blank=True,
        help_text=_("E.g. Horizon Europe, Digital Europe, Innovation Fund Denmark."),
    )
    call_identifier = models.CharField(
        _("call or topic"), max_length=120, blank=True,
        help_text=_("The call's topic identifier, e.g. HORIZON-CL4-2024-DIGITAL-EMERGING-01-01."),
    )
    submitted_on = models.DateField(_("submitted"), null=True, blank=True, db_index=True)
    start_date = models.DateField(_("start"), null=True, blank=True, db_index=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(_("total budget (DKK)"), max_digits=14, decimal_places=2,
                                 null=True, blank=True)
    hub = models.ForeignKey(
        "ecosystem.Hub", verbose_name=_("hub"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="projects",
    )
    focus_areas = models.ManyToManyField(
        "ecosystem.FocusArea", verbose_name=_("focus areas and themes"), blank=True,
        related_name="projects",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="projects",
    )
    partners = models.ManyToManyField(
        "ecosystem.Organisation", verbose_name=_("partners"), through="ProjectPartner",
        related_name="projects", blank=True,
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "-submitted_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.acronym}: {self.title}" if self.acronym else self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:project_detail", args=[self.pk])


class ProjectPartner(models.Model):
    """An organisation's part in a project: its role and, for applications, its budget."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partnerships")
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="project_partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices,
                            default=PartnerRole.PARTNER)
    budget = models.DecimalField(_("budget (DKK)"), max_digits=14, decimal_places=2,
                                 null=True, blank=True)

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"],
                                    name="project_partner_once")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectOutcome(TimeStampedModel):
    """Something that came of a project, on a date: collaboration started, an application
    submitted or funded, commercial use of research results, a new company."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=30, choices=OutcomeKind.choices)
    date = models.DateField(_("date"), db_index=True)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("project outcome")
        verbose_name_plural = _("project outcomes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_kind_display()} ({self.date:%Y-%m-%d})"
