"""The status report as HTML: a standalone document (for download and print), or, with a
request, the fragment the report page shows as its preview. Both come from one template,
reports/_status_body.html, over the shared layout with every value already formatted."""

from dataclasses import dataclass

from django.template.loader import render_to_string

from klynge.reports.render import layout
from klynge.reports.render.formatting import text


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    long: bool = False


def _row(columns, values) -> list[Cell]:
    return [Cell(text(value, column.kind), column.numeric, column.kind == layout.LONG)
            for column, value in zip(columns, values, strict=True)]


def display_sections(report) -> list[dict]:
    """The layout's sections with formatted cells, for the templates."""
    shown = []
    for section in layout.sections(report):
        shown.append({
            "key": section.key, "title": section.title, "notes": section.notes,
            "facts": [(fact.label, text(fact.value, fact.kind)) for fact in section.facts],
            "tables": [
                {"title": table.title, "empty": table.empty,
                 "columns": [Cell(c.label, c.numeric) for c in table.columns],
                 "rows": [_row(table.columns, row) for row in table.rows]}
                for table in section.tables
            ],
        })
    return shown


def to_html(report, request=None) -> str:
    """The report as HTML: with `request`, the fragment for the report page; without, a
    complete document with its own styles (the HTML download)."""
    context = {"report": report, "header": report.header,
               "sections": display_sections(report)}
    if request is not None:
        return render_to_string("reports/_status_body.html", context, request=request)
    return render_to_string("reports/status_document.html", context)
