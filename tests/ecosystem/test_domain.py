"""The registry's pure rules: CVR numbers and regions."""

from hypothesis import given
from hypothesis import strategies as st

from klynge.ecosystem.domain.identifiers import check_cvr, cvr_check_digit_for, cvr_from_vat
from klynge.ecosystem.domain.regions import region_for_postcode


def test_a_real_cvr_number_passes_in_the_forms_people_type():
    assert check_cvr("13585628").value == "13585628"
    assert check_cvr("DK 13 58 56 28").value == "13585628"
    assert check_cvr("dk-13585628").value == "13585628"


def test_wrong_cvr_numbers_say_why():
    assert check_cvr("13585627").error == "checksum"
    assert check_cvr("1358562").error == "length"
    assert check_cvr("1358562A").error == "format"
    assert check_cvr("").error is None and check_cvr(None).value is None


def test_cvr_inside_a_danish_vat_number():
    assert cvr_from_vat("DK13585628") == "13585628"
    assert cvr_from_vat("SE556677889901") is None


@given(st.text(alphabet="0123456789", min_size=7, max_size=7).filter(lambda s: s[0] != "0"))
def test_completed_numbers_always_pass_the_modulus_11_check(seven):
    number = cvr_check_digit_for(seven)
    if number is not None:
        assert check_cvr(number).value == number


@given(st.text(alphabet="0123456789", min_size=8, max_size=8).filter(lambda s: s[0] != "0"))
def test_changing_one_digit_breaks_a_valid_number(eight):
    result = check_cvr(eight)
    if result.value:
        digit = (int(eight[3]) + 1) % 10
        assert check_cvr(eight[:3] + str(digit) + eight[4:]).value is None


def test_postcodes_map_to_the_five_regions():
    assert region_for_postcode("1050") == "hovedstaden"
    assert region_for_postcode("3700") == "hovedstaden"
    assert region_for_postcode("4000") == "sjaelland"
    assert region_for_postcode("5000") == "syddanmark"
    assert region_for_postcode("7100") == "syddanmark"
    assert region_for_postcode("8000") == "midtjylland"
    assert region_for_postcode("7400") == "midtjylland"
    assert region_for_postcode("9000") == "nordjylland"
    assert region_for_postcode("7700") == "nordjylland"
    assert region_for_postcode("DK-8200") == "midtjylland"
    assert region_for_postcode("123") is None
