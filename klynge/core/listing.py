"""What every list page does: filter, sort, paginate, export. Views stay a few lines long."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


@dataclass
class Listing:
    filterset: object
    page: Page
    total: int
    per_page: int

    @property
    def rows(self):
        return self.page.object_list


def paginate(request, items, *, per_page: int = DEFAULT_PAGE_SIZE) -> Listing:
    """One page of `items` (a queryset or a list) without filters, for the same templates."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(filterset=None, page=page, total=paginator.count, per_page=per_page)


def _cell(value):
    """A value a spreadsheet cell can hold: text, number, date or boolean."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float, bool, date, Decimal)):
        return value
    return str(value)


def build_listing(request, filterset_class, queryset, *, data=None, default_ordering=None):
    """Filter `queryset` by the request, sort it and cut one page out of it."""
    params = (data if data is not None else request.GET).copy()
    if default_ordering and not params.get("ordering"):
        params["ordering"] = default_ordering
    filterset = filterset_class(params, queryset=queryset, request=request)
    rows = filterset.qs
    try:
        per_page = int(request.GET.get("per_page", DEFAULT_PAGE_SIZE))
    except ValueError:
        per_page = DEFAULT_PAGE_SIZE
    per_page = per_page if per_page in PAGE_SIZES else DEFAULT_PAGE_SIZE
    paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get("page"))
    return Listing(filterset=filterset, page=page, total=paginator.count, per_page=per_page)


def export_response(
    *, basename: str, fmt: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """The rows as a CSV (UTF-8 with BOM, so Excel reads æøå) or an XLSX download."""
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(basename[:31])
        sheet.append(list(headers))
        for row in rows:
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
    return response


def search_terms(queryset, fields, value: str):
    """Rows where every word of `value` occurs (case-insensitively) in one of `fields`."""
    query = Q()
    for term in value.split():
        term_query = Q()
        for field in fields:
            term_query |= Q(**{f"{field}__icontains": term})
        query &= term_query
    return queryset.filter(query)
