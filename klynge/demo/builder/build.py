"""Build the demo ecosystem in one transaction, or notice that it is already there."""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.models import AuditEntry
from klynge.demo.builder import banks
from klynge.demo.builder.activities import build_activities
from klynge.demo.builder.brokerage import build_brokerage
from klynge.demo.builder.consents import build_consents
from klynge.demo.builder.context import MARKER_ACTION, SEED, DemoContext, DemoSizes
from klynge.demo.builder.directory import build_directory
from klynge.demo.builder.evaluations import build_evaluations
from klynge.demo.builder.funding import build_funding
from klynge.demo.builder.interactions import build_interactions
from klynge.demo.builder.logins import DEMO_LOGINS, build_logins
from klynge.demo.builder.matchmaking import build_matchmaking
from klynge.demo.builder.memberships import build_memberships
from klynge.demo.builder.organisations import build_organisations
from klynge.demo.builder.people import build_people
from klynge.demo.builder.projects import build_projects
from klynge.ecosystem.models import Hub, IndustryCode, Organisation
from klynge.ecosystem.reference import industry_codes_load
from klynge.kpis.domain.counting import Period
from klynge.kpis.selectors import snapshot_for
from klynge.kpis.services import snapshot_freeze

#: The years whose KPI figures the demo freezes (as reported to the grant givers), once all
#: its data is there, so the KPI page shows frozen figures beside the current ones.
FROZEN_YEARS = (2023, 2024)


class DemoRefused(Exception):
    """The database holds organisations that are not the demo's."""


@dataclass
class DemoResult:
    """What a build made (or found), for the command to print."""

    built: bool
    anchor: date | None
    counts: dict[str, int] = field(default_factory=dict)
    paying_members: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def demo_marker() -> AuditEntry | None:
    return AuditEntry.objects.filter(action=MARKER_ACTION).order_by("pk").first()


def build_demo(
    *, organisations: int | None = None, people: int | None = None,
    members_2021: int | None = None, members_2025: int | None = None,
    interactions: int | None = None, anchor: date | None = None, force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Build the demo unless it is there. Sizes left out follow `organisations` in the full
    demo's proportions (DemoSizes.scaled).

    All dates are placed relative to `anchor` (default: today), so the demo always looks
    current: history from 2021, interactions from two years before the anchor's year, open
    follow-ups and expiring memberships around the anchor. Two builds with the same sizes
    and anchor are identical. Refuses (DemoRefused) a database that already holds other
    organisations, unless `force`.
    """
    marker = demo_marker()
    if marker is not None:
        return DemoResult(built=False, anchor=date.fromisoformat(marker.data["anchor"]),
                          counts=marker.data.get("counts", {}),
                          paying_members=marker.data.get("paying_members", {}))
    if not force and Organisation.objects.exists():
        raise DemoRefused()
    sizes = DemoSizes.scaled(organisations, people=people, members_2021=members_2021,
                             members_2025=members_2025, interactions=interactions)
    ctx = DemoContext(sizes=sizes, anchor=anchor or timezone.localdate(),
                      data_dir=Path(settings.KLYNGE_DATA_DIR))
    started = time.monotonic()
    with transaction.atomic():
        result = _build(ctx, progress or (lambda message: None))
    result.seconds = time.monotonic() - started
    return result


def _build(ctx: DemoContext, say: Callable[[str], None]) -> DemoResult:
    if not IndustryCode.objects.exists():
        say(_("DB07 industry codes"))
        industry_codes_load()
    say(_("hubs"))
    hubs = _hubs()
    say(_("organisations"))
    specs = build_organisations(ctx, hubs)
    say(_("people"))
    people = build_people(ctx, specs)
    say(_("memberships"))
    paying = build_memberships(ctx, specs)
    say(_("logins"))
    staff = build_logins(ctx, hubs, specs)
    say(_("interactions"))
    interactions = build_interactions(ctx, specs, people, staff)
    say(_("activities"))
    activity_counts = build_activities(ctx, specs, people, staff, hubs)
    say(_("evaluations"))
    evaluation_counts = build_evaluations(ctx)
    say(_("action plans and time registrations"))
    funding_counts = build_funding(ctx, specs, people, staff)
    say(_("consents"))
    consent_counts = build_consents(ctx)
    say(_("member directory"))
    consent_counts.update(build_directory(ctx))
    say(_("projects and EU applications"))
    project_counts = build_projects(ctx, specs, staff, hubs)
    say(_("EU project history, call topics and introductions"))
    matchmaking_counts = build_matchmaking(ctx, specs, people, staff, hubs)
    say(_("B2B meeting events"))
    brokerage_counts = build_brokerage(ctx, specs, people, staff, hubs)
    _analyse()
    say(_("frozen KPI figures"))
    snapshots = _freeze(ctx)
    counts = {
        "hubs": len(hubs), "organisations": len(specs),
        "real_organisations": sum(1 for s in specs if s.source == "cordis"),
        "people": sum(len(ids) for ids in people.values()),
        "staff_users": len(staff), "interactions": interactions, **activity_counts,
        **evaluation_counts, **funding_counts, **consent_counts, **project_counts,
        **matchmaking_counts, **brokerage_counts,
        "kpi_snapshots": snapshots,
    }
    _mark(ctx, counts, paying)
    return DemoResult(built=True, anchor=ctx.anchor, counts=counts, paying_members=paying)


def _hubs() -> dict[str, Hub]:
    hubs = {}
    for name, city, region, email in banks.HUBS:
        hub, _ = Hub.objects.get_or_create(
            name=name, defaults={"city": city, "region": region, "email": email}
        )
        hubs[name] = hub
    return hubs


def _analyse() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load (SQLite needs none).

    Freshly filled tables have no statistics, so the planner takes them for nearly empty and
    joins 100,000 answers by nested loops: the KPI queries of the freeze below then take
    minutes instead of milliseconds. ANALYZE may run inside the build's transaction and sees
    its rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _freeze(ctx: DemoContext) -> int:
    """Freeze the KPI figures of the finished years in FROZEN_YEARS (unless already frozen),
    by the management login, as management does when it reports a year."""
    management = get_user_model().objects.get(email=DEMO_LOGINS[1][0])
    frozen = 0
    for year in FROZEN_YEARS:
        if year >= ctx.anchor.year or snapshot_for(Period.year(year)) is not None:
            continue
        snapshot_freeze(period=Period.year(year), actor=management, note=_(
            "Frozen for the cluster status report %(year)s to the grant givers."
        ) % {"year": year})
        frozen += 1
    return frozen


def _mark(ctx: DemoContext, counts: dict, paying: dict) -> None:
    admin = get_user_model().objects.get(email=DEMO_LOGINS[0][0])
    AuditEntry.objects.create(
        action=MARKER_ACTION, content_type=ContentType.objects.get_for_model(admin),
        object_id=str(admin.pk), object_repr="Demo ecosystem",
        data={"anchor": ctx.anchor.isoformat(), "seed": SEED, "sizes": asdict(ctx.sizes),
              "counts": counts, "paying_members": paying},
    )
