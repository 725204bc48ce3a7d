"""The status report as a PDF (ReportLab platypus, A4): a title block, then each section with
its notes, facts and tables; tables repeat their header row across pages; every page carries
the cluster, the report and its page number.

The built-in Helvetica is used: its Latin-1 encoding covers æ, ø and å (and the dashes and
quotes of the texts), so no font file is needed.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from klynge.reports.render import layout
from klynge.reports.render.formatting import text

PAGE = landscape(A4)
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_base["Title"], fontName="Helvetica-Bold",
                            fontSize=20, leading=24, alignment=0),
    "h1": ParagraphStyle("h1", parent=_base["Heading1"], fontName="Helvetica-Bold",
                         fontSize=15, leading=19, spaceBefore=6, spaceAfter=4),
    "h2": ParagraphStyle("h2", parent=_base["Heading2"], fontName="Helvetica-Bold",
                         fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=3),
    "body": ParagraphStyle("body", parent=_base["BodyText"], fontName="Helvetica",
                           fontSize=9, leading=12),
    "note": ParagraphStyle("note", parent=_base["BodyText"], fontName="Helvetica-Oblique",
                           fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=8, leading=10),
    "num": ParagraphStyle("num", fontName="Helvetica", fontSize=8, leading=10,
                          alignment=TA_RIGHT),
    "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=10),
    "headnum": ParagraphStyle("headnum", fontName="Helvetica-Bold", fontSize=8, leading=10,
                              alignment=TA_RIGHT),
}

GRID = TableStyle([
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8899AA")),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#D5DCE3")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
])


def _p(value: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(value), STYLES[style])


def _widths(columns) -> list[float]:
    """Long text gets four parts, other text two, numbers one, of the page width."""
    parts = [4 if c.kind == layout.LONG else 1 if c.numeric else 2 for c in columns]
    unit = WIDTH / sum(parts)
    return [part * unit for part in parts]


def _table(table: layout.Table) -> list:
    heading = _p(table.title, "h2")
    if not table.rows:
        return [KeepTogether([heading, _p(table.empty, "note")])]
    head = [_p(c.label, "headnum" if c.numeric else "head") for c in table.columns]
    body = [
        [_p(text(value, column.kind), "num" if column.numeric else "cell")
         for column, value in zip(table.columns, row, strict=True)]
        for row in table.rows
    ]
    grid = Table([head, *body], colWidths=_widths(table.columns), repeatRows=1)
    grid.setStyle(GRID)
    return [CondPageBreak(30 * mm), heading, grid]


def _facts(facts) -> list:
    if not facts:
        return []
    rows = [[_p(f.label, "head"), _p(text(f.value, f.kind), "cell")] for f in facts]
    grid = Table(rows, colWidths=[WIDTH * 0.3, WIDTH * 0.7], hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return [grid, Spacer(1, 3 * mm)]


def _story(report) -> list:
    header = report.header
    story = [_p(header.title, "title"), _p(header.cluster_name, "h2"), Spacer(1, 2 * mm)]
    for position, section in enumerate(layout.sections(report)):
        if position:
            story.append(CondPageBreak(60 * mm))
        story.append(_p(section.title, "h1"))
        story += [_p(note, "note") for note in section.notes]
        story.append(Spacer(1, 2 * mm))
        story += _facts(section.facts)
        for table in section.tables:
            story += _table(table)
    return story


def _page_decoration(report):
    footer = f"{report.header.cluster_name} · {report.header.title}"

    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 8 * mm, footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm,
                               _("Page %(page)s") % {"page": document.page})
        canvas.restoreState()

    return draw


def to_pdf(report) -> bytes:
    """The report as the bytes of a PDF document."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=report.header.title, author=report.header.cluster_name,
    )
    decorate = _page_decoration(report)
    document.build(_story(report), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
