"""The demo's EU project history in CORDIS's shape, generated (nothing read from the shared
data): about 40 Horizon Europe projects on the cluster's focus areas with euroSciVoc-like
labels and deliverable titles, about 150 organisations (the demo's Danish knowledge
institutions and EU-experienced companies, linked to their registry records by CVR through
their VAT number "DK<cvr>", and fictional research organisations, universities, SMEs, large
companies and public bodies from 14 other countries), and their participations: every
project has a coordinator and at least one Danish partner, and foreign organisations tend to
work again with those they worked with before, as real consortia do. One CordisImport row
(source "demo") records the run, as `klynge import-cordis` does.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from klynge.demo.builder.matchmaking import banks
from klynge.demo.builder.organisations import KNOWLEDGE_KINDS, OrganisationSpec
from klynge.matchmaking.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)

PROJECTS = 40
ORGANISATIONS = 150
#: At most this many of the organisations are the demo's own (Danish) ones.
DANISH_AT_MOST = 40
SME_BANDS = {"1-9", "10-49", "50-249"}
RESEARCH_WORDS = ("institut", "center", "centre", "research", "forskning", "laborator")
FIRST_YEAR = 2021
# The foreign organisations by CORDIS kind (ProfileKind) and SME flag: (kind, SME, share).
FOREIGN_MIX = (("research", False, 0.25), ("higher_education", False, 0.20),
               ("company", True, 0.30), ("company", False, 0.12), ("public", False, 0.08),
               ("other", False, 0.05))
KIND_OF_REGISTRY = {"university": "higher_education", "university_college": "higher_education",
                    "business_academy": "higher_education", "gts": "research",
                    "company": "company", "public": "public"}


@dataclass(eq=False)
class _Org:
    record: CordisOrganisation
    theme: str = ""
    danish: bool = False
    used: int = 0


@dataclass
class _Project:
    record: CordisProject
    theme: str
    members: list[tuple[_Org, str]] = field(default_factory=list)


def build_history(ctx, specs: list[OrganisationSpec], admin) -> dict[str, int]:
    """Create the CORDIS organisations, projects and participations and the import row."""
    rng = ctx.rng("matchmaking:cordis")
    danish = _danish(specs)
    themes = [theme[0] for theme in banks.THEMES]
    orgs = [_Org(record, theme=themes[i % len(themes)], danish=True)
            for i, record in enumerate(danish)]
    orgs += _foreign(rng, ORGANISATIONS - len(orgs), themes)
    for index, org in enumerate(orgs):
        org.record.cordis_id = str(998_000_000 + index * 1_337)
    projects = _projects(rng, ctx.anchor, themes)
    _participations(rng, projects, orgs)
    CordisOrganisation.objects.bulk_create([o.record for o in orgs], batch_size=500)
    CordisProject.objects.bulk_create([p.record for p in projects], batch_size=500)
    participations = [
        CordisParticipation(project=p.record, cordis_organisation=org.record, role=role,
                            ec_contribution=_contribution(rng, role))
        for p in projects for org, role in p.members]
    CordisParticipation.objects.bulk_create(participations, batch_size=1000)
    linked = sum(1 for o in orgs if o.record.organisation_id is not None)
    CordisImport.objects.create(source="demo", created_by=admin, report={
        # The shape of `services.cordis.cordis_import`'s report: everything was added.
        "organisations": _added(len(orgs)), "projects": _added(len(projects)),
        "participations": _added(len(participations)), "linked": linked, "source": "demo",
        "only_linked": False, "dry_run": False,
        "files": {"organization.csv.gz": len(participations),
                  "topics.csv.gz": len(projects),
                  "euroSciVoc.csv.gz": sum(len(p.record.labels) for p in projects),
                  "deliverables.csv.gz": sum(len(p.record.deliverables.splitlines())
                                             for p in projects),
                  "legalBasis.csv.gz": len(projects)},
        "missing_files": [], "bad_count": 0, "bad": [], "seconds": 0.0,
    })
    return {"cordis_projects": len(projects), "cordis_organisations": len(orgs),
            "cordis_participations": len(participations), "cordis_linked": linked}


def _added(count: int) -> dict[str, int]:
    return {"added": count, "updated": 0, "unchanged": 0}


def _danish(specs: list[OrganisationSpec]) -> list[CordisOrganisation]:
    """The demo's knowledge institutions, research organisations and companies with EU
    experience (real CORDIS ones first, SMEs before large companies), with a CVR."""
    ordered = sorted((s for s in specs if s.cvr), key=lambda s: s.pk)
    knowledge = [s for s in ordered if s.kind in KNOWLEDGE_KINDS]
    research = [s for s in ordered if s.kind == "other" and s.source == "cordis"
                and any(word in s.name.lower() for word in RESEARCH_WORDS)]
    companies = sorted((s for s in ordered if s.kind == "company"),
                       key=lambda s: (s.source != "cordis", s.employee_band not in SME_BANDS,
                                      s.pk))
    public = [s for s in ordered if s.kind == "public"]
    chosen = (knowledge[:12] + research[:4] + public[:3])
    chosen += companies[:max(0, DANISH_AT_MOST - len(chosen))]
    return [CordisOrganisation(
        name=spec.name, kind=_kind(spec), is_sme=spec.kind == "company"
        and spec.employee_band in SME_BANDS, country="DK", city=spec.city,
        vat_number=f"DK{spec.cvr}", organisation_id=spec.pk,
    ) for spec in chosen]


def _kind(spec: OrganisationSpec) -> str:
    if spec.kind == "other":
        return "research"
    return KIND_OF_REGISTRY.get(spec.kind, "other")


def _foreign(rng, count: int, themes: list[str]) -> list[_Org]:
    countries = [c for c, *_rest in banks.COUNTRIES]
    weights = [weight for _c, weight, *_rest in banks.COUNTRIES]
    details = {c: (forms, towns) for c, _w, forms, towns in banks.COUNTRIES}
    kinds = []
    for kind, sme, share in FOREIGN_MIX:
        kinds += [(kind, sme)] * round(count * share)
    kinds = (kinds + [("company", True)] * count)[:count]
    names: set[str] = set()
    found = []
    for index, (kind, sme) in enumerate(kinds):
        country = rng.choices(countries, weights)[0]
        forms, towns = details[country]
        theme = themes[index % len(themes)]
        town = rng.choice(towns)
        name = _unique(_name(rng, kind, sme, country, theme, town, forms), names)
        found.append(_Org(CordisOrganisation(
            name=name, short_name=name.split()[0].split("-")[0].upper()[:20], kind=kind,
            is_sme=sme, country=country, city=town,
            vat_number=f"{'EL' if country == 'GR' else country}{rng.randint(10**8, 10**9 - 1)}",
        ), theme=theme))
    return found


def _brand(rng) -> str:
    return rng.choice(banks.BRAND_HEADS) + rng.choice(banks.BRAND_TAILS)


def _name(rng, kind: str, sme: bool, country: str, theme: str, town: str,
          forms: tuple[str, ...]) -> str:
    brand = _brand(rng)
    if kind == "research":
        pattern = banks.RESEARCH_PATTERNS.get(country, banks.RESEARCH_PATTERNS[""])
        return pattern.format(brand=brand, field=banks.RESEARCH_FIELDS[theme])
    if kind == "higher_education":
        pattern = banks.UNIVERSITY_PATTERNS.get(country, banks.UNIVERSITY_PATTERNS[""])
        return pattern.format(town=town)
    if kind == "public":
        return rng.choice(banks.PUBLIC_PATTERNS).format(town=town)
    if kind == "other":
        return f"{brand} Innovation Network"
    word = rng.choice(banks.COMPANY_WORDS[theme])
    if not sme:
        return f"{brand} {word} Group {forms[-1]}"
    return f"{brand} {word} {forms[0]}"


def _unique(name: str, names: set[str]) -> str:
    candidate, number = name, 2
    while candidate in names:
        candidate = f"{name} ({number})"
        number += 1
    names.add(candidate)
    return candidate


def _projects(rng, anchor, themes: list[str]) -> list[_Project]:
    acronyms: set[str] = set()
    by_key = {theme[0]: theme for theme in banks.THEMES}
    last_year = max(FIRST_YEAR, anchor.year - 1)
    found = []
    for index in range(PROJECTS):
        key = themes[index % len(themes)]
        _key, basis, titles, labels, deliverables, stems = by_key[key]
        sector = rng.choice(banks.SECTORS)
        title = rng.choice(titles).format(sector=sector)
        year = rng.randint(FIRST_YEAR, last_year)
        acronym = rng.choice(stems) + rng.choice(banks.ACRONYM_ENDINGS)
        while acronym in acronyms:
            acronym = rng.choice(stems) + rng.choice(banks.ACRONYM_ENDINGS) + str(
                rng.randint(2, 9))
        acronyms.add(acronym)
        chosen = rng.sample(deliverables, 3)
        texts = [f"D{i + 1}.1 {text.format(sector=sector)}" for i, text in enumerate(
            [*rng.sample(banks.COMMON_DELIVERABLES, 2), *chosen])]
        found.append(_Project(CordisProject(
            cordis_id=str(101_050_000 + index * 4_211), acronym=acronym,
            topic_code=banks.TOPIC_CODES[key].format(year=year, n=rng.randint(1, 12)),
            topic_title=title, labels=sorted(rng.sample(labels, 3)),
            deliverables="\n".join(texts), programme=basis,
        ), key))
    return found


def _participations(rng, projects: list[_Project], orgs: list[_Org]) -> None:
    """Fill each project: one or two Danish partners and three to seven foreign ones; every
    organisation takes part at least once, and those with more projects are likelier to get
    another (and those of the project's theme much likelier)."""
    danish = [o for o in orgs if o.danish]
    foreign = [o for o in orgs if not o.danish]
    waiting_danish = list(danish)
    waiting_foreign = list(foreign)
    rng.shuffle(waiting_danish)
    rng.shuffle(waiting_foreign)
    for index, project in enumerate(projects):
        left = len(projects) - index
        members: list[_Org] = []
        take = max(rng.randint(1, 2), -(-len(waiting_danish) // left))
        members += _draw(rng, waiting_danish, danish, project.theme, take, members)
        take = max(rng.randint(3, 7), -(-len(waiting_foreign) // left))
        members += _draw(rng, waiting_foreign, foreign, project.theme, min(take, 9), members)
        coordinator = _coordinator(rng, members)
        for org in members:
            org.used += 1
            if org is coordinator:
                role = "coordinator"
            elif org.record.kind == "public" and rng.random() < 0.5:
                role = "associatedPartner"
            else:
                role = "participant"
            project.members.append((org, role))


def _draw(rng, waiting: list[_Org], pool: list[_Org], theme: str, count: int,
          taken: list[_Org]) -> list[_Org]:
    chosen = []
    while waiting and len(chosen) < count:
        chosen.append(waiting.pop())
    while len(chosen) < count:
        candidates = [o for o in pool if o not in chosen and o not in taken]
        if not candidates:
            break
        weights = [(1 + o.used) * (4 if o.theme == theme else 1) for o in candidates]
        chosen.append(rng.choices(candidates, weights)[0])
    return chosen


def _coordinator(rng, members: list[_Org]) -> _Org:
    """A research organisation or university most often (a Danish one in a quarter of the
    projects), else the first partner."""
    knowledge = [o for o in members if o.record.kind in {"research", "higher_education"}]
    danish = [o for o in knowledge if o.danish]
    if danish and rng.random() < 0.25:
        return danish[0]
    foreign = [o for o in knowledge if not o.danish]
    return (foreign or knowledge or members)[0]


def _contribution(rng, role: str) -> Decimal | None:
    if role == "associatedPartner":
        return None
    low, high = (900_000, 2_600_000) if role == "coordinator" else (150_000, 1_200_000)
    return Decimal(round(rng.uniform(low, high) / 125) * 125).quantize(Decimal("0.01"))
