"""The demo's grant administration from 2021 up to the anchor date: for each UFS and DEB
grant (2021-2024, and the three grants of 2025-2028) an action plan a year with planned
activities and budget lines, and what was spent: hours of the cluster's staff and of
knowledge-institution partners, and costs per activity. The year of the anchor date is
spent up to the day before it.

A UFS year plans 4-6 mio DKK, a DEB year 3-5 mio (from 2025 shared between the DEB
innovation grant and the DEB basic grant, GRANT_SCALE). Under UFS the knowledge institutions spend
more than half of the money, except in SHORT_YEAR, which falls just short so the grant's
verdict shows a red case. Planned activities are linked to real demo activities the grant
funds; their budgets are close to (not equal to) what was spent on them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from klynge.activities.models import Activity, ActivityFunding
from klynge.demo.builder.context import DemoContext
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.ecosystem.models import Person
from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, BudgetCategory, GrantKind
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    Grant,
    PlannedActivity,
    TimeRegistration,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FIRST_YEAR = 2021
GRANT_CODES = ("UFS-2021", "DEB-2021", "UFS-2025", "DEB-INNO-2025", "DEB-BASIC-2025")
#: The share of a DEB year's money that each of the two DEB grants of 2025-2028 plans.
GRANT_SCALE = {"DEB-INNO-2025": 0.55, "DEB-BASIC-2025": 0.45}
#: The UFS year in which the knowledge institutions spend just under half of the money.
SHORT_YEAR = 2022
KNOWLEDGE_KINDS = {"university", "gts", "business_academy", "university_college"}
STAFF_HOURS = (2, 3, 3.5, 4, 5, 6, 7.5)
PARTNER_HOURS = (3, 4, 5, 6, 7.5)

# Per rule set: planned total (mio DKK), the budget lines (category, Danish name, share of
# the plan), the knowledge institutions' share of the money spent and the external costs'
# share of the rest.
PROFILE = {
    GrantKind.KNOWLEDGE: {
        "total": (4.2, 5.8), "knowledge_share": (0.53, 0.61), "external_share": 0.22,
        "lines": (
            (BudgetCategory.STAFF, "Medarbejdertimer", Decimal("0.30")),
            (BudgetCategory.KNOWLEDGE_PARTNERS, "Videninstitutioner (timer og udgifter)",
             Decimal("0.56")),
            (BudgetCategory.EXTERNAL, "Eksterne udgifter", Decimal("0.09")),
            (BudgetCategory.ADMINISTRATION, "Administration", Decimal("0.05")),
        ),
    },
    GrantKind.BUSINESS: {
        "total": (3.2, 4.8), "knowledge_share": (0.08, 0.14), "external_share": 0.32,
        "lines": (
            (BudgetCategory.STAFF, "Medarbejdertimer", Decimal("0.52")),
            (BudgetCategory.KNOWLEDGE_PARTNERS, "Videninstitutioner (timer og udgifter)",
             Decimal("0.10")),
            (BudgetCategory.EXTERNAL, "Eksterne udgifter", Decimal("0.30")),
            (BudgetCategory.ADMINISTRATION, "Administration", Decimal("0.08")),
        ),
    },
}
UNLINKED = (
    ("Årskonference {year}", "knowledge_dissemination"),
    ("Internationalt erhvervsfremstød", "internationalisation"),
    ("Fokusnetværk for grøn IT (fire møder)", "knowledge_dissemination"),
    ("Matchmaking med erhvervshusene", "matchmaking"),
    ("Innovationsforløb for SMV'er", "collaboration_project"),
    ("Investorparathed for startups", "access_to_finance"),
    ("Startup-camp {year}", "entrepreneurship"),
)
STAFF_TASKS = ("Projektledelse", "Rapportering til tilskudsgiver", "Medlemsdialog og "
               "virksomhedsbesøg", "Kommunikation og nyhedsbrev", "Planlægning af handlingsplan")
EXTERNAL_WEIGHT = {"conference": 6, "business_mission": 8, "b2b_matchmaking": 3,
                   "innovation_workshop": 2, "webinar": 0.5}


@dataclass
class _Funded:
    """An activity a grant pays for, with what its costs depend on."""

    activity: Activity
    share: Decimal
    day: date
    partners: list[int] = field(default_factory=list)  # knowledge-institution co-organisers


def build_funding(ctx: DemoContext, specs: list[OrganisationSpec], people: dict[int, list[int]],
                  staff: list) -> dict[str, int]:
    """Create the action plans, budget lines, planned activities, hours and costs."""
    rng = ctx.rng("funding")
    grants = list(Grant.objects.filter(code__in=GRANT_CODES).order_by("code"))
    funded = _funded(grants, ctx.anchor)
    researchers = _researchers(specs, people)
    rates = {user.pk: Decimal(rng.randrange(600, 901, 25)) for user in staff}
    plans, lines, items, hours, costs = [], [], [], [], []
    for grant in grants:
        profile = PROFILE.get(grant.kind)
        for year in range(max(FIRST_YEAR, grant.period_start.year),
                          grant.period_end.year + 1):
            if profile is None or date(year, 1, 1) >= ctx.anchor:
                continue
            last = min(date(year, 12, 31), ctx.anchor - timedelta(days=1))
            elapsed = ((last - date(year, 1, 1)).days + 1) / ((date(year, 12, 31)
                                                                - date(year, 1, 1)).days + 1)
            plan = ActionPlan(grant=grant, year=year, description=(
                f"Handlingsplan {year} for {grant.name}: aktiviteter, mål og budget."))
            total = Decimal(round(rng.uniform(*profile["total"])
                                  * GRANT_SCALE.get(grant.code, 1) * 100) * 10_000)
            by_category = {}
            for category, name, share in profile["lines"]:
                by_category[category] = BudgetLine(plan=plan, name=name, category=category,
                                                   planned_amount=total * share)
            plans.append(plan)
            lines += by_category.values()
            spend = float(total) * rng.uniform(0.88, 1.02) * elapsed
            low, high = profile["knowledge_share"]
            if grant.kind == GrantKind.KNOWLEDGE and year == SHORT_YEAR:
                low, high = 0.475, 0.495
            knowledge = spend * rng.uniform(low, high)
            year_funded = funded.get((grant.pk, year), [])
            wanted = rng.randint(6, 10)
            linked = sorted(
                rng.sample(year_funded, min(len(year_funded), wanted - rng.randint(1, 2))),
                key=lambda f: (f.day, f.activity.pk))
            spent = _Spending(rng, grant, year, last, by_category,
                              {f.activity.pk for f in linked})
            spent.knowledge(knowledge, year_funded, researchers)
            spent.cluster(spend - knowledge, profile["external_share"], year_funded, staff,
                          rates, by_category[BudgetCategory.ADMINISTRATION].planned_amount
                          * Decimal(elapsed))
            hours += spent.hours
            costs += spent.costs
            items += _planned(rng, plan, grant, year, wanted, linked, spent.by_activity)
    ActionPlan.objects.bulk_create(plans)
    BudgetLine.objects.bulk_create(lines)
    PlannedActivity.objects.bulk_create(items)
    TimeRegistration.objects.bulk_create(hours, batch_size=1000)
    Cost.objects.bulk_create(costs, batch_size=1000)
    return {"action_plans": len(plans), "planned_activities": len(items),
            "budget_lines": len(lines), "time_registrations": len(hours), "costs": len(costs)}


def _funded(grants: list[Grant], anchor: date) -> dict[tuple[int, int], list[_Funded]]:
    """The held activities each grant pays for, by grant and year, in date order."""
    rows = (ActivityFunding.objects.filter(grant__in=grants, activity__status="held")
            .select_related("activity").order_by("activity__starts_at", "activity_id", "grant_id"))
    through = Activity.co_organisers.through
    partners = defaultdict(list)
    for activity_id, organisation_id in (
            through.objects.filter(organisation__kind__in=KNOWLEDGE_KINDS)
            .order_by("activity_id", "organisation_id")
            .values_list("activity_id", "organisation_id")):
        partners[activity_id].append(organisation_id)
    found: dict[tuple[int, int], list[_Funded]] = defaultdict(list)
    for row in rows:
        day = row.activity.starts_at.astimezone(COPENHAGEN).date()
        if day < anchor:
            found[(row.grant_id, day.year)].append(
                _Funded(row.activity, row.share, day, partners.get(row.activity_id, [])))
    return found


def _researchers(specs, people) -> list[tuple[int, str]]:
    """(organisation, name) of the people at universities and GTS institutes."""
    knowledge = {spec.pk for spec in specs if spec.kind in {"university", "gts"}}
    owner = {person: pk for pk in sorted(knowledge) for person in people.get(pk, [])}
    names = Person.objects.filter(pk__in=list(owner)).order_by("pk").values_list(
        "pk", "first_name", "last_name")
    return [(owner[pk], f"{first} {last}") for pk, first, last in names]


def _money(value: float) -> Decimal:
    return Decimal(max(100, round(value / 100) * 100))


class _Spending:
    """The hours and costs of one grant's year, drawn to add up to the wanted amounts."""

    def __init__(self, rng, grant, year: int, last: date, lines: dict, planned: set[int]):
        self.rng, self.grant, self.year, self.last, self.lines = rng, grant, year, last, lines
        self.planned = planned  # the activities of the action plan get more of the money
        self.hours: list[TimeRegistration] = []
        self.costs: list[Cost] = []
        self.by_activity: dict[int, Decimal] = defaultdict(Decimal)

    def _day(self, near: date | None = None) -> date:
        first = date(self.year, 1, 2)
        if near is not None:
            day = near - timedelta(days=self.rng.randint(0, 21))
        else:
            day = first + timedelta(days=self.rng.randint(0, max(0, (self.last - first).days)))
        day = min(max(day, first), self.last)
        while day.weekday() >= 5 and day > first:
            day -= timedelta(days=1)
        return day

    def _cost(self, amount: Decimal, category, description: str, funded: _Funded | None = None,
              organisation: int | None = None) -> None:
        activity = funded.activity if funded else None
        self.costs.append(Cost(
            grant=self.grant, budget_line=self.lines[category], activity=activity,
            organisation_id=organisation, amount=amount, description=description[:255],
            date=min(funded.day, self.last) if funded else self._day(),
        ))
        if activity is not None:
            self.by_activity[activity.pk] += amount

    def _fill(self, amount: float, who: list, rate_of, hour_choices, category, task,
              year_funded: list[_Funded], link: float) -> None:
        """Time registrations of `who` adding up to about `amount`."""
        remaining = Decimal(round(amount))
        while who and remaining > 0:
            person = self.rng.choice(who)
            rate = rate_of(person)
            hours = Decimal(str(self.rng.choice(hour_choices)))
            if hours * rate > remaining:
                hours = (remaining / rate * 4).quantize(Decimal(1)) / 4
                if hours <= 0:
                    break
            funded = None
            if year_funded and self.rng.random() < link:
                funded = self.rng.choices(year_funded, self._weights(year_funded, 8))[0]
            user, (organisation, name) = (person, (None, "")) if category == \
                BudgetCategory.STAFF else (None, person)
            row = TimeRegistration(
                grant=self.grant, budget_line=self.lines[category],
                activity=funded.activity if funded else None, user=user,
                person_name=name, organisation_id=organisation,
                date=self._day(funded.day if funded else None), hours=hours,
                hourly_rate=rate, description=task(funded)[:255],
            )
            self.hours.append(row)
            if funded is not None:
                self.by_activity[funded.activity.pk] += row.cost
            remaining -= hours * rate

    def _weights(self, year_funded: list[_Funded], planned: float) -> list[float]:
        return [planned if f.activity.pk in self.planned else 1 for f in year_funded]

    def knowledge(self, amount: float, year_funded: list[_Funded], researchers) -> None:
        """What knowledge-institution partners spent: their share of activity costs, then
        their hours."""
        invoiced = 0.0
        first = sorted(year_funded, key=lambda f: f.activity.pk not in self.planned)
        for funded in first:
            if not funded.partners or invoiced >= amount * 0.35:
                continue
            value = _money(min(self.rng.uniform(15_000, 80_000), amount * 0.35 - invoiced + 100))
            partner = self.rng.choice(funded.partners)
            self._cost(value, BudgetCategory.KNOWLEDGE_PARTNERS,
                       f"Videnpartnerens bidrag: {funded.activity.title}", funded, partner)
            invoiced += float(value)
        team = self.rng.sample(researchers, min(len(researchers), self.rng.randint(3, 6)))
        rates = {person: Decimal(self.rng.randrange(700, 1051, 25)) for person in team}
        self._fill(amount - invoiced, team, rates.__getitem__, PARTNER_HOURS,
                   BudgetCategory.KNOWLEDGE_PARTNERS, _partner_task, year_funded, 0.4)

    def cluster(self, amount: float, external_share: float, year_funded: list[_Funded],
                staff: list, rates: dict, administration: Decimal) -> None:
        """What the cluster spent itself: external costs per activity, administration and the
        staff's hours."""
        external = amount * external_share
        weights = [EXTERNAL_WEIGHT.get(f.activity.format, 1) * float(f.share) / 100
                   * self.rng.uniform(0.6, 1.4) * weight
                   for f, weight in zip(year_funded, self._weights(year_funded, 3), strict=True)]
        for funded, weight in zip(year_funded, weights, strict=True):
            value = _money(external * weight / sum(weights))
            self._cost(value, BudgetCategory.EXTERNAL,
                       f"Lokaler, forplejning og oplægsholdere: {funded.activity.title}", funded)
        if not year_funded:
            self._cost(_money(external), BudgetCategory.EXTERNAL, "Kommunikation og markedsføring")
        months = max(1, self.last.month if self.last.year == self.year else 12)
        for month in range(1, months + 1):
            self._cost(_money(float(administration) / months * self.rng.uniform(0.9, 1.1)),
                       BudgetCategory.ADMINISTRATION,
                       f"Administration, regnskab og revision {month:02d}/{self.year}")
        spent = sum(float(cost.amount) for cost in self.costs
                    if cost.budget_line.category != BudgetCategory.KNOWLEDGE_PARTNERS)
        self._fill(amount - spent, staff, lambda user: rates[user.pk], STAFF_HOURS,
                   BudgetCategory.STAFF, _staff_task(self.rng), year_funded, 0.5)


def _partner_task(funded: _Funded | None) -> str:
    if funded is None:
        return "Vidensopsamling og formidling af forskningsresultater"
    return f"Faglig forberedelse og oplæg: {funded.activity.title}"


def _staff_task(rng):
    def task(funded: _Funded | None) -> str:
        if funded is None:
            return rng.choice(STAFF_TASKS)
        return f"Planlægning og afvikling: {funded.activity.title}"
    return task


def _planned(rng, plan, grant, year: int, wanted: int, linked: list[_Funded],
             by_activity: dict) -> list[PlannedActivity]:
    """`wanted` planned activities: the `linked` ones the grant paid for, budgeted close to
    what they cost, and the rest not carried out as planned."""
    items = [PlannedActivity(
        plan=plan, title=f.activity.title, type=f.activity.type, activity=f.activity,
        target_participants=round((f.activity.capacity or 40) * rng.uniform(0.6, 0.9)),
        budget=_money(float(by_activity.get(f.activity.pk, 0)) * rng.uniform(0.85, 1.2)
                      or rng.uniform(40_000, 120_000)),
    ) for f in linked]
    allowed = grant.eligible_types or DEFAULT_ELIGIBLE_TYPES.get(grant.kind, [])
    others = [(title, kind) for title, kind in UNLINKED if kind in allowed]
    for title, kind in rng.sample(others, min(len(others), wanted - len(items))):
        items.append(PlannedActivity(
            plan=plan, title=title.format(year=year), type=kind,
            target_participants=rng.choice((40, 60, 80, 120, 150)),
            budget=_money(rng.uniform(50_000, 250_000)),
        ))
    return items
