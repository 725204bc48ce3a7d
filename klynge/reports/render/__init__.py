"""Render a status report (klynge.reports.status) as XLSX, PDF or HTML.

    content, content_type, filename = render(report, "pdf")
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def filename_for(report, fmt: str) -> str:
    """E.g. status-report-2025.pdf, final-report-2021-2024.xlsx, with the hub when narrowed."""
    header = report.header
    stem = _("final-report") if report.is_final else _("status-report")
    parts = [slugify(stem), slugify(header.period_label.replace("–", "-"))]
    if header.hub:
        parts.append(slugify(header.hub))
    return f"{'-'.join(p for p in parts if p)}.{fmt}"


def render(report, fmt: str) -> tuple[bytes, str, str]:
    """The report as (content, content type, file name) in `fmt`: xlsx, pdf or html."""
    if fmt == "xlsx":
        from klynge.reports.render.xlsx import to_xlsx

        content = to_xlsx(report)
    elif fmt == "pdf":
        from klynge.reports.render.pdf import to_pdf

        content = to_pdf(report)
    elif fmt == "html":
        from klynge.reports.render.html import to_html

        content = to_html(report).encode("utf-8")
    else:
        raise ValueError(f"Unknown report format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return content, FORMATS[fmt], filename_for(report, fmt)
