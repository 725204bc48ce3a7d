"""Reference data: DB07, the Danish industry classification (the CVR register's industry codes).

The classification is read from Statistics Denmark's table in the shared data folder
(`settings.KLYNGE_DATA_DIR / "db07" / "dksic.tsv"`, levels 0-4, Danish titles) and is never
copied into the repository. Where the file is absent, the 21 sections (level 0) are loaded
from the short built-in list below, so every install can at least classify by section.
Loading is idempotent: codes are created or have their title and parent brought up to date;
codes that disappeared from the file are kept, because organisations may still point to them.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import IndustryCode

#: The 21 DB07 sections (NACE rev. 2 sections A-U) with their Danish titles.
DB07_SECTIONS: tuple[tuple[str, str], ...] = (
    ("A", "Landbrug, jagt, skovbrug og fiskeri"),
    ("B", "Råstofindvinding"),
    ("C", "Fremstillingsvirksomhed"),
    ("D", "El-, gas- og fjernvarmeforsyning"),
    ("E", "Vandforsyning; kloakvæsen, affaldshåndtering og rensning af jord og grundvand"),
    ("F", "Bygge- og anlægsvirksomhed"),
    ("G", "Engroshandel og detailhandel; reparation af motorkøretøjer og motorcykler"),
    ("H", "Transport og godshåndtering"),
    ("I", "Overnatningsfaciliteter og restaurationsvirksomhed"),
    ("J", "Information og kommunikation"),
    ("K", "Pengeinstitut- og finansvirksomhed, forsikring"),
    ("L", "Fast ejendom"),
    ("M", "Liberale, videnskabelige og tekniske tjenesteydelser"),
    ("N", "Administrative tjenesteydelser og hjælpetjenester"),
    ("O", "Offentlig forvaltning og forsvar; socialsikring"),
    ("P", "Undervisning"),
    ("Q", "Sundhedsvæsen og sociale foranstaltninger"),
    ("R", "Kultur, forlystelser og sport"),
    ("S", "Andre serviceydelser"),
    ("T", "Private husholdninger med ansat medhjælp; husholdningers produktion af varer og "
          "tjenesteydelser til eget brug, i.a.n."),
    ("U", "Ekstraterritoriale organisationer og organer"),
)

#: The column that holds a row's code, by level (0 section ... 4 the six-digit DB07 code).
CODE_COLUMNS = {0: "Section", 1: "Hovedgruppe", 2: "Gruppe", 3: "Undergruppe", 4: "DB07"}
REQUIRED_COLUMNS = ("Niveau", "Tekst", *CODE_COLUMNS.values())


@dataclass(frozen=True)
class Db07Row:
    """One code of the classification as read from the file."""

    code: str
    level: int
    title: str
    parent: str | None


@dataclass
class LoadResult:
    """What a load did: where the codes came from and how many were created or changed."""

    source: str  # "file" or "builtin"
    path: Path | None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def db07_path() -> Path:
    """Where the DB07 table is expected in the shared data folder."""
    return Path(settings.KLYNGE_DATA_DIR) / "db07" / "dksic.tsv"


def read_db07(path: Path) -> list[Db07Row]:
    """Parse Statistics Denmark's DB07 table (tab-separated, UTF-8, one row per code).

    Each row names its code in the column of its level and the codes of its ancestors in the
    columns before, so the parent is the code one level up. Raises ApplicationError for a file
    that is not this table.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ApplicationError(
                _("%(path)s is not a DB07 table: the column(s) %(columns)s are missing.")
                % {"path": path, "columns": ", ".join(missing)}
            )
        return [_parse_row(row, line) for line, row in enumerate(reader, start=2)]


def _parse_row(row: dict[str, str], line: int) -> Db07Row:
    try:
        level = int((row["Niveau"] or "").strip())
        code_column = CODE_COLUMNS[level]
    except (ValueError, KeyError):
        raise ApplicationError(
            _("Line %(line)d: the level must be a number from 0 to 4.") % {"line": line}
        ) from None
    code = (row[code_column] or "").strip()
    title = " ".join((row["Tekst"] or "").split())
    if not code or not title:
        raise ApplicationError(
            _("Line %(line)d: a code and a title are required.") % {"line": line}
        )
    parent = (row[CODE_COLUMNS[level - 1]] or "").strip() if level > 0 else None
    return Db07Row(code=code, level=level, title=title, parent=parent or None)


def builtin_sections() -> list[Db07Row]:
    """The 21 sections, for installs without the DB07 file."""
    return [Db07Row(code=code, level=0, title=title, parent=None) for code, title in DB07_SECTIONS]


@transaction.atomic
def industry_codes_load(*, path: Path | None = None) -> LoadResult:
    """Load DB07 into IndustryCode: from `path`, else the shared data folder, else built in.

    Rule: a code's parent must be in the same load. Idempotent; a second load of the same
    file changes nothing. The built-in sections never overwrite codes already present.
    """
    source_path = path or db07_path()
    if path is not None and not path.is_file():
        raise ApplicationError(_("There is no DB07 file at %(path)s.") % {"path": path})
    if source_path.is_file():
        rows = read_db07(source_path)
        result = LoadResult(source="file", path=source_path)
        overwrite = True
    else:
        rows = builtin_sections()
        result = LoadResult(source="builtin", path=None)
        overwrite = False
    _check_parents(rows)
    _save(rows, result, overwrite=overwrite)
    result.by_level = dict(sorted(Counter(row.level for row in rows).items()))
    return result


def _check_parents(rows: list[Db07Row]) -> None:
    codes = {row.code for row in rows}
    orphans = sorted(row.code for row in rows if row.parent and row.parent not in codes)
    if orphans:
        raise ApplicationError(
            _("These codes name a parent that is not in the file: %(codes)s.")
            % {"codes": ", ".join(orphans[:10])}
        )


def _save(rows: list[Db07Row], result: LoadResult, *, overwrite: bool) -> None:
    existing = {code.pk: code for code in IndustryCode.objects.all()}
    new, changed = [], []
    for row in sorted(rows, key=lambda r: (r.level, r.code)):
        current = existing.get(row.code)
        if current is None:
            new.append(IndustryCode(
                code=row.code, level=row.level, title=row.title, parent_id=row.parent
            ))
        elif overwrite and (current.level, current.title, current.parent_id) != (
            row.level, row.title, row.parent
        ):
            current.level, current.title, current.parent_id = row.level, row.title, row.parent
            changed.append(current)
        else:
            result.unchanged += 1
    IndustryCode.objects.bulk_create(new)
    IndustryCode.objects.bulk_update(changed, ["level", "title", "parent"])
    result.created, result.updated = len(new), len(changed)
