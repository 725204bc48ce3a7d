"""The seed's grant givers and grants, with their rules' default thresholds.

These are defaults: staff edit grants, periods, eligible types and thresholds in the admin.
Values are written inline (not imported from klynge.funding.choices) so that this migration
keeps meaning what it meant when it ran.

Choices where the seed is not a number:
- UFS "most of the money spent by knowledge institutions": min_knowledge_spend_share 0.5,
  checked as strictly more than 50 %.
- DEB "a substantial share related to concrete innovation projects": 0.5 (half of the DEB
  activities of a year), a default to tune once the grant giver names a figure.
- Green transition is "a special focus", not a threshold: min_green_share 0 (the share is
  shown, never failed).
- 2025-2028: UFS, a DEB innovation grant and a DEB basic grant, with the same defaults.
"""

from datetime import date

from django.db import migrations

KNOWLEDGE_TYPES = [
    "knowledge_dissemination", "matchmaking", "collaboration_project", "internationalisation",
    "planning",
]
BUSINESS_TYPES = [*KNOWLEDGE_TYPES[:4], "access_to_finance", "entrepreneurship", "planning"]

GIVERS = [
    ("UFS", "Uddannelses- og Forskningsstyrelsen"),
    ("DEB", "Danmarks Erhvervsfremmebestyrelse"),
]

KNOWLEDGE_RULES = {
    "kind": "knowledge", "eligible_types": KNOWLEDGE_TYPES, "min_actors": 3,
    "min_companies": 2, "min_knowledge_institutions": 1, "min_knowledge_spend_share": "0.500",
    "min_innovation_project_share": "0", "min_green_share": "0",
}
BUSINESS_RULES = {
    "kind": "business", "eligible_types": BUSINESS_TYPES, "min_actors": 2,
    "min_companies": 1, "min_knowledge_institutions": 0, "min_knowledge_spend_share": "0",
    "min_innovation_project_share": "0.500", "min_green_share": "0",
}

GRANTS = [
    ("UFS", "UFS-2021", "UFS cluster grant 2021–2024", 2021, 2024, KNOWLEDGE_RULES),
    ("DEB", "DEB-2021", "DEB cluster grant 2021–2024", 2021, 2024, BUSINESS_RULES),
    ("UFS", "UFS-2025", "UFS cluster grant 2025–2028", 2025, 2028, KNOWLEDGE_RULES),
    ("DEB", "DEB-INNO-2025", "DEB innovation grant 2025–2028 (partly EU regional funds)",
     2025, 2028, BUSINESS_RULES),
    ("DEB", "DEB-BASIC-2025", "DEB basic grant 2025–2028", 2025, 2028, BUSINESS_RULES),
]


def seed(apps, schema_editor):
    GrantGiver = apps.get_model("funding", "GrantGiver")
    Grant = apps.get_model("funding", "Grant")
    givers = {}
    for short_name, name in GIVERS:
        givers[short_name], _created = GrantGiver.objects.get_or_create(
            short_name=short_name, defaults={"name": name}
        )
    for giver, code, name, first, last, rules in GRANTS:
        Grant.objects.get_or_create(
            code=code,
            defaults={"giver": givers[giver], "name": name, "period_start": date(first, 1, 1),
                      "period_end": date(last, 12, 31), **rules},
        )


def unseed(apps, schema_editor):
    Grant = apps.get_model("funding", "Grant")
    GrantGiver = apps.get_model("funding", "GrantGiver")
    Grant.objects.filter(
        code__in=[code for _giver, code, *_rest in GRANTS], activity_fundings__isnull=True,
        time_registrations__isnull=True, costs__isnull=True, action_plans__isnull=True,
    ).delete()
    GrantGiver.objects.filter(grants__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("funding", "0002_action_plans_budgets_time_costs")]

    operations = [migrations.RunPython(seed, unseed)]
