"""The pure counting rules of the KPIs (no database): periods, counting keys (once per CVR),
shares, progress against a target, the difference between a frozen and a current figure,
churn and paying members per month end; exact cases at the edges and hypothesis over random
inputs compared with a plain re-statement of the rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.kpis.domain.counting import (
    OrganisationFacts,
    Period,
    Progress,
    churn,
    counting_key,
    difference,
    distinct_keys,
    month_ends,
    paying_count_on,
    record_key,
    share,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


# --- Period ----------------------------------------------------------------------------------


def test_a_calendar_year_includes_its_first_and_last_day():
    year = Period.year(2025)

    assert (year.start, year.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert date(2025, 1, 1) in year
    assert date(2025, 12, 31) in year
    assert date(2024, 12, 31) not in year
    assert date(2026, 1, 1) not in year
    assert year.day_after_end() == date(2026, 1, 1)
    assert (year.is_calendar_year, year.label, year.years) == (True, "2025", [2025])


def test_labels_of_a_grant_period_and_of_any_range():
    assert Period(date(2021, 1, 1), date(2024, 12, 31)).label == "2021–2024"
    assert Period(date(2021, 1, 1), date(2024, 12, 31)).years == [2021, 2022, 2023, 2024]
    assert Period(date(2021, 1, 1), date(2024, 12, 31)).is_calendar_year is False
    assert Period(date(2025, 3, 1), date(2025, 6, 30)).label == "2025-03-01 – 2025-06-30"
    assert Period(date(2025, 3, 1), date(2025, 3, 1)).label == "2025-03-01 – 2025-03-01"


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends on or after its start"):
        Period(date(2025, 1, 2), date(2025, 1, 1))


@given(days, days, days)
def test_membership_of_a_period_is_both_ends_included(a, b, day):
    start, end = min(a, b), max(a, b)
    assert (day in Period(start, end)) == (start <= day <= end)


# --- counting keys: once per CVR -------------------------------------------------------------


def test_counting_keys():
    assert counting_key(OrganisationFacts(1, "company", "DK", "12345674")) == "cvr:12345674"
    # Two records of one Danish company (before they are merged) count once.
    assert counting_key(OrganisationFacts(2, "company", "DK", "12345674")) == "cvr:12345674"
    # A foreign company, or a Danish one without CVR: once per record.
    assert counting_key(OrganisationFacts(3, "company", "SE", None)) == "org:3"
    assert counting_key(OrganisationFacts(4, "company", "DK", None)) == "org:4"
    assert counting_key(OrganisationFacts(5, "company", "DK", "")) == "org:5"
    # Other kinds once per record, even with a CVR number.
    assert counting_key(OrganisationFacts(6, "university", "DK", "29057999")) == "org:6"
    assert record_key("activity", 7) == "activity:7"


def test_distinct_keys_of_companies_only():
    organisations = [
        OrganisationFacts(1, "company", "DK", "12345674"),
        OrganisationFacts(2, "company", "DK", "12345674"),
        OrganisationFacts(3, "company", "NO", None),
        OrganisationFacts(4, "university", "DK", None),
    ]

    assert distinct_keys(organisations) == {"cvr:12345674", "org:3", "org:4"}
    assert distinct_keys(organisations, companies_only=True) == {"cvr:12345674", "org:3"}


organisations = st.builds(
    OrganisationFacts,
    pk=st.integers(min_value=1, max_value=40),
    kind=st.sampled_from(["company", "university", "cluster"]),
    country=st.sampled_from(["DK", "SE", "DE"]),
    cvr=st.one_of(st.none(), st.sampled_from(["12345674", "29057999", "10150817"])),
)


@given(st.lists(organisations, max_size=30))
def test_distinct_keys_count_danish_companies_per_cvr_and_the_rest_per_record(orgs):
    danish_companies = {o.cvr for o in orgs if o.kind == "company" and o.country == "DK"
                        and o.cvr}
    others = {o.pk for o in orgs if not (o.kind == "company" and o.country == "DK" and o.cvr)}

    assert len(distinct_keys(orgs)) == len(danish_companies) + len(others)
    assert distinct_keys(orgs, companies_only=True) <= distinct_keys(orgs)


# --- shares and progress ---------------------------------------------------------------------


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (3, 5, Decimal("60.0")),
    (1, 3, Decimal("33.3")),
    (2, 3, Decimal("66.7")),
    (1, 8, Decimal("12.5")),
    (1, 16, Decimal("6.3")),  # 6.25 rounds half up
    (0, 4, Decimal("0.0")),
    (7, 7, Decimal("100.0")),
    (0, 0, None),
])
def test_share_in_per_cent_with_one_decimal(numerator, denominator, expected):
    assert share(numerator, denominator) == expected


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_share_is_between_0_and_100_and_within_rounding(denominator, data):
    numerator = data.draw(st.integers(min_value=0, max_value=denominator))
    value = share(numerator, denominator)

    assert Decimal(0) <= value <= Decimal(100)
    assert abs(value - Decimal(numerator) * 100 / Decimal(denominator)) <= Decimal("0.05")


@pytest.mark.parametrize(("value", "target", "reached", "met", "status"), [
    (Decimal("45"), Decimal("45"), Decimal("1.000"), True, "met"),
    (Decimal("50"), Decimal("45"), Decimal("1.111"), True, "met"),
    (Decimal("41"), Decimal("45"), Decimal("0.911"), False, "near"),
    (Decimal("40"), Decimal("45"), Decimal("0.889"), False, "behind"),
    (Decimal("27"), Decimal("30"), Decimal("0.900"), False, "near"),
    (Decimal("0"), Decimal("20"), Decimal("0.000"), False, "behind"),
    (None, Decimal("20"), None, None, "unknown"),
    (Decimal("5"), None, None, None, "unknown"),
    (Decimal("5"), Decimal("0"), None, True, "unknown"),
])
def test_progress_against_a_target(value, target, reached, met, status):
    progress = Progress(value=value, target=target)

    assert (progress.reached, progress.met, progress.status) == (reached, met, status)


# --- the difference between a frozen and a current figure ------------------------------------


def test_difference_lists_added_and_removed_keys():
    change = difference(4, ["cvr:1", "cvr:2", "cvr:3", "org:9"], 3,
                        ["cvr:1", "cvr:4", "org:9"])

    assert (change.frozen, change.current, change.delta) == (4, 3, -1)
    assert change.added == ("cvr:4",)
    assert change.removed == ("cvr:2", "cvr:3")
    assert change.changed is True


def test_same_figure_with_other_records_is_a_change():
    change = difference(2, ["cvr:1", "cvr:2"], 2, ["cvr:1", "cvr:3"])

    assert (change.delta, change.changed, change.added, change.removed) == (
        0, True, ("cvr:3",), ("cvr:2",))


def test_no_difference():
    change = difference(Decimal("25.0"), ["cvr:1"], Decimal("25.0"), ["cvr:1"])

    assert (change.delta, change.changed, change.added, change.removed) == (
        Decimal("0.0"), False, (), ())
    assert difference(None, [], Decimal("10.0"), ["cvr:1"]).delta is None


keysets = st.sets(st.sampled_from([f"cvr:{n}" for n in range(12)]), max_size=12)


@given(keysets, keysets)
def test_frozen_keys_plus_added_minus_removed_are_the_current_keys(frozen, current):
    change = difference(len(frozen), frozen, len(current), current)

    assert (frozen | set(change.added)) - set(change.removed) == current
    assert not set(change.added) & set(change.removed)
    assert list(change.added) == sorted(change.added)
    assert change.changed == (frozen != current)


# --- churn and members per month end ---------------------------------------------------------


def test_churn():
    result = churn({1, 2, 3, 4}, {1, 5, 6})

    assert result == {"start": 4, "end": 3, "left": 3, "joined": 2,
                      "churn_rate": Decimal("75.0")}
    assert churn(set(), {1})["churn_rate"] is None


def test_month_ends():
    assert month_ends(date(2024, 11, 15), date(2025, 3, 10)) == [
        date(2024, 11, 30), date(2024, 12, 31), date(2025, 1, 31), date(2025, 2, 28),
        date(2025, 3, 10),
    ]
    assert month_ends(date(2024, 2, 1), date(2024, 2, 29)) == [date(2024, 2, 29)]
    assert month_ends(date(2025, 3, 1), date(2025, 2, 1)) == []


@given(days, st.integers(min_value=0, max_value=800))
def test_month_ends_are_one_per_month_and_never_after_the_end(start, length):
    end = start + timedelta(days=length)
    ends = month_ends(start, end)

    assert len(ends) == (end.year - start.year) * 12 + end.month - start.month + 1
    assert ends[-1] == end
    assert all((d + timedelta(days=1)).day == 1 for d in ends[:-1])
    assert ends == sorted(ends)


spans = st.lists(
    st.tuples(st.integers(min_value=1, max_value=6), days, st.one_of(st.none(), days))
    .filter(lambda s: s[2] is None or s[2] >= s[1]),
    max_size=12,
)


@given(spans, days)
def test_paying_count_on_counts_each_organisation_once(member_spans, day):
    covering = [org for org, start, end in member_spans
                if start <= day and (end is None or day <= end)]

    assert paying_count_on(day, member_spans) == len(set(covering))
