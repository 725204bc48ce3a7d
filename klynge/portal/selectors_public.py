"""Reads of the portal's outward-facing parts: the public member directory, suggested partners,
activities a member can sign up for, and the evaluations open to a member's person.

Privacy rules kept here (and tested):
- The directory shows an organisation only while it is `directory_listed` AND holds a current
  membership, and of it only its name plus the fields it chose in `directory_fields`. A
  `DirectoryEntry` carries only those fields, so a template cannot show an unpublished one by
  mistake; search and filters look only at published fields.
- The directory shows no people at all (so matchmaking-visibility consent never comes into it).
- Suggested partners are the matchmaking recommender's suggestions narrowed to organisations
  in the directory: an organisation that did not choose to be public is never named to a
  member. Reasons naming third parties (collaborators in common) are reduced to a count.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import CharField as CharFieldType
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klynge.activities.choices import ActivityStatus, RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.activities.registrations import registration_counts_by_activity
from klynge.ecosystem.choices import DirectoryField
from klynge.ecosystem.models import FocusArea, Membership, Organisation, Person
from klynge.evaluations.models import Response
from klynge.matchmaking.choices import IntroductionStatus
from klynge.matchmaking.models import Introduction

# --- the public member directory ---------------------------------------------------------------

#: Free-text fields a search may look in, each only where the organisation published it.
SEARCHABLE_TEXT = {
    DirectoryField.DESCRIPTION: "description",
    DirectoryField.COMPETENCES: "competences",
    DirectoryField.OFFERS: "offers",
    DirectoryField.SEEKS: "seeks",
    DirectoryField.CITY: "city",
}


def published(directory_field: str) -> Q:
    """Organisations that publish `directory_field` (a value of DirectoryField).

    `directory_fields` is a JSON list of the values; matching the quoted value in its text
    works on SQLite and PostgreSQL alike (JSON `contains` does not exist on SQLite), and no
    value is a quoted part of another."""
    return Q(directory_fields__icontains=f'"{directory_field}"')


def directory_organisations() -> QuerySet[Organisation]:
    """Organisations in the public directory: listed by their choice, and members today."""
    current = Membership.objects.current().filter(organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(directory_listed=True)
        .filter(Exists(current))
        .annotate(published_city=Case(
            When(published(DirectoryField.CITY), then="city"),
            default=Value(""), output_field=CharFieldType()))
        .select_related("industry")
        .order_by("name", "pk")
    )


def directory_search(queryset: QuerySet[Organisation], value: str) -> QuerySet[Organisation]:
    """Rows where every word occurs in the name or in a text field the organisation published
    (an unpublished field is never searched, so a search cannot reveal what it holds)."""
    query = Q()
    for term in value.split():
        term_query = Q(name__icontains=term)
        for directory_field, model_field in SEARCHABLE_TEXT.items():
            term_query |= published(directory_field) & Q(**{f"{model_field}__icontains": term})
        query &= term_query
    return queryset.filter(query)


def directory_filter_focus_area(queryset, focus_area: FocusArea):
    return queryset.filter(published(DirectoryField.FOCUS_AREAS),
                           focus_areas=focus_area).distinct()


def directory_filter_region(queryset, region: str):
    return queryset.filter(published(DirectoryField.CITY), region=region)


def directory_filter_city(queryset, city: str):
    return queryset.filter(published(DirectoryField.CITY), city__icontains=city.strip())


def directory_organisation(pk: int) -> Organisation | None:
    """One organisation of the directory, or None (unlisted, no current membership, gone)."""
    return directory_organisations().filter(pk=pk).first()


def in_directory(organisation: Organisation) -> bool:
    return directory_organisations().filter(pk=organisation.pk).exists()


@dataclass
class DirectoryEntry:
    """What the directory may show of one organisation: its name and the published fields
    (absent fields are None or empty, so templates test them and never reach the record)."""

    pk: int
    name: str
    description: str = ""
    website: str = ""
    city: str = ""
    region: str = ""
    focus_areas: list[str] = field(default_factory=list)
    competences: str = ""
    offers: str = ""
    seeks: str = ""
    size: str = ""
    industry: str = ""
    kind: str = ""

    @property
    def has_details(self) -> bool:
        return any((self.description, self.website, self.city, self.region, self.focus_areas,
                    self.competences, self.offers, self.seeks, self.size, self.industry))


def _published_fields(organisation: Organisation) -> set[str]:
    return {value for value in (organisation.directory_fields or [])
            if value in DirectoryField.values}


def directory_entry(organisation: Organisation, areas=None) -> DirectoryEntry:
    """The organisation as the directory shows it (only what it published). `areas`: its
    focus areas when the caller has fetched them already."""
    shown = _published_fields(organisation)
    entry = DirectoryEntry(pk=organisation.pk, name=organisation.name)
    if DirectoryField.DESCRIPTION in shown:
        entry.description = organisation.description
    if DirectoryField.WEBSITE in shown:
        entry.website = organisation.website
    if DirectoryField.CITY in shown:
        entry.city = organisation.city
        entry.region = organisation.get_region_display() if organisation.region else ""
    if DirectoryField.FOCUS_AREAS in shown:
        areas = organisation.focus_areas.all() if areas is None else areas
        entry.focus_areas = sorted(str(area) for area in areas)
    if DirectoryField.COMPETENCES in shown:
        entry.competences = organisation.competences
    if DirectoryField.OFFERS in shown:
        entry.offers = organisation.offers
    if DirectoryField.SEEKS in shown:
        entry.seeks = organisation.seeks
    if DirectoryField.SIZE in shown:
        entry.kind = organisation.get_kind_display()
        size = organisation.size
        entry.size = organisation.get_size_display() if size != "unknown" else ""
        if organisation.employee_band:
            band = organisation.get_employee_band_display()
            entry.size = f"{entry.size} ({band})" if entry.size else band
    if DirectoryField.INDUSTRY in shown and organisation.industry_id:
        entry.industry = str(organisation.industry)
    return entry


def directory_entries(organisations) -> list[DirectoryEntry]:
    """Entries for one page of organisations (focus areas prefetched: one query more)."""
    rows = list(organisations)
    ids = [o.pk for o in rows]
    areas: dict[int, list] = {}
    through = Organisation.focus_areas.through.objects.filter(organisation_id__in=ids)
    for link in through.select_related("focusarea"):
        areas.setdefault(link.organisation_id, []).append(link.focusarea)
    return [directory_entry(o, areas.get(o.pk, [])) for o in rows]


def directory_focus_areas() -> QuerySet[FocusArea]:
    """The focus areas worth filtering by: those some directory organisation published."""
    shown = directory_organisations().filter(published(DirectoryField.FOCUS_AREAS))
    return FocusArea.objects.filter(is_active=True, organisations__in=shown).distinct()


# --- suggested partners -------------------------------------------------------------------------

#: Reasons whose wording names other organisations: shown as a count only.
THIRD_PARTY_REASONS = {"common_collaborators"}


@dataclass
class PartnerSuggestion:
    entry: DirectoryEntry
    score: float
    reasons: list[str]
    open_request: Introduction | None = None


def _reason_text(reason) -> str:
    if reason.code in THIRD_PARTY_REASONS:
        return _("Collaborators in common")
    return reason.text


def partner_suggestions(organisation: Organisation, *, purpose: str,
                        k: int = 10) -> list[PartnerSuggestion]:
    """The recommender's partners for the member's organisation, narrowed to organisations
    in the public directory, best first, with the reasons in words."""
    from klynge.matchmaking.selectors import suggestions_for_organisation

    found = suggestions_for_organisation(organisation, purpose=purpose, k=max(k * 5, 50))
    registry = [s for s in found if s.organisation is not None
                and s.organisation.pk != organisation.pk]
    visible = set(directory_organisations().filter(
        pk__in=[s.organisation.pk for s in registry]).values_list("pk", flat=True))
    chosen = [s for s in registry if s.organisation.pk in visible][:k]
    orgs = {o.pk: o for o in directory_organisations().filter(
        pk__in=[s.organisation.pk for s in chosen])}
    entries = {e.pk: e for e in directory_entries(orgs.values())}
    open_ = open_requests_by_partner(organisation)
    return [
        PartnerSuggestion(entry=entries[s.organisation.pk], score=s.score,
                          reasons=[_reason_text(r) for r in s.reasons],
                          open_request=open_.get(s.organisation.pk))
        for s in chosen if s.organisation.pk in entries
    ]


def open_requests_by_partner(organisation: Organisation) -> dict[int, Introduction]:
    """The open introductions of the organisation, by the other side's id."""
    from klynge.matchmaking.selectors_introductions import OPEN

    rows = Introduction.objects.filter(
        Q(organisation_a=organisation) | Q(organisation_b=organisation)).filter(OPEN)
    result = {}
    for intro in rows.order_by("created_at"):
        other = (intro.organisation_b_id if intro.organisation_a_id == organisation.pk
                 else intro.organisation_a_id)
        result[other] = intro
    return result


def member_requests(organisation: Organisation) -> QuerySet[Introduction]:
    """The introductions people of the organisation asked for in the portal, newest first."""
    from klynge.core.roles import Role

    return (
        Introduction.objects.filter(organisation_a=organisation,
                                    created_by__role=Role.MEMBER,
                                    created_by__organisation=organisation)
        .select_related("organisation_b", "created_by")
        .order_by("-created_at", "-pk")
    )


#: How a member reads an introduction's status (the staff's words are about their work).
REQUEST_STATUS = {
    IntroductionStatus.DRAFT: ("warn", gettext_lazy("The cluster team is looking at your "
                                                    "request")),
    IntroductionStatus.WAITING: ("warn", gettext_lazy("Sent: waiting for the answers")),
    IntroductionStatus.ACCEPTED: ("ok", gettext_lazy("Accepted by both: you have been put in "
                                                     "touch")),
    IntroductionStatus.DECLINED: ("bad", gettext_lazy("Declined")),
}


def request_status(introduction: Introduction) -> tuple[str, str]:
    tone, text = REQUEST_STATUS[introduction.status]
    return tone, str(text)


# --- activities ---------------------------------------------------------------------------------

#: Activities members see: public ones that are open for registration or whose registration has
#: closed (planned ones are not announced yet; cancelled ones are gone).
PUBLISHED_STATUSES = (ActivityStatus.OPEN, ActivityStatus.CLOSED)


def portal_activities() -> QuerySet[Activity]:
    """Upcoming activities a member may see and sign up for, soonest first."""
    return (
        Activity.objects.filter(is_public=True, status__in=PUBLISHED_STATUSES,
                                ends_at__gte=timezone.now())
        .select_related("hub")
        .prefetch_related("focus_areas")
        .order_by("starts_at", "pk")
    )


def portal_activity(pk: int, *, person: Person | None) -> Activity | None:
    """One activity the member may open: a published upcoming one, or one they are
    (or were) registered for."""
    activity = portal_activities().filter(pk=pk).first()
    if activity is None and person is not None:
        activity = Activity.objects.filter(pk=pk, registrations__person=person).first()
    return activity


def activity_months() -> list:
    """The months (first days) in which upcoming portal activities start."""
    days = {timezone.localtime(a).date().replace(day=1)
            for a in portal_activities().values_list("starts_at", flat=True)}
    return sorted(days)


def seats_by_activity(activities) -> dict[int, int | None]:
    """Seats left per activity (None: no limit), in one query."""
    rows = list(activities)
    counts = registration_counts_by_activity(activity_ids=[a.pk for a in rows])
    seats = {}
    for activity in rows:
        if activity.capacity is None:
            seats[activity.pk] = None
        else:
            taken = counts[activity.pk].registered if activity.pk in counts else 0
            seats[activity.pk] = max(activity.capacity - taken, 0)
    return seats


def colleagues(organisation: Organisation) -> QuerySet[Person]:
    """People currently affiliated with the organisation, with an e-mail, not anonymised."""
    today = timezone.localdate()
    return (
        Person.objects.filter(affiliations__organisation=organisation)
        .filter(Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today))
        .filter(erased_at__isnull=True).exclude(email="")
        .distinct().order_by("first_name", "last_name", "pk")
    )


def organisation_registrations(organisation: Organisation, *, person: Person | None,
                               activity: Activity | None = None) -> QuerySet[Registration]:
    """Live registrations of the member and of their colleagues (those the member may see
    and cancel), for upcoming activities."""
    people = Q(person__in=colleagues(organisation))
    if person is not None:
        people |= Q(person=person)
    rows = (Registration.objects.filter(people)
            .exclude(status=RegistrationStatus.CANCELLED)
            .filter(activity__ends_at__gte=timezone.now())
            .select_related("activity", "person")
            .order_by("activity__starts_at", "person__first_name", "pk"))
    if activity is not None:
        rows = rows.filter(activity=activity)
    return rows


# --- evaluations --------------------------------------------------------------------------------


@dataclass
class OpenEvaluation:
    response: Response
    state: str  # "open", "answered" or "closed"

    @property
    def survey(self):
        return self.response.survey

    @property
    def can_answer(self) -> bool:
        return self.state in ("open", "answered") and self.response.survey.is_open()


def person_evaluations(person: Person | None) -> list[OpenEvaluation]:
    """The surveys sent to the person: those to answer first, then answered ones, then
    closed ones; newest first within each."""
    if person is None:
        return []
    rows = (Response.objects.filter(person=person, survey__sent_at__isnull=False)
            .select_related("survey", "survey__activity")
            .order_by("-survey__opens_at", "-pk"))
    now = timezone.now()
    result = []
    for response in rows:
        if response.survey.opens_at > now:
            continue
        if response.is_answered:
            state = "answered"
        elif response.survey.is_open(now):
            state = "open"
        else:
            state = "closed"
        result.append(OpenEvaluation(response=response, state=state))
    order = {"open": 0, "answered": 1, "closed": 2}
    return sorted(result, key=lambda e: order[e.state])
