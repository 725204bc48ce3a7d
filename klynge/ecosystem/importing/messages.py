"""The words of the import: field labels and the sentence for each problem code.

The domain and the stored report speak in codes with parameters; these are turned into the
reader's language only when shown (page, CLI, error file).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klynge.ecosystem.services import CVR_MESSAGES

FIELD_LABELS = {
    "name": gettext_lazy("name"),
    "cvr": gettext_lazy("CVR number"),
    "vat_number": gettext_lazy("VAT number"),
    "country": gettext_lazy("country"),
    "kind": gettext_lazy("kind"),
    "employee_band": gettext_lazy("employee band"),
    "employees": gettext_lazy("number of employees"),
    "sme": gettext_lazy("SME (yes/no)"),
    "is_startup": gettext_lazy("startup (yes/no)"),
    "founded_year": gettext_lazy("founded (year)"),
    "address": gettext_lazy("address"),
    "postcode": gettext_lazy("postcode"),
    "city": gettext_lazy("city"),
    "municipality": gettext_lazy("municipality"),
    "region": gettext_lazy("region"),
    "website": gettext_lazy("website"),
    "description": gettext_lazy("description"),
    "competences": gettext_lazy("competences"),
    "offers": gettext_lazy("offers"),
    "seeks": gettext_lazy("seeks"),
    "email": gettext_lazy("e-mail"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "full_name": gettext_lazy("full name (split into first and last name)"),
    "phone": gettext_lazy("phone"),
    "job_title": gettext_lazy("job title"),
    "language": gettext_lazy("preferred language"),
    "notes": gettext_lazy("notes"),
    "organisation": gettext_lazy("organisation (CVR number or name)"),
    "organisation_cvr": gettext_lazy("organisation's CVR number"),
    "role": gettext_lazy("role at the organisation"),
    "start_date": gettext_lazy("affiliated from (date)"),
}

MESSAGES = {
    "required": gettext_lazy("The %(field)s is missing; this column must be filled in."),
    "too_long": gettext_lazy(
        "Too long: %(length)s characters, where at most %(max)s are allowed."
    ),
    "row_length": gettext_lazy(
        "This row has %(found)s values but the header has only %(expected)s columns; "
        "check the quotes and separators on this line."
    ),
    "cvr_length": gettext_lazy(CVR_MESSAGES["length"]),
    "cvr_format": gettext_lazy(CVR_MESSAGES["format"]),
    "cvr_checksum": gettext_lazy(CVR_MESSAGES["checksum"]),
    "cvr_not_danish": gettext_lazy(
        "A CVR number belongs to Danish organisations, but this row's country is not "
        "Denmark; give a VAT number instead."
    ),
    "vat_cvr_mismatch": gettext_lazy(
        "The VAT number contains CVR number %(vat_cvr)s, but the row's CVR number is %(cvr)s."
    ),
    "postcode_dk": gettext_lazy("A Danish postcode has 4 digits, such as 8000."),
    "number": gettext_lazy(
        "This is not a number. Write numbers like 1.234,50 or 1234.50."
    ),
    "integer": gettext_lazy("This is not a whole number."),
    "year": gettext_lazy("This is not a year; write it like 1998."),
    "bool": gettext_lazy("Write yes or no here (ja/nej, true/false or 1/0)."),
    "date": gettext_lazy("This is not a date; write it like 31.12.2024 or 2024-12-31."),
    "email": gettext_lazy("This is not an e-mail address."),
    "url": gettext_lazy("This is not a web address; write it like www.example.dk."),
    "country": gettext_lazy(
        "Unknown country; write a two-letter code such as DK, SE or DE, or the name."
    ),
    "kind": gettext_lazy(
        "Unknown kind of organisation; write company, university, GTS institute, business "
        "academy, university college, public, investor, cluster or other."
    ),
    "employee_band": gettext_lazy(
        "Unknown employee band; write 1-9, 10-49, 50-249, 250+ or the number of employees."
    ),
    "language": gettext_lazy("Unknown language; write da (Danish) or en (English)."),
    "region": gettext_lazy(
        "Unknown region; write Hovedstaden, Sjælland, Syddanmark, Midtjylland or Nordjylland, "
        "or leave it empty and it follows from the postcode."
    ),
    "name_ambiguous": gettext_lazy(
        "%(count)s organisations in the registry are called %(name)s; add the CVR number "
        "(or VAT number) so the row says which one is meant."
    ),
    "organisation_unknown": gettext_lazy(
        "No organisation %(value)s is in the registry; import the organisations first or "
        "correct the name or CVR number."
    ),
    "organisation_ambiguous": gettext_lazy(
        "%(count)s organisations in the registry are called %(value)s; give the CVR number "
        "instead."
    ),
    # warnings
    "duplicate_differs": gettext_lazy(
        "This row describes the same record as line %(first)s, with other values in "
        "%(columns)s; the values of line %(first)s are kept."
    ),
    "similar_name": gettext_lazy(
        "%(name)s will be created as a new organisation, but resembles %(existing)s "
        "(already in the registry, %(score)s%% alike): is it the same?"
    ),
    # mapping
    "unknown_field": gettext_lazy("Column %(column)s is mapped to an unknown field %(field)s."),
    "field_twice": gettext_lazy("Columns %(columns)s are all mapped to %(field)s; choose one."),
    "field_unmapped": gettext_lazy("Choose a column for %(fields)s."),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def message(code: str, params: dict | None = None) -> str:
    """The sentence for a problem code, in the active language."""
    params = dict(params or {})
    if "field" in params:
        params["field"] = field_label(params["field"])
    if "fields" in params:
        params["fields"] = _(" or ").join(field_label(name) for name in params["fields"])
    if "columns" in params and isinstance(params["columns"], list):
        params["columns"] = ", ".join(str(column) for column in params["columns"])
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)
