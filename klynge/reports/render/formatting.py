"""Values as text for the PDF and the HTML, in the active language's number format."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format, number_format

from klynge.reports.render import layout

EMPTY = "—"


def _number(value, decimals: int | None = None) -> str:
    if isinstance(value, Decimal) and decimals is None:
        decimals = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def text(value, kind: str = layout.TEXT) -> str:
    """One cell or fact as text: numbers grouped, per cents with one decimal, money in whole
    kroner, dates as YYYY-MM-DD, nothing as a dash."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        return value
    if kind == layout.YEAR:
        return str(value)
    if kind == layout.PERCENT:
        return f"{_number(Decimal(value), 1)} %"
    if kind == layout.FRACTION:
        return f"{_number(Decimal(value) * 100, 1)} %"
    if kind == layout.MONEY:
        return _number(Decimal(value).quantize(Decimal(1)), 0)
    if kind in layout.NUMERIC:
        return _number(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value,
                           "Y-m-d H:i")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)
