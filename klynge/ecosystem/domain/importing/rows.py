"""Checking one row: parse each mapped cell, apply the cross-field rules, collect errors."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.domain.importing.fields import FIELDS, ORGANISATIONS, REQUIRED
from klynge.ecosystem.domain.importing.names import is_gts_institute, split_full_name
from klynge.ecosystem.domain.importing.values import Invalid, display, is_empty
from klynge.ecosystem.domain.regions import region_for_postcode


@dataclass(frozen=True)
class CellError:
    """A bad value: the file's column header, the value as written, and why it is bad."""

    column: str
    value: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowResult:
    """One checked row: the line it starts on, its clean values, derived defaults, errors.

    `values` holds only the filled cells; `defaults` holds values derived from them (region
    from postcode...) that fill empty fields but never overwrite a value already there.
    """

    line: int
    values: Mapping[str, Any]
    defaults: Mapping[str, Any]
    errors: tuple[CellError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def make_validator(
    target: str, headers: Sequence[str], mapping: Mapping[str, str]
) -> Callable[[int, Sequence[Any]], RowResult]:
    """A function checking one row of this file; built once so each row costs little."""
    specs = {spec.name: spec for spec in FIELDS[target]}
    columns = [
        (index, header, specs[mapping[header]])
        for index, header in enumerate(headers)
        if mapping.get(header) in specs
    ]
    column_of = {spec.name: header for _index, header, spec in columns}
    rules = _organisation_rules if target == ORGANISATIONS else _person_rules
    width = len(headers)

    def validate(line: int, raw: Sequence[Any]) -> RowResult:
        values: dict[str, Any] = {}
        errors: list[CellError] = []
        extra = [value for value in raw[width:] if not is_empty(value)]
        if extra:
            errors.append(CellError("", display(extra[0]), "row_length",
                                    {"found": len(raw), "expected": width}))
        for index, header, spec in columns:
            cell = raw[index] if index < len(raw) else None
            if is_empty(cell):
                continue
            try:
                value = spec.parser(cell)
            except Invalid as problem:
                errors.append(CellError(header, display(cell).strip(), problem.code,
                                        problem.params))
                continue
            if spec.max_length and isinstance(value, str) and len(value) > spec.max_length:
                errors.append(CellError(header, display(cell).strip(), "too_long",
                                        {"length": len(value), "max": spec.max_length}))
                continue
            if value != "":
                values[spec.name] = value
        failed = {error.column for error in errors}
        defaults: dict[str, Any] = {}
        for group in REQUIRED[target]:
            if not any(name in values for name in group):
                column = next((column_of[n] for n in group if n in column_of), "")
                if column not in failed:
                    errors.append(CellError(column, "", "required", {"field": group[0]}))
        rules(values, defaults, errors, column_of, failed)
        return RowResult(line, values, defaults, tuple(errors))

    return validate


def _organisation_rules(values, defaults, errors, column_of, failed) -> None:
    country = values.get("country", "DK")
    defaults.setdefault("country", "DK")
    vat = values.pop("vat_number", None)
    if vat is not None and country == "DK":
        _danish_vat(vat, values, errors, column_of["vat_number"])
    elif vat is not None:
        values["vat_number"] = vat.upper().replace(" ", "")
    if values.get("cvr") and country != "DK":
        errors.append(CellError(column_of["cvr"], values["cvr"], "cvr_not_danish"))
    postcode = values.get("postcode")
    if postcode and country == "DK" and not re.fullmatch(r"(DK-?)?\d{4}", postcode):
        errors.append(CellError(column_of["postcode"], postcode, "postcode_dk"))
    elif postcode and country == "DK":
        values["postcode"] = postcode[-4:]
    if country == "DK":
        region = region_for_postcode(values.get("postcode"))
        if region:
            defaults["region"] = region
    else:
        defaults["region"] = "abroad"
    employees = values.pop("employees", None)
    if employees and "employee_band" not in values:
        values["employee_band"] = employees
    sme = values.pop("sme", None)
    if sme is False and values.get("kind", "company") == "company":
        defaults["employee_band"] = "250+"
    if values.get("kind") == "other" and is_gts_institute(values.get("name", "")):
        values["kind"] = "gts"


def _danish_vat(vat: str, values, errors, column: str) -> None:
    """A Danish VAT number is DK and the CVR number: keep the CVR number, check it agrees."""
    check = check_cvr(vat)
    if check.error:
        errors.append(CellError(column, vat, f"cvr_{check.error}"))
    elif values.get("cvr") and values["cvr"] != check.value:
        errors.append(CellError(column, vat, "vat_cvr_mismatch",
                                {"cvr": values["cvr"], "vat_cvr": check.value}))
    elif check.value:
        values["cvr"] = check.value



def _person_rules(values, defaults, errors, column_of, failed) -> None:
    full_name = values.pop("full_name", None)
    if full_name and "first_name" not in values:
        first, last = split_full_name(full_name)
        values["first_name"] = first[:100]
        if last and "last_name" not in values:
            values["last_name"] = last[:100]
    if "job_title" in values:
        defaults["role"] = values["job_title"]

