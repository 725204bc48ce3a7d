"""FilterSets for the time and cost lists (and their CSV/XLSX exports)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from klynge.funding.models import Cost, TimeRegistration


class _GrantSpendFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="date", lookup_expr="year")
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")
    knowledge_institutions = django_filters.BooleanFilter(
        label=_("Knowledge institutions only"), field_name="organisation",
        lookup_expr="isnull", exclude=True,
    )


class TimeRegistrationFilter(_GrantSpendFilter):
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"), fields=(("date", "date"), ("hours", "hours")),
        field_labels={"date": _("Date"), "hours": _("Hours")},
    )

    class Meta:
        model = TimeRegistration
        fields: list[str] = []


class CostFilter(_GrantSpendFilter):
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"), fields=(("date", "date"), ("amount", "amount")),
        field_labels={"date": _("Date"), "amount": _("Amount")},
    )

    class Meta:
        model = Cost
        fields: list[str] = []
