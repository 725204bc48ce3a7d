"""The indicator keys: Table 1's order and numbers, which are shares and which are states."""

import pytest

from klynge.kpis.domain import keys


def test_the_seven_indicators_in_table_order():
    assert keys.ORDER == (
        "innovative_members", "cluster_collaborations", "international_visibility",
        "eu_applications", "commercial_use", "green_contacts", "paying_members",
    )
    assert [keys.number(key) for key in keys.ORDER] == [1, 2, 3, 4, 5, 6, 7]


def test_only_kpi_1_is_a_share_and_kpis_1_and_7_are_states():
    assert {"innovative_members"} == keys.SHARES
    assert {"innovative_members", "paying_members"} == keys.STATES
    assert keys.SHARES <= keys.STATES <= set(keys.ORDER)


def test_an_unknown_key_has_no_number():
    with pytest.raises(ValueError):
        keys.number("happiness")
