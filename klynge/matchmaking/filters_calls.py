"""The call-topic list's filters: search, programme, open/upcoming/closed, deadline range."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.core.listing import search_terms
from klynge.matchmaking.models import CallTopic

OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
STATUS_CHOICES = [(OPEN, _("Open now")), (UPCOMING, _("Opens later")),
                  (CLOSED, _("Deadline passed"))]


def status_query(value: str, today) -> Q:
    """Open: opened (or no opening date) and the deadline not passed (or none); upcoming:
    opens after today; closed: the deadline passed."""
    if value == OPEN:
        return ((Q(opens_on__isnull=True) | Q(opens_on__lte=today))
                & (Q(deadline__isnull=True) | Q(deadline__gte=today)))
    if value == UPCOMING:
        return Q(opens_on__gt=today)
    return Q(deadline__lt=today)


def call_status(call: CallTopic, today) -> str:
    if call.deadline is not None and call.deadline < today:
        return CLOSED
    if call.opens_on is not None and call.opens_on > today:
        return UPCOMING
    return OPEN


class CallTopicFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    programme = django_filters.ChoiceFilter(label=_("Programme"), choices=[],
                                            empty_label=_("All programmes"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES,
                                         method="filter_status", empty_label=_("Any status"))
    deadline_from = django_filters.DateFilter(
        label=_("Deadline from"), field_name="deadline", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}))
    deadline_to = django_filters.DateFilter(
        label=_("Deadline until"), field_name="deadline", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("deadline", "deadline"), ("identifier", "identifier"), ("title", "title"),
                ("programme", "programme"), ("opens_on", "opens")),
        field_labels={"deadline": _("Deadline"), "identifier": _("Identifier"),
                      "title": _("Title"), "programme": _("Programme"),
                      "opens_on": _("Opens")},
    )

    class Meta:
        model = CallTopic
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = (CallTopic.objects.exclude(programme="").order_by("programme")
                      .values_list("programme", flat=True).distinct())
        self.filters["programme"].extra["choices"] = [(p, p) for p in programmes]

    def search(self, queryset, name, value):
        return search_terms(queryset, ["identifier", "title", "description"], value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_query(value, timezone.localdate()))
