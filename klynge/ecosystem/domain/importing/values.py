"""Value parsers of the import: each takes a filled cell and returns a clean value.

A cell is text from a CSV file or a native value from an XLSX sheet (int, float, datetime,
bool). A value that cannot be accepted raises Invalid with a code the Django layer words.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from klynge.ecosystem.domain.identifiers import check_cvr


class Invalid(Exception):  # noqa: N818 - a value, not a failure of the program
    """A value that a parser cannot accept: a code and the parameters of its message."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params



_SPACES = re.compile(r"\s+")


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value: Any) -> str:
    """A cell as the person sees it in their spreadsheet, for messages and the error file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_line(value: Any) -> str:
    """Text on one line: runs of spaces and line breaks become one space."""
    return _SPACES.sub(" ", display(value)).strip()


def parse_text(value: Any) -> str:
    """Longer text: kept as written, line breaks included, trimmed at both ends."""
    return display(value).strip()


def parse_number(value: Any) -> Decimal:
    """A number written the Danish or the English way (see the module's rules)."""
    if isinstance(value, bool):
        raise Invalid("number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    match = re.fullmatch(r"([+-]?)(\d[\d.,]*)", text)
    if not match:
        raise Invalid("number")
    sign, body = match.groups()
    try:
        return Decimal(sign + _plain_number(body))
    except (InvalidOperation, ValueError):
        raise Invalid("number") from None


def _plain_number(body: str) -> str:
    if body[-1] in ".,":
        raise ValueError(body)
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_sep = "." if body.rfind(".") > body.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = body.rpartition(decimal_sep)
        if decimal_sep in whole:
            raise ValueError(body)
        return _ungroup(whole, group_sep) + "." + fraction
    if dots + commas == 0:
        return body
    sep = "." if dots else ","
    if dots + commas > 1:
        return _ungroup(body, sep)
    whole, fraction = body.split(sep)
    if len(fraction) == 3 and 1 <= len(whole) <= 3 and whole != "0":
        return whole + fraction
    return whole + "." + fraction


def _ungroup(text: str, sep: str) -> str:
    groups = text.split(sep)
    if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
        raise ValueError(text)
    return "".join(groups)


def parse_integer(value: Any) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise Invalid("integer")
    return int(number)


def parse_year(value: Any) -> int:
    """A year (1998), or the year of a date (01.02.1998)."""
    if isinstance(value, date):
        return value.year
    text = display(value).strip()
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
    else:
        try:
            year = parse_date(value).year
        except Invalid:
            raise Invalid("year") from None
    if not 1000 <= year <= 2100:
        raise Invalid("year")
    return year


_TRUE = frozenset({"ja", "j", "yes", "y", "true", "sand", "1", "x"})
_FALSE = frozenset({"nej", "n", "no", "false", "falsk", "0"})


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = display(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("bool")


_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = display(value).strip()
    try:
        if match := _DAY_FIRST.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise Invalid("date")


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def parse_email(value: Any) -> str:
    text = display(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not _EMAIL.fullmatch(text):
        raise Invalid("email")
    return text.lower()


def parse_cvr(value: Any) -> str:
    check = check_cvr(display(value))
    if check.error:
        raise Invalid(f"cvr_{check.error}")
    return check.value or ""


def parse_url(value: Any) -> str:
    text = display(value).strip()
    if not re.match(r"https?://", text, re.IGNORECASE):
        text = "https://" + text
    host = re.match(r"https?://([^/?#\s]+)", text, re.IGNORECASE)
    if " " in text or not host or "." not in host.group(1):
        raise Invalid("url")
    return text


COUNTRY_NAMES = {
    "denmark": "DK", "danmark": "DK", "sweden": "SE", "sverige": "SE", "norway": "NO",
    "norge": "NO", "finland": "FI", "iceland": "IS", "island": "IS", "germany": "DE",
    "tyskland": "DE", "deutschland": "DE", "netherlands": "NL", "holland": "NL",
    "nederlandene": "NL", "belgium": "BE", "belgien": "BE", "france": "FR", "frankrig": "FR",
    "spain": "ES", "spanien": "ES", "italy": "IT", "italien": "IT", "portugal": "PT",
    "poland": "PL", "polen": "PL", "austria": "AT", "østrig": "AT", "switzerland": "CH",
    "schweiz": "CH", "united kingdom": "GB", "storbritannien": "GB", "england": "GB",
    "ireland": "IE", "irland": "IE", "estonia": "EE", "estland": "EE", "latvia": "LV",
    "letland": "LV", "lithuania": "LT", "litauen": "LT", "greece": "GR", "grækenland": "GR",
    "czech republic": "CZ", "czechia": "CZ", "tjekkiet": "CZ", "united states": "US",
    "usa": "US", "faroe islands": "FO", "færøerne": "FO", "greenland": "GL", "grønland": "GL",
}
_EU_TO_ISO = {"EL": "GR", "UK": "GB"}


def parse_country(value: Any) -> str:
    text = parse_line(value)
    if re.fullmatch(r"[A-Za-z]{2}", text):
        code = text.upper()
        return _EU_TO_ISO.get(code, code)
    code = COUNTRY_NAMES.get(text.casefold())
    if code is None:
        raise Invalid("country")
    return code


#: The values of ecosystem.choices.OrganisationKind, with the words people and files use.
KIND_WORDS = {
    "company": ("company", "virksomhed", "firma", "business", "enterprise", "prc",
                "private company", "privat virksomhed"),
    "university": ("university", "universitet", "hes", "higher education"),
    "gts": ("gts", "gts institute", "gts-institut", "gts institut",
            "godkendt teknologisk serviceinstitut"),
    "business_academy": ("business academy", "erhvervsakademi"),
    "university_college": ("university college", "professionshøjskole"),
    "public": ("public", "offentlig", "public actor", "offentlig aktør", "pub", "kommune",
               "region", "municipality", "public body"),
    "investor": ("investor", "investment", "venture capital"),
    "cluster": ("cluster", "klynge", "cluster organisation", "klyngeorganisation"),
    "other": ("other", "andet", "andre", "oth", "rec", "research organisation",
              "research organization", "forskningsinstitution"),
}
_KIND = {word: kind for kind, words in KIND_WORDS.items() for word in (kind, *words)}


def parse_kind(value: Any) -> str:
    text = parse_line(value).casefold().replace("_", " ")
    kind = _KIND.get(text) or _KIND.get(text.replace(" ", "_"))
    if kind is None:
        raise Invalid("kind")
    return kind


EMPLOYEE_BANDS = ("1-9", "10-49", "50-249", "250+")


def band_for_count(count: int) -> str:
    if count < 10:
        return "1-9"
    if count < 50:
        return "10-49"
    if count < 250:
        return "50-249"
    return "250+"


def parse_employee_band(value: Any) -> str:
    """A band as written (1-9, 10–49, 250+, "250 or more"), or a head count."""
    text = parse_line(value).replace("–", "-").replace("—", "-").replace(" ", "").casefold()
    text = re.sub(r"(ansatte|employees|medarbejdere)$", "", text)
    text = text.replace("ormore", "+").replace("ellerflere", "+")
    if text in EMPLOYEE_BANDS:
        return text
    try:
        count = parse_integer(value)
    except Invalid:
        raise Invalid("employee_band") from None
    if count < 0:
        raise Invalid("employee_band")
    return band_for_count(count)


def parse_employees(value: Any) -> str:
    """A head count, stored as its band; a column of head counts may hold bands too."""
    try:
        return parse_employee_band(value)
    except Invalid:
        raise Invalid("integer") from None


_LANGUAGES = {"da": "da", "dansk": "da", "danish": "da", "dk": "da",
              "en": "en", "engelsk": "en", "english": "en", "uk": "en", "gb": "en"}


def parse_language(value: Any) -> str:
    language = _LANGUAGES.get(parse_line(value).casefold())
    if language is None:
        raise Invalid("language")
    return language


_REGIONS = {
    "hovedstaden": "hovedstaden", "region hovedstaden": "hovedstaden",
    "capital region": "hovedstaden", "capital region of denmark": "hovedstaden",
    "bornholm": "hovedstaden",
    "sjælland": "sjaelland", "sjaelland": "sjaelland", "region sjælland": "sjaelland",
    "zealand": "sjaelland", "region zealand": "sjaelland",
    "syddanmark": "syddanmark", "region syddanmark": "syddanmark",
    "southern denmark": "syddanmark", "region of southern denmark": "syddanmark",
    "midtjylland": "midtjylland", "region midtjylland": "midtjylland",
    "central denmark": "midtjylland", "central denmark region": "midtjylland",
    "nordjylland": "nordjylland", "region nordjylland": "nordjylland",
    "north denmark": "nordjylland", "north denmark region": "nordjylland",
    "abroad": "abroad", "udlandet": "abroad", "udland": "abroad",
}


def parse_region(value: Any) -> str:
    region = _REGIONS.get(parse_line(value).casefold())
    if region is None:
        raise Invalid("region")
    return region
