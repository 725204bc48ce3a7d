"""Reading EU Funding & Tenders call-topic exports (CSV, as ../shared/data/eu-calls-2024).

Columns are found by their header (their order differs between exports); a byte order mark is
skipped; .csv.gz is read as well. Used: identifier, title, description (HTML or text: made
plain), action_type, start_date (opens), deadline (the first one), budget_min, budget_max.
A row without an identifier or title, or with a date or amount that cannot be read, is
reported by line and column and skipped; the good rows are read.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from klynge.matchmaking.importing.common import BadRow, decode, text_rows

REQUIRED = ("identifier", "title")
MAX_IDENTIFIER = 120


class CallFileError(ValueError):
    """The file as a whole cannot be read (not UTF-8, no identifier column)."""


@dataclass
class CallRow:
    identifier: str
    title: str
    description: str
    programme: str
    action_type: str
    opens_on: date | None
    deadline: date | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    source: str
    line: int = 0


@dataclass
class CallFile:
    name: str
    rows: list[CallRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    read: int = 0


_BLOCK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/ul|/ol|p|div|ul|ol|h[1-6]|tr)"
                    r"(?:\s[^>]*)?/?\s*>", re.IGNORECASE)
_ITEM = re.compile(r"<\s*li(?:\s[^>]*)?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def plain_text(value: str) -> str:
    """HTML (or text) as readable plain text: paragraphs and list items on lines of their
    own, tags removed, entities decoded, spaces folded, at most one empty line in a row."""
    text = value or ""
    text = _ITEM.sub("\n• ", text)
    text = _BLOCK.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def programme_of(identifier: str) -> str:
    """The programme: the identifier's first segment (HORIZON-CL5-… → HORIZON,
    EuropeAid/172802/… → EuropeAid)."""
    return re.split(r"[-/_ ]", identifier.strip(), maxsplit=1)[0][:60]


def parse_date(value: str) -> date | None:
    """2025-06-12T00:00:00, 2025-06-12 17:00:00 or 2025-06-12; empty is None. Of several
    dates in one cell (a two-stage call), the first."""
    value = (value or "").strip()
    if not value:
        return None
    first = re.split(r"[\s,;|]+(?=\d{4}-)", value)[0].strip()
    try:
        return datetime.fromisoformat(first.replace("Z", "+00:00")).date()
    except ValueError:
        return date.fromisoformat(first[:10])


def parse_amount(value: str) -> Decimal | None:
    value = (value or "").strip().replace(" ", "").replace("\u00a0", "")
    if not value:
        return None
    if "," in value and "." not in value:
        value = value.replace(",", "")
    amount = Decimal(value.replace(",", ""))
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise InvalidOperation
    return amount.quantize(Decimal("0.01"))


def read_calls(name: str, data: bytes) -> CallFile:
    """The call topics of one export; raises CallFileError when the file cannot be read."""
    try:
        text = decode(data)
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise CallFileError(f"{name} is not a UTF-8 CSV file (or a gzipped one): "
                            f"{error}") from None
    result = CallFile(name)
    header_checked = False
    for line, row in text_rows(text):
        if not header_checked:
            missing = [column for column in REQUIRED if column not in row]
            if missing:
                raise CallFileError(
                    _("%(file)s has no %(columns)s column; is it a Funding & Tenders export?")
                    % {"file": name, "columns": " / ".join(missing)})
            header_checked = True
        result.read += 1
        call = _row(name, line, row, result.bad)
        if call is not None:
            result.rows.append(call)
    return result


def _row(name: str, line: int, row: dict, bad: list[BadRow]) -> CallRow | None:
    identifier = (row.get("identifier") or "").strip()
    title = " ".join((row.get("title") or "").split())
    if not identifier:
        bad.append(BadRow(name, line, "identifier", _("The identifier is missing.")))
        return None
    if len(identifier) > MAX_IDENTIFIER:
        bad.append(BadRow(name, line, "identifier",
                          _("The identifier is longer than %(max)s characters.")
                          % {"max": MAX_IDENTIFIER}))
        return None
    if not title:
        bad.append(BadRow(name, line, "title", _("The title is missing.")))
        return None
    values = {}
    for column, parse in (("start_date", parse_date), ("deadline", parse_date),
                          ("budget_min", parse_amount), ("budget_max", parse_amount)):
        raw = row.get(column) or ""
        try:
            values[column] = parse(raw)
        except (ValueError, InvalidOperation):
            kind = "date" if parse is parse_date else "amount"
            bad.append(BadRow(name, line, column, f"{raw.strip()!r} is not a {kind}."))
            return None
    return CallRow(
        identifier=identifier, title=title,
        description=plain_text(row.get("description") or ""),
        programme=programme_of(identifier),
        action_type=" ".join((row.get("action_type") or "").split())[:255],
        opens_on=values["start_date"], deadline=values["deadline"],
        budget_min=values["budget_min"], budget_max=values["budget_max"],
        source=name[:255], line=line,
    )
