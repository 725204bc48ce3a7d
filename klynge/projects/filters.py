"""FilterSet for the project list; the API of a later issue reuses it."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.core.listing import search_terms
from klynge.ecosystem.forms import ORGANISATION_PICKER_ATTRS
from klynge.ecosystem.models import FocusArea, Hub
from klynge.projects.choices import ProjectKind, ProjectStatus
from klynge.projects.models import Project


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProjectKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectStatus.choices, empty_label=_("All statuses")
    )
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs")
    )
    submitted_year = django_filters.NumberFilter(
        label=_("Submitted in (year)"), field_name="submitted_on", lookup_expr="year",
        min_value=1, max_value=9999, decimal_places=0,  # a year Python's dates can hold
        widget=forms.NumberInput(attrs={"min": 1990, "max": 2100, "placeholder": "2025"}),
    )
    start_year = django_filters.NumberFilter(
        label=_("Started in (year)"), field_name="start_date", lookup_expr="year",
        min_value=1, max_value=9999, decimal_places=0,  # a year Python's dates can hold
        widget=forms.NumberInput(attrs={"min": 1990, "max": 2100, "placeholder": "2025"}),
    )
    partner = django_filters.CharFilter(
        label=_("Partner organisation"), method="filter_partner",
        widget=forms.TextInput(attrs=ORGANISATION_PICKER_ATTRS),
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), queryset=FocusArea.objects.filter(is_active=True),
        field_name="focus_areas", distinct=True, empty_label=_("All focus areas"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("title", "title"), ("kind", "kind"), ("status", "status"),
                ("submitted_on", "submitted"), ("start_date", "start"),
                ("hub__name", "hub"), ("partner_count", "partners"), ("budget", "budget")),
        field_labels={"title": _("Title"), "kind": _("Kind"), "status": _("Status"),
                      "submitted_on": _("Submitted"), "start_date": _("Start"),
                      "hub__name": _("Hub"), "partner_count": _("Partners"),
                      "budget": _("Budget")},
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(
            queryset, ["title", "acronym", "call_identifier", "programme", "description"], value
        )

    def filter_partner(self, queryset, name, value):
        """A picked "Name [#id]" filters by that organisation; other text by name or CVR."""
        value = value.strip()
        match = re.search(r"\[#(\d+)\]\s*$", value)
        if match:
            partners = Q(partnerships__organisation_id=int(match.group(1)))
        else:
            partners = Q(partnerships__organisation__name__icontains=value) | Q(
                partnerships__organisation__cvr=value
            )
        ids = Project.objects.filter(partners).values("pk")
        return queryset.filter(pk__in=ids)
