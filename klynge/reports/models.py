"""Documents uploaded as evidence for the cluster-excellence self-assessment, and the
status reports of frozen periods as they were reported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klynge.reports.choices import ExcellenceArea


class ExcellenceDocument(models.Model):
    """A document that shows how the cluster meets one indicator area of the European
    Cluster Excellence label (a strategy, a financial statement, a communication plan...).

    Areas without figures in Klynge are assessed from these; every document goes into the
    evidence pack of the year it belongs to.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    area = models.CharField(_("indicator area"), max_length=40, choices=ExcellenceArea.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="excellence/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("excellence document")
        verbose_name_plural = _("excellence documents")
        ordering = ["year", "area", "title"]

    def __str__(self) -> str:
        return self.title


class FrozenReport(models.Model):
    """The status report (or final report) of a frozen period in one format, rendered at the
    moment its KPI figures were frozen: exactly what was reported, byte for byte, whatever is
    edited or erased later. Made by the kpis app's freeze hook, never edited.
    """

    snapshot = models.ForeignKey(
        "kpis.KpiSnapshot", verbose_name=_("frozen figures"), on_delete=models.CASCADE,
        related_name="frozen_reports",
    )
    format = models.CharField(_("format"), max_length=10)
    file = models.FileField(_("file"), upload_to="reports/frozen/%Y/")
    filename = models.CharField(_("file name"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        ordering = ["snapshot", "format"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "format"], name="frozen_report_once")
        ]

    def __str__(self) -> str:
        return self.filename
