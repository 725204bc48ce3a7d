"""The status report as one data object: frozen dataclasses of plain values.

Everything a renderer needs is here, already counted and with its labels translated in the
language active when the report was built, so the XLSX, PDF and HTML renderings of one report
show the same figures. Nothing here touches the database.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

ANNUAL = "annual"
FINAL = "final"


@dataclass(frozen=True)
class Header:
    """Who, which period, when, and whether the KPI figures are frozen."""

    cluster_name: str
    title: str
    kind: str
    kind_label: str
    period_label: str
    period_start: date
    period_end: date
    generated_at: datetime
    hub: str = ""
    frozen: bool = False
    frozen_at: datetime | None = None
    frozen_label: str = ""
    frozen_note: str = ""


@dataclass(frozen=True)
class Tally:
    """One labelled count and its share of the whole (per cent, one decimal)."""

    label: str
    count: int
    share: Decimal | None = None


@dataclass(frozen=True)
class GrantTally:
    """Held activities a grant funds: counted once each, and weighted by the grant's share."""

    code: str
    name: str
    activities: int
    weighted: Decimal


@dataclass(frozen=True)
class Activities:
    total: int
    by_type: tuple[Tally, ...]
    by_format: tuple[Tally, ...]
    by_grant: tuple[GrantTally, ...]
    unfunded: int
    by_hub: tuple[Tally, ...]


@dataclass(frozen=True)
class Participants:
    """Unique participants (attended; companies once per CVR)."""

    people: int
    organisations: int
    companies: int
    knowledge_institutions: int
    startups: int
    by_kind: tuple[Tally, ...]
    by_size: tuple[Tally, ...]
    by_region: tuple[Tally, ...]
    by_hub: tuple[Tally, ...]
    frozen: bool = False


@dataclass(frozen=True)
class KpiLine:
    """One indicator of Table 1: its definition, figure, target and progress."""

    number: int
    key: str
    goal: str
    title: str
    indicator: str
    counting: str
    source: str
    unit: str
    is_share: bool
    value: Decimal | int | None
    numerator: int | None
    denominator: int | None
    to_date: Decimal | int | None
    to_date_label: str
    target: Decimal | None
    target_high: Decimal | None
    reached: Decimal | None
    status: str
    status_label: str


@dataclass(frozen=True)
class EvaluationLine:
    """One standard question over every survey answered in the period."""

    key: str
    label: str
    answered: int
    yes: int | None = None
    yes_share: Decimal | None = None
    average: Decimal | None = None


@dataclass(frozen=True)
class Evaluations:
    surveys: int
    sent: int
    answered: int
    response_rate: Decimal | None
    lines: tuple[EvaluationLine, ...]


@dataclass(frozen=True)
class RuleTally:
    """How many of a grant's funded activities meet and fail one rule."""

    rule: str
    label: str
    met: int
    failed: int


@dataclass(frozen=True)
class YearVerdict:
    ok: bool
    message: str


@dataclass(frozen=True)
class GrantRules:
    """A grant's year under its rules: per-activity rules tallied, and the year's verdicts."""

    code: str
    name: str
    giver: str
    year: int
    activities: int
    activities_ok: int
    activities_not_ok: int
    rules: tuple[RuleTally, ...]
    year_verdicts: tuple[YearVerdict, ...]


@dataclass(frozen=True)
class BudgetLine:
    label: str
    category: str
    planned: Decimal
    actual: Decimal
    difference: Decimal


@dataclass(frozen=True)
class Budget:
    """A grant's action plan for one year against what was spent."""

    code: str
    name: str
    year: int
    has_plan: bool
    lines: tuple[BudgetLine, ...]
    planned_total: Decimal
    actual_total: Decimal
    difference_total: Decimal
    hours: Decimal


@dataclass(frozen=True)
class Collaboration:
    """An activity or project with another cluster (KPI 2's records)."""

    kind: str
    title: str
    day: date | None
    detail: str
    clusters: str


@dataclass(frozen=True)
class InternationalActivity:
    title: str
    day: date
    format: str
    hub: str
    participants: int
    organisations: int


@dataclass(frozen=True)
class EuApplication:
    title: str
    programme: str
    call: str
    submitted_on: date | None
    status: str
    partners: int
    companies: int


@dataclass(frozen=True)
class StatusReport:
    """The annual status report, or the final report of a grant period."""

    header: Header
    activities: Activities
    participants: Participants
    kpis: tuple[KpiLine, ...]
    evaluations: Evaluations
    grant_rules: tuple[GrantRules, ...]
    budgets: tuple[Budget, ...]
    collaborations: tuple[Collaboration, ...]
    international: tuple[InternationalActivity, ...]
    eu_applications: tuple[EuApplication, ...]

    @property
    def is_final(self) -> bool:
        return self.header.kind == FINAL
