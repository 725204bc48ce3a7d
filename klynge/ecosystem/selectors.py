"""Reads from the registry: lists with the annotations pages need, timelines, duplicates."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process, utils

from klynge.core.audit import audit_entries_for
from klynge.ecosystem.choices import ACTIVE_MEMBERSHIP_STATUSES, MembershipStatus
from klynge.ecosystem.models import Interaction, Membership, Organisation, Person


def _current_membership(day: date):
    return (
        Membership.objects.filter(organisation=OuterRef("pk"))
        .on(day)
        .order_by("-start_date")
    )


def organisation_list(*, day: date | None = None) -> QuerySet[Organisation]:
    """Organisations with their hub, industry, size and the membership status on `day`.

    A constant number of queries however many rows: everything the list shows is joined or
    annotated here, never looked up per row.
    """
    day = day or timezone.localdate()
    return (
        Organisation.objects.with_size()
        .select_related("hub")
        .annotate(
            membership_status=Subquery(_current_membership(day).values("status")[:1]),
            people_count=Count("affiliations", distinct=True),
        )
    )


def organisation_detail(pk: int) -> Organisation:
    return (
        Organisation.objects.select_related("hub", "industry")
        .prefetch_related("focus_areas")
        .get(pk=pk)
    )


def organisation_people(organisation: Organisation):
    return organisation.affiliations.select_related("person", "person__user").order_by(
        "end_date", "-is_primary", "person__last_name"
    )


def person_list() -> QuerySet[Person]:
    primary = (
        Person.organisations.through.objects.filter(person=OuterRef("pk"), is_primary=True)
        .order_by("-start_date")
    )
    return Person.objects.annotate(
        primary_organisation_name=Subquery(primary.values("organisation__name")[:1]),
        primary_organisation_id=Subquery(primary.values("organisation_id")[:1]),
    )


def membership_status_on(organisation: Organisation, day: date | None = None) -> str | None:
    membership = organisation.memberships.on(day or timezone.localdate()).first()
    return membership.status if membership else None


def paying_members_on(day: date) -> int:
    """KPI 7's count: organisations with a paying membership on `day`."""
    return Membership.objects.paying_on(day).values("organisation").distinct().count()


def renewals(*, day: date | None = None, window_days: int = 90) -> QuerySet[Membership]:
    """Memberships that end within the window, or ended recently with no newer period."""
    day = day or timezone.localdate()
    newer = Membership.objects.filter(
        organisation=OuterRef("organisation"), start_date__gt=OuterRef("start_date")
    )
    return (
        Membership.objects.filter(
            end_date__gte=day - timedelta(days=window_days),
            end_date__lte=day + timedelta(days=window_days),
            status__in=list(ACTIVE_MEMBERSHIP_STATUSES | {MembershipStatus.LAPSED}),
        )
        .exclude(Exists(newer))
        .select_related("organisation", "tier", "organisation__hub")
        .order_by("end_date", "organisation__name")
    )


def open_follow_ups(*, user, include_done: bool = False) -> QuerySet[Interaction]:
    """The follow-ups a staff member is responsible for, due first."""
    queryset = Interaction.objects.filter(staff=user, follow_up_date__isnull=False)
    if not include_done:
        queryset = queryset.filter(follow_up_done_at__isnull=True)
    return queryset.select_related("organisation").order_by("follow_up_date", "pk")


def interaction_list() -> QuerySet[Interaction]:
    return Interaction.objects.select_related("organisation", "staff", "hub").prefetch_related(
        "people"
    )


# --- Duplicates ---------------------------------------------------------------------------

FUZZY_THRESHOLD = 88


@dataclass(frozen=True)
class DuplicateCandidate:
    organisation_id: int
    name: str
    cvr: str | None
    reason: str
    score: int


def _normalise(name: str) -> str:
    text = utils.default_process(name or "")
    for suffix in (" a s", " aps", " as", " i s", " ivs", " p s", " k s", " holding"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip()


def organisation_duplicates(
    *, name: str = "", cvr: str | None = None, exclude_id: int | None = None, limit: int = 5
) -> list[DuplicateCandidate]:
    """Organisations that may be the same as the one described: same CVR, or a similar name.

    The fuzzy match compares names without legal-form suffixes (ApS, A/S, I/S...).
    """
    found: dict[int, DuplicateCandidate] = {}
    base = Organisation.objects.exclude(pk=exclude_id) if exclude_id else Organisation.objects
    if cvr:
        for org in base.filter(cvr=cvr)[:limit]:
            found[org.pk] = DuplicateCandidate(org.pk, org.name, org.cvr, _("same CVR number"), 100)
    wanted = _normalise(name)
    if len(wanted) >= 3:
        choices = {pk: _normalise(n) for pk, n in base.values_list("pk", "name")}
        matches = process.extract(
            wanted, choices, scorer=fuzz.token_sort_ratio, limit=limit,
            score_cutoff=FUZZY_THRESHOLD, processor=None,
        )
        if matches:
            names = dict(base.filter(pk__in=[m[2] for m in matches]).values_list("pk", "name"))
            cvrs = dict(base.filter(pk__in=[m[2] for m in matches]).values_list("pk", "cvr"))
            for _choice, score, pk in matches:
                if pk not in found:
                    found[pk] = DuplicateCandidate(
                        pk, names[pk], cvrs[pk], _("similar name"), int(score)
                    )
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


def person_duplicates(*, email: str = "", first_name: str = "", last_name: str = "",
                      exclude_id: int | None = None, limit: int = 5) -> list[dict]:
    """People who may be the same: the same e-mail, or the same full name."""
    base = Person.objects.exclude(pk=exclude_id) if exclude_id else Person.objects
    query = Q()
    if email:
        query |= Q(email__iexact=email.strip())
    if first_name and last_name:
        query |= Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip())
    if not query:
        return []
    return [
        {"id": p.pk, "name": p.full_name, "email": p.email,
         "reason": _("same e-mail") if p.email.lower() == email.strip().lower()
         else _("same name")}
        for p in base.filter(query)[:limit]
    ]


# --- Timelines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    when: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


#: Functions (organisation) -> list[TimelineEntry]. Later apps append theirs in AppConfig.ready.
ORGANISATION_TIMELINE: list[Callable[[Organisation], list[TimelineEntry]]] = []
#: Functions (person) -> list[TimelineEntry].
PERSON_TIMELINE: list[Callable[[Person], list[TimelineEntry]]] = []


def _interaction_entries(interactions) -> list[TimelineEntry]:
    entries = []
    for item in interactions:
        detail = item.notes
        if item.next_step:
            label = _("Next step")
            detail = f"{detail}\n{label}: {item.next_step}".strip()
        entries.append(
            TimelineEntry(
                item.date, item.get_kind_display(), item.subject, detail,
                reverse("ecosystem:interaction_edit", args=[item.pk]),
            )
        )
    return entries


def _organisation_interactions(organisation: Organisation) -> list[TimelineEntry]:
    return _interaction_entries(organisation.interactions.all())


def _organisation_memberships(organisation: Organisation) -> list[TimelineEntry]:
    entries = []
    for membership in organisation.memberships.select_related("tier"):
        title = _("Membership: %(status)s") % {"status": membership.get_status_display()}
        detail = ", ".join(
            part for part in [
                str(membership.tier or ""),
                f"{membership.annual_fee:,.0f} DKK".replace(",", "."),
                _("until %(end)s") % {"end": membership.end_date} if membership.end_date else "",
            ] if part
        )
        entries.append(TimelineEntry(membership.start_date, _("Membership"), title, detail))
    return entries


def _person_interactions(person: Person) -> list[TimelineEntry]:
    return _interaction_entries(person.interactions.all())


def _person_affiliations(person: Person) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            a.start_date or a.person.created_at.date(), _("Affiliation"),
            (a.role or _("Affiliated")) + " · " + a.organisation.name,
            _("until %(end)s") % {"end": a.end_date} if a.end_date else "",
        )
        for a in person.affiliations.select_related("organisation", "person")
    ]


ORGANISATION_TIMELINE.extend([_organisation_interactions, _organisation_memberships])
PERSON_TIMELINE.extend([_person_interactions, _person_affiliations])


def _timeline(record, providers) -> list[TimelineEntry]:
    entries = [entry for provider in providers for entry in provider(record)]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def organisation_timeline(organisation: Organisation) -> list[TimelineEntry]:
    return _timeline(organisation, ORGANISATION_TIMELINE)


def person_timeline(person: Person) -> list[TimelineEntry]:
    return _timeline(person, PERSON_TIMELINE)


def audit_trail(record, limit: int = 50):
    return audit_entries_for(record, limit=limit)
