"""The status report as an Excel workbook: one sheet per section, numbers kept as numbers
(with Excel number formats) so grant givers can compute with them."""

import re
from datetime import datetime
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from klynge.reports.render import layout
from klynge.reports.render.layout import Section, Table

TITLE = Font(bold=True, size=14)
HEADING = Font(bold=True, size=12)
BOLD = Font(bold=True)
MUTED = Font(italic=True, color="666666")
HEAD_FILL = PatternFill("solid", fgColor="E8EEF4")
WRAP = Alignment(wrap_text=True, vertical="top")

FORMATS = {
    layout.INT: "#,##0",
    layout.NUMBER: "#,##0.##",
    layout.PERCENT: "0.0%",
    layout.FRACTION: "0.0%",
    layout.MONEY: "#,##0",
    layout.DATE: "yyyy-mm-dd",
    layout.DATETIME: "yyyy-mm-dd hh:mm",
    layout.YEAR: "0",
}


def _value(value, kind: str):
    """A cell value Excel understands: per cents as fractions, decimals as floats, aware
    datetimes as local naive ones."""
    if value is None:
        return None
    if kind == layout.PERCENT and not isinstance(value, str):
        return float(Decimal(value) / 100)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def _put(sheet, row: int, column: int, value, kind: str = layout.TEXT):
    cell = sheet.cell(row=row, column=column, value=_value(value, kind))
    if kind in FORMATS and not isinstance(value, str):
        cell.number_format = FORMATS[kind]
    if kind == layout.LONG:
        cell.alignment = WRAP
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _table(sheet, row: int, table: Table, widths: dict[int, int]) -> int:
    sheet.cell(row=row, column=1, value=table.title).font = HEADING
    row += 1
    for column, spec in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=column, value=spec.label)
        cell.font, cell.fill = BOLD, HEAD_FILL
        widths[column] = max(widths.get(column, 0), len(spec.label))
    row += 1
    if not table.rows:
        sheet.cell(row=row, column=1, value=table.empty).font = MUTED
        return row + 2
    for values in table.rows:
        for column, (spec, value) in enumerate(zip(table.columns, values, strict=True),
                                                start=1):
            _put(sheet, row, column, value, spec.kind)
            width = 60 if spec.kind == layout.LONG else len(str(value or ""))
            widths[column] = max(widths.get(column, 0), min(width, 60))
        row += 1
    return row + 1


def _section(sheet, section: Section, heading: str) -> None:
    sheet.cell(row=1, column=1, value=heading).font = TITLE
    row = 2
    for note in section.notes:
        sheet.cell(row=row, column=1, value=note).font = MUTED
        row += 1
    row += 1
    widths: dict[int, int] = {1: 20}
    for fact in section.facts:
        sheet.cell(row=row, column=1, value=fact.label).font = BOLD
        _put(sheet, row, 2, fact.value, fact.kind)
        widths[1] = max(widths[1], len(fact.label))
        widths[2] = max(widths.get(2, 0), min(len(str(fact.value or "")), 60))
        row += 1
    if section.facts:
        row += 1
    for table in section.tables:
        row = _table(sheet, row, table, widths)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(10, width + 2)


def to_xlsx(report) -> bytes:
    """The report as the bytes of an .xlsx workbook."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for position, section in enumerate(layout.sections(report)):
        heading = report.header.title if position == 0 else section.title
        _section(workbook.create_sheet(_sheet_title(section.short, used)), section, heading)
    workbook.properties.title = report.header.title
    workbook.properties.creator = report.header.cluster_name
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
