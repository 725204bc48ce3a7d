"""Grant givers and their grants, with the rules' thresholds as editable data.

Action plans, budget lines, time registrations and costs live here too (see the funding
issue); the activities app links activities to grants by share.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.funding.choices import ActivityType, BudgetCategory, GrantKind


class GrantGiver(models.Model):
    """A public body that funds the cluster (UFS, DEB)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("grant giver")
        verbose_name_plural = _("grant givers")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class Grant(TimeStampedModel):
    """One grant for a period, and the thresholds its rules check.

    The seed's values are the defaults; a new programme period (2025-2028) is a new Grant
    with its own thresholds and eligible activity types, not new code.
    """

    giver = models.ForeignKey(
        GrantGiver, verbose_name=_("grant giver"), on_delete=models.PROTECT, related_name="grants"
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("rule set"), max_length=20, choices=GrantKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    eligible_types = models.JSONField(_("eligible activity types"), default=list, blank=True)
    min_actors = models.PositiveSmallIntegerField(_("minimum actors per activity"), default=2)
    min_companies = models.PositiveSmallIntegerField(
        _("minimum companies per activity"), default=1
    )
    min_knowledge_institutions = models.PositiveSmallIntegerField(
        _("minimum knowledge institutions per activity"), default=0
    )
    min_knowledge_spend_share = models.DecimalField(
        _("minimum share spent by knowledge institutions"), max_digits=4, decimal_places=3,
        default=0,
        help_text=_("For UFS: more than 0.5 of the money is spent by knowledge institutions."),
    )
    min_innovation_project_share = models.DecimalField(
        _("minimum share of activities tied to innovation projects"), max_digits=4,
        decimal_places=3, default=0,
    )
    min_green_share = models.DecimalField(
        _("minimum share of activities with a green focus"), max_digits=4, decimal_places=3,
        default=0,
    )

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-period_start", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.period_start:%Y}–{self.period_end:%Y}"

    @property
    def rules(self):
        """The grant's thresholds as the pure rules take them."""
        from klynge.funding.domain.rules import GrantRules

        return GrantRules(
            code=self.code, kind=self.kind, eligible_types=frozenset(self.eligible_types or ()),
            min_actors=self.min_actors, min_companies=self.min_companies,
            min_knowledge_institutions=self.min_knowledge_institutions,
            min_knowledge_spend_share=Decimal(self.min_knowledge_spend_share),
            min_innovation_project_share=Decimal(self.min_innovation_project_share),
            min_green_share=Decimal(self.min_green_share),
        )

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start.year, self.period_end.year + 1))


class ActionPlan(TimeStampedModel):
    """A grant's annual action plan: the planned activities with targets and budgets, and the
    budget lines that actual costs and hours are followed up against. One per grant and year.
    """

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["grant", "year"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "year"], name="action_plan_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.grant.code} {self.year}"


class PlannedActivity(models.Model):
    """An activity an action plan promises: its type, target participants and budget; linked
    to the real activity once it is created, so plan and actual can be compared."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE,
        related_name="planned_activities",
    )
    title = models.CharField(_("title"), max_length=255)
    type = models.CharField(_("activity type"), max_length=40, choices=ActivityType.choices)
    target_participants = models.PositiveIntegerField(_("target participants"), default=0)
    budget = models.DecimalField(_("budget (DKK)"), max_digits=12, decimal_places=2, default=0)
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="planned_as",
    )

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """One line of an action plan's budget (staff time, knowledge partners, external costs,
    administration) with its planned amount; costs and hours are booked against it."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=BudgetCategory.choices)
    planned_amount = models.DecimalField(
        _("planned amount (DKK)"), max_digits=12, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["plan", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="budget_line_name_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.name}"


class TimeRegistration(TimeStampedModel):
    """Hours someone spent on a grant on a day, at an hourly rate (cost = hours x rate).

    The person is a staff user or, for a knowledge-institution partner, a name with the
    partner organisation; hours of knowledge institutions count towards their share of the
    money spent (UFS).
    """

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT,
        related_name="time_registrations",
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="time_registrations",
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="grant_time_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="grant_time_registrations",
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="grant_time_registrations",
        help_text=_("The knowledge-institution partner whose hours these are, if any."),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    hourly_rate = models.DecimalField(_("hourly rate (DKK)"), max_digits=9, decimal_places=2)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("time registration")
        verbose_name_plural = _("time registrations")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="time_hours_positive",
                violation_error_message=_("Hours must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="time_rate_not_negative",
                violation_error_message=_("The hourly rate must not be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.who}: {self.hours} h {self.date}"

    @property
    def who(self) -> str:
        return self.person_name or (str(self.user) if self.user_id else "")

    @property
    def cost(self) -> Decimal:
        return (self.hours * self.hourly_rate).quantize(Decimal("0.01"))


class Cost(TimeStampedModel):
    """Money spent on a grant (an invoice, travel, venue), optionally for an activity, a
    budget line, and paid to or spent by an organisation (a knowledge institution's costs
    count towards its share of the money spent)."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="costs"
    )
    budget_line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="costs",
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("activity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="grant_costs",
    )
    organisation = models.ForeignKey(
        "ecosystem.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="grant_costs",
        help_text=_("The organisation that spent the money, e.g. a knowledge institution."),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (DKK)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=255)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="cost_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount} DKK"
