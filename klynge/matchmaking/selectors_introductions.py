"""Reads of introductions: who may be introduced (contacts), the list, the detail, and the
organisation timeline entries."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.core.audit import audit_entries_for
from klynge.core.models import AuditEntry
from klynge.ecosystem.models import Organisation, Person
from klynge.ecosystem.selectors import TimelineEntry
from klynge.matchmaking.choices import Response
from klynge.matchmaking.models import Introduction, IntroductionOutcome
from klynge.privacy.choices import Purpose as PrivacyPurpose
from klynge.privacy.selectors import consent_in_force, not_withdrawn
from klynge.projects.models import Project

#: An introduction still open: neither side declined and the two have not both accepted.
OPEN = (~Q(response_a=Response.DECLINED) & ~Q(response_b=Response.DECLINED)
        & ~Q(response_a=Response.ACCEPTED, response_b=Response.ACCEPTED))


def _current_affiliation(prefix: str = "affiliations__") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


def eligible_contacts(organisation: Organisation | None) -> QuerySet:
    """The people an introduction may go to at an organisation: currently affiliated, with
    an e-mail, and not having withdrawn their consent to be visible in matchmaking (someone
    who never answered is fine: privacy.selectors.has_consent would say no, a withdrawal is
    what is respected here)."""
    if organisation is None:
        return Person.objects.none()
    people = Person.objects.filter(
        Q(affiliations__organisation=organisation) & _current_affiliation()
    ).exclude(email="").filter(erased_at__isnull=True).distinct()
    return not_withdrawn(people, PrivacyPurpose.MATCHMAKING_VISIBILITY).order_by(
        "last_name", "first_name")


def is_affiliated(person: Person, organisation: Organisation) -> bool:
    return person.affiliations.filter(
        Q(organisation=organisation) & _current_affiliation("")).exists()


def has_withdrawn_visibility(person: Person) -> bool:
    """Whether the latest recorded consent to matchmaking visibility is a withdrawal."""
    latest = consent_in_force(person, PrivacyPurpose.MATCHMAKING_VISIBILITY)
    return latest is not None and not latest.granted


def pair_suggestion(organisation_a: Organisation, organisation_b: Organisation, *,
                    purpose: str, call=None):
    """The recommender's score and reasons for the pair (selectors.suggestion_for_pair), or
    None when the pair is not indexed yet: the staff member's message explains it then."""
    from klynge.matchmaking import selectors

    return selectors.suggestion_for_pair(organisation_a, organisation_b, purpose=purpose,
                                         call=call)


def outcome_project_choices(introduction: Introduction) -> QuerySet:
    """Projects worth offering for an outcome: those of either organisation, newest first."""
    return Project.objects.filter(
        partners__in=[introduction.organisation_a_id, introduction.organisation_b_id]
    ).distinct().order_by("-created_at")


def open_between(organisation_a: Organisation, organisation_b: Organisation) -> QuerySet:
    """Open (not sent, or waiting for answers) introductions of the pair, in either order."""
    pair = (Q(organisation_a=organisation_a, organisation_b=organisation_b)
            | Q(organisation_a=organisation_b, organisation_b=organisation_a))
    return Introduction.objects.filter(pair).filter(OPEN)


def introduction_list() -> QuerySet:
    return Introduction.objects.select_related(
        "organisation_a", "organisation_b", "person_a", "person_b", "hub", "call_topic",
        "created_by",
    ).annotate(outcome_count=Count("outcomes", distinct=True)).order_by("-created_at", "-pk")


def introduction_detail(pk: int) -> Introduction:
    return Introduction.objects.select_related(
        "organisation_a", "organisation_b", "person_a", "person_b", "hub", "call_topic",
        "created_by",
    ).prefetch_related(
        Prefetch("outcomes", queryset=IntroductionOutcome.objects.select_related(
            "project", "recorded_by"))
    ).get(pk=pk)


def introduction_projects(introduction: Introduction) -> list:
    """The projects linked by the introduction's outcomes (the EU applications it led to)."""
    seen, projects = set(), []
    for outcome in introduction.outcomes.all():
        if outcome.project_id and outcome.project_id not in seen:
            seen.add(outcome.project_id)
            projects.append(outcome.project)
    return projects


def audit_trail(introduction: Introduction, limit: int = 50):
    return audit_entries_for(introduction, limit=limit)


def organisation_introductions(organisation: Organisation) -> list[TimelineEntry]:
    """The organisation's introductions on its timeline: made, each answer, each outcome."""
    introductions = Introduction.objects.filter(
        Q(organisation_a=organisation) | Q(organisation_b=organisation)
    ).select_related("organisation_a", "organisation_b").prefetch_related("outcomes")
    entries = []
    for intro in introductions:
        url = reverse("matchmaking:introduction_detail", args=[intro.pk])
        is_a = intro.organisation_a_id == organisation.pk
        other = intro.organisation_b if is_a else intro.organisation_a
        title = _("Introduced to %(name)s") % {"name": other.name}
        entries.append(TimelineEntry(
            timezone.localtime(intro.sent_at or intro.created_at).date(), _("Introduction"),
            title, intro.get_status_display(), url))
        for org, response, when in ((intro.organisation_a, intro.response_a,
                                     intro.responded_a_at),
                                    (intro.organisation_b, intro.response_b,
                                     intro.responded_b_at)):
            if when is None or response == Response.PENDING:
                continue
            text = (_("%(name)s accepted the introduction") if response == Response.ACCEPTED
                    else _("%(name)s declined the introduction")) % {"name": org.name}
            entries.append(TimelineEntry(timezone.localtime(when).date(), _("Introduction"),
                                         text, title, url))
        for outcome in intro.outcomes.all():
            entries.append(TimelineEntry(
                outcome.date, _("Outcome of an introduction"), outcome.get_kind_display(),
                f"{title}. {outcome.description}".strip().rstrip("."), url))
    return entries


SENT_ACTIONS = ("klynge.matchmaking.introduction.sent", "klynge.matchmaking.introduction.resent")


def team_contact(introduction: Introduction):
    """The cluster team's person for an introduction: whoever made it, or, when a member
    asked for it in the portal, whoever of the team sent it (from the audit log); None when
    neither is known."""
    creator = introduction.created_by
    if creator is not None and creator.is_cluster_team:
        return creator
    entry = (AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Introduction),
        object_id=str(introduction.pk), action__in=SENT_ACTIONS, actor__isnull=False)
        .select_related("actor").order_by("-timestamp", "-pk").first())
    return entry.actor if entry is not None else None
