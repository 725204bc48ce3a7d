"""The import's pure rules: parsers, header guessing, row checks. No database."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.ecosystem.domain.importing import (
    ORGANISATIONS,
    PEOPLE,
    CellError,
    Invalid,
    check_mapping,
    guess_mapping,
    make_validator,
    normalise_name,
    parse_bool,
    parse_country,
    parse_date,
    parse_email,
    parse_employee_band,
    parse_kind,
    parse_number,
    parse_url,
    parse_year,
    similar_names,
    split_full_name,
)

CORDIS_HEADER = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME",
    "activityType", "street", "postCode", "city", "country", "nutsCode", "geolocation",
    "organizationURL", "contactForm", "contentUpdateDate", "rcn", "order", "role",
    "ecContribution", "netEcContribution", "totalCost", "endOfParticipation", "active",
]
ERDF_2007_HEADER = [
    "projekttitel", "start_dato", "slut_dato", "ordning", "Indsatsområde", "budget", "eu",
    "tas_projekt_besk", "region", "cvr", "navn", "vejnavn", "postnr", "bynavn", "parter",
]
ERDF_2014_HEADER = [
    "Projektitel / Operation name", "Startdato / Operation start date",
    "Slutdato / Operation end date", "Prioritetsakse / Priority axis", "Budget / Budget",
    "EU-medfinansiering / Union co-financing",
    "EU-medfinansieringssats / Union co-financing rate", "Projektbeskrivelse", "Fond / Fund",
    "Region / Region", "Land / Country", "Kontraktansvarlig partner / Beneficiary name",
    "Vejnavn / Street name", "Postnr / Operation postcode", "Bynavn / City name",
    "Koordinat east / Coordinates east", "Koordinat north / Coordinates north",
    "Partere / Project partners",
]


def _mapped(mapping):
    return {column: name for column, name in mapping.items() if name}


def _invalid(parser, value) -> str:
    with pytest.raises(Invalid) as caught:
        parser(value)
    return caught.value.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("32467,02", "32467.02"),
        ("15.414.794", "15414794"),
        ("1.234", "1234"),
        ("1,234", "1234"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("0,125", "0.125"),
        ("1234.567", "1234.567"),
        ("-1.000,50", "-1000.50"),
        ("1 234 567,00", "1234567.00"),
        ("200271890,8", "200271890.8"),
        (42, "42"),
        (2.5, "2.5"),
    ],
)
def test_numbers_parse_in_danish_and_english_notation(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12,34,5", "1,", "1e5", "1.234,5,6", ""])
def test_malformed_numbers_are_refused(text):
    assert _invalid(parse_number, text) == "number"


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    cents=st.integers(min_value=0, max_value=99),
    negative=st.booleans(),
    has_decimals=st.booleans(),
)
def test_any_amount_round_trips_through_danish_and_english_notation(
    whole, cents, negative, has_decimals
):
    value = Decimal(whole) + (Decimal(cents) / 100 if has_decimals else 0)
    value = -value if negative else value
    sign = "-" if negative else ""
    grouped = f"{whole:,}"
    fraction = f"{cents:02d}" if has_decimals else ""
    danish = sign + grouped.replace(",", ".") + ("," + fraction if fraction else "")
    english = sign + grouped + ("." + fraction if fraction else "")
    plain = sign + str(whole) + ("," + fraction if fraction else "")
    assert parse_number(danish) == value
    assert parse_number(english) == value
    assert parse_number(plain) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ja", True), ("Nej", False), ("TRUE", True), ("false", False), ("1", True), ("0", False),
     ("x", True), (True, True)],
)
def test_booleans_in_danish_and_english(text, expected):
    assert parse_bool(text) is expected


def test_an_unknown_boolean_is_refused():
    assert _invalid(parse_bool, "måske") == "bool"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18.07.2007", date(2007, 7, 18)), ("1.2.2024", date(2024, 2, 1)),
     ("31-12-2024", date(2024, 12, 31)), ("2024-12-31", date(2024, 12, 31)),
     ("2022-09-13 17:50:47", date(2022, 9, 13)), (datetime(2024, 5, 6, 0, 0), date(2024, 5, 6))],
)
def test_dates_day_first_and_iso(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.02.2024", "2024/12/31", "next week", "13.13.2013"])
def test_impossible_dates_are_refused(text):
    assert _invalid(parse_date, text) == "date"


def test_years_from_a_number_or_a_date():
    assert parse_year("1998") == 1998
    assert parse_year(1998.0) == 1998
    assert parse_year("01.02.1998") == 1998
    assert _invalid(parse_year, "98") == "year"


def test_emails_are_lower_cased_and_checked():
    assert parse_email(" Anne.Hansen@Firma.DK ") == "anne.hansen@firma.dk"
    assert parse_email("mailto:a@b.dk") == "a@b.dk"
    assert _invalid(parse_email, "anne.hansen@firma") == "email"
    assert _invalid(parse_email, "anne hansen@firma.dk") == "email"


def test_countries_by_code_or_name_with_the_eu_codes_made_iso():
    assert parse_country("dk") == "DK"
    assert parse_country("Denmark") == "DK"
    assert parse_country("Tyskland") == "DE"
    assert parse_country("EL") == "GR"
    assert parse_country("UK") == "GB"
    assert _invalid(parse_country, "Atlantis") == "country"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("PRC", "company"), ("HES", "university"), ("REC", "other"), ("PUB", "public"),
     ("OTH", "other"), ("Virksomhed", "company"), ("GTS", "gts"),
     ("university_college", "university_college"), ("Professionshøjskole", "university_college")],
)
def test_kinds_from_cordis_codes_and_words(text, expected):
    assert parse_kind(text) == expected


def test_employee_bands_from_bands_or_counts():
    assert parse_employee_band("10–49") == "10-49"
    assert parse_employee_band("250 or more") == "250+"
    assert parse_employee_band("37") == "10-49"
    assert parse_employee_band("1.200") == "250+"
    assert _invalid(parse_employee_band, "big") == "employee_band"


def test_websites_get_a_scheme():
    assert parse_url("www.belspo.be") == "https://www.belspo.be"
    assert parse_url("http://www.eea.europa.eu") == "http://www.eea.europa.eu"
    assert _invalid(parse_url, "not a site") == "url"


def test_cordis_headers_are_guessed():
    assert _mapped(guess_mapping(ORGANISATIONS, CORDIS_HEADER)) == {
        "vatNumber": "vat_number", "name": "name", "SME": "sme", "activityType": "kind",
        "street": "address", "postCode": "postcode", "city": "city", "country": "country",
        "organizationURL": "website",
    }


def test_erdf_headers_are_guessed_and_the_programme_region_is_left_alone():
    assert _mapped(guess_mapping(ORGANISATIONS, ERDF_2007_HEADER)) == {
        "cvr": "cvr", "navn": "name", "vejnavn": "address", "postnr": "postcode",
        "bynavn": "city",
    }
    assert _mapped(guess_mapping(ORGANISATIONS, ERDF_2014_HEADER)) == {
        "Land / Country": "country", "Kontraktansvarlig partner / Beneficiary name": "name",
        "Vejnavn / Street name": "address", "Postnr / Operation postcode": "postcode",
        "Bynavn / City name": "city",
    }


def test_people_headers_in_danish_are_guessed():
    header = ["Fornavn", "Efternavn", "E-mail", "Telefon", "Stilling", "Virksomhed", "CVR-nr"]
    assert guess_mapping(PEOPLE, header) == {
        "Fornavn": "first_name", "Efternavn": "last_name", "E-mail": "email",
        "Telefon": "phone", "Stilling": "job_title", "Virksomhed": "organisation",
        "CVR-nr": "organisation_cvr",
    }


def test_a_mapping_needs_the_required_fields_once():
    problems = check_mapping(PEOPLE, {"Navn": "full_name", "Mail": "phone", "Tlf": "phone"})
    assert [(p.code, dict(p.params)) for p in problems] == [
        ("field_twice", {"field": "phone", "columns": ["Mail", "Tlf"]}),
        ("field_unmapped", {"fields": ["email"]}),
    ]
    assert check_mapping(PEOPLE, {"Navn": "full_name", "Mail": "email"}) == []


def _validate(target, header, row, line=2):
    return make_validator(target, header, guess_mapping(target, header))(line, row)


def test_a_good_danish_organisation_row():
    header = ["Navn", "CVR", "Postnr", "By", "Ansatte", "Startup"]
    result = _validate(ORGANISATIONS, header, ["Novo  Nordisk A/S", "24 25 67 90", "2880",
                                               "Bagsværd", "1.200", "nej"])
    assert result.ok
    assert result.values == {"name": "Novo Nordisk A/S", "cvr": "24256790",
                             "postcode": "2880", "city": "Bagsværd",
                             "employee_band": "250+", "is_startup": False}
    assert result.defaults == {"country": "DK", "region": "hovedstaden"}


def test_a_bad_row_names_every_bad_column():
    header = ["Navn", "CVR", "Postnr", "Startup"]
    result = _validate(ORGANISATIONS, header, ["", "12345678", "80000", "måske"], line=7)
    assert not result.ok
    assert result.errors == (
        CellError("CVR", "12345678", "cvr_checksum"),
        CellError("Startup", "måske", "bool"),
        CellError("Navn", "", "required", {"field": "name"}),
        CellError("Postnr", "80000", "postcode_dk"),
    )
    assert result.line == 7


def test_a_danish_vat_number_gives_the_cvr_number_and_a_foreign_one_is_kept():
    header = ["name", "vatNumber", "country"]
    danish = _validate(ORGANISATIONS, header, ["DTU", "DK30060946", "DK"])
    assert danish.values == {"name": "DTU", "cvr": "30060946", "country": "DK"}
    foreign = _validate(ORGANISATIONS, header, ["KU Leuven", "BE 0419052173", "BE"])
    assert foreign.values == {"name": "KU Leuven", "vat_number": "BE0419052173",
                              "country": "BE"}
    assert foreign.defaults == {"country": "DK", "region": "abroad"}
    bad = _validate(ORGANISATIONS, header, ["X", "DK30060947", "DK"])
    assert bad.errors == (CellError("vatNumber", "DK30060947", "cvr_checksum"),)


def test_a_cvr_number_on_a_foreign_organisation_is_refused():
    result = _validate(ORGANISATIONS, ["name", "cvr", "country"], ["Acme", "30060946", "SE"])
    assert result.errors == (CellError("cvr", "30060946", "cvr_not_danish"),)


def test_not_an_sme_makes_a_company_large_and_gts_institutes_are_recognised():
    header = ["name", "SME", "activityType"]
    large = _validate(ORGANISATIONS, header, ["Rockwool A/S", "false", "PRC"])
    assert large.defaults["employee_band"] == "250+"
    sme = _validate(ORGANISATIONS, header, ["Nanocore ApS", "true", "PRC"])
    assert "employee_band" not in sme.defaults and "employee_band" not in sme.values
    gts = _validate(ORGANISATIONS, header, ["TEKNOLOGISK INSTITUT", "false", "REC"])
    assert gts.values["kind"] == "gts"
    research = _validate(ORGANISATIONS, header, ["STATENS SERUM INSTITUT", "false", "REC"])
    assert research.values["kind"] == "other"
    assert "employee_band" not in research.defaults


def test_a_value_too_long_for_its_field_is_refused():
    result = _validate(ORGANISATIONS, ["name", "postcode", "country"],
                       ["Acme", "1234567890123", "SE"])
    assert result.errors == (
        CellError("postcode", "1234567890123", "too_long", {"length": 13, "max": 12}),
    )


def test_a_row_with_more_values_than_the_header_is_refused():
    result = _validate(ORGANISATIONS, ["name", "city"], ["Acme", "Aarhus", "stray"])
    assert result.errors == (CellError("", "stray", "row_length",
                                       {"found": 3, "expected": 2}),)


def test_a_person_row_splits_a_full_name():
    header = ["Navn", "E-mail", "Stilling"]
    result = _validate(PEOPLE, header, ["Hansen, Anne Marie", "ANNE@x.dk", "CTO"])
    assert result.values == {"first_name": "Anne Marie", "last_name": "Hansen",
                             "email": "anne@x.dk", "job_title": "CTO"}
    assert result.defaults == {"role": "CTO"}
    assert split_full_name("Anne Marie Hansen") == ("Anne Marie", "Hansen")
    assert split_full_name("Cher") == ("Cher", "")


def test_a_person_without_email_or_name_is_refused():
    result = _validate(PEOPLE, ["Fornavn", "E-mail"], ["", "ikke-en-mail"])
    assert result.errors == (
        CellError("E-mail", "ikke-en-mail", "email"),
        CellError("Fornavn", "", "required", {"field": "first_name"}),
    )


def test_names_are_normalised_for_matching():
    assert normalise_name("  AARHUS   Universitet ") == normalise_name("Aarhus universitet")
    assert normalise_name("Rockwool A/S") == "rockwool a s"


def test_similar_names_are_found_without_legal_forms():
    found = similar_names(
        [(1, "Danfoss A/S"), (2, "Grundfos"), (3, "Zealand Pharma")],
        [(10, "DANFOSS"), (11, "Grundfoss Holding"), (12, "Novo Nordisk")],
    )
    assert found == [(1, 10, 100), (2, 11, 94)]


def test_similar_names_share_the_start_of_a_word_but_not_a_common_one():
    existing = [(n, f"Benchmark {n} ApS") for n in range(1000)] + [(5000, "Nordisk Maskinlæring")]
    found = similar_names(
        [(1, "Benchmark 17 ApS"), (2, "Nordisk Maskinlaering ApS"), (3, "Benchmark Zeta")],
        existing,
    )
    # "ben" starts 1,000 names: too common to compare on, so "Benchmark Zeta" is compared
    # with nothing; "17", "nor" and "mas" are rare enough.
    assert found == [(1, 17, 100), (2, 5000, 92)]
