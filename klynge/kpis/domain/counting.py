"""How things are counted: once per CVR for Danish companies, shares, targets and the
difference between a frozen and a current figure (DOMAIN.md, "How each KPI is counted")."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

COMPANY = "company"


@dataclass(frozen=True)
class Period:
    """A reporting period, both days included: normally a calendar year or a grant period."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def is_calendar_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (
            1, 1, 12, 31) and self.start.year == self.end.year

    @property
    def label(self) -> str:
        if self.is_calendar_year:
            return str(self.start.year)
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def day_after_end(self) -> date:
        return self.end + timedelta(days=1)


@dataclass(frozen=True)
class OrganisationFacts:
    """What counting needs to know of an organisation."""

    pk: int
    kind: str
    country: str = "DK"
    cvr: str | None = None


def counting_key(organisation: OrganisationFacts) -> str:
    """The key an organisation is counted once by.

    A Danish company is counted once per CVR number, so two records of one company (before
    they are merged) count once; a foreign company, or a Danish one without a CVR number,
    once per organisation record; other kinds once per record.
    """
    if organisation.kind == COMPANY and organisation.country == "DK" and organisation.cvr:
        return f"cvr:{organisation.cvr}"
    return f"org:{organisation.pk}"


def record_key(kind: str, pk: int) -> str:
    """The key of a counted record that is not an organisation (an activity, a project)."""
    return f"{kind}:{pk}"


def distinct_keys(organisations: Iterable[OrganisationFacts], *,
                  companies_only: bool = False) -> frozenset[str]:
    return frozenset(
        counting_key(o) for o in organisations if not companies_only or o.kind == COMPANY
    )


def share(numerator: int, denominator: int) -> Decimal | None:
    """The numerator as per cent of the denominator with one decimal (None: no denominator)."""
    if denominator <= 0:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Progress:
    """A figure against its target: the fraction reached and whether it is met."""

    value: Decimal | None
    target: Decimal | None
    target_high: Decimal | None = None

    @property
    def reached(self) -> Decimal | None:
        """The value as a fraction of the target (1 = met); None without either."""
        if self.value is None or not self.target:
            return None
        return (Decimal(self.value) / Decimal(self.target)).quantize(Decimal("0.001"))

    @property
    def met(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return Decimal(self.value) >= Decimal(self.target)

    @property
    def status(self) -> str:
        """met, near (at least 90 % of the target), behind, or unknown."""
        reached = self.reached
        if reached is None:
            return "unknown"
        if reached >= 1:
            return "met"
        return "near" if reached >= Decimal("0.9") else "behind"


@dataclass(frozen=True)
class Difference:
    """How the current figure differs from a frozen one, and which counted keys moved."""

    frozen: Decimal | int | None
    current: Decimal | int | None
    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def delta(self):
        if self.frozen is None or self.current is None:
            return None
        return self.current - self.frozen

    @property
    def changed(self) -> bool:
        return self.frozen != self.current or bool(self.added or self.removed)


def difference(frozen_value, frozen_keys: Iterable[str], current_value,
               current_keys: Iterable[str]) -> Difference:
    frozen_set, current_set = set(frozen_keys), set(current_keys)
    return Difference(
        frozen=frozen_value, current=current_value,
        added=tuple(sorted(current_set - frozen_set)),
        removed=tuple(sorted(frozen_set - current_set)),
    )


def churn(members_at_start: set, members_at_end: set) -> dict:
    """Who stayed, left and joined between two days, and the churn rate (left of start)."""
    left = members_at_start - members_at_end
    joined = members_at_end - members_at_start
    return {
        "start": len(members_at_start),
        "end": len(members_at_end),
        "left": len(left),
        "joined": len(joined),
        "churn_rate": share(len(left), len(members_at_start)),
    }


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month from start's month to end's month, capped at `end`."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        following = date(year + (month == 12), month % 12 + 1, 1)
        days.append(min(following - timedelta(days=1), end))
        year, month = following.year, following.month
    return days


def paying_count_on(day: date, spans: Iterable[tuple[int, date, date | None]]) -> int:
    """How many distinct organisations have a span (org, start, end or None) covering `day`."""
    return len({org for org, start, end in spans if start <= day and (end is None or end >= day)})
