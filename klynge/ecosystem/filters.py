"""FilterSets for the registry lists; the API of a later issue reuses them."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.core.listing import search_terms
from klynge.ecosystem.choices import (
    KNOWLEDGE_INSTITUTION_KINDS,
    InteractionKind,
    MembershipStatus,
    OrganisationKind,
    Region,
    Size,
)
from klynge.ecosystem.models import (
    FocusArea,
    Hub,
    Interaction,
    Membership,
    MembershipTier,
    Organisation,
    Person,
)

KNOWLEDGE = "knowledge"
NO_MEMBERSHIP = "none"


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(KNOWLEDGE, _("Knowledge institution (all kinds)")), *OrganisationKind.choices],
        method="filter_kind", empty_label=_("All kinds"),
    )
    size = django_filters.ChoiceFilter(
        label=_("Size"), choices=[*Size.choices, ("startup", _("Startup"))],
        method="filter_size", empty_label=_("All sizes"),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All regions")
    )
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs")
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), queryset=FocusArea.objects.filter(is_active=True),
        field_name="focus_areas", empty_label=_("All focus areas"),
    )
    membership = django_filters.ChoiceFilter(
        label=_("Membership"),
        choices=[*MembershipStatus.choices, (NO_MEMBERSHIP, _("Not a member"))],
        method="filter_membership", empty_label=_("Members and others"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("cvr", "cvr"), ("kind", "kind"), ("region", "region"),
                ("hub__name", "hub"), ("created_at", "created"), ("size_value", "size"),
                ("membership_status", "membership")),
        field_labels={"name": _("Name"), "cvr": _("CVR"), "kind": _("Kind"),
                      "region": _("Region"), "hub__name": _("Hub"), "created_at": _("Created"),
                      "size_value": _("Size"), "membership_status": _("Membership")},
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["name", "cvr", "city", "vat_number", "description"], value)

    def filter_kind(self, queryset, name, value):
        if value == KNOWLEDGE:
            return queryset.filter(kind__in=list(KNOWLEDGE_INSTITUTION_KINDS))
        return queryset.filter(kind=value)

    def filter_size(self, queryset, name, value):
        if value == "startup":
            return queryset.filter(is_startup=True)
        return queryset.filter(size_value=value)

    def filter_membership(self, queryset, name, value):
        if value == NO_MEMBERSHIP:
            return queryset.filter(membership_status__isnull=True)
        return queryset.filter(membership_status=value)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs"),
        field_name="affiliations__organisation__hub", distinct=True,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=[("da", _("Danish")), ("en", _("English"))],
        empty_label=_("Any language"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("last_name", "name"), ("email", "email"),
                ("primary_organisation_name", "organisation"), ("created_at", "created")),
        field_labels={"last_name": _("Name"), "email": _("E-mail"),
                      "primary_organisation_name": _("Organisation"), "created_at": _("Created")},
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(
            queryset, ["first_name", "last_name", "email", "job_title", "phone"], value
        )


class InteractionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=InteractionKind.choices, empty_label=_("All kinds")
    )
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs")
    )
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")
    follow_up = django_filters.ChoiceFilter(
        label=_("Follow-up"),
        choices=[("open", _("Open")), ("overdue", _("Overdue")), ("done", _("Done"))],
        method="filter_follow_up", empty_label=_("With or without"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("date", "date"), ("organisation__name", "organisation"),
                ("follow_up_date", "follow_up")),
        field_labels={"date": _("Date"), "organisation__name": _("Organisation"),
                      "follow_up_date": _("Follow up on")},
    )

    class Meta:
        model = Interaction
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(
            queryset, ["subject", "notes", "next_step", "organisation__name"], value
        )

    def filter_follow_up(self, queryset, name, value):
        if value == "done":
            return queryset.filter(follow_up_done_at__isnull=False)
        queryset = queryset.filter(follow_up_date__isnull=False, follow_up_done_at__isnull=True)
        if value == "overdue":
            queryset = queryset.filter(follow_up_date__lt=timezone.localdate())
        return queryset


class MembershipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MembershipStatus.choices, empty_label=_("All statuses")
    )
    tier = django_filters.ModelChoiceFilter(
        label=_("Tier"), queryset=MembershipTier.objects.all(), empty_label=_("All tiers")
    )
    hub = django_filters.ModelChoiceFilter(
        label=_("Hub"), queryset=Hub.objects.all(), empty_label=_("All hubs"),
        field_name="organisation__hub",
    )
    running_on = django_filters.DateFilter(label=_("Running on"), method="filter_running_on")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("start_date", "start"), ("end_date", "end"),
                ("organisation__name", "organisation"), ("annual_fee", "fee")),
        field_labels={"start_date": _("Start"), "end_date": _("End"),
                      "organisation__name": _("Organisation"), "annual_fee": _("Annual fee")},
    )

    class Meta:
        model = Membership
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["organisation__name", "organisation__cvr", "notes"], value)

    def filter_running_on(self, queryset, name, value):
        return queryset.on(value)

