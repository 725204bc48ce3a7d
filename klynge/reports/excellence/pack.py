"""The self-assessment rendered (HTML and PDF) and the evidence pack: a zip of the rendered
self-assessment, every document uploaded for the year and an index of what is where.

Rendering only: the data comes assembled from `assessment.self_assessment`.
"""

import io
import logging
import zipfile
from pathlib import PurePosixPath
from xml.sax.saxutils import escape

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from klynge.reports.excellence.assessment import SelfAssessment, missing_lines

log = logging.getLogger(__name__)


def assessment_html(assessment: SelfAssessment) -> str:
    """A self-contained HTML page of the self-assessment (no links into Klynge)."""
    return render_to_string("reports/excellence_export.html", {
        "assessment": assessment, "missing": missing_lines(assessment),
        "cluster_name": getattr(settings, "KLYNGE_CLUSTER_NAME", ""),
    })


def _p(text, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text)), style)


def assessment_pdf(assessment: SelfAssessment) -> bytes:
    """The self-assessment as an A4 PDF (ReportLab): the score, each area with its figure,
    points, source and details, what is missing for gold, and the documents."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    score = assessment.score
    story = [
        _p(_("Cluster-excellence self-assessment %(year)s") % {"year": assessment.year},
           styles["Title"]),
        _p(_("Score: %(total)s of %(maximum)s points (%(percentage)s %%)") % {
            "total": score.total, "maximum": score.maximum, "percentage": score.percentage},
           styles["Heading2"]),
        _p(_("Ready for the gold label") if score.gold_ready
           else _("Not yet ready for the gold label"), body),
        Spacer(1, 4 * mm),
    ]
    rows = [[_p(_("Area"), small), _p(_("Figure"), small), _p(_("Points"), small),
             _p(_("Source"), small)]]
    for area in assessment.areas:
        rows.append([_p(area.label, small), _p(area.figure, small),
                     _p(f"{area.score.points} / 3", small), _p(area.source, small)])
    table = Table(rows, colWidths=[40 * mm, 32 * mm, 16 * mm, 82 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [table, Spacer(1, 4 * mm)]
    missing = missing_lines(assessment)
    if missing:
        story.append(_p(_("Missing for gold"), styles["Heading3"]))
        story += [_p(f"• {line}", body) for line in missing]
    story.append(_p(_("Details"), styles["Heading3"]))
    for area in assessment.areas:
        if not area.details and not area.documents:
            continue
        story.append(_p(area.label, styles["Heading4"]))
        story += [_p(f"{label}: {value}", small) for label, value in area.details]
        story += [_p(f"{_('Document')}: {d.title} ({d.original_name})", small)
                  for d in area.documents]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=_("Cluster-excellence self-assessment"),
                      leftMargin=18 * mm, rightMargin=18 * mm).build(story)
    return buffer.getvalue()


def _status_report_pdf(year: int) -> bytes | None:
    """The year's status report as PDF, when the status report is installed (it is built
    by the status-report part of this app); None otherwise or if it fails."""
    try:
        from klynge.reports.render import render
        from klynge.reports.status import build_status_report
    except ImportError:
        return None
    from klynge.kpis.domain.counting import Period

    try:
        rendered = render(build_status_report(period=Period.year(year)), "pdf")
    except Exception:  # the pack must not fail because the other report did
        log.exception("The status report for %s could not be rendered for the pack", year)
        return None
    content = rendered[0] if isinstance(rendered, tuple) else rendered  # (content, type, name)
    return content if isinstance(content, bytes) else None


def _document_path(document, taken: set[str]) -> str:
    name = get_valid_filename(document.original_name) or f"document-{document.pk}"
    path = str(PurePosixPath("documents") / document.area / f"{document.pk}-{name}")
    taken.add(path)
    return path


def evidence_pack(assessment: SelfAssessment) -> bytes:
    """The zip: index.txt, the self-assessment as HTML and PDF, the status report PDF when
    available, and documents/<area>/<id>-<file name> for every document of the year."""
    year = assessment.year
    buffer = io.BytesIO()
    index = [
        _("Evidence pack: cluster-excellence self-assessment %(year)s") % {"year": year},
        _("Generated %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        _("Score: %(total)s of %(maximum)s points (%(percentage)s %%)") % {
            "total": assessment.score.total, "maximum": assessment.score.maximum,
            "percentage": assessment.score.percentage},
        "",
    ]
    taken: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        html_name, pdf_name = f"self-assessment-{year}.html", f"self-assessment-{year}.pdf"
        pack.writestr(html_name, assessment_html(assessment))
        pack.writestr(pdf_name, assessment_pdf(assessment))
        index += [f"{html_name}\t{_('The self-assessment (HTML)')}",
                  f"{pdf_name}\t{_('The self-assessment (PDF)')}"]
        status = _status_report_pdf(year)
        if status:
            status_name = f"status-report-{year}.pdf"
            pack.writestr(status_name, status)
            index.append(f"{status_name}\t{_('The annual cluster status report (PDF)')}")
        for area in assessment.areas:
            for document in area.documents:
                path = _document_path(document, taken)
                try:
                    with document.file.open("rb") as handle:
                        pack.writestr(path, handle.read())
                except OSError:
                    index.append(f"{path}\t{_('MISSING: the stored file could not be read')}")
                    continue
                index.append(f"{path}\t{area.label}: {document.title}")
        if not assessment.documents:
            index.append(_("No documents were uploaded for this year."))
        pack.writestr("index.txt", "\n".join(index) + "\n")
    return buffer.getvalue()
