"""The demo's projects from 2021 up to the anchor date: EU applications, collaboration
projects, feasibility studies and joint projects with other clusters, with their partners
and dated outcomes.

- EU applications (Horizon Europe or Digital Europe, call identifiers in the programmes'
  style): 15-25 a year, 3-8 Danish partners each (knowledge institutions, SMEs above all,
  some large companies, public actors). The companies of a year come from a pool of 10-14
  (a few carried over from the year before), so KPI 4 counts 11-15 companies a year. About
  five months after submission a quarter of them are funded, the rest rejected; the most
  recent ones still await the decision, and a few are being prepared for next year's calls.
- Collaboration projects and feasibility studies: about ten a year between companies and a
  knowledge institution, started after a first meeting, running for months or years. Four to
  six a year record "commercial use of research results" or "new company" (KPI 5).
- Joint projects with another cluster organisation: one or two a year (with the co-organised
  activities, KPI 2's five a year).

Real organisations from CORDIS are preferred as partners, since they are the ones that took
part in Horizon Europe. Counts scale with the demo's size (activities per year / 120).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from klynge.demo.builder.organisations import KNOWLEDGE_KINDS, OrganisationSpec, Taxonomy
from klynge.evaluations.domain.calendar import add_months
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

FIRST_YEAR = 2021
EU_PER_YEAR = (15, 25)
COMPANY_POOL = (11, 15)
CARRIED_OVER = 3
FUNDED_SHARE = (0.20, 0.30)
DECISION_MONTHS = 5
COLLABORATIONS_PER_YEAR = (9, 11)
COMMERCIAL_PER_YEAR = (4, 5, 5, 6)
CLUSTER_PROJECTS_PER_YEAR = (1, 1, 2)
SME_BANDS = {"1-9", "10-49", "50-249"}
#: CORDIS organisations of kind other that are research organisations, by their names.
RESEARCH_WORDS = ("institut", "center", "centre", "research", "forskning", "laborator")

# (title pattern, acronym stem, Horizon Europe call pattern, Digital Europe call pattern)
EU_THEMES = (
    ("Trustworthy AI for {sector}", "TRUST", "HORIZON-CL4-{year}-HUMAN-01-{n:02d}",
     "DIGITAL-{year}-CLOUD-AI-0{m}-TEF-{code}"),
    ("Federated data spaces for {sector}", "FEDATA", "HORIZON-CL4-{year}-DATA-01-{n:02d}",
     "DIGITAL-{year}-CLOUD-AI-0{m}-DS-{code}"),
    ("Digital twins of {sector}", "TWIN", "HORIZON-CL4-{year}-TWIN-TRANSITION-01-{n:02d}",
     "DIGITAL-{year}-CLOUD-AI-0{m}-TWIN-{code}"),
    ("Edge-to-cloud IoT platform for {sector}", "EDGE", "HORIZON-CL4-{year}-DATA-01-{n:02d}",
     "DIGITAL-{year}-CLOUD-AI-0{m}-EDGE-{code}"),
    ("Cyber-resilient operation of {sector}", "CYRES", "HORIZON-CL3-{year}-CS-01-{n:02d}",
     "DIGITAL-ECCC-{year}-DEPLOY-CYBER-0{m}-SME"),
    ("Data-driven green optimisation of {sector}", "GREEN", "HORIZON-CL5-{year}-D4-01-{n:02d}",
     "DIGITAL-{year}-GREEN-0{m}-{code}"),
    ("Human-centred automation in {sector}", "HUMAN",
     "HORIZON-CL4-{year}-TWIN-TRANSITION-01-{n:02d}", "DIGITAL-{year}-SKILLS-0{m}-SPECIALISED"),
    ("5G-enabled services for {sector}", "FIVEG", "HORIZON-JU-SNS-{year}-STREAM-B-01-{n:02d}",
     "DIGITAL-{year}-5G-0{m}-SMARTCOM"),
    ("Computer vision for quality in {sector}", "VISION", "HORIZON-CL4-{year}-DIGITAL-EMERGING"
     "-01-{n:02d}", "DIGITAL-{year}-CLOUD-AI-0{m}-TEF-{code}"),
    ("High-performance simulation for {sector}", "HPC", "HORIZON-EUROHPC-JU-{year}-INCO-0{m}",
     "DIGITAL-EUROHPC-JU-{year}-APP-0{m}"),
)
# (English sector, acronym ending, Danish sector)
SECTORS = (
    ("smart manufacturing", "FAB", "metalindustrien"),
    ("district heating", "HEAT", "fjernvarmen"),
    ("port logistics", "PORT", "havne og logistik"),
    ("precision agriculture", "AGRI", "landbruget"),
    ("hospital logistics", "CARE", "sygehusene"),
    ("water utilities", "WATER", "vandforsyningen"),
    ("offshore wind operations", "WIND", "havvindmølleparker"),
    ("building renovation", "BUILD", "bygningsrenovering"),
    ("food processing", "FOOD", "fødevareproduktionen"),
    ("public services", "GOV", "kommunerne"),
    ("retail supply chains", "RETAIL", "detailhandlen"),
    ("furniture production", "WOOD", "møbelindustrien"),
    ("energy communities", "GRID", "energifællesskaber"),
    ("urban mobility", "MOVE", "bytrafikken"),
)
CALL_CODES = ("SME", "ENERGY", "MANUFACTURING", "HEALTH", "AGRIFOOD", "MOBILITY")
# Danish collaboration projects: (technology, programme of a collaboration project)
TECHNOLOGIES = (
    "AI-baseret kvalitetskontrol", "Digital tvilling", "Prædiktiv vedligeholdelse",
    "Sikker datadeling", "IoT-sensornetværk", "Cybersikkerhedsovervågning",
    "Energioptimering med maskinlæring", "Computer vision", "Edge-analyse af maskindata",
    "Sporbarhed med digitale produktpas", "Sprogmodeller til sagsbehandling",
    "Simulering med HPC",
)
COLLABORATION_PROGRAMMES = (
    "Innovationsfonden – Innobooster", "Innovationsfonden – Grand Solutions",
    "Klyngebevilling (UFS)", "Klyngebevilling (DEB)", "Egen finansiering",
)
FEASIBILITY_PROGRAMMES = ("Klyngebevilling (DEB) – forprojekt", "Innovationsfonden – Innobooster",
                          "Klyngebevilling (UFS) – forprojekt")
CLUSTER_TOPICS = (
    "Digitalisering af {sector}", "Data og AI i {sector}", "Cybersikkerhed i {sector}",
    "Grøn omstilling af {sector} med digitale værktøjer",
)
COMMERCIAL_TEXT = {
    "commercial_use": "{company} har taget forskningsresultaterne i brug i et nyt produkt.",
    "new_company": "Projektet har ført til en ny virksomhed, udskilt fra {company}.",
}


@dataclass
class _Planned:
    """A project before it is saved, with its partners and outcomes."""

    project: Project
    partners: list[tuple[int, str, Decimal | None]] = field(default_factory=list)
    outcomes: list[tuple[str, date, str]] = field(default_factory=list)
    focus_areas: list[int] = field(default_factory=list)


class _Pools:
    """The organisations the projects draw their partners from."""

    def __init__(self, specs: list[OrganisationSpec]):
        ordered = sorted(specs, key=lambda s: s.pk)
        self.by_pk = {s.pk: s for s in ordered}
        self.companies = [s.pk for s in ordered if s.kind == "company"]
        self.knowledge = [s.pk for s in ordered if s.kind in KNOWLEDGE_KINDS]
        self.research = [s.pk for s in ordered if s.kind == "other" and s.source == "cordis"
                         and any(word in s.name.lower() for word in RESEARCH_WORDS)]
        self.public = [s.pk for s in ordered if s.kind == "public"]
        self.clusters = [s.pk for s in ordered if s.kind == "cluster"]

    def company_weight(self, pk: int) -> float:
        spec = self.by_pk[pk]
        weight = 3.0 if spec.employee_band in SME_BANDS else 1.0
        return weight * (2 if spec.source == "cordis" else 1)

    def companies_sample(self, rng, count: int, exclude=()) -> list[int]:
        """`count` different companies, SMEs and real (CORDIS) ones more likely."""
        pool = [pk for pk in self.companies if pk not in set(exclude)]
        chosen: list[int] = []
        weights = [self.company_weight(pk) for pk in pool]
        while pool and len(chosen) < count:
            pk = rng.choices(pool, weights)[0]
            index = pool.index(pk)
            del pool[index], weights[index]
            chosen.append(pk)
        return chosen


def build_projects(ctx, specs: list[OrganisationSpec], staff: list, hubs: dict
                   ) -> dict[str, int]:
    """Create the projects, their partners, focus areas and outcomes."""
    rng = ctx.rng("projects")
    pools = _Pools(specs)
    scale = ctx.sizes.activities_per_year / 120
    taxonomy = Taxonomy.load()
    context = _Context(rng, ctx.anchor, pools, scale, taxonomy, hubs, staff)
    planned: list[_Planned] = []
    planned += _eu_applications(context)
    collaborations = _collaborations(context)
    _commercial(context, collaborations)
    planned += collaborations
    planned += _cluster_projects(context)
    Project.objects.bulk_create([p.project for p in planned], batch_size=500)
    partners = [ProjectPartner(project=p.project, organisation_id=pk, role=role, budget=budget)
                for p in planned for pk, role, budget in p.partners]
    ProjectPartner.objects.bulk_create(partners, batch_size=1000)
    outcomes = [ProjectOutcome(project=p.project, kind=kind, date=day, description=text,
                               recorded_by=p.project.responsible)
                for p in planned for kind, day, text in p.outcomes]
    ProjectOutcome.objects.bulk_create(outcomes, batch_size=1000)
    through = Project.focus_areas.through
    through.objects.bulk_create([through(project_id=p.project.pk, focusarea_id=area)
                                 for p in planned for area in p.focus_areas], batch_size=1000)
    return {"projects": len(planned), "project_partners": len(partners),
            "project_outcomes": len(outcomes)}


@dataclass
class _Context:
    rng: object
    anchor: date
    pools: _Pools
    scale: float
    taxonomy: Taxonomy
    hubs: dict
    staff: list

    def scaled(self, value: int, minimum: int = 1) -> int:
        return max(minimum, round(value * self.scale))

    def years(self) -> range:
        return range(FIRST_YEAR, self.anchor.year + 1)

    def day_in(self, year: int, first: date | None = None) -> date | None:
        """A weekday in the year before the anchor (and not before `first`)."""
        start = max(date(year, 1, 10), first or date(year, 1, 10))
        last = min(date(year, 12, 15), self.anchor - timedelta(days=1))
        if last < start:
            return None
        day = start + timedelta(days=self.rng.randint(0, (last - start).days))
        while day.weekday() >= 5 and day > start:
            day -= timedelta(days=1)
        return day

    def project(self, *, lead: int, **values) -> Project:
        """A project run from the hub of its lead organisation by one of the hub's staff."""
        spec = self.pools.by_pk[lead]
        hub = self.hubs.get(spec.hub_name) or self.hubs[sorted(self.hubs)[0]]
        staff = [user for user in self.staff if user.hub_id == hub.pk] or self.staff
        return Project(hub=hub, responsible=self.rng.choice(staff) if staff else None, **values)

    def tags(self) -> list[int]:
        found = []
        if self.taxonomy.technologies:
            found.append(self.rng.choice(self.taxonomy.technologies))
        if self.taxonomy.sub_areas:
            found.append(self.rng.choice(self.taxonomy.sub_areas))
        return sorted(set(found))


def _money(rng, low: float, high: float, step: int = 10_000) -> Decimal:
    return Decimal(round(rng.uniform(low, high) / step) * step)


def _eu_applications(c: _Context) -> list[_Planned]:
    rng = c.rng
    themes = [(theme, sector) for theme in range(len(EU_THEMES)) for sector in range(len(SECTORS))]
    rng.shuffle(themes)
    used_acronyms: set[str] = set()
    found, pool = [], []
    for year in c.years():
        carried = rng.sample(pool, min(len(pool), CARRIED_OVER))
        wanted = c.scaled(rng.randint(*COMPANY_POOL), minimum=2)
        pool = carried + c.pools.companies_sample(rng, wanted - len(carried), exclude=carried)
        rng.shuffle(pool)
        applications = []
        for _ in range(c.scaled(rng.randint(*EU_PER_YEAR), minimum=2)):
            day = c.day_in(year, date(year, 2, 1))
            if day is not None:
                applications.append(day)
        applications.sort()
        decided = [i for i, day in enumerate(applications)
                   if add_months(day, DECISION_MONTHS) < c.anchor]
        funded = set(rng.sample(decided, round(len(decided) * rng.uniform(*FUNDED_SHARE))))
        for index, day in enumerate(applications):
            companies = [pool[index % len(pool)]] if pool else []
            extra = [pk for pk in pool if pk not in companies]
            companies += rng.sample(extra, min(len(extra), rng.choice((0, 0, 1, 1, 2))))
            theme, sector = themes[(len(found)) % len(themes)]
            found.append(_eu_application(c, day, theme, sector, companies, index in decided,
                                         index in funded, used_acronyms))
    for _ in range(c.scaled(3)):  # being prepared for next year's calls
        theme, sector = themes[len(found) % len(themes)]
        companies = c.pools.companies_sample(rng, rng.randint(1, 2))
        found.append(_eu_application(c, None, theme, sector, companies, False, False,
                                     used_acronyms))
    return found


def _eu_application(c: _Context, day: date | None, theme: int, sector: int,
                    companies: list[int], decided: bool, funded: bool,
                    used_acronyms: set[str]) -> _Planned:
    rng = c.rng
    title, stem, horizon, digital = EU_THEMES[theme]
    english, ending, _danish = SECTORS[sector]
    acronym = f"{stem}{ending}"
    if acronym in used_acronyms:
        acronym = f"{acronym}-{rng.choice(('EU', 'NEXT', 'X', 'PLUS'))}"
    used_acronyms.add(acronym)
    year = day.year if day else c.anchor.year + 1
    is_horizon = rng.random() < 0.7
    pattern = horizon if is_horizon else digital
    call = pattern.format(year=year, n=rng.randint(1, 24), m=rng.randint(1, 4),
                          code=rng.choice(CALL_CODES))
    knowledge = rng.sample(c.pools.knowledge, min(len(c.pools.knowledge), rng.randint(1, 3)))
    others = []
    if c.pools.research and rng.random() < 0.4:
        others.append(rng.choice(c.pools.research))
    if c.pools.public and rng.random() < 0.3:
        others.append(rng.choice(c.pools.public))
    members = list(dict.fromkeys(knowledge + companies + others))[:8]
    spare = [pk for pk in c.pools.knowledge + c.pools.research if pk not in members]
    members += rng.sample(spare, min(len(spare), max(0, 3 - len(members))))
    lead_roll = rng.random()
    coordinator = None
    if lead_roll < 0.55 and knowledge:
        coordinator = knowledge[0]
    elif lead_roll < 0.8 and companies:
        coordinator = companies[0]
    partners = []
    for pk in members:
        spec = c.pools.by_pk[pk]
        if pk == coordinator:
            role, budget = "coordinator", _money(rng, 2_500_000, 7_000_000)
        elif spec.kind == "public":
            role, budget = "associated", None
        elif spec.kind == "company" and spec.employee_band == "250+":
            role, budget = "end_user", _money(rng, 400_000, 1_500_000)
        else:
            role, budget = "partner", _money(rng, 800_000, 3_500_000)
        partners.append((pk, role, budget))
    danish = sum(b for _pk, _role, b in partners if b is not None)
    status, start, end = "preparing", None, None
    outcomes = []
    if day is not None:
        status = "submitted"
        outcomes.append(("eu_application_submitted", day,
                         f"Ansøgning indsendt til {call}."))
    if decided:
        decision = add_months(day, DECISION_MONTHS) + timedelta(days=rng.randint(0, 20))
        status = "funded" if funded else "rejected"
        if funded:
            start = add_months(decision, rng.randint(3, 5)).replace(day=1)
            end = add_months(start, rng.choice((24, 36, 36, 48))) - timedelta(days=1)
            outcomes.append(("eu_application_funded", min(decision, c.anchor - timedelta(days=1)),
                             "Bevillingsaftale forhandlet; projektet er finansieret."))
    project = c.project(
        lead=(coordinator or members[0]), title=title.format(sector=english), acronym=acronym,
        kind="eu_application", status=status,
        description=(f"{'Horizon Europe' if is_horizon else 'Digital Europe'}-ansøgning om "
                     f"{title.format(sector=english).lower()}, med danske partnere fra klyngen "
                     "og et europæisk konsortium."),
        programme="Horizon Europe" if is_horizon else "Digital Europe",
        call_identifier=call, submitted_on=day, start_date=start, end_date=end,
        budget=(danish * Decimal(str(round(rng.uniform(2.5, 5.0), 2)))).quantize(Decimal(1))
        if danish else None,
    )
    return _Planned(project, partners, outcomes, c.tags())


def _collaborations(c: _Context) -> list[_Planned]:
    """Collaboration projects and feasibility studies, started year by year (the first ones
    in the autumn of 2020, so that 2021 already has results)."""
    rng = c.rng
    found = []
    for year in [FIRST_YEAR - 1, *c.years()]:
        count = c.scaled(rng.randint(*COLLABORATIONS_PER_YEAR))
        if year == FIRST_YEAR - 1:
            count = c.scaled(5)
        for _ in range(count):
            feasibility = rng.random() < 0.4
            first = date(year, 8, 1) if year < FIRST_YEAR else None
            start = c.day_in(year, first)
            found.append(_collaboration(c, start, feasibility))
    for _ in range(c.scaled(3)):  # ideas and projects being prepared
        found.append(_collaboration(c, None, rng.random() < 0.5))
    return found


def _collaboration(c: _Context, start: date | None, feasibility: bool) -> _Planned:
    rng = c.rng
    technology = rng.choice(TECHNOLOGIES)
    _english, _ending, sector = rng.choice(SECTORS)
    knowledge = rng.choice(c.pools.knowledge) if c.pools.knowledge else None
    companies = c.pools.companies_sample(rng, rng.randint(1, 2) if feasibility
                                         else rng.randint(2, 4))
    kind = "feasibility" if feasibility else "collaboration"
    title = (f"Forprojekt: {_lower_first(technology)} i {sector}" if feasibility
             else f"{technology} i {sector}")
    partners, outcomes = [], []
    lead = companies[0] if companies and (feasibility or rng.random() < 0.4) else knowledge
    total = Decimal(0)
    for pk in [pk for pk in (knowledge, *companies) if pk is not None]:
        low, high = (50_000, 180_000) if feasibility else (300_000, 1_800_000)
        budget = _money(rng, low, high)
        total += budget
        partners.append((pk, "coordinator" if pk == lead else "partner", budget))
    end, status = None, rng.choice(("idea", "preparing"))
    if start is not None:
        months = rng.randint(3, 8) if feasibility else rng.randint(12, 30)
        end = add_months(start, months) - timedelta(days=1)
        status = "completed" if end < c.anchor else "running"
        met = start - timedelta(days=rng.randint(30, 120))
        outcomes.append(("met", met, "Første møde faciliteret af klyngen."))
        outcomes.append(("collaboration_started", start, "Samarbejdsaftale underskrevet."))
        if feasibility and end < c.anchor and rng.random() < 0.3:
            outcomes.append(("joint_project", end, "Forprojektet fortsætter som "
                                                   "samarbejdsprojekt."))
    programme = rng.choice(FEASIBILITY_PROGRAMMES if feasibility else COLLABORATION_PROGRAMMES)
    project = c.project(
        lead=lead if lead is not None else companies[0], title=title, kind=kind, status=status,
        description=(f"{technology} afprøvet i {sector}: virksomheder og forskere udvikler og "
                     "tester en løsning sammen."),
        programme=programme, start_date=start, end_date=end, budget=total or None,
    )
    return _Planned(project, partners, outcomes, c.tags())


def _lower_first(text: str) -> str:
    """'Digital tvilling' -> 'digital tvilling'; 'IoT-sensornetværk' and 'AI-baseret' stay."""
    first = text.split()[0]
    if any(ch.isupper() for ch in first[1:]):
        return text
    return text[:1].lower() + text[1:]


def _commercial(c: _Context, projects: list[_Planned]) -> None:
    """Four to six projects a year (scaled) record commercial use of research results or a
    new company, months after they started; each project once."""
    rng = c.rng
    taken: set[int] = set()
    for year in c.years():
        last = min(date(year, 12, 15), c.anchor - timedelta(days=1))
        candidates = [i for i, p in enumerate(projects) if i not in taken
                      and p.project.start_date is not None
                      and year - 2 <= p.project.start_date.year <= year
                      and add_months(p.project.start_date, 4) <= last]
        wanted = c.scaled(rng.choice(COMMERCIAL_PER_YEAR))
        if year == c.anchor.year:
            wanted = max(1, round(wanted * c.anchor.timetuple().tm_yday / 365))
        for index in sorted(rng.sample(candidates, min(len(candidates), wanted))):
            taken.add(index)
            planned = projects[index]
            first = max(date(year, 1, 10), add_months(planned.project.start_date, 4))
            day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
            kind = "new_company" if rng.random() < 0.25 else "commercial_use"
            companies = [pk for pk, _role, _budget in planned.partners
                         if c.pools.by_pk[pk].kind == "company"]
            name = c.pools.by_pk[companies[0]].name if companies else "en partner"
            planned.outcomes.append((kind, day, COMMERCIAL_TEXT[kind].format(company=name)))


def _cluster_projects(c: _Context) -> list[_Planned]:
    """One or two joint projects a year with another cluster organisation."""
    rng = c.rng
    found = []
    if not c.pools.clusters:
        return found
    for year in c.years():
        for _ in range(c.scaled(rng.choice(CLUSTER_PROJECTS_PER_YEAR))):
            start = c.day_in(year)
            if start is None:
                continue
            cluster = rng.choice(c.pools.clusters)
            _english, _ending, sector = rng.choice(SECTORS)
            topic = rng.choice(CLUSTER_TOPICS).format(sector=sector)
            companies = c.pools.companies_sample(rng, rng.randint(2, 5))
            partners = [(cluster, "coordinator" if rng.random() < 0.5 else "partner", None)]
            partners += [(pk, "partner", None) for pk in companies]
            if c.pools.knowledge and rng.random() < 0.5:
                partners.append((rng.choice(c.pools.knowledge), "partner", None))
            end = add_months(start, rng.randint(6, 18)) - timedelta(days=1)
            cluster_name = c.pools.by_pk[cluster].name
            project = c.project(
                lead=cluster, title=f"{topic} – sammen med {cluster_name}",
                kind="cluster_collaboration", status="completed" if end < c.anchor else "running",
                description=(f"Fælles forløb med {cluster_name}: digitale løsninger fra klyngens "
                             f"medlemmer møder virksomheder i {sector}."),
                programme="Klyngebevilling (DEB) – klyngesamarbejde", start_date=start,
                end_date=end, budget=_money(rng, 250_000, 900_000),
            )
            found.append(_Planned(project, partners, [
                ("joint_project", start, f"Samarbejde med {cluster_name} aftalt.")], c.tags()))
    return found
