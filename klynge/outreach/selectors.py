"""Reads of outreach: who a segment selects, previews, and delivery logs."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.models import FocusNetwork, FocusNetworkMember
from klynge.ecosystem.choices import Language, OrganisationKind, Region
from klynge.ecosystem.models import Affiliation, FocusArea, Hub, Membership, Organisation, Person
from klynge.outreach.choices import MEMBERSHIP_CHOICES, DeliveryStatus
from klynge.outreach.domain.segments import (
    MEMBERSHIP_MEMBER,
    MEMBERSHIP_NONE,
    MEMBERSHIP_PAYING,
    SegmentFilters,
)
from klynge.outreach.models import Delivery, Invitation, Segment
from klynge.privacy.choices import Purpose
from klynge.privacy.selectors import CONSENT_STATE, annotate_consent

#: The purpose an activity invitation needs consent to (see `klynge.outreach.services`).
INVITATION_PURPOSE = Purpose.MEMBER_COMMUNICATION
PREVIEW_SIZE = 50


def _organisations(filters: SegmentFilters, day: date) -> QuerySet:
    organisations = Organisation.objects.all()
    if filters.organisation_kinds:
        organisations = organisations.filter(kind__in=filters.organisation_kinds)
    if filters.regions:
        organisations = organisations.filter(region__in=filters.regions)
    if filters.hubs:
        organisations = organisations.filter(hub_id__in=filters.hubs)
    if filters.focus_areas:
        organisations = organisations.filter(
            Exists(Organisation.focus_areas.through.objects.filter(
                organisation_id=OuterRef("pk"), focusarea_id__in=filters.focus_areas
            ))
        )
    memberships = Membership.objects.filter(organisation=OuterRef("pk"))
    if filters.membership == MEMBERSHIP_PAYING:
        organisations = organisations.filter(Exists(memberships.paying_on(day)))
    elif filters.membership == MEMBERSHIP_MEMBER:
        organisations = organisations.filter(Exists(memberships.current(day)))
    elif filters.membership == MEMBERSHIP_NONE:
        organisations = organisations.exclude(Exists(memberships.current(day)))
    return organisations


def segment_people(filters: SegmentFilters | Segment, day: date | None = None) -> QuerySet:
    """The people a segment selects: each once, with a current affiliation (started, not
    ended) to an organisation matching the organisation conditions, and matching the person
    conditions (language, focus network membership)."""
    if isinstance(filters, Segment):
        filters = filters.parsed_filters
    day = day or timezone.localdate()
    affiliations = Affiliation.objects.filter(
        person=OuterRef("pk"), organisation__in=_organisations(filters, day)
    ).filter(Q(start_date__isnull=True) | Q(start_date__lte=day)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    people = Person.objects.filter(Exists(affiliations))
    if filters.language:
        people = people.filter(language=filters.language)
    if filters.focus_network:
        people = people.filter(Exists(FocusNetworkMember.objects.filter(
            person=OuterRef("pk"), network_id=filters.focus_network,
        ).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))))
    return people.order_by("last_name", "first_name", "pk")


@dataclass(frozen=True)
class SegmentPreview:
    total: int
    reachable: int
    no_consent: int
    unsubscribed: int
    first: list


def segment_preview(filters: SegmentFilters | Segment) -> SegmentPreview:
    """How many a segment selects, how many an invitation would reach, and the first 50."""
    people = annotate_consent(segment_people(filters), INVITATION_PURPOSE)
    counts = people.aggregate(
        total=Count("pk"),
        reachable=Count("pk", filter=Q(**{CONSENT_STATE: True})),
        unsubscribed=Count("pk", filter=Q(**{CONSENT_STATE: False})),
        no_consent=Count("pk", filter=Q(**{f"{CONSENT_STATE}__isnull": True})),
    )
    return SegmentPreview(first=list(people[:PREVIEW_SIZE]), **counts)


def segment_list() -> QuerySet:
    return Segment.objects.select_related("created_by").annotate(
        invitation_count=Count("invitations")
    )


def delivery_counts(invitation: Invitation) -> dict[str, int]:
    """The number of deliveries per status, every status present (zero when none)."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in invitation.deliveries.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def invitation_deliveries(invitation: Invitation, status: str | None = None) -> QuerySet:
    deliveries = Delivery.objects.filter(invitation=invitation).select_related("person")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("person__last_name", "person__first_name", "pk")


def activity_invitations(activity) -> QuerySet:
    return Invitation.objects.filter(activity=activity).select_related("segment", "sent_by")


def invitation_list() -> QuerySet:
    return Invitation.objects.select_related("activity", "segment", "sent_by")


def segment_conditions(filters: SegmentFilters) -> list[tuple[str, str]]:
    """The segment's conditions as (label, text) rows a person can read."""
    def labels(choices, values):
        names = dict(choices)
        return ", ".join(str(names.get(value, value)) for value in values)

    rows = []
    if filters.organisation_kinds:
        rows.append((_("Kinds of organisation"),
                     labels(OrganisationKind.choices, filters.organisation_kinds)))
    if filters.focus_areas:
        areas = FocusArea.objects.filter(pk__in=filters.focus_areas)
        rows.append((_("Focus areas and themes"), ", ".join(str(a) for a in areas)))
    if filters.regions:
        rows.append((_("Regions"), labels(Region.choices, filters.regions)))
    if filters.hubs:
        rows.append((_("Hubs"), ", ".join(h.name for h in Hub.objects.filter(pk__in=filters.hubs))))
    if filters.membership:
        rows.append((_("Membership"), labels(MEMBERSHIP_CHOICES, [filters.membership])))
    if filters.focus_network:
        network = FocusNetwork.objects.filter(pk=filters.focus_network).first()
        rows.append((_("Focus network"), network.name if network else _("(deleted)")))
    if filters.language:
        rows.append((_("Preferred language"), labels(Language.choices, [filters.language])))
    return rows
