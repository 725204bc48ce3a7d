"""Real Danish organisations from the CORDIS Horizon Europe data (shared data folder).

Only rows with country DK and a Danish VAT number whose CVR passes the modulus-11 check are
used, once per CVR (the first row in the file wins, so the result is stable). The legal names
in CORDIS are upper case and lost their Danish letters; `tidy_name` makes them readable.
"""

import csv
import functools
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

from klynge.demo.builder import banks
from klynge.ecosystem.domain.identifiers import cvr_from_vat

ACTIVITY_KINDS = {"PRC": "company", "HES": "university", "REC": "other", "PUB": "public",
                  "OTH": "other"}


@dataclass(frozen=True)
class RealOrganisation:
    """One Danish organisation as CORDIS knows it."""

    cvr: str
    name: str
    kind: str
    is_sme: bool
    street: str
    postcode: str
    city: str
    website: str


def read_real_organisations(path: Path) -> list[RealOrganisation]:
    """The Danish organisations with a valid CVR in CORDIS's organization.csv.gz, by CVR."""
    if not path.is_file():
        return []
    return list(_read(str(path), path.stat().st_mtime))


@functools.lru_cache(maxsize=2)
def _read(path: str, mtime: float) -> tuple[RealOrganisation, ...]:
    """Read once per process and file version (the file has 72,000 rows)."""
    found: dict[str, RealOrganisation] = {}
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("country") != "DK":
                continue
            cvr = cvr_from_vat(row.get("vatNumber"))
            if cvr and cvr not in found:
                found[cvr] = _organisation(cvr, row)
    return tuple(found[cvr] for cvr in sorted(found))


def _organisation(cvr: str, row: dict[str, str]) -> RealOrganisation:
    raw_name = " ".join((row.get("name") or "").split())
    return RealOrganisation(
        cvr=cvr,
        name=banks.CORDIS_CLUSTERS.get(raw_name.upper()) or tidy_name(raw_name),
        kind=kind_for(raw_name, row.get("activityType") or ""),
        is_sme=(row.get("SME") or "").lower() == "true",
        street=tidy_name(" ".join((row.get("street") or "").split()), legal_forms=False),
        postcode=(row.get("postCode") or "").strip()[:12],
        city=tidy_town(row.get("city") or "", (row.get("postCode") or "").strip()),
        website=_website(row.get("organizationURL") or ""),
    )


def kind_for(name: str, activity_type: str) -> str:
    """The organisation kind: clusters and GTS institutes by name, else by activity type."""
    upper = name.upper()
    if upper in banks.CORDIS_CLUSTERS:
        return "cluster"
    if any(upper.startswith(gts) for gts in banks.CORDIS_GTS):
        return "gts"
    if activity_type == "HES":
        if "UNIVERSITY COLLEGE" in upper or "PROFESSIONSH" in upper:
            return "university_college"
        if "ERHVERVSAKADEMI" in upper:
            return "business_academy"
    return ACTIVITY_KINDS.get(activity_type, "other")


def _website(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    if not url.startswith(("http://", "https://")):
        url = f"https://{url}"
    return url[:200]


_TOKEN = re.compile(r"(\S+)")


def tidy_name(text: str, *, legal_forms: bool = True) -> str:
    """Title-case an all-capitals name, restoring Danish letters and legal forms (ApS, A/S).

    Names that already mix cases are kept as they are.
    """
    if not text or text != text.upper():
        return text
    for wrong, right in banks.DANISH_LETTER_FIXES:
        text = text.replace(wrong, right)
    words = [_tidy_word(word, first=i == 0, legal_forms=legal_forms)
             for i, word in enumerate(text.split())]
    return " ".join(words)


def _tidy_word(word: str, *, first: bool, legal_forms: bool) -> str:
    if legal_forms and word in banks.LEGAL_FORMS:
        return banks.LEGAL_FORMS[word]
    if word.lower() in banks.SMALL_WORDS and not first:
        return word.lower()
    parts = word.split("-")
    return "-".join(_tidy_part(part, first=i == 0) for i, part in enumerate(parts))


def _tidy_part(part: str, *, first: bool) -> str:
    letters = "".join(ch for ch in part if ch.isalpha())
    if letters in banks.ACRONYMS or (letters and not any(ch in "AEIOUYÆØÅ" for ch in letters)):
        return part
    if not first and part.lower() in banks.SMALL_WORDS:
        return part.lower()
    return _capitalise(part)


def _capitalise(part: str) -> str:
    """Upper-case the first letter (after any bracket or quote), lower-case the rest."""
    lower = part.lower()
    for index, char in enumerate(lower):
        if char.isalpha():
            return lower[:index] + char.upper() + lower[index + 1:]
    return lower


def tidy_town(town: str, postcode: str) -> str:
    """The post town: fixed for Copenhagen postcodes, else CORDIS's spelling repaired."""
    if postcode.isdigit():
        number = int(postcode)
        for first, last, name in banks.COPENHAGEN_TOWNS:
            if first <= number <= last:
                return name
    words = town.split()
    if not words:
        return ""
    head = banks.TOWN_FIXES.get(words[0].lower(), _capitalise(words[0]))
    tail = [_town_suffix(word) for word in words[1:]]
    return " ".join([head, *tail])


def _town_suffix(word: str) -> str:
    """District letters after a town (C, N, SV, Ø); 'O' and 'East' are CORDIS's Ø."""
    upper = word.upper()
    if upper in {"EAST", "OST", "O"}:
        return "Ø"
    if upper == "SO":
        return "SØ"
    if len(upper) <= 2:
        return upper
    return banks.TOWN_FIXES.get(word.lower(), _capitalise(word))
