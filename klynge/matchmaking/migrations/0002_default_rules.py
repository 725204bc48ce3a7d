"""Horizon Europe's minimum consortium as the default composition rules (editable by staff).

Countries are written as CORDIS writes them (EL for Greece, UK for the United Kingdom) and as
ISO writes them (GR, GB), so both imported and registry organisations count.
"""

from django.db import migrations

EU_MEMBER_STATES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "GR", "ES", "FI",
                    "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT",
                    "RO", "SE", "SI", "SK"]
# Associated to Horizon Europe (2024–2025).
ASSOCIATED_COUNTRIES = ["AL", "AM", "BA", "CA", "CH", "FO", "GE", "IL", "IS", "KR", "MD", "ME",
                        "MK", "NO", "NZ", "RS", "TN", "TR", "UA", "UK", "GB", "XK"]

# Rules are the cluster's own data (staff rename and edit them), seeded in its language.
ROLES = [
    ("Forskningsinstitution eller universitet", 1, ["research", "higher_education"], "any"),
    ("SMV", 1, ["company"], "sme"),
    ("Slutbruger (stor virksomhed eller offentlig myndighed)", 1, ["company", "public"],
     "large"),
]


def forwards(apps, schema_editor):
    rules_model = apps.get_model("matchmaking", "CompositionRules")
    role_model = apps.get_model("matchmaking", "RoleRequirement")
    rules, created = rules_model.objects.get_or_create(
        name="Horizon Europe-samarbejdsprojekt",
        defaults={"min_partners": 3, "max_partners": 8, "min_countries": 3,
                  "eligible_countries": EU_MEMBER_STATES + ASSOCIATED_COUNTRIES,
                  "is_default": True},
    )
    if created:
        for position, (label, count, kinds, size) in enumerate(ROLES):
            role_model.objects.create(rules=rules, label=label, min_count=count, kinds=kinds,
                                      size=size, position=position)


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
