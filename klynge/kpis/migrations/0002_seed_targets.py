"""Table 1's targets (DOMAIN.md) for 2021-2024 with a straight trajectory to them, and
editable defaults for the programme period 2025-2028."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# kpi: {year: target}. Flows (KPIs 2-6) are cumulative from the period's start; KPI 1 is a
# share in per cent of the members, KPI 7 the paying members on 31 December.
PERIODS = {
    "2021–2024": (date(2021, 1, 1), date(2024, 12, 31), {
        "innovative_members": {2021: 20, 2022: 25, 2023: 30, 2024: 35},
        "cluster_collaborations": {2021: 5, 2022: 10, 2023: 15, 2024: 20},
        "international_visibility": {2021: 15, 2022: 30, 2023: 45, 2024: 60},
        "eu_applications": {2021: 11, 2022: 22, 2023: 34, 2024: 45},
        "commercial_use": {2021: 5, 2022: 10, 2023: 15, 2024: 20},
        "green_contacts": {2021: 15, 2022: 30, 2023: 45, 2024: 60},
        "paying_members": {2021: 575, 2022: 650, 2023: 725, 2024: 800},
    }),
    "2025–2028": (date(2025, 1, 1), date(2028, 12, 31), {
        "innovative_members": {2025: 35, 2026: 37, 2027: 38, 2028: 40},
        "cluster_collaborations": {2025: 5, 2026: 10, 2027: 15, 2028: 20},
        "international_visibility": {2025: 15, 2026: 30, 2027: 45, 2028: 60},
        "eu_applications": {2025: 12, 2026: 25, 2027: 37, 2028: 50},
        "commercial_use": {2025: 5, 2026: 10, 2027: 15, 2028: 20},
        "green_contacts": {2025: 15, 2026: 30, 2027: 45, 2028: 60},
        "paying_members": {2025: 650, 2026: 700, 2027: 750, 2028: 800},
    }),
}
#: Table 1's range for paying members in 2024 (800-1,000) and its continuation.
HIGH = {("2021–2024", 2024): 1000, ("2025–2028", 2028): 1000}


def seed(apps, schema_editor):
    period_model = apps.get_model("kpis", "TargetPeriod")
    target_model = apps.get_model("kpis", "KpiTarget")
    for name, (start, end, targets) in PERIODS.items():
        period, _created = period_model.objects.get_or_create(
            name=name, defaults={"start": start, "end": end}
        )
        for kpi, years in targets.items():
            for year, value in years.items():
                high = HIGH.get((name, year)) if kpi == "paying_members" else None
                target_model.objects.get_or_create(
                    period=period, kpi=kpi, year=year,
                    defaults={"value": Decimal(value),
                              "value_high": Decimal(high) if high else None},
                )


class Migration(migrations.Migration):
    dependencies = [("kpis", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
