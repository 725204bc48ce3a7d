"""The demo's organisations: real Danish ones from CORDIS where the data is there, named
clusters, investors, knowledge institutions and public actors, and generated companies.

Generated companies get Faker da_DK names, real Danish post towns and valid (made-up) CVR
numbers. Facts the sources do not give about real organisations (founding year, industry)
are left empty rather than invented; the size band of a real company follows its CORDIS SME
flag.
"""

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.contrib.contenttypes.models import ContentType

from klynge.core.models import AuditEntry
from klynge.demo.builder import banks
from klynge.demo.builder.context import ORGANISATION_ACTION, DemoContext, slug
from klynge.demo.builder.cordis import RealOrganisation, read_real_organisations
from klynge.ecosystem.domain.identifiers import cvr_check_digit_for
from klynge.ecosystem.domain.regions import region_for_postcode
from klynge.ecosystem.models import FocusArea, Hub, IndustryCode, Organisation

#: At most this share of the organisations comes from the real data.
REAL_SHARE = 0.5
KNOWLEDGE_KINDS = {"university", "gts", "business_academy", "university_college"}


@dataclass
class OrganisationSpec:
    """An organisation before it is saved, with what later steps need to know about it."""

    name: str
    kind: str
    source: str  # cordis, named or generated
    cvr: str | None = None
    address: str = ""
    postcode: str = ""
    city: str = ""
    website: str = ""
    employee_band: str = ""
    is_startup: bool = False
    founded_year: int | None = None
    industry_id: str | None = None
    language: str = "da"
    domain: str = ""  # for e-mail addresses (and generated websites)
    focus_area_ids: list[int] = field(default_factory=list)
    technology: int = 0
    competences: str = ""
    offers: str = ""
    seeks: str = ""
    description: str = ""
    pk: int | None = None
    hub_name: str = ""


@dataclass
class Taxonomy:
    """The focus areas of the install, grouped the way the demo tags organisations."""

    sub_areas: list[int]
    technologies: list[int]
    themes: list[int]

    @classmethod
    def load(cls) -> "Taxonomy":
        areas = list(FocusArea.objects.filter(is_active=True).order_by("kind", "position", "pk"))
        return cls(
            sub_areas=[a.pk for a in areas if a.kind == "focus_area" and a.parent_id],
            technologies=[a.pk for a in areas if a.kind == "technology"],
            themes=[a.pk for a in areas if a.kind == "theme"],
        )


def build_organisations(ctx: DemoContext, hubs: dict[str, Hub]) -> list[OrganisationSpec]:
    """Compose, describe and save the organisations; one audit entry each."""
    specs = compose(ctx)
    describe(ctx, specs, Taxonomy.load(), _digital_codes())
    save(specs, hubs)
    return specs


def compose(ctx: DemoContext) -> list[OrganisationSpec]:
    """Which organisations the demo has, in a fixed order (real, named, generated)."""
    total = ctx.sizes.organisations
    rng = ctx.rng("organisations.compose")
    real = read_real_organisations(ctx.data_dir / "cordis-he" / "organization.csv.gz")
    if len(real) > int(total * REAL_SHARE):
        real = sorted(rng.sample(real, int(total * REAL_SHARE)), key=lambda r: r.cvr)
    specs = [_from_real(r) for r in real]
    specs += _named(total)
    used_names = {s.name for s in specs}
    used_cvrs = {s.cvr for s in specs if s.cvr}
    generated_investors = max(0, total // 100 - len(banks.INVESTORS))
    fake = ctx.faker("organisations.names")
    for index in range(max(0, total - len(specs))):
        kind = "investor" if index < generated_investors else "company"
        name = _company_name(rng, fake, kind, used_names)
        specs.append(OrganisationSpec(name=name, kind=kind, source="generated",
                                      cvr=_new_cvr(rng, used_cvrs)))
    return specs[:total]


def _from_real(real: RealOrganisation) -> OrganisationSpec:
    return OrganisationSpec(
        name=real.name[:255], kind=real.kind, source="cordis", cvr=real.cvr,
        address=real.street[:255], postcode=real.postcode, city=real.city[:100],
        website=real.website,
        employee_band="sme" if real.is_sme else "",  # resolved to a band in describe()
        description="Deltager i Horizon Europe-projekter (kilde: CORDIS).",
    )


def _named(total: int) -> list[OrganisationSpec]:
    """The named actors, scaled to the size of the demo."""
    specs = []
    for name, postcode, city, website in banks.CLUSTERS[: max(1, total // 100)]:
        specs.append(OrganisationSpec(name=name, kind="cluster", source="named",
                                      postcode=postcode, city=city, website=website))
    for name, postcode, city, website in banks.INVESTORS[: max(1, total // 100)]:
        specs.append(OrganisationSpec(name=name, kind="investor", source="named",
                                      postcode=postcode, city=city, website=website))
    for name, kind, postcode, city, website in banks.KNOWLEDGE_INSTITUTIONS[: max(1, total // 80)]:
        specs.append(OrganisationSpec(name=name, kind=kind, source="named", postcode=postcode,
                                      city=city, website=website))
    for name, postcode, city in banks.PUBLIC_ACTORS[: max(1, total // 100)]:
        specs.append(OrganisationSpec(name=name, kind="public", source="named",
                                      postcode=postcode, city=city))
    return specs


def _company_name(rng, fake, kind: str, used: set[str]) -> str:
    while True:
        if kind == "investor":
            name = f"{fake.last_name()} {rng.choice(['Ventures', 'Kapital', 'Invest'])} ApS"
        else:
            name = _candidate_company_name(rng, fake)
        if name not in used:
            used.add(name)
            return name


def _candidate_company_name(rng, fake) -> str:
    suffix = rng.choices([s for s, _ in banks.SUFFIXES], [w for _, w in banks.SUFFIXES])[0]
    style = rng.random()
    if style < 0.25:
        return fake.company()
    if style < 0.6:
        base = f"{fake.last_name()} {rng.choice(banks.TECH_WORDS)}"
    else:
        stem = rng.choice(banks.BRAND_STEMS)
        ending = rng.choice(banks.BRAND_ENDINGS)
        base = f"{stem}{ending}" if ending else f"{stem} {rng.choice(banks.TECH_WORDS)}"
    return f"{base} {suffix}".strip()


def _new_cvr(rng, used: set[str]) -> str:
    while True:
        cvr = cvr_check_digit_for(f"{rng.randint(1_000_000, 4_999_999):07d}")
        if cvr and cvr not in used:
            used.add(cvr)
            return cvr


def _digital_codes() -> list[tuple[list[str], int]]:
    """Level-4 DB07 codes of digital industries, grouped by prefix with weights; empty when
    only the sections are loaded."""
    codes = list(IndustryCode.objects.filter(level=4).order_by("code").values_list("code",
                                                                                   flat=True))
    groups = []
    for prefix, weight in banks.DIGITAL_INDUSTRIES:
        matching = [c for c in codes if c.startswith(prefix)]
        if matching:
            groups.append((matching, weight))
    return groups


def describe(ctx, specs, taxonomy: Taxonomy, industries) -> None:
    """Give every organisation a place, a size, tags and its texts."""
    rng = ctx.rng("organisations.describe")
    fake = ctx.faker("organisations.describe")
    used_domains: set[str] = set()
    places = [(p, t) for p, t, _ in banks.PLACES]
    weights = [w for _, _, w in banks.PLACES]
    for spec in specs:
        if not spec.postcode:
            spec.postcode, spec.city = rng.choices(places, weights)[0]
        if spec.source != "cordis" and not spec.address:
            spec.address = fake.street_address()
        _size(rng, spec, ctx.anchor.year)
        if spec.source == "generated":
            spec.language = "en" if rng.random() < 0.2 else "da"
            if spec.kind == "company" and industries:
                group = rng.choices([g for g, _ in industries], [w for _, w in industries])[0]
                spec.industry_id = rng.choice(group)
        spec.domain = _domain(spec, used_domains)
        if spec.source == "generated":
            spec.website = f"https://www.{spec.domain}"
        _tag(rng, spec, taxonomy)
        _texts(rng, spec)


def _size(rng, spec: OrganisationSpec, year: int) -> None:
    bands = ("1-9", "10-49", "50-249", "250+")
    if spec.kind == "company":
        if spec.employee_band == "sme":
            spec.employee_band = rng.choices(bands[:3], [35, 40, 25])[0]
        elif spec.source == "cordis":
            spec.employee_band = rng.choices(bands[2:], [20, 80])[0]
        else:
            spec.employee_band = rng.choices(bands, [45, 30, 15, 10])[0]
    elif spec.kind in {"university", "public", "university_college", "business_academy"}:
        spec.employee_band = "250+"
    elif spec.kind == "gts":
        spec.employee_band = rng.choices(bands[2:], [30, 70])[0]
    elif spec.kind in {"cluster", "investor"}:
        spec.employee_band = rng.choices(bands[:2], [40, 60])[0]
    else:
        spec.employee_band = rng.choices(bands[:3], [30, 40, 30])[0]
    if spec.source != "generated" or spec.kind != "company":
        return
    if spec.employee_band in bands[:2] and rng.random() < 0.35:
        spec.is_startup = True
        spec.founded_year = rng.randint(year - 4, year - 1)
    else:
        era = rng.choices([(1950, 1989), (1990, 2009), (2010, year - 5)], [15, 40, 45])[0]
        spec.founded_year = rng.randint(*era)


def _domain(spec: OrganisationSpec, used: set[str]) -> str:
    """The organisation's e-mail and web domain in the demo: its real host name's first
    label (aau for www.aau.dk) or a slug of its name, under the reserved top-level domain
    .example (RFC 2606), so nothing the demo sends can reach a real person."""
    host = (urlparse(spec.website).hostname or "").removeprefix("www.")
    base = host.split(".")[0] if host else slug(spec.name)
    candidate, number = f"{base}.example", 2
    while candidate in used:
        candidate, number = f"{base}{number}.example", number + 1
    used.add(candidate)
    return candidate


def _tag(rng, spec: OrganisationSpec, taxonomy: Taxonomy) -> None:
    tags = []
    if taxonomy.technologies:
        spec.technology = rng.randrange(len(taxonomy.technologies))
        tags.append(taxonomy.technologies[spec.technology])
    if taxonomy.sub_areas:
        tags += rng.sample(taxonomy.sub_areas, 2 if rng.random() < 0.3 else 1)
    if taxonomy.themes and rng.random() < 0.5:
        tags.append(rng.choice(taxonomy.themes))
    spec.focus_area_ids = sorted(set(tags))


def _texts(rng, spec: OrganisationSpec) -> None:
    language = spec.language
    bank = banks.COMPETENCES[language][spec.technology % 4]
    chosen = rng.sample(bank, 2)
    competence = rng.choice(chosen)
    spec.competences = f"{chosen[0][:1].upper()}{chosen[0][1:]}; {chosen[1]}."
    if spec.kind == "company":
        spec.offers = rng.choice(banks.OFFERS[language]).format(competence=competence)
        spec.seeks = rng.choice(banks.SEEKS[language]).format(competence=competence)
    else:
        offers, seeks = {
            "investor": (banks.INVESTOR_OFFERS, banks.INVESTOR_SEEKS),
            "cluster": (banks.CLUSTER_OFFERS, banks.CLUSTER_SEEKS),
            "public": (banks.PUBLIC_OFFERS, banks.PUBLIC_SEEKS),
            "other": (banks.OTHER_OFFERS, banks.OTHER_SEEKS),
        }.get(spec.kind, (banks.KNOWLEDGE_OFFERS, banks.KNOWLEDGE_SEEKS))
        spec.offers = offers.format(competence=competence)
        spec.seeks = seeks.format(competence=competence)
    if spec.source == "generated" and spec.kind == "company":
        spec.description = (
            f"{spec.name} works with {chosen[0]} and {chosen[1]}." if language == "en"
            else f"{spec.name} arbejder med {chosen[0]} og {chosen[1]}."
        )


def save(specs: list[OrganisationSpec], hubs: dict[str, Hub]) -> None:
    """Insert the organisations, their tags and one audit entry each, in bulk."""
    hub_by_region = {hub.region: hub for hub in hubs.values()}
    rows = []
    for spec in specs:
        region = region_for_postcode(spec.postcode) or ""
        hub = hub_by_region.get(region)
        spec.hub_name = hub.name if hub else ""
        rows.append(Organisation(
            name=spec.name, kind=spec.kind, cvr=spec.cvr, country="DK",
            employee_band=spec.employee_band, is_startup=spec.is_startup,
            founded_year=spec.founded_year, industry_id=spec.industry_id,
            address=spec.address, postcode=spec.postcode, city=spec.city, region=region,
            hub=hub, website=spec.website, description=spec.description,
            competences=spec.competences, offers=spec.offers, seeks=spec.seeks,
        ))
    Organisation.objects.bulk_create(rows, batch_size=500)
    for spec, row in zip(specs, rows, strict=True):
        spec.pk = row.pk
    through = Organisation.focus_areas.through
    through.objects.bulk_create(
        [through(organisation_id=s.pk, focusarea_id=f) for s in specs for f in s.focus_area_ids],
        batch_size=1000,
    )
    content_type = ContentType.objects.get_for_model(Organisation)
    AuditEntry.objects.bulk_create([
        AuditEntry(action=ORGANISATION_ACTION, content_type=content_type,
                   object_id=str(s.pk), object_repr=s.name[:255],
                   data={"source": s.source, "cvr": s.cvr, "kind": s.kind})
        for s in specs
    ], batch_size=500)
