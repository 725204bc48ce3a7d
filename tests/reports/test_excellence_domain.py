"""The excellence score's pure rules: points per area, the total, gold and what it lacks,
and the share of private funding."""

from datetime import date
from decimal import Decimal

import pytest

from klynge.reports.domain.excellence import (
    RULES,
    AreaFacts,
    Missing,
    private_share,
    prorated_fee,
    score,
    score_area,
)

D = Decimal


@pytest.mark.parametrize(("value", "points", "following"), [
    (D("24.9"), 0, D(25)), (D(25), 1, D(40)), (D("39.9"), 1, D(40)), (D(40), 2, D(60)),
    (D("59.9"), 2, D(60)), (D(60), 3, None), (D(100), 3, None),
])
def test_a_data_area_scores_by_its_thresholds(value, points, following):
    result = score_area(AreaFacts("engagement", value))

    assert (result.points, result.next_threshold, result.value) == (points, following, value)


def test_a_data_area_without_a_figure_scores_one_point_with_a_document_and_none_without():
    assert score_area(AreaFacts("satisfaction", None, documents=1)).points == 1
    assert score_area(AreaFacts("satisfaction", None, documents=1)).from_documents_only
    assert score_area(AreaFacts("satisfaction", None, documents=0)).points == 0


def test_documents_do_not_add_to_a_measured_figure():
    assert score_area(AreaFacts("services", D(9), documents=4)).points == 0


@pytest.mark.parametrize(("documents", "points"), [(0, 0), (1, 2), (2, 3), (5, 3)])
def test_a_document_area_scores_by_the_number_of_documents(documents, points):
    assert score_area(AreaFacts("strategy", documents=documents)).points == points


def _facts(points_wanted: dict[str, int]) -> list[AreaFacts]:
    """Facts giving each area the wanted points (3 where not named)."""
    facts = []
    for area, rule in RULES.items():
        wanted = points_wanted.get(area, 3)
        if rule.kind == "documents":
            facts.append(AreaFacts(area, documents={0: 0, 2: 1, 3: 2}[wanted]))
        else:
            value = rule.thresholds[wanted - 1] if wanted else D(-1)
            facts.append(AreaFacts(area, value))
    return facts


def test_full_marks_are_gold():
    result = score(_facts({}))

    assert (result.total, result.maximum, result.percentage) == (36, 36, D("100.0"))
    assert result.gold_ready
    assert result.missing_for_gold == ()


def test_an_area_below_two_points_keeps_the_year_from_gold_whatever_the_total():
    result = score(_facts({"stability": 1, "communication": 0}))

    assert (result.total, result.percentage, result.points_needed) == (31, D("86.1"), 0)
    assert not result.gold_ready
    assert result.missing_for_gold == (
        Missing("stability", "figure", target=D(80), current=D(70)),
        Missing("communication", "document", documents=1),
    )


def test_every_area_at_two_points_is_short_of_the_total():
    result = score(_facts(dict.fromkeys(RULES, 2)))

    # 24 of 36 points; gold needs 80 % of 36 = 28.8, so 29 points: 5 more
    assert (result.total, result.percentage, result.points_needed) == (24, D("66.7"), 5)
    assert result.missing_for_gold == (Missing("", "points", points=5),)


def test_a_fee_counts_for_the_part_of_the_year_the_membership_covers():
    assert prorated_fee(D(3650), date(2025, 7, 1), None, 2025) == D("1840.00")  # 184 days
    assert prorated_fee(D(5000), date(2021, 1, 1), date(2025, 6, 30), 2025) == D("2479.45")
    assert prorated_fee(D(5000), date(2020, 1, 1), None, 2025) == D("5000.00")
    assert prorated_fee(D(5000), date(2026, 1, 1), None, 2025) == D("0.00")
    assert prorated_fee(D(3660), date(2024, 1, 1), date(2024, 1, 10), 2024) == D("100.00")


def test_the_private_share_is_private_over_all_funding():
    assert private_share(D("14319.45"), D(50000)) == D("22.3")
    assert private_share(D(0), D(50000)) == D("0.0")
    assert private_share(D(100), D(0)) == D("100.0")
    assert private_share(D(0), D(0)) is None
