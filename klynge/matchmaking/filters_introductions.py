"""FilterSet of the introduction list: search, derived status, purpose, hub, outcome, when."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klynge.core.listing import search_terms
from klynge.ecosystem.forms import DateInput
from klynge.ecosystem.models import Hub
from klynge.matchmaking.choices import IntroductionStatus, Purpose, Response
from klynge.matchmaking.models import Introduction
from klynge.projects.choices import OutcomeKind

ACCEPTED = Q(response_a=Response.ACCEPTED, response_b=Response.ACCEPTED)
DECLINED = Q(response_a=Response.DECLINED) | Q(response_b=Response.DECLINED)

#: The derived status as a query (Introduction.status computes it for one record).
STATUS_QUERIES = {
    IntroductionStatus.DECLINED: DECLINED,
    IntroductionStatus.ACCEPTED: ACCEPTED & ~DECLINED,
    IntroductionStatus.DRAFT: Q(sent_at__isnull=True) & ~DECLINED & ~ACCEPTED,
    IntroductionStatus.WAITING: Q(sent_at__isnull=False) & ~DECLINED & ~ACCEPTED,
}


class IntroductionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=IntroductionStatus.choices,
                                         empty_label=_("All statuses"), method="filter_status")
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=Purpose.choices,
                                          empty_label=_("All purposes"))
    hub = django_filters.ModelChoiceFilter(label=_("Hub"), queryset=Hub.objects.all(),
                                           empty_label=_("All hubs"))
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=OutcomeKind.choices,
                                          empty_label=_("Any or no outcome"),
                                          method="filter_outcome")
    made_from = django_filters.DateFilter(label=_("Made from"), field_name="created_at",
                                          lookup_expr="date__gte", widget=DateInput())
    made_to = django_filters.DateFilter(label=_("Made to"), field_name="created_at",
                                        lookup_expr="date__lte", widget=DateInput())
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "made"), ("organisation_a__name", "organisation"),
                ("organisation_b__name", "other"), ("sent_at", "sent"), ("score", "score"),
                ("hub__name", "hub"), ("outcome_count", "outcomes")),
        field_labels={"created_at": _("Made"), "organisation_a__name": _("Organisation"),
                      "organisation_b__name": _("Introduced to"), "sent_at": _("Sent"),
                      "score": _("Score"), "hub__name": _("Hub"),
                      "outcome_count": _("Outcomes")},
    )

    class Meta:
        model = Introduction
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["organisation_a__name", "organisation_b__name"], value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(STATUS_QUERIES[value]) if value in STATUS_QUERIES else queryset

    def filter_outcome(self, queryset, name, value):
        ids = Introduction.objects.filter(outcomes__kind=value).values("pk")
        return queryset.filter(pk__in=ids)
