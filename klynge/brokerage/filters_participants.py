"""FilterSets of the organiser's lists: the events, and one event's participants."""

import django_filters
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.models import BrokerageEvent, Participant, ParticipationType
from klynge.core.listing import search_terms
from klynge.ecosystem.models import Hub

YES_NO = (("yes", _("Yes")), ("no", _("No")))


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    when = django_filters.ChoiceFilter(
        label=_("When"), method="filter_when", empty_label=_("Any time"),
        choices=(("upcoming", _("Upcoming")), ("past", _("Past"))))
    hub = django_filters.ModelChoiceFilter(label=_("Hub"), queryset=Hub.objects.all(),
                                           field_name="activity__hub", empty_label=_("All hubs"))
    published = django_filters.ChoiceFilter(
        label=_("Schedule published"), choices=YES_NO, empty_label=_("Either"),
        method="filter_published")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("activity__starts_at", "date"), ("activity__title", "title"),
                ("activity__hub__name", "hub"), ("participant_count", "participants"),
                ("accepted_count", "accepted"), ("scheduled_count", "scheduled")),
        field_labels={"activity__starts_at": _("Date"), "activity__title": _("Activity"),
                      "activity__hub__name": _("Hub"),
                      "participant_count": _("Participants"),
                      "accepted_count": _("Accepted"), "scheduled_count": _("Scheduled")},
    )

    class Meta:
        model = BrokerageEvent
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["activity__title", "activity__place"], value)

    def filter_when(self, queryset, name, value):
        if value == "upcoming":
            return queryset.filter(is_past=False)
        if value == "past":
            return queryset.filter(is_past=True)
        return queryset

    def filter_published(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(published_at__isnull=value == "no")
        return queryset


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    type = django_filters.ModelChoiceFilter(
        label=_("Participation type"), field_name="participation_type",
        queryset=ParticipationType.objects.none(), empty_label=_("All types"))
    state = django_filters.ChoiceFilter(
        label=_("Taking part"), method="filter_state", empty_label=_("All"),
        choices=(("active", _("Taking part")), ("withdrawn", _("Withdrawn"))))
    meetings = django_filters.ChoiceFilter(
        label=_("Has accepted meetings"), choices=YES_NO, empty_label=_("Either"),
        method="filter_meetings")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("person__last_name", "name"), ("organisation__name", "organisation"),
                ("participation_type__name", "type"), ("made_count", "made"),
                ("received_count", "received"), ("accepted_count", "accepted"),
                ("scheduled_count", "scheduled"), ("created_at", "added")),
        field_labels={"person__last_name": _("Name"), "organisation__name": _("Organisation"),
                      "participation_type__name": _("Type"), "made_count": _("Requests made"),
                      "received_count": _("Requests received"),
                      "accepted_count": _("Accepted"), "scheduled_count": _("Scheduled"),
                      "created_at": _("Added")},
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            types = event.participation_types.all()
            if types:
                self.filters["type"].queryset = types
            else:  # an event without types: no filter to offer
                del self.filters["type"]

    def search(self, queryset, name, value):
        return search_terms(queryset, [
            "person__first_name", "person__last_name", "person__email", "organisation__name",
            "headline", "offers", "seeks"], value)

    def filter_state(self, queryset, name, value):
        if value == "active":
            return queryset.filter(withdrawn_at__isnull=True)
        if value == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset

    def filter_meetings(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(accepted_count__gt=0)
        if value == "no":
            return queryset.filter(accepted_count=0)
        return queryset
