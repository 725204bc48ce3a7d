"""Grant givers and their grants, with the rules' thresholds as editable data.

Action plans, budget lines, time registrations and costs live here too (see the funding
issue); the activities app links activities to grants by share.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.core.models import TimeStampedModel
from klynge.funding.choices import GrantKind


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
