"""The writes of the reports app: evidence documents of the excellence self-assessment, and
the audit entries that record every export of participant data (who took what, when).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.kpis.domain.counting import Period
from klynge.reports.choices import ExcellenceArea
from klynge.reports.models import ExcellenceDocument, FrozenReport
from klynge.reports.render import FORMATS, render
from klynge.reports.status import build_status_report

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "txt", "md")
FIRST_YEAR, LAST_YEAR = 2000, 2100


# --- exports: the audit trail ----------------------------------------------------------------


def effect_export_record(*, grant, year: int, fmt: str, actor, counts: dict) -> None:
    """Record that `actor` downloaded the effect-measurement export of a grant's year.

    Side effect: an audit entry on the grant ("klynge.reports.effect_export.downloaded").
    """
    log_action(grant, "klynge.reports.effect_export.downloaded", actor=actor,
               data={"year": year, "format": fmt, **counts})


def survey_participants_record(*, period, fmt: str, actor, counts: dict) -> None:
    """Record that `actor` downloaded the survey participant list of a period.

    The list is about a period, not a record, so the entry is written on the user who
    downloaded it (their audit trail shows every list of contacts they took out), with the
    period and the counts in its data.
    """
    log_action(actor, "klynge.reports.survey_participants.downloaded", actor=actor,
               data={"start": period.start, "end": period.end, "format": fmt, **counts})


def evidence_pack_record(*, year: int, actor, documents: int) -> None:
    """Record that `actor` downloaded the excellence evidence pack of a year (on the user,
    as the pack belongs to no single record)."""
    log_action(actor, "klynge.reports.excellence_pack.downloaded", actor=actor,
               data={"year": year, "documents": documents})


# --- excellence documents -----------------------------------------------------------------


def _validate_document(*, year: int, area: str, title: str, upload) -> None:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ApplicationError(
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}, field="year")
    if area not in ExcellenceArea.values:
        raise ApplicationError(_("Choose one of the indicator areas."), field="area")
    if not title.strip():
        raise ApplicationError(_("Give the document a title."), field="title")
    if upload is None:
        raise ApplicationError(_("Choose a file to upload."), field="file")
    extension = Path(upload.name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ApplicationError(
            _("Files of type “%(extension)s” cannot be uploaded. Allowed: %(allowed)s.")
            % {"extension": extension or _("none"),
               "allowed": ", ".join(e for e in ALLOWED_EXTENSIONS if e != "jpeg")},
            field="file")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(
            _("The file is %(size)s MB; at most 20 MB can be uploaded.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"}, field="file")
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), field="file")


def excellence_document_upload(*, year: int, area: str, title: str, upload, actor,
                               description: str = "") -> ExcellenceDocument:
    """Store a document as evidence for one area of a year's self-assessment.

    Rules: a known area, a title, a file of an allowed type (pdf, docx, xlsx, pptx, png,
    jpg, txt, md) of at most 20 MB. Nothing is stored when a rule fails. The original file
    name is kept for the evidence pack. Side effect: an audit entry on the document.
    """
    _validate_document(year=year, area=area, title=title, upload=upload)
    original = Path(upload.name).name[:255]
    with transaction.atomic():
        document = ExcellenceDocument(year=year, area=area, title=title.strip(),
                                      description=description.strip(), original_name=original,
                                      uploaded_by=actor if actor.is_authenticated else None)
        document.file.save(original, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        log_action(document, "klynge.reports.excellence_document.uploaded", actor=actor,
                   data={"year": year, "area": area, "file": original, "size": upload.size})
    return document


def excellence_document_delete(*, document: ExcellenceDocument, actor) -> None:
    """Delete a document and its stored file.

    Side effect: an audit entry on the document (kept after the row is gone, with the
    document's title as its label).
    """
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        log_action(document, "klynge.reports.excellence_document.deleted", actor=actor,
                   data={"year": document.year, "area": document.area,
                         "file": document.original_name})
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


def upload_limit_text() -> str:
    return _("At most 20 MB; %(allowed)s.") % {
        "allowed": ", ".join(e for e in ALLOWED_EXTENSIONS if e != "jpeg")}



# --- frozen periods: the report as reported ---------------------------------------------------


def frozen_reports_store(snapshot, actor=None) -> list:
    """Render the status report of a frozen period (the final report when the period is more
    than one calendar year) as PDF, XLSX and HTML and keep the files with the snapshot.

    Rule: a frozen period's report never changes; the files are rendered once, in the
    cluster's default language, while the figures are being frozen (klynge.kpis.hooks.FROZEN,
    same transaction). Side effect: audit entry klynge.reports.frozen_report.stored.
    """
    period = Period(snapshot.period_start, snapshot.period_end)
    stored = []
    with translation.override(settings.LANGUAGE_CODE):
        report = build_status_report(period=period, final=not period.is_calendar_year)
        for fmt in FORMATS:
            content, _content_type, filename = render(report, fmt)
            frozen = FrozenReport(snapshot=snapshot, format=fmt, filename=filename)
            frozen.file.save(filename, ContentFile(content), save=False)
            frozen.save()
            stored.append(frozen)
    log_action(snapshot, "klynge.reports.frozen_report.stored", actor=actor,
               data={"files": [f.filename for f in stored]})
    return stored
