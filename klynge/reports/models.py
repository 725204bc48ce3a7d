"""Documents uploaded as evidence for the cluster-excellence self-assessment."""

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
