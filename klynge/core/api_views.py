"""The viewset base every domain app's API endpoints share (`ApiViewSet`), and who is asking
(`is_team`, `is_member`).

Not in `core/api.py`: REST framework imports that module (the default permission and
pagination classes) while its own views module is still loading, and a viewset base needs
that module. `?format=` is no choice of renderer anywhere (`URL_FORMAT_OVERRIDE` is None in
the settings): the API answers JSON only, and `format` is an activity filter."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from klynge.core.roles import CLUSTER_TEAM, Role


def is_team(user) -> bool:
    return getattr(user, "role", None) in CLUSTER_TEAM


def is_member(user) -> bool:
    return getattr(user, "role", None) == Role.MEMBER


class ApiViewSet(viewsets.GenericViewSet):
    """The UI's FilterSets (their `ordering` sorts), numeric ids, the cluster team writes
    (`write_access`, read by `core.api.DeclaredAccess`). Each viewset scopes members in
    `get_queryset`: another organisation's record is then a 404."""

    filter_backends = [DjangoFilterBackend]
    lookup_value_regex = r"[0-9]+"
    write_access = CLUSTER_TEAM


class MemberScopedViewSet(ApiViewSet):
    """An `ApiViewSet` whose members see `member_scope` of `base_queryset`."""

    def base_queryset(self):
        raise NotImplementedError

    def member_scope(self, queryset, organisation_id):
        """The part of `queryset` a member of organisation `organisation_id` may see."""
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.base_queryset()
        if is_member(self.request.user):
            queryset = self.member_scope(queryset, self.request.user.organisation_id)
        return queryset

    def refetched(self, obj):
        """The record as the list shows it (with its annotations), after a write."""
        return self.base_queryset().get(pk=obj.pk)
