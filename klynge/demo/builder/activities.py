"""The demo's activities: about 120 a year from 2021 up to the day before the anchor date
across the hubs and the grants of both programme periods (2021-2024 and 2025-2028), a
handful open for registration in the weeks after the anchor and a few planned further out.

Each activity is funded by UFS or DEB (or split between them), only with types the grant
allows; from 2025 the DEB money comes from the innovation grant for activities tied to a
concrete innovation project (or collaboration projects) and from the basic grant for the
rest. A few a year (CLUSTER_ACTIVITIES) are co-organised with another cluster, KPI 2's
trajectory of about five collaborations a year with the joint projects; many are
co-organised with a knowledge institution. Registrations
come mostly from the hub's own region; of those registered for a held activity about four in
five came (the rest are no-shows), and a few cancelled beforehand.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.demo.builder.bulk import insert_rows
from klynge.demo.builder.organisations import OrganisationSpec
from klynge.funding.choices import DEFAULT_ELIGIBLE_TYPES, GrantKind
from klynge.funding.models import Grant

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FIRST_YEAR = 2021
UPCOMING_SHARE = 10  # one upcoming activity open for registration per ten a year
PLANNED_SHARE = 20  # and one planned (not yet open) per twenty
#: Held activities co-organised with another cluster per year (at full size).
CLUSTER_ACTIVITIES = (3, 4, 4, 5)
CLUSTER_TYPES = {"knowledge_dissemination", "matchmaking", "collaboration_project",
                 "internationalisation"}
ATTENDANCE = 0.82

# (type, format, weight, Danish title patterns with {topic})
PLAN = (
    ("knowledge_dissemination", "network_meeting", 18, "Netværksmøde: {topic}"),
    ("knowledge_dissemination", "seminar", 14, "Seminar om {topic}"),
    ("knowledge_dissemination", "webinar", 12, "Webinar: {topic} i praksis"),
    ("knowledge_dissemination", "focus_network_meeting", 10, "Fokusnetværk {topic}"),
    ("knowledge_dissemination", "conference", 3, "Konference: {topic} 2.0"),
    ("matchmaking", "b2b_matchmaking", 6, "Matchmaking: {topic}"),
    ("matchmaking", "company_visit", 7, "Virksomhedsbesøg: {topic}"),
    ("collaboration_project", "innovation_workshop", 8, "Innovationsworkshop: {topic}"),
    ("collaboration_project", "institute_visit", 4, "Besøg på GTS: {topic}"),
    ("internationalisation", "business_mission", 4, "Erhvervsfremstød: {topic}"),
    ("internationalisation", "webinar", 3, "EU-muligheder inden for {topic}"),
    ("access_to_finance", "workshop", 4, "Investorparathed: {topic}"),
    ("entrepreneurship", "workshop", 4, "Startup-camp: {topic}"),
    ("planning", "network_meeting", 3, "Strategimøde om {topic}"),
)
TOPICS = (
    "AI i produktionen", "IoT og 5G", "cybersikkerhed for SMV'er", "datadrevet forretning",
    "digital sektorkobling", "smart city", "cirkulær økonomi med data", "HPC og simulering",
    "GovTech", "Industri 4.0", "grøn IT", "etik og tillid i AI", "skalering af SaaS",
    "computer vision til kvalitetskontrol", "digitale tvillinger", "kvanteteknologi",
)
GREEN_TOPICS = {"digital sektorkobling", "cirkulær økonomi med data", "grøn IT", "smart city"}


def _grants() -> dict[str, list[Grant]]:
    """The demo funds activities from the UFS and DEB grants seeded by the migrations."""
    found: dict[str, list[Grant]] = {GrantKind.KNOWLEDGE: [], GrantKind.BUSINESS: []}
    for grant in Grant.objects.filter(kind__in=list(found)).order_by("period_start", "code"):
        found[grant.kind].append(grant)
    return found


def _grant_for(grants: list[Grant], day: date, activity: Activity | None = None
               ) -> Grant | None:
    """The grant of the kind that covers the day; where two do (the DEB innovation and
    basic grants from 2025), the innovation grant for activities tied to an innovation
    project or collaboration projects, the other for the rest."""
    covering = [g for g in grants if g.period_start <= day <= g.period_end]
    if len(covering) > 1 and activity is not None:
        innovative = bool(activity.innovation_project) or \
            activity.type == "collaboration_project"
        preferred = [g for g in covering if ("INNO" in g.code) == innovative]
        return (preferred or covering)[0]
    return covering[0] if covering else None


def _eligible(grant: Grant, activity_type: str) -> bool:
    allowed = grant.eligible_types or DEFAULT_ELIGIBLE_TYPES.get(grant.kind, [])
    return activity_type in allowed


def build_activities(ctx, specs: list[OrganisationSpec], people: dict[int, list[int]],
                     staff: list, hubs: dict) -> dict[str, int]:
    """Create activities, funding, co-organisers, registrations and attendance."""
    rng = ctx.rng("activities")
    grants = _grants()
    clusters = [s.pk for s in specs if s.kind == "cluster"]
    knowledge = [s.pk for s in specs if s.kind in {"university", "gts"}]
    knowledge_set = set(knowledge)
    by_region: dict[str, list[tuple[int, int]]] = {}
    for spec in specs:
        by_region.setdefault(spec.hub_name, []).extend(
            (spec.pk, person) for person in people.get(spec.pk, [])
        )
    everyone = [pair for pairs in by_region.values() for pair in pairs]
    hub_list = sorted(hubs.values(), key=lambda h: h.name)
    staff_by_hub = {user.hub_id: user for user in staff}
    weights = [w for _t, _f, w, _p in PLAN]
    per_year = ctx.sizes.activities_per_year
    days = [(year, date(year, 1, 10) + timedelta(days=rng.randint(0, 340)))
            for year in range(FIRST_YEAR, ctx.anchor.year + 1)
            for _ in range(per_year if year < 2025 else round(per_year * 0.95))]
    days = [(year, day) for year, day in days if day < ctx.anchor]
    days += [(ctx.anchor.year, ctx.anchor + timedelta(days=rng.randint(5, 90)))
             for _ in range(max(1, per_year // UPCOMING_SHARE))]
    planned = [ctx.anchor + timedelta(days=rng.randint(100, 240))
               for _ in range(max(1, per_year // PLANNED_SHARE))]
    days += [(day.year, day) for day in planned]
    specs_rows = []
    for _year, day in sorted(days, key=lambda pair: pair[1]):
        kind, fmt, _w, pattern = rng.choices(PLAN, weights)[0]
        topic = rng.choice(TOPICS)
        hub = rng.choice(hub_list)
        start = datetime.combine(day, time(rng.choice((9, 10, 13, 14)), 0), tzinfo=COPENHAGEN)
        hours = 2 if fmt == "webinar" else (7 if fmt in {"conference", "business_mission"} else 3)
        held = day < ctx.anchor
        status = "held" if held else ("planned" if day in planned else "open")
        capacity = rng.choice((20, 25, 30, 40, 60, 80)) if fmt != "webinar" else 150
        activity = Activity(
            title=pattern.format(topic=topic), type=kind, format=fmt, hub=hub,
            description=f"{pattern.format(topic=topic)} for klyngens medlemmer og partnere.",
            place="Online" if fmt == "webinar" else f"{hub.city}",
            online_link="https://meet.example/klynge" if fmt == "webinar" else "",
            starts_at=start, ends_at=start + timedelta(hours=hours), capacity=capacity,
            registration_deadline=start - timedelta(days=2),
            status=status, held_at=start + timedelta(hours=hours)
            if held else None, is_public=kind != "planning",
            green_focus=topic in GREEN_TOPICS or rng.random() < 0.15,
            innovation_project=rng.choice(("", "", "Digital tvilling af fjernvarmenet",
                                           "AI-kvalitetskontrol i fødevareproduktion")),
            responsible=staff_by_hub.get(hub.pk),
        )
        specs_rows.append((activity, day, topic))
    Activity.objects.bulk_create([row[0] for row in specs_rows], batch_size=500)
    fundings, co_organisers, registrations = [], [], []
    through = Activity.co_organisers.through
    with_cluster = _with_cluster(rng, ctx, specs_rows, clusters)
    cutoff = datetime.combine(ctx.anchor, time(0), tzinfo=COPENHAGEN)
    for activity, day, _topic in specs_rows:
        fundings += _funding(rng, activity, day, grants)
        partners = []
        if activity.pk in with_cluster:
            partners.append(rng.choice(clusters))
        if knowledge and (activity.type in {"knowledge_dissemination", "collaboration_project"}
                          and rng.random() < 0.5):
            partners.append(rng.choice(knowledge))
        co_organisers += [through(activity_id=activity.pk, organisation_id=pk)
                          for pk in sorted(set(partners))]
        if activity.status != "planned":
            registrations += _registrations(rng, activity,
                                            by_region.get(activity.hub.name, []), everyone,
                                            knowledge_set, cutoff)
    ActivityFunding.objects.bulk_create(fundings, batch_size=1000)
    through.objects.bulk_create(co_organisers, batch_size=1000)
    insert_rows(Registration, REGISTRATION_COLUMNS, registrations)
    return {"activities": len(specs_rows), "registrations": len(registrations),
            "attended": sum(1 for row in registrations if row[8])}


def _with_cluster(rng, ctx, rows, clusters: list[int]) -> set[int]:
    """The activities co-organised with another cluster: a few held ones a year (scaled to
    the demo's size) and one of those ahead."""
    if not clusters:
        return set()
    scale = ctx.sizes.activities_per_year / 120
    by_year: dict[int, list[int]] = {}
    ahead = []
    for activity, day, _topic in rows:
        if activity.type not in CLUSTER_TYPES:
            continue
        if activity.status == "held":
            by_year.setdefault(day.year, []).append(activity.pk)
        else:
            ahead.append(activity.pk)
    chosen = set()
    for year, candidates in sorted(by_year.items()):
        wanted = max(1, round(rng.choice(CLUSTER_ACTIVITIES) * scale))
        if year == ctx.anchor.year:
            wanted = max(1, round(wanted * (ctx.anchor.timetuple().tm_yday / 365)))
        chosen.update(rng.sample(candidates, min(len(candidates), wanted)))
    if ahead:
        chosen.add(rng.choice(ahead))
    return chosen


def _funding(rng, activity, day, grants) -> list[ActivityFunding]:
    ufs = _grant_for(grants[GrantKind.KNOWLEDGE], day, activity)
    deb = _grant_for(grants[GrantKind.BUSINESS], day, activity)
    options = [g for g in (ufs, deb) if g is not None and _eligible(g, activity.type)]
    if not options:
        return []
    if len(options) == 2 and rng.random() < 0.12:
        return [ActivityFunding(activity=activity, grant=g, share=Decimal(50)) for g in options]
    preferred = ufs if activity.type in {"knowledge_dissemination", "collaboration_project"} \
        and ufs in options and rng.random() < 0.7 else rng.choice(options)
    return [ActivityFunding(activity=activity, grant=preferred, share=Decimal(100))]


#: The columns of a registration row (insert_rows), in order.
REGISTRATION_COLUMNS = ("activity", "person", "organisation", "role", "status", "source",
                        "answers", "cancelled_at", "attended", "checked_in_at", "created_at",
                        "updated_at")


def _registrations(rng, activity, local, everyone, knowledge: set[int], cutoff: datetime
                   ) -> list[tuple]:
    """Rows of REGISTRATION_COLUMNS: registered 3-30 days before, some cancelled the day
    before, the others of a held activity marked attended or absent at the check-in."""
    wanted = int(activity.capacity * rng.uniform(0.45, 0.95))
    if activity.status == "open":
        wanted = int(wanted * rng.uniform(0.1, 0.6))
    pool = local if len(local) > wanted * 2 else everyone
    chosen, seen = [], set()
    for org_pk, person in rng.sample(pool, min(len(pool), wanted + 10)):
        if person in seen:
            continue
        seen.add(person)
        chosen.append((org_pk, person))
        if len(chosen) >= wanted:
            break
    rows = []
    for org_pk, person in chosen:
        role = "knowledge_partner" if org_pk in knowledge and rng.random() < 0.3 else (
            "speaker" if rng.random() < 0.04 else "participant")
        source = rng.choice(("public", "public", "staff"))
        created = activity.starts_at - timedelta(days=rng.randint(3, 30),
                                                 minutes=rng.randint(0, 600))
        if created >= cutoff:  # signed up for an activity ahead: before the anchor date
            created = cutoff - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        status, cancelled_at, attended, checked_in_at = "registered", None, None, None
        if rng.random() < 0.05:
            status, cancelled_at = "cancelled", activity.starts_at - timedelta(days=1)
        elif activity.status == "held":
            attended = rng.random() < ATTENDANCE
            checked_in_at = activity.starts_at if attended else None
        rows.append((activity.pk, person, org_pk, role, status, source, {}, cancelled_at,
                     attended, checked_in_at, created, cancelled_at or checked_in_at or created))
    return rows
