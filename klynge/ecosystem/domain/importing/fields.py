"""The fields a column can be mapped to, and guessing them from the file's headers."""

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from klynge.ecosystem.domain.importing.values import (
    parse_bool,
    parse_country,
    parse_cvr,
    parse_date,
    parse_email,
    parse_employee_band,
    parse_employees,
    parse_kind,
    parse_language,
    parse_line,
    parse_region,
    parse_text,
    parse_url,
    parse_year,
)

ORGANISATIONS = "organisations"
PEOPLE = "people"
TARGETS = (ORGANISATIONS, PEOPLE)


@dataclass(frozen=True)
class FieldSpec:
    """One field a column can be mapped to: how to parse it and which headers suggest it."""

    name: str
    parser: Callable[[Any], Any]
    required: bool = False
    max_length: int | None = None
    synonyms: tuple[str, ...] = ()


def _spec(name, parser=parse_line, *synonyms, required=False, max_length=None) -> FieldSpec:
    return FieldSpec(name, parser, required, max_length, (name.replace("_", " "), *synonyms))


ORGANISATION_FIELDS: tuple[FieldSpec, ...] = (
    _spec("name", parse_line, "navn", "organisation", "organization", "organisation name",
          "organization name", "organisationsnavn", "company", "company name", "virksomhed",
          "virksomhedsnavn", "firma", "firmanavn", "beneficiary name", "legal name",
          "kontraktansvarlig partner", required=True, max_length=255),
    _spec("cvr", parse_cvr, "cvr nr", "cvrnr", "cvr nummer", "cvr number", "cvr no",
          "company registration number"),
    _spec("vat_number", parse_line, "vat", "vat no", "vat nr", "momsnummer", "moms nr",
          "vatnumber", max_length=30),
    _spec("country", parse_country, "land", "landekode", "country code"),
    _spec("kind", parse_kind, "type", "activitytype", "activity type", "organisation type",
          "organization type", "organisationstype", "kategori", "category", "art"),
    _spec("employee_band", parse_employee_band, "medarbejderinterval", "size band",
          "størrelsesinterval"),
    _spec("employees", parse_employees, "ansatte", "antal ansatte", "number of employees",
          "medarbejdere", "antal medarbejdere", "headcount"),
    _spec("sme", parse_bool, "smv", "sme status"),
    _spec("is_startup", parse_bool, "startup", "start up", "iværksætter"),
    _spec("founded_year", parse_year, "founded", "etableret", "stiftet", "year founded",
          "stiftelsesår", "etableringsår", "founded year"),
    _spec("address", parse_line, "adresse", "street", "street name", "vejnavn", "vej",
          "gade", "street address", max_length=255),
    _spec("postcode", parse_line, "postnr", "post nr", "postnummer", "postal code",
          "post code", "zip", "zip code", max_length=12),
    _spec("city", parse_line, "by", "bynavn", "town", "city name", max_length=100),
    _spec("municipality", parse_line, "kommune", max_length=100),
    FieldSpec("region", parse_region),  # never guessed: see the module's docstring
    _spec("website", parse_url, "web", "url", "hjemmeside", "www", "homepage",
          "organizationurl", "organisation url", max_length=200),
    _spec("description", parse_text, "beskrivelse", "about"),
    _spec("competences", parse_text, "kompetencer", "skills"),
    _spec("offers", parse_text, "tilbyder", "tilbud"),
    _spec("seeks", parse_text, "søger", "behov"),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    _spec("email", parse_email, "e mail", "mail", "email address", "e mail address",
          "e mailadresse", "mailadresse", "epost", required=True, max_length=254),
    _spec("first_name", parse_line, "fornavn", "given name", "firstname", max_length=100),
    _spec("last_name", parse_line, "efternavn", "surname", "family name", "lastname",
          max_length=100),
    _spec("full_name", parse_line, "name", "navn", "fulde navn", "kontaktperson",
          "contact person", "contact", "contacts", "fuldt navn"),
    _spec("phone", parse_line, "telefon", "tlf", "telefonnummer", "mobil", "mobile",
          "telephone", "phone number", max_length=40),
    _spec("job_title", parse_line, "title", "titel", "stilling", "jobtitel", "position",
          max_length=150),
    _spec("language", parse_language, "sprog", "preferred language"),
    _spec("notes", parse_text, "noter", "note", "bemærkninger", "comments"),
    _spec("organisation", parse_line, "organization", "company", "virksomhed", "firma",
          "arbejdsplads", "organisation name", "employer", "organisationsnavn"),
    _spec("organisation_cvr", parse_cvr, "cvr", "cvr nr", "cvrnr", "cvr nummer",
          "cvr number", "company cvr"),
    _spec("role", parse_line, "rolle", max_length=150),
    _spec("start_date", parse_date, "fra", "from", "start", "startdato", "ansat fra"),
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ORGANISATIONS: ORGANISATION_FIELDS,
    PEOPLE: PERSON_FIELDS,
}

#: For each target, groups of fields of which at least one must be mapped and filled.
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    ORGANISATIONS: (("name",),),
    PEOPLE: (("email",), ("first_name", "full_name")),
}


def field_names(target: str) -> tuple[str, ...]:
    return tuple(spec.name for spec in FIELDS[target])


# --- headers and the mapping ------------------------------------------------------------------


def normalise_header(text: str) -> str:
    """Lower case, letters and digits only, one space between words."""
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    return " ".join(re.findall(r"[0-9a-zæøåäöüé]+", text))


def _synonym_index(target: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in FIELDS[target]:
        for word in spec.synonyms:
            index.setdefault(normalise_header(word), spec.name)
            index.setdefault(normalise_header(word).replace(" ", ""), spec.name)
    return index


def guess_mapping(target: str, headers: Sequence[str]) -> dict[str, str]:
    """The field each column probably holds ("" for none), each field taken at most once.

    Headers such as "Postnr / Operation postcode" (the ERDF files) are tried as a whole and
    part by part.
    """
    index = _synonym_index(target)
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for header in headers:
        guess = ""
        for part in (header, *re.split(r"\s+/\s+|\s*\|\s*", header)):
            key = normalise_header(part)
            candidate = index.get(key) or index.get(key.replace(" ", ""))
            if candidate and candidate not in taken:
                guess = candidate
                break
        if guess:
            taken.add(guess)
        mapping[header] = guess
    return mapping


@dataclass(frozen=True)
class Problem:
    """A problem with the mapping as a whole: a code and the parameters of its message."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def check_mapping(target: str, mapping: Mapping[str, str]) -> list[Problem]:
    """Required fields mapped, unknown fields refused, no field taken by two columns."""
    known = set(field_names(target))
    problems = []
    used: dict[str, str] = {}
    for column, name in mapping.items():
        if not name:
            continue
        if name not in known:
            problems.append(Problem("unknown_field", {"field": name, "column": column}))
        elif name in used:
            problems.append(
                Problem("field_twice", {"field": name, "columns": [used[name], column]})
            )
        else:
            used[name] = column
    for group in REQUIRED[target]:
        if not any(name in used for name in group):
            problems.append(Problem("field_unmapped", {"fields": list(group)}))
    return problems
