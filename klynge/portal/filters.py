"""FilterSet of the staff's invitation list: search, status, organisation, sorting."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.core.listing import search_terms
from klynge.portal.models import Invitation, InvitationStatus


def status_query(value: str) -> Q | None:
    """The derived status (Invitation.status) as a query."""
    now = timezone.now()
    return {
        InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
        InvitationStatus.REVOKED: Q(accepted_at__isnull=True, revoked_at__isnull=False),
        InvitationStatus.EXPIRED: Q(accepted_at__isnull=True, revoked_at__isnull=True,
                                    expires_at__lte=now),
        InvitationStatus.OPEN: Q(accepted_at__isnull=True, revoked_at__isnull=True,
                                 expires_at__gt=now),
    }.get(value)


class InvitationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvitationStatus.choices,
                                         empty_label=_("All statuses"), method="filter_status")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("created_at", "invited"), ("person__first_name", "person"),
                ("organisation__name", "organisation"), ("expires_at", "expires"),
                ("accepted_at", "accepted"), ("sent_at", "sent")),
        field_labels={"created_at": _("Invited"), "person__first_name": _("Person"),
                      "organisation__name": _("Organisation"), "expires_at": _("Expires"),
                      "accepted_at": _("Accepted"), "sent_at": _("Last sent")},
    )

    class Meta:
        model = Invitation
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_terms(queryset, ["person__first_name", "person__last_name", "email",
                                       "organisation__name"], value)

    def filter_status(self, queryset, name, value):
        query = status_query(value)
        return queryset.filter(query) if query is not None else queryset
