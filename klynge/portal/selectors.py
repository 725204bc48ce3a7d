"""Reads of the member portal: invitations, the member's home, the participation history.

A member sees only their own organisation's records: every function here takes the
organisation (or person) from the signed-in user, never from the request's parameters.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.choices import RegistrationStatus
from klynge.activities.models import Registration
from klynge.ecosystem.models import Affiliation, Membership, Organisation, Person
from klynge.evaluations.models import Response as SurveyResponse
from klynge.matchmaking.choices import Response
from klynge.matchmaking.models import Introduction
from klynge.portal.models import Invitation
from klynge.projects.models import ProjectPartner

#: Tokens are URL-safe base64 of 32 bytes (43 characters); anything much longer is not one.
MAX_TOKEN_LENGTH = 100


# --- invitations ------------------------------------------------------------------------------


def login_for(person: Person):
    """The login of a person (linked, or with the person's e-mail address), or None."""
    users = get_user_model().objects
    found = users.filter(person=person).first()
    if found is None and person.email:
        found = users.filter(email__iexact=person.email).first()
    return found


def has_current_membership(organisation: Organisation) -> bool:
    return organisation.memberships.current().exists()


def current_membership(organisation: Organisation) -> Membership | None:
    return (organisation.memberships.current().select_related("tier")
            .order_by("-start_date").first())


def _current_affiliation(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def is_current_affiliate(person: Person, organisation: Organisation) -> bool:
    return Affiliation.objects.filter(
        _current_affiliation(), person=person, organisation=organisation).exists()


def open_invitation_for(person: Person) -> Invitation | None:
    return (Invitation.objects.filter(open_invitations(), person=person)
            .order_by("-created_at").first())


def open_invitations() -> Q:
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def invitation_for_token(token: str) -> Invitation | None:
    token = token or ""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return (Invitation.objects.select_related("person", "organisation", "invited_by")
            .filter(token_hash=digest).first())


def invitation_list() -> QuerySet[Invitation]:
    return Invitation.objects.select_related("person", "organisation", "invited_by", "user")


def member_organisation_affiliations(person: Person) -> QuerySet[Affiliation]:
    """The person's current affiliations with organisations holding a current membership."""
    members = Membership.objects.current().values("organisation_id")
    return (Affiliation.objects.filter(_current_affiliation(), person=person,
                                       organisation_id__in=members)
            .select_related("organisation").order_by("-is_primary", "organisation__name"))


def invitable_people(search: str, *, organisation: Organisation | None = None,
                     limit: int = 20) -> list[Person]:
    """People of member organisations matching `search` (name or e-mail), for the invitation
    picker; those with a login already are left out."""
    members = Membership.objects.current().values("organisation_id")
    affiliations = Affiliation.objects.filter(_current_affiliation(),
                                              organisation_id__in=members)
    if organisation is not None:
        affiliations = affiliations.filter(organisation=organisation)
    people = Person.objects.filter(pk__in=affiliations.values("person_id"), erased_at__isnull=True,
                                   user__isnull=True)
    for term in (search or "").split():
        people = people.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term)
                               | Q(email__icontains=term))
    return list(people.order_by("first_name", "last_name")[:limit])


# --- the member's home ------------------------------------------------------------------------


def upcoming_registrations(person: Person | None) -> QuerySet[Registration]:
    if person is None:
        return Registration.objects.none()
    return (Registration.objects.filter(person=person, activity__ends_at__gte=timezone.now())
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("activity").order_by("activity__starts_at"))


def open_evaluations(person: Person | None) -> QuerySet[SurveyResponse]:
    """Evaluations sent to the person that are open and not answered yet."""
    if person is None:
        return SurveyResponse.objects.none()
    now = timezone.now()
    return (SurveyResponse.objects.filter(
        person=person, answered_at__isnull=True, sent_at__isnull=False,
        survey__sent_at__isnull=False, survey__opens_at__lte=now)
        .filter(Q(survey__closes_at__isnull=True) | Q(survey__closes_at__gt=now))
        .select_related("survey"))


def open_introductions(organisation: Organisation) -> QuerySet[Introduction]:
    """Introductions of the organisation that neither side has declined and that are not yet
    accepted by both."""
    declined = Q(response_a=Response.DECLINED) | Q(response_b=Response.DECLINED)
    accepted = Q(response_a=Response.ACCEPTED, response_b=Response.ACCEPTED)
    return (Introduction.objects.filter(Q(organisation_a=organisation)
                                        | Q(organisation_b=organisation))
            .exclude(declined).exclude(accepted)
            .select_related("organisation_a", "organisation_b").order_by("-created_at"))


# --- participation history --------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    when: date
    kind: str
    title: str
    who: str
    detail: str


def _attendance(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED:
        return _("On the waitlist")
    if registration.attended is True:
        return _("Attended")
    if registration.attended is False:
        return _("Did not attend")
    if registration.activity.starts_at > timezone.now():
        return _("Signed up")
    return _("Attendance not recorded")


def _activity_rows(organisation: Organisation, year: int | None) -> list[HistoryRow]:
    registrations = (Registration.objects.filter(organisation=organisation)
                     .exclude(status=RegistrationStatus.CANCELLED)
                     .select_related("activity", "person"))
    if year:
        registrations = registrations.filter(activity__starts_at__year=year)
    return [
        HistoryRow(timezone.localtime(r.activity.starts_at).date(), _("Activity"),
                   r.activity.title, r.person.full_name, _attendance(r))
        for r in registrations
    ]


def _project_rows(organisation: Organisation, year: int | None) -> list[HistoryRow]:
    rows = []
    for partnership in ProjectPartner.objects.filter(organisation=organisation).select_related(
            "project"):
        project = partnership.project
        when = (project.start_date or project.submitted_on
                or timezone.localtime(project.created_at).date())
        if year and when.year != year:
            continue
        rows.append(HistoryRow(when, _("Project"), str(project), "", " · ".join(
            [partnership.get_role_display(), project.get_status_display()])))
    return rows


def _introduction_rows(organisation: Organisation, year: int | None) -> list[HistoryRow]:
    rows = []
    introductions = Introduction.objects.filter(
        Q(organisation_a=organisation) | Q(organisation_b=organisation),
        sent_at__isnull=False,
    ).select_related("organisation_a", "organisation_b", "person_a", "person_b")
    for intro in introductions:
        when = timezone.localtime(intro.sent_at).date()
        if year and when.year != year:
            continue
        is_a = intro.organisation_a_id == organisation.pk
        other = intro.organisation_b if is_a else intro.organisation_a
        contact = intro.person_a if is_a else intro.person_b
        rows.append(HistoryRow(when, _("Introduction"),
                               _("Introduced to %(name)s") % {"name": other.name},
                               contact.full_name if contact else "", intro.get_status_display()))
    return rows


def participation_history(organisation: Organisation, *, year: int | None = None,
                          kind: str = "") -> list[HistoryRow]:
    """The organisation's activities (who came), projects and introductions, newest first."""
    parts = {"activity": _activity_rows, "project": _project_rows,
             "introduction": _introduction_rows}
    rows: list[HistoryRow] = []
    for name, rows_for in parts.items():
        if not kind or kind == name:
            rows.extend(rows_for(organisation, year))
    return sorted(rows, key=lambda row: (row.when, row.kind, row.title), reverse=True)


def history_years(organisation: Organisation) -> list[int]:
    """The years the organisation has history in (for the year filter), newest first."""
    years = {row.when.year for row in participation_history(organisation)}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
