"""FilterSets for the activity lists; the API of a later issue reuses them."""

import django_filters
from django.utils.translation import gettext_lazy as _

from klynge.activities.choices import ActivityFormat, ActivityStatus, ActivityType
from klynge.activities.models import Activity, FocusNetwork
from klynge.core.listing import search_terms
from klynge.ecosystem.models import FocusArea, Hub
from klynge.funding.models import Grant

PUBLIC, INTERNAL = "public", "internal"


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ActivityType.choices, empty_label=_("All types")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=ActivityFormat.choices, empty_label=_("All formats")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActivityStatus.choices, empty_label=_("All statuses")
    )
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs")
    )
    grant = django_filters.ModelChoiceFilter(
        label=_("Grant"), queryset=Grant.objects.all(), field_name="fundings__grant",
        distinct=True, empty_label=_("Any funding"),
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="starts_at", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="starts_at", lookup_expr="date__lte"
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Public or internal"),
        choices=[(PUBLIC, _("Public")), (INTERNAL, _("Internal"))],
        method="filter_visibility", empty_label=_("Public and internal"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), queryset=FocusArea.objects.filter(is_active=True),
        field_name="focus_areas", distinct=True, empty_label=_("All focus areas"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("starts_at", "starts"), ("title", "title"), ("type", "type"),
                ("format", "format"), ("status", "status"), ("hub__name", "hub"),
                ("registered_count", "registered")),
        field_labels={"starts_at": _("Starts"), "title": _("Title"), "type": _("Type"),
                      "format": _("Format"), "status": _("Status"), "hub__name": _("Hub"),
                      "registered_count": _("Registered")},
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["title", "description", "place"], value)

    def filter_visibility(self, queryset, name, value):
        return queryset.filter(is_public=(value == PUBLIC))


class FocusNetworkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs")
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("hub__name", "hub"), ("member_count", "members")),
        field_labels={"name": _("Name"), "hub__name": _("Hub"), "member_count": _("Members")},
    )

    class Meta:
        model = FocusNetwork
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["name", "description"], value)
