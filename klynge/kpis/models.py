"""Targets per programme period and year, and frozen figures (snapshots)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.kpis.choices import Kpi


class TargetPeriod(models.Model):
    """A programme period the KPI targets belong to (2021–2024, 2025–2028).

    Targets are data that management edits: a new programme period is a new row with its own
    targets, not new code. The seed's Table 1 values are loaded by a migration.
    """

    name = models.CharField(_("name"), max_length=60, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("programme period")
        verbose_name_plural = _("programme periods")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")),
                                   name="target_period_end_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


class KpiTarget(models.Model):
    """One indicator's target for one year of a programme period.

    For a share or a state (KPIs 1 and 7) the target is the value on the last day of the year;
    for a flow (KPIs 2-6) it is the cumulative count from the period's start to the end of
    the year, so the last year's target is Table 1's target and the earlier ones its
    trajectory.
    """

    period = models.ForeignKey(TargetPeriod, verbose_name=_("programme period"),
                               on_delete=models.CASCADE, related_name="targets")
    kpi = models.CharField(_("indicator"), max_length=40, choices=Kpi.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=10, decimal_places=1)
    value_high = models.DecimalField(
        _("upper target"), max_digits=10, decimal_places=1, null=True, blank=True,
        help_text=_("For a target range such as 800–1,000 paying members."),
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["period", "kpi", "year"]
        constraints = [
            models.UniqueConstraint(fields=["period", "kpi", "year"], name="kpi_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} {self.year}: {self.value}"


class KpiSnapshot(models.Model):
    """The figures of a period frozen on a day: what was reported stays what was reported.

    `figures` holds, per indicator key, the value, numerator and denominator and the sorted
    counting keys of what counted, so the page can show which records changed since. The
    participants breakdown is frozen beside it. Editing or erasing records never changes a
    snapshot.
    """

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    label = models.CharField(_("label"), max_length=60)
    figures = models.JSONField(_("figures"), default=dict)
    participants = models.JSONField(_("participants"), default=dict)
    note = models.CharField(_("note"), max_length=255, blank=True)
    frozen_at = models.DateTimeField(_("frozen"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("frozen by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("KPI snapshot")
        verbose_name_plural = _("KPI snapshots")
        ordering = ["-period_end", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"],
                                    name="kpi_snapshot_once_per_period")
        ]

    def __str__(self) -> str:
        return self.label
