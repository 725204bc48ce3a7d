"""Reading an uploaded file as a header and rows, streaming: CSV, gzipped CSV and XLSX.

A CSV file may be UTF-8 (with or without a byte-order mark) or Windows-1252 (what Danish Excel
writes), separated by semicolons, commas or tabs. Each row carries the physical line of the
file where it starts, which differs from its record number when a quoted field spans lines;
an XLSX row carries its sheet row number.
"""

import codecs
import csv
import gzip
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError

csv.field_size_limit(16 * 1024 * 1024)

Opener = Callable[[], IO[bytes]]
DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class FileInfo:
    """What a file turned out to be: its format, encoding, delimiter, header and row count."""

    format: str  # "csv" or "xlsx"
    gzipped: bool
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    rows: int


def _magic(opener: Opener) -> bytes:
    with opener() as handle:
        return handle.read(4)


def _binary(opener: Opener, gzipped: bool) -> IO[bytes]:
    handle = opener()
    return gzip.GzipFile(fileobj=handle) if gzipped else handle  # type: ignore[return-value]


def unique_header(cells: list[Any]) -> tuple[str, ...]:
    """Header names as text, blanks named by position, repeats numbered, trailing blanks gone."""
    names = [("" if cell is None else str(cell)).strip() for cell in cells]
    while names and not names[-1]:
        names.pop()
    seen: dict[str, int] = {}
    header = []
    for position, name in enumerate(names, start=1):
        name = name or _("column %(number)s") % {"number": position}
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        header.append(name)
    return tuple(header)


def inspect(opener: Opener, name: str = "") -> FileInfo:
    """Find the format, encoding and delimiter, read the header and count the rows.

    Raises ApplicationError for what cannot be read: another format, an empty file.
    """
    magic = _magic(opener)
    lowered = name.lower()
    if magic.startswith(b"PK"):
        return _inspect_xlsx(opener)
    if magic.startswith(b"\xd0\xcf\x11\xe0") or lowered.endswith(".xls"):
        raise ApplicationError(
            _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.")
        )
    gzipped = magic.startswith(b"\x1f\x8b")
    try:
        encoding = _encoding(opener, gzipped)
        delimiter = _delimiter(opener, gzipped, encoding)
        header: tuple[str, ...] = ()
        rows = 0
        for line, values in _csv_rows(opener, gzipped, encoding, delimiter):
            if line == 0:
                header = unique_header(values)
            else:
                rows += 1
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ApplicationError(_("The file cannot be read: %(error)s") % {"error": error}) \
            from None
    if not header:
        raise ApplicationError(_("The file is empty: it has no header row."))
    return FileInfo("csv", gzipped, encoding, delimiter, header, rows)


def _encoding(opener: Opener, gzipped: bool) -> str:
    """UTF-8 when every byte decodes as UTF-8; otherwise Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with _binary(opener, gzipped) as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _text(opener: Opener, gzipped: bool, encoding: str) -> io.TextIOWrapper:
    errors = "replace" if encoding == "cp1252" else "strict"
    return io.TextIOWrapper(
        _binary(opener, gzipped), encoding=encoding, errors=errors, newline=""
    )


def _delimiter(opener: Opener, gzipped: bool, encoding: str) -> str:
    """The candidate that occurs most often, outside quotes, in the header line."""
    with _text(opener, gzipped, encoding) as handle:
        first = handle.readline()
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_rows(
    opener: Opener, gzipped: bool, encoding: str, delimiter: str
) -> Iterator[tuple[int, list[str]]]:
    """(0, header) then (line where the record starts, values) for every non-blank record."""
    with _text(opener, gzipped, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        previous_end = 0
        first = True
        try:
            for values in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                if not any(value.strip() for value in values):
                    continue
                yield (0 if first else start), values
                first = False
        except csv.Error as error:
            raise ApplicationError(
                _("The file cannot be read as CSV near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None


def _open_sheet(opener: Opener):
    from openpyxl import load_workbook

    handle = opener()
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        handle.close()
        raise ApplicationError(
            _("The file cannot be read as an Excel workbook (.xlsx): %(error)s")
            % {"error": error}
        ) from None
    return handle, workbook, workbook.worksheets[0]


def _xlsx_rows(opener: Opener) -> Iterator[tuple[int, list[Any]]]:
    """(0, header) then (sheet row number, values) for every non-blank row of the first sheet."""
    handle, workbook, sheet = _open_sheet(opener)
    try:
        first = True
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            yield (0 if first else number), list(values)
            first = False
    finally:
        workbook.close()
        handle.close()


def _inspect_xlsx(opener: Opener) -> FileInfo:
    header: tuple[str, ...] = ()
    rows = 0
    for line, values in _xlsx_rows(opener):
        if line == 0:
            header = unique_header(values)
        else:
            rows += 1
    if not header:
        raise ApplicationError(_("The workbook's first sheet is empty: it has no header row."))
    return FileInfo("xlsx", False, "", "", header, rows)


def rows(opener: Opener, info: FileInfo) -> Iterator[tuple[int, list[Any]]]:
    """The data rows as (line, values), the header skipped."""
    source = (
        _xlsx_rows(opener) if info.format == "xlsx"
        else _csv_rows(opener, info.gzipped, info.encoding, info.delimiter)
    )
    for line, values in source:
        if line:
            yield line, values
