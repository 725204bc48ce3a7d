"""What the registry's API endpoints share: who reads, and the viewset base that scopes
members to their own organisation."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from klynge.core.roles import CLUSTER_TEAM, Role

READERS = CLUSTER_TEAM | {Role.MEMBER}


def is_member(request) -> bool:
    return getattr(request.user, "role", None) == Role.MEMBER


class RegistryViewSet(viewsets.GenericViewSet):
    """Shared by the registry's endpoints: the UI's FilterSets, members scoped, team writes."""

    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"
    write_access = CLUSTER_TEAM

    def member_scope(self, queryset, organisation_id):
        """The part of `queryset` a member of organisation `organisation_id` may see."""
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        if is_member(self.request):
            queryset = self.member_scope(queryset, self.request.user.organisation_id)
        return queryset

    def refetched(self, obj):
        """The record as the list shows it (with its annotations), after a write."""
        return self.base_queryset().get(pk=obj.pk)
