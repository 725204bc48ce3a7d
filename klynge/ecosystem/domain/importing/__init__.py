"""The rules of the registry import: target fields, header guessing, value parsers, row checks.

Pure functions, no Django: every problem is returned as a code with parameters, and the
Django layer (klynge.ecosystem.importing.messages) turns it into a translated sentence.

Decisions, so that importing the same file twice changes nothing and real files work:
- Numbers: Danish (1.234.567,89) and English (1,234,567.89) both parse. A separator that occurs
  more than once groups thousands; with both, the last one is the decimal separator; a single
  separator followed by exactly three digits after one to three leading digits (1.234, 1,234)
  groups thousands; otherwise it is the decimal separator (12,5 and 12.5 are twelve and a half).
- Dates: 31.12.2024, 31-12-2024, 31/12/2024 (day first, the Danish way) and ISO 2024-12-31.
- Countries: two-letter codes or common Danish and English names; the EU's EL and UK (used by
  CORDIS) become ISO's GR and GB.
- Kind: the CORDIS activity types map PRC to company, HES to university, PUB to public, OTH to
  other and REC (research organisation) to other, except the Danish GTS institutes, which are
  recognised by name and become gts.
- SME: "not an SME" on a company without an employee band means 250 or more employees; "SME"
  leaves the band empty, since the file does not say which SME band (micro, small, medium).
- Region: derived from a Danish postcode, "abroad" for foreign organisations; a region column is
  never guessed (the ERDF files' "region" is the programme's region), but can be mapped.
"""

from klynge.ecosystem.domain.importing.fields import (
    FIELDS,
    ORGANISATION_FIELDS,
    ORGANISATIONS,
    PEOPLE,
    PERSON_FIELDS,
    REQUIRED,
    TARGETS,
    FieldSpec,
    Problem,
    check_mapping,
    field_names,
    guess_mapping,
    normalise_header,
)
from klynge.ecosystem.domain.importing.names import (
    GTS_INSTITUTES,
    is_gts_institute,
    normalise_name,
    similar_names,
    split_full_name,
    strip_legal_form,
)
from klynge.ecosystem.domain.importing.rows import CellError, RowResult, make_validator
from klynge.ecosystem.domain.importing.values import (
    COUNTRY_NAMES,
    EMPLOYEE_BANDS,
    KIND_WORDS,
    Invalid,
    band_for_count,
    display,
    is_empty,
    parse_bool,
    parse_country,
    parse_cvr,
    parse_date,
    parse_email,
    parse_employee_band,
    parse_employees,
    parse_integer,
    parse_kind,
    parse_language,
    parse_line,
    parse_number,
    parse_region,
    parse_text,
    parse_url,
    parse_year,
)

__all__ = [
    "COUNTRY_NAMES", "EMPLOYEE_BANDS", "FIELDS", "GTS_INSTITUTES", "KIND_WORDS",
    "ORGANISATION_FIELDS", "ORGANISATIONS", "PEOPLE", "PERSON_FIELDS", "REQUIRED", "TARGETS",
    "CellError", "FieldSpec", "Invalid", "Problem", "RowResult", "band_for_count",
    "check_mapping", "display", "field_names", "guess_mapping", "is_empty",
    "is_gts_institute", "make_validator", "normalise_header", "normalise_name", "parse_bool",
    "parse_country", "parse_cvr", "parse_date", "parse_email", "parse_employee_band",
    "parse_employees", "parse_integer", "parse_kind", "parse_language", "parse_line",
    "parse_number", "parse_region", "parse_text", "parse_url", "parse_year", "similar_names",
    "split_full_name", "strip_legal_form",
]
