"""The registry's read-only API endpoints: affiliations and reference data (hubs, focus
areas, membership tiers). Registered with the rest by klynge.ecosystem.api.register."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from klynge.core.api_views import MemberScopedViewSet
from klynge.core.permissions import access
from klynge.core.roles import TEAM_AND_MEMBERS
from klynge.ecosystem.models import Affiliation, FocusArea, Hub, MembershipTier


class AffiliationFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    person = django_filters.NumberFilter(field_name="person_id")
    current = django_filters.BooleanFilter(method="filter_current",
                                           label=_("Only current affiliations"))

    class Meta:
        model = Affiliation
        fields: list[str] = []

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        running = Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate())
        return queryset.filter(running) if value else queryset.exclude(running)


class AffiliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Affiliation
        fields = ["id", "person", "organisation", "role", "is_primary", "start_date",
                  "end_date"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary=_("List affiliations")),
                    retrieve=extend_schema(summary=_("One affiliation")))
@access(TEAM_AND_MEMBERS)
class AffiliationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MemberScopedViewSet):
    """Who works where (read-only; affiliations are managed on the people pages).

    Cluster team: every affiliation. Members: their own organisation's only (others 404).
    Filters: `organisation`, `person` (ids), `current` (true/false).
    """

    filterset_class = AffiliationFilter
    serializer_class = AffiliationSerializer

    def base_queryset(self):
        return Affiliation.objects.order_by("organisation_id", "-is_primary", "pk")

    def member_scope(self, queryset, organisation_id):
        return queryset.filter(organisation_id=organisation_id)


class HubSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hub
        fields = ["id", "name", "city", "region", "email"]
        read_only_fields = fields


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["id", "name_da", "name_en", "kind", "parent", "position", "is_active"]
        read_only_fields = fields


class MembershipTierSerializer(serializers.ModelSerializer):
    class Meta:
        model = MembershipTier
        fields = ["id", "name", "annual_fee", "description", "position"]
        read_only_fields = fields


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    filter_backends: list = []
    lookup_value_regex = r"[0-9]+"


@access(TEAM_AND_MEMBERS)
class HubViewSet(ReferenceViewSet):
    """The cluster's hubs (read-only reference data, for the cluster team and members)."""

    queryset = Hub.objects.order_by("name", "pk")
    serializer_class = HubSerializer


@access(TEAM_AND_MEMBERS)
class FocusAreaViewSet(ReferenceViewSet):
    """Focus areas and themes (read-only reference data, for the cluster team and members)."""

    queryset = FocusArea.objects.order_by("kind", "position", "pk")
    serializer_class = FocusAreaSerializer


@access(TEAM_AND_MEMBERS)
class MembershipTierViewSet(ReferenceViewSet):
    """Membership tiers and their standard fees (read-only reference data)."""

    queryset = MembershipTier.objects.order_by("position", "pk")
    serializer_class = MembershipTierSerializer


