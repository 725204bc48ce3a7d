"""The dry run: read every row, check it, and decide what it would do to the registry.

Both the preview and the commit build the same plan, so what the preview promised is what the
commit does (it plans again, against the registry as it is at that moment).

Matching rules (upsert):
- Organisations: by CVR number; a foreign organisation by country and VAT number; a row with
  neither by its exact normalised name (case, spacing and punctuation ignored) within its
  country, refused as ambiguous when several organisations have that name. A row with an
  unknown CVR (or VAT) number takes over an organisation of the same name that has no CVR
  (or VAT) number yet, rather than creating its twin.
- People: by e-mail, case-insensitively; the organisation column names the organisation by
  CVR number or by exact normalised name, and an affiliation is added if the person has none
  with it.
- Rows describing a record that an earlier row of the file already described are counted as
  duplicates, not errors; they fill fields the earlier row left empty, and where they
  disagree the earlier row wins, with a warning.
- Empty cells never blank a value already in the registry; values derived from others (the
  region from the postcode, the band from "not an SME") only fill empty fields.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.domain.importing import (
    ORGANISATIONS,
    CellError,
    RowResult,
    display,
    make_validator,
    normalise_name,
    similar_names,
)
from klynge.ecosystem.importing import readers
from klynge.ecosystem.models import Affiliation, Organisation, Person

ORGANISATION_IMPORT_FIELDS = (
    "name", "kind", "cvr", "country", "vat_number", "employee_band", "is_startup",
    "founded_year", "address", "postcode", "city", "municipality", "region", "website",
    "description", "competences", "offers", "seeks",
)
PERSON_IMPORT_FIELDS = ("first_name", "last_name", "email", "phone", "job_title", "language",
                        "notes")
AFFILIATION_KEYS = ("organisation_id", "role", "start_date")

Progress = Callable[[int, int, str], None]


@dataclass
class Record:
    """One registry record the file touches: an existing one (`pk`) or a new one."""

    pk: int | None
    line: int
    values: dict[str, Any]
    defaults: dict[str, Any]
    current: dict[str, Any] | None = None
    affiliation: dict[str, Any] | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    new_affiliation: bool = False
    is_new: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_new = self.pk is None

    @property
    def outcome(self) -> str:
        if self.is_new:
            return "new"
        return "updated" if self.changes or self.new_affiliation else "unchanged"


@dataclass
class BadRow:
    line: int
    raw: list[Any]
    errors: tuple[CellError, ...]


@dataclass
class Plan:
    """What the file would do: records to create or change, bad rows, warnings."""

    target: str
    info: readers.FileInfo
    mapping: dict[str, str]
    records: list[Record] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0

    def counts(self) -> dict[str, int]:
        counts = {"rows": self.info.rows, "new": 0, "updated": 0, "unchanged": 0,
                  "duplicates": self.duplicates, "bad": len(self.bad)}
        for record in self.records:
            counts[record.outcome] += 1
        return counts

    def errors(self) -> list[dict[str, Any]]:
        return [
            {"line": row.line, "column": error.column, "value": error.value,
             "code": error.code, "params": dict(error.params)}
            for row in self.bad for error in row.errors
        ]


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "name":
        return normalise_name(old or "") == normalise_name(new or "")
    if name == "email":
        return (old or "").lower() == (new or "").lower()
    return old == new


def _merge(record: Record, result: RowResult) -> list[str]:
    """Fill the record's empty fields from a later row; the fields where the two disagree."""
    conflicts = []
    for name, value in result.values.items():
        if name not in record.values:
            record.values[name] = value
        elif not _same(name, record.values[name], value):
            conflicts.append(name)
    for name, value in result.defaults.items():
        record.defaults.setdefault(name, value)
    return conflicts


def _diff(record: Record) -> None:
    current = record.current or {}
    for name, value in record.values.items():
        if name in current and not _same(name, current[name], value):
            record.changes[name] = [current[name], value]
    for name, value in record.defaults.items():
        if name in current and name not in record.values and current[name] in (None, ""):
            record.changes[name] = [current[name], value]


class _Planner:
    """Shared by both targets: reading, checking, duplicates in the file, progress."""

    def __init__(self, target, opener, info, mapping, progress: Progress | None):
        self.plan = Plan(target=target, info=info, mapping=dict(mapping))
        self.opener = opener
        self.progress = progress
        self.validate = make_validator(target, info.header, mapping)
        self.column_of = {name: column for column, name in mapping.items() if name}

    def run(self) -> Plan:
        total = self.plan.info.rows
        for done, (line, raw) in enumerate(readers.rows(self.opener, self.plan.info), start=1):
            result = self.validate(line, raw)
            errors = result.errors or self.place(result)
            if errors:
                self.plan.bad.append(BadRow(line, raw, tuple(errors)))
            if self.progress and (done % 500 == 0 or done == total):
                self.progress(done, total, "check")
        self.finish()
        return self.plan

    def touch_again(self, record: Record, result: RowResult, conflicts=()) -> None:
        self.plan.duplicates += 1
        conflicts = [*_merge(record, result), *conflicts]
        if conflicts:
            self.plan.warnings.append({
                "line": result.line, "column": self.column_of.get(conflicts[0], ""),
                "code": "duplicate_differs",
                "params": {"first": record.line,
                           "columns": [self.column_of.get(n, n) for n in conflicts]},
            })

    def place(self, result: RowResult) -> list[CellError]:  # pragma: no cover - abstract
        raise NotImplementedError

    def finish(self) -> None:
        for record in self.plan.records:
            if not record.is_new:
                _diff(record)


class _OrganisationPlanner(_Planner):
    def __init__(self, *args):
        super().__init__(*args)
        self.current: dict[int, dict[str, Any]] = {}
        self.by_cvr: dict[str, Any] = {}
        self.by_vat: dict[tuple[str, str], Any] = {}
        self.by_name: dict[tuple[str, str], list[Any]] = {}
        self.touched: dict[int, Record] = {}
        for row in Organisation.objects.values("pk", *ORGANISATION_IMPORT_FIELDS).iterator(
            chunk_size=2000
        ):
            pk = row.pop("pk")
            self.current[pk] = row
            self._index(pk, row)

    def _index(self, handle, values) -> None:
        if values.get("cvr"):
            self.by_cvr[values["cvr"]] = handle
        country = values.get("country") or "DK"
        if values.get("vat_number"):
            self.by_vat[(country, values["vat_number"])] = handle
        key = (country, normalise_name(values.get("name", "")))
        bucket = self.by_name.setdefault(key, [])
        if handle not in bucket:
            bucket.append(handle)

    def _values(self, handle) -> dict[str, Any]:
        if isinstance(handle, Record):
            return handle.values
        record = self.touched.get(handle)
        return {**self.current[handle], **(record.values if record else {})}

    def _resolve(self, values: dict[str, Any], country: str):
        named = self.by_name.get((country, normalise_name(values["name"])), [])
        if values.get("cvr"):
            hit = self.by_cvr.get(values["cvr"])
            orphans = [h for h in named if not self._values(h).get("cvr")]
            return hit if hit is not None else (orphans[0] if len(orphans) == 1 else None)
        if values.get("vat_number"):
            hit = self.by_vat.get((country, values["vat_number"]))
            orphans = [h for h in named if not self._values(h).get("cvr")
                       and not self._values(h).get("vat_number")]
            return hit if hit is not None else (orphans[0] if len(orphans) == 1 else None)
        if len(named) > 1:
            raise _Ambiguous(len(named))
        return named[0] if named else None

    def place(self, result: RowResult) -> list[CellError]:
        country = result.values.get("country", "DK")
        try:
            handle = self._resolve(dict(result.values), country)
        except _Ambiguous as ambiguous:
            return [CellError(self.column_of["name"], result.values["name"], "name_ambiguous",
                              {"count": ambiguous.count, "name": result.values["name"]})]
        record = handle if isinstance(handle, Record) else self.touched.get(handle)
        if record is not None:
            self.touch_again(record, result)
        elif handle is None:
            record = Record(None, result.line, dict(result.values), dict(result.defaults))
            handle = record
            self.plan.records.append(record)
        else:
            record = Record(handle, result.line, dict(result.values), dict(result.defaults),
                            current=self.current[handle])
            self.touched[handle] = record
            self.plan.records.append(record)
        merged = {**(record.current or {}), **record.values}
        merged["country"] = record.values.get("country") or merged.get("country") or "DK"
        self._index(handle, merged)
        return []

    def finish(self) -> None:
        super().finish()
        new = [(i, r.values["name"]) for i, r in enumerate(self.plan.records) if r.is_new]
        if not new or not self.current:
            return
        existing = [(pk, row["name"]) for pk, row in self.current.items()]
        for index, pk, score in similar_names(new, existing):
            record = self.plan.records[index]
            self.plan.warnings.append({
                "line": record.line, "column": self.column_of.get("name", ""),
                "code": "similar_name",
                "params": {"name": record.values["name"], "existing": self.current[pk]["name"],
                           "existing_id": pk, "score": score},
            })
        self.plan.warnings.sort(key=lambda warning: warning["line"])


class _Ambiguous(Exception):  # noqa: N818
    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class _PersonPlanner(_Planner):
    def __init__(self, *args):
        super().__init__(*args)
        self.current: dict[str, tuple[int, dict[str, Any]]] = {}
        for row in Person.objects.values("pk", *PERSON_IMPORT_FIELDS).iterator(
            chunk_size=2000
        ):
            self.current[row["email"].lower()] = (row.pop("pk"), row)
        self.touched: dict[str, Record] = {}
        self.org_by_cvr: dict[str, int] = {}
        self.org_by_name: dict[str, list[int]] = {}
        if {"organisation", "organisation_cvr"} & set(mapping_fields(self.plan.mapping)):
            for pk, cvr, name in Organisation.objects.values_list("pk", "cvr", "name"):
                if cvr:
                    self.org_by_cvr[cvr] = pk
                self.org_by_name.setdefault(normalise_name(name), []).append(pk)
            self.affiliated = set(Affiliation.objects.values_list("person_id", "organisation_id"))
            self.has_primary = set(
                Affiliation.objects.filter(is_primary=True).values_list("person_id", flat=True)
            )

    def _organisation(self, result: RowResult) -> tuple[int | None, list[CellError]]:
        values = result.values
        cvr = values.get("organisation_cvr")
        text = values.get("organisation", "")
        column = self.column_of.get("organisation_cvr" if cvr else "organisation", "")
        if not cvr and text.replace(" ", "").isdigit():
            cvr = check_cvr(text).value
        if cvr:
            pk = self.org_by_cvr.get(cvr)
            if pk is None:
                return None, [CellError(column, cvr if "organisation_cvr" in values else text,
                                        "organisation_unknown", {"value": cvr})]
            return pk, []
        if not text:
            return None, []
        found = self.org_by_name.get(normalise_name(text), [])
        if len(found) == 1:
            return found[0], []
        code = "organisation_ambiguous" if found else "organisation_unknown"
        return None, [CellError(column, text, code, {"value": text, "count": len(found)})]

    def place(self, result: RowResult) -> list[CellError]:
        organisation_id, errors = self._organisation(result)
        if errors:
            return errors
        values = {k: v for k, v in result.values.items() if k in PERSON_IMPORT_FIELDS}
        email = values["email"]
        affiliation = None
        if organisation_id is not None:
            role = result.values.get("role") or result.defaults.get("role", "")
            affiliation = {"organisation_id": organisation_id, "role": role,
                           "start_date": result.values.get("start_date")}
        record = self.touched.get(email)
        if record is not None:
            conflicts = []
            if affiliation and record.affiliation is None:
                record.affiliation = affiliation
            elif affiliation and record.affiliation["organisation_id"] != organisation_id:
                conflicts.append("organisation_cvr" if "organisation_cvr" in result.values
                                 else "organisation")
            self.touch_again(record, RowResult(result.line, values, {}, ()), conflicts)
            return []
        pk, current = self.current.get(email, (None, None))
        record = Record(pk, result.line, values, {}, current=current, affiliation=affiliation)
        self.touched[email] = record
        self.plan.records.append(record)
        return []

    def finish(self) -> None:
        super().finish()
        for record in self.plan.records:
            if record.affiliation is None:
                continue
            key = (record.pk, record.affiliation["organisation_id"])
            record.new_affiliation = record.is_new or key not in self.affiliated
            record.affiliation["is_primary"] = (
                record.is_new or record.pk not in self.has_primary
            )


def mapping_fields(mapping: dict[str, str]) -> list[str]:
    return [name for name in mapping.values() if name]


def build_plan(
    *, target: str, opener, info: readers.FileInfo, mapping: dict[str, str],
    progress: Progress | None = None,
) -> Plan:
    """Check every row of the file and plan its upsert; writes nothing."""
    planner_class = _OrganisationPlanner if target == ORGANISATIONS else _PersonPlanner
    return planner_class(target, opener, info, mapping, progress).run()


def error_rows(plan: Plan, describe: Callable[[CellError], str]) -> list[list[str]]:
    """The bad rows as the file had them, plus an "error" column saying what is wrong."""
    width = len(plan.info.header)
    rows = []
    for row in plan.bad:
        cells = [display(value) for value in row.raw[:width]]
        cells += [""] * (width - len(cells))
        rows.append([*cells, "; ".join(describe(error) for error in row.errors)])
    return rows
