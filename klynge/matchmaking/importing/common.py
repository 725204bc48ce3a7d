"""What both readers share: opening plain or gzipped CSV, and bad rows by line and column."""

import codecs
import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils.translation import gettext as _

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class BadRow:
    """A row that was skipped: where it is and why (a human message, translated)."""

    file: str
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def bad_row_markup(bad: dict) -> str:
    """A reported bad row (BadRow.as_dict) as one line of console markup, for the commands."""
    where = _("line %(line)s, column %(column)r") % {"line": bad["line"],
                                                      "column": bad["column"]}
    return f"[red]{bad['file']}, {where}[/]: {bad['message']}"


def decode(data: bytes) -> str:
    """The text of a CSV file given as bytes: gunzipped when gzipped, UTF-8 with or without
    a byte order mark."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data.decode("utf-8")


def open_text(path: Path):
    """A text handle on a .csv or .csv.gz file (UTF-8, a byte order mark is skipped)."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open("r", encoding="utf-8-sig", newline="")


def read_rows(handle) -> Iterator[tuple[int, dict]]:
    """(line where the record starts, row) for each record of a CSV with a header line;
    header names are stripped of spaces and a stray byte order mark."""
    reader = csv.reader(handle)
    try:
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        return
    line = reader.line_num + 1
    for record in reader:
        if any(value.strip() for value in record):
            yield line, dict(zip(header, record, strict=False))
        line = reader.line_num + 1


def text_rows(text: str) -> Iterator[tuple[int, dict]]:
    return read_rows(io.StringIO(text, newline=""))
