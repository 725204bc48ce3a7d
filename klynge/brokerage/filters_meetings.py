"""FilterSets of meetings (the organiser's list) and of the marketplace (a participant's
view of the other participants)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.choices import Attendance, MeetingOrigin, MeetingStatus, Priority
from klynge.brokerage.models import Meeting, Participant, ParticipationType
from klynge.core.listing import search_terms
from klynge.ecosystem.choices import OrganisationKind

YES_NO = (("yes", _("Yes")), ("no", _("No")))

SIDE_FIELDS = [
    f"{side}__{field}" for side in ("requester", "recipient")
    for field in ("person__first_name", "person__last_name", "person__email",
                  "organisation__name")
]


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices,
                                         empty_label=_("All statuses"))
    origin = django_filters.ChoiceFilter(label=_("Origin"), choices=MeetingOrigin.choices,
                                         empty_label=_("Any origin"))
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices,
                                           empty_label=_("Any priority"))
    scheduled = django_filters.ChoiceFilter(label=_("Scheduled"), choices=YES_NO,
                                            empty_label=_("Scheduled or not"),
                                            method="filter_scheduled")
    attendance = django_filters.ChoiceFilter(label=_("Attendance"), choices=Attendance.choices,
                                             empty_label=_("Any attendance"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "made"), ("requester__person__last_name", "requester"),
                ("recipient__person__last_name", "recipient"), ("priority", "priority"),
                ("status", "status"), ("slot__starts_at", "slot"),
                ("table__position", "table")),
        field_labels={"created_at": _("Made"), "requester__person__last_name": _("Requester"),
                      "recipient__person__last_name": _("Recipient"),
                      "priority": _("Priority"), "status": _("Status"),
                      "slot__starts_at": _("Time"), "table__position": _("Table")},
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, SIDE_FIELDS, value)

    def filter_scheduled(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(status=MeetingStatus.ACCEPTED, slot__isnull=False)
        if value == "no":
            return queryset.filter(status=MeetingStatus.ACCEPTED, slot__isnull=True)
        return queryset


class MarketplaceFilter(django_filters.FilterSet):
    """The marketplace: search the entries, filter by participation type and by the kind of
    organisation."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    type = django_filters.ModelChoiceFilter(label=_("Participation type"), queryset=None,
                                            field_name="participation_type",
                                            empty_label=_("All types"))
    kind = django_filters.ChoiceFilter(label=_("Kind of organisation"),
                                       choices=OrganisationKind.choices,
                                       field_name="organisation__kind",
                                       empty_label=_("All kinds"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("person__last_name", "name"), ("organisation__name", "organisation"),
                ("created_at", "joined")),
        field_labels={"person__last_name": _("Name"), "organisation__name": _("Organisation"),
                      "created_at": _("Joined")},
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        types = ParticipationType.objects.filter(event=event)
        self.filters["type"].queryset = types
        if not types.exists():
            del self.filters["type"]

    def search(self, queryset, name, value):
        return search_terms(queryset, ["person__first_name", "person__last_name",
                                       "organisation__name", "headline", "offers", "seeks"],
                            value)

