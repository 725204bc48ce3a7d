"""The demo's people: one to five per organisation (more in larger ones), Danish names (some
international colleagues), unique e-mail addresses at their organisation's domain."""

from datetime import timedelta

from klynge.demo.builder import banks
from klynge.demo.builder.context import DemoContext, transliterate
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.ecosystem.models import Affiliation, Person

MAX_PER_ORGANISATION = 5
BAND_WEIGHT = {"1-9": 1, "10-49": 2, "50-249": 3, "250+": 5, "": 2}
TITLE_GROUP = {
    "university": "knowledge", "gts": "knowledge", "business_academy": "knowledge",
    "university_college": "knowledge", "public": "public", "investor": "investor",
    "cluster": "cluster",
}


def build_people(ctx: DemoContext, specs: list[OrganisationSpec]) -> dict[int, list[int]]:
    """Create the people and their affiliations; returns person ids by organisation id
    (primary affiliations, in creation order)."""
    rng = ctx.rng("people")
    counts = _counts(rng, specs, ctx.sizes.people)
    danish, english = ctx.faker("people"), ctx.faker("people", "en_GB")
    used_emails: set[str] = set()
    people, owners = [], []
    for spec, count in zip(specs, counts, strict=True):
        for position in range(count):
            international = rng.random() < (0.3 if spec.language == "en" else 0.07)
            fake = english if international else danish
            first, last = fake.first_name(), fake.last_name()
            title_da, title_en = _title(rng, spec.kind, position)
            language = "en" if international else "da"
            people.append(Person(
                first_name=first, last_name=last,
                email=_email(first, last, spec.domain, used_emails),
                phone=f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} "
                      f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                job_title=title_en if language == "en" else title_da, language=language,
            ))
            owners.append(spec)
    Person.objects.bulk_create(people, batch_size=500)
    return _affiliate(ctx, rng, people, owners, specs)


def _counts(rng, specs: list[OrganisationSpec], total: int) -> list[int]:
    """How many people each organisation has: at least one each while there are enough,
    the rest by size, at most five."""
    counts = [0] * len(specs)
    order = list(range(len(specs)))
    if total < len(specs):
        order = sorted(rng.sample(order, total))
    for index in order:
        counts[index] = 1
    remaining = total - sum(counts)
    weights = [BAND_WEIGHT.get(s.employee_band, 2) for s in specs]
    while remaining > 0:
        index = rng.choices(range(len(specs)), weights)[0]
        if counts[index] < MAX_PER_ORGANISATION:
            counts[index] += 1
            remaining -= 1
    return counts


def _title(rng, kind: str, position: int) -> tuple[str, str]:
    titles = banks.JOB_TITLES[TITLE_GROUP.get(kind, "company")]
    return titles[0] if position == 0 and kind == "company" else rng.choice(titles)


def _email(first: str, last: str, domain: str, used: set[str]) -> str:
    local = transliterate(f"{first}.{last}").replace("--", "-").strip(".-")
    candidate, number = f"{local}@{domain}", 2
    while candidate in used:
        candidate, number = f"{local}{number}@{domain}", number + 1
    used.add(candidate)
    return candidate


def _affiliate(ctx, rng, people, owners, specs) -> dict[int, list[int]]:
    by_organisation: dict[int, list[int]] = {spec.pk: [] for spec in specs}
    affiliations = []
    knowledge = [s for s in specs if s.kind in {"university", "gts"}]
    for person, spec in zip(people, owners, strict=True):
        start = ctx.anchor - timedelta(days=rng.randint(60, 15 * 365))
        affiliations.append(Affiliation(
            person=person, organisation_id=spec.pk, role=person.job_title, is_primary=True,
            start_date=start,
        ))
        by_organisation[spec.pk].append(person.pk)
        if rng.random() < 0.04:
            other = rng.choice(knowledge or specs)
            if other.pk != spec.pk:
                role = ("Adjungeret professor" if other.kind in {"university", "gts"}
                        else "Bestyrelsesmedlem")
                affiliations.append(Affiliation(
                    person=person, organisation_id=other.pk, role=role, is_primary=False,
                    start_date=start + timedelta(days=rng.randint(0, 50)),
                ))
    Affiliation.objects.bulk_create(affiliations, batch_size=500)
    return by_organisation
