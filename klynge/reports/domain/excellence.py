"""The score of the cluster-excellence self-assessment (European Cluster Excellence, gold
label): pure rules over the facts of one year, no Django.

Every indicator area gets 0 to 3 points:

- An area measured from Klynge's records (a *data* area) scores by its figure against three
  rising thresholds (1, 2 and 3 points). Where the records give no figure (nothing to divide
  by, no answers yet) uploaded evidence still earns 1 point ("documented, not measured").
- An area assessed from uploaded evidence only (a *document* area: strategy, financial
  control, communication) scores 0 without a document, 2 with one and 3 with two or more
  (e.g. the strategy *and* the year's action plan). The assessor judges their content; the
  points say that the evidence exists.

The gold label asks for excellence across the board, so Klynge calls a year "gold-ready" when
every area scores at least GOLD_MIN_AREA points and the total reaches GOLD_SHARE of the
maximum. `missing_for_gold` says, area by area, what is still needed.

These thresholds are Klynge's working reading of the label's indicators, kept here as data
in one place so a cluster can adjust them to the assessor's current benchmark.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MAX_POINTS = 3
GOLD_MIN_AREA = 2
GOLD_SHARE = Decimal("80")

DATA = "data"
DOCUMENTS = "documents"


@dataclass(frozen=True)
class Rule:
    """How one area is scored: from a figure (thresholds for 1, 2, 3 points) or documents."""

    area: str
    kind: str
    thresholds: tuple[Decimal, Decimal, Decimal] = (Decimal(0), Decimal(0), Decimal(0))
    unit: str = ""


def _t(a, b, c) -> tuple[Decimal, Decimal, Decimal]:
    return (Decimal(a), Decimal(b), Decimal(c))


#: The rules, in the order of reports.choices.ExcellenceArea. Units: "" (a count), "%",
#: "/10" (an average on the 0-10 scale), "of 3" (monitoring steps in place).
RULES: dict[str, Rule] = {
    rule.area: rule for rule in (
        Rule("participants", DATA, _t(25, 50, 100)),
        Rule("engagement", DATA, _t(25, 40, 60), "%"),
        Rule("stability", DATA, _t(70, 80, 90), "%"),
        Rule("management_contacts", DATA, _t(25, 50, 75), "%"),
        Rule("cooperation", DATA, _t(5, 15, 30)),
        Rule("private_funding", DATA, _t(10, 20, 30), "%"),
        Rule("strategy", DOCUMENTS),
        Rule("financial_control", DOCUMENTS),
        Rule("monitoring", DATA, _t(1, 2, 3), "of 3"),
        Rule("services", DATA, _t(10, 25, 50)),
        Rule("satisfaction", DATA, _t(6, 7, 8), "/10"),
        Rule("communication", DOCUMENTS),
    )
}


@dataclass(frozen=True)
class AreaFacts:
    """What the year shows for one area: its figure (None: not measurable) and how many
    documents were uploaded for it."""

    area: str
    value: Decimal | None = None
    documents: int = 0


@dataclass(frozen=True)
class AreaScore:
    area: str
    kind: str
    points: int
    value: Decimal | None
    documents: int
    #: The figure the next point needs (None at 3 points or for a document area).
    next_threshold: Decimal | None
    unit: str = ""

    @property
    def from_documents_only(self) -> bool:
        return self.kind == DATA and self.value is None and self.documents > 0


def _points_for_value(value: Decimal, thresholds) -> int:
    return sum(1 for threshold in thresholds if value >= threshold)


def _document_points(documents: int) -> int:
    if documents <= 0:
        return 0
    return 2 if documents == 1 else MAX_POINTS


def score_area(facts: AreaFacts) -> AreaScore:
    """The points of one area by its rule (see the module's docstring)."""
    rule = RULES[facts.area]
    if rule.kind == DOCUMENTS:
        points = _document_points(facts.documents)
        return AreaScore(facts.area, rule.kind, points, None, facts.documents, None, rule.unit)
    if facts.value is None:
        points = 1 if facts.documents > 0 else 0
        return AreaScore(facts.area, rule.kind, points, None, facts.documents, rule.thresholds[0],
                         rule.unit)
    points = _points_for_value(Decimal(facts.value), rule.thresholds)
    following = rule.thresholds[points] if points < MAX_POINTS else None
    return AreaScore(facts.area, rule.kind, points, Decimal(facts.value), facts.documents,
                     following, rule.unit)


@dataclass(frozen=True)
class Missing:
    """What one area lacks for gold: `need` is "figure" (reach `target`), "document"
    (upload evidence: `documents` more) or "points" (the total is short by `points`)."""

    area: str
    need: str
    target: Decimal | None = None
    current: Decimal | None = None
    documents: int = 0
    points: int = 0


@dataclass(frozen=True)
class Score:
    areas: tuple[AreaScore, ...]

    @property
    def total(self) -> int:
        return sum(area.points for area in self.areas)

    @property
    def maximum(self) -> int:
        return MAX_POINTS * len(self.areas)

    @property
    def percentage(self) -> Decimal:
        if not self.maximum:
            return Decimal("0.0")
        return (Decimal(self.total) * 100 / Decimal(self.maximum)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def points_needed(self) -> int:
        """The points the total lacks to reach GOLD_SHARE of the maximum (0 when enough)."""
        required = math.ceil(GOLD_SHARE * self.maximum / 100)
        return max(0, required - self.total)

    @property
    def gold_ready(self) -> bool:
        return not self.missing_for_gold

    @property
    def missing_for_gold(self) -> tuple[Missing, ...]:
        return missing_for_gold(self)


def _needed_threshold(area: AreaScore) -> Decimal:
    return RULES[area.area].thresholds[GOLD_MIN_AREA - 1]


def missing_for_gold(score: Score) -> tuple[Missing, ...]:
    """Each area below GOLD_MIN_AREA points with what it needs, then the total's shortfall."""
    missing = []
    for area in score.areas:
        if area.points >= GOLD_MIN_AREA:
            continue
        if area.kind == DOCUMENTS:
            missing.append(Missing(area.area, "document", documents=1))
        else:
            missing.append(Missing(area.area, "figure", target=_needed_threshold(area),
                                   current=area.value))
    if score.points_needed:
        missing.append(Missing("", "points", points=score.points_needed))
    return tuple(missing)


def score(facts: list[AreaFacts] | tuple[AreaFacts, ...]) -> Score:
    """The year's score from the facts of every area (in the order given)."""
    return Score(tuple(score_area(f) for f in facts))


# --- the share of private funding ------------------------------------------------------------


def prorated_fee(annual_fee: Decimal, start: date, end: date | None, year: int) -> Decimal:
    """The part of a membership's annual fee that falls in `year`: the fee times the days
    of the year the membership covers, divided by the days of the year (to the øre)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    covered_from, covered_to = max(start, first), min(end or last, last)
    if covered_to < covered_from:
        return Decimal("0.00")
    days = (covered_to - covered_from).days + 1
    year_days = (last - first).days + 1
    return (Decimal(annual_fee) * days / year_days).quantize(Decimal("0.01"),
                                                              rounding=ROUND_HALF_UP)


def private_share(private: Decimal, public: Decimal) -> Decimal | None:
    """Private funding as per cent of all funding: private / (private + public) x 100, one
    decimal; None when there is no funding at all."""
    total = Decimal(private) + Decimal(public)
    if total <= 0:
        return None
    return (Decimal(private) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
