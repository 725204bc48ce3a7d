"""The embedded demo ecosystem: a deterministic, realistic cluster, built by `klynge demo`.

Five hubs; organisations (real Danish ones from the shared CORDIS data where it is there,
the rest generated with Faker da_DK and valid CVR numbers); people with affiliations;
memberships from 2021 (575 paying members on 31 December 2021); staff interactions; one login
per role; activities from 2021 up to the day before the anchor date (both programme periods,
2021-2024 and 2025-2028) with registrations and attendance, some co-organised with other
clusters, and open and planned ones ahead; their evaluations, follow-ups and the annual member
surveys with answers; action plans, budget lines, time registrations and costs of the UFS and
DEB grants of both periods; consents to member communication; EU applications, collaboration
projects, feasibility studies and joint projects with other clusters, with partners and dated
outcomes; and, once all that is there, the KPI figures of 2023 and 2024 frozen by the
management login. Rows are inserted in bulk; one audit entry per organisation records its
origin, and a final audit entry (action klynge.demo.built) marks the database as holding the
demo.
"""

from klynge.demo.builder.build import DemoRefused, DemoResult, build_demo, demo_marker
from klynge.demo.builder.context import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    MARKER_ACTION,
    ORGANISATION_ACTION,
    DemoSizes,
)
from klynge.demo.builder.logins import DEMO_LOGINS, DemoLogin, demo_logins

__all__ = [
    "DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_TOTP_SECRET", "MARKER_ACTION", "ORGANISATION_ACTION",
    "DemoLogin", "DemoRefused", "DemoResult", "DemoSizes", "build_demo", "demo_logins",
    "demo_marker",
]
