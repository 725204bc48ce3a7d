"""The demo's matchmaking data: the EU project history in CORDIS's shape (linked to the
registry by CVR), the call topics, and the introductions of the last two years with their
answers and outcomes, which KPI 5 counts; all without sending an e-mail."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count, Q

from klynge.demo.builder import build_demo
from klynge.ecosystem.models import Affiliation
from klynge.kpis.domain.counting import Period
from klynge.kpis.selectors import kpi_figures
from klynge.matchmaking.models import (
    CallTopic,
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    Introduction,
    IntroductionOutcome,
)
from klynge.projects.choices import COMMERCIAL_OUTCOMES
from tests.demo.test_demo import ANCHOR, SMALL, wipe

COMMERCIAL = tuple(COMMERCIAL_OUTCOMES)


@pytest.mark.django_db
def test_small_demo_counts_its_matchmaking_records():
    result = build_demo(**SMALL)

    assert {key: value for key, value in result.counts.items()
            if key.startswith(("cordis", "call", "introduction"))} == {
        "cordis_projects": 40, "cordis_organisations": 150, "cordis_participations": 251,
        "cordis_linked": 40, "call_topics": 25, "introductions": 16,
        "introduction_outcomes": 23,
    }
    assert CordisProject.objects.count() == 40
    assert CordisOrganisation.objects.count() == 150
    assert CordisParticipation.objects.count() == 251
    assert CallTopic.objects.count() == 25
    # Staff's introductions; those B2B meetings became are tests/demo/test_demo_brokerage.py's.
    assert Introduction.objects.filter(brokerage_meetings=None).count() == 16
    assert IntroductionOutcome.objects.filter(introduction__brokerage_meetings=None).count() == 23


@pytest.mark.django_db
def test_small_demo_eu_history_links_danish_organisations_by_cvr():
    build_demo(**SMALL)

    linked = list(CordisOrganisation.objects.filter(organisation__isnull=False)
                  .select_related("organisation"))
    unlinked = CordisOrganisation.objects.filter(organisation=None)

    assert len(linked) == 40
    assert all(c.country == "DK" and c.vat_number == f"DK{c.organisation.cvr}"
               for c in linked)
    assert not unlinked.filter(country="DK").exists()
    assert unlinked.values("country").distinct().count() == 14
    assert set(unlinked.values_list("kind", flat=True)) == {
        "research", "higher_education", "company", "public", "other"}
    (source, report), = CordisImport.objects.values_list("source", "report")
    assert source == "demo"
    assert {key: report[key] for key in ("organisations", "projects", "participations",
                                         "linked", "bad_count")} == {
        "organisations": {"added": 150, "updated": 0, "unchanged": 0},
        "projects": {"added": 40, "updated": 0, "unchanged": 0},
        "participations": {"added": 251, "updated": 0, "unchanged": 0},
        "linked": 40, "bad_count": 0}
    assert report["files"] == {"organization.csv.gz": 251, "topics.csv.gz": 40,
                               "euroSciVoc.csv.gz": 120, "deliverables.csv.gz": 200,
                               "legalBasis.csv.gz": 40}


@pytest.mark.django_db
def test_small_demo_eu_projects_form_consortia_with_a_coordinator_and_a_danish_partner():
    build_demo(**SMALL)

    projects = CordisProject.objects.annotate(
        members=Count("participations"),
        coordinators=Count("participations", filter=Q(participations__role="coordinator")),
        danish=Count("participations",
                     filter=Q(participations__cordis_organisation__country="DK")),
    )

    for project in projects:
        assert 4 <= project.members <= 11
        assert project.coordinators == 1
        assert project.danish >= 1
        assert len(project.labels) == 3
        assert len(project.deliverables.splitlines()) == 5
        assert project.topic_code.startswith("HORIZON-")
    assert not CordisOrganisation.objects.filter(participations=None).exists()
    # Organisations work together again: some pairs share more than one project.
    pairs = Counter()
    for project in CordisProject.objects.prefetch_related("participations"):
        members = sorted(p.cordis_organisation_id for p in project.participations.all())
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    assert max(pairs.values()) >= 2


@pytest.mark.django_db
def test_small_demo_call_topics_close_in_the_coming_months_and_some_have_closed():
    build_demo(**SMALL)

    topics = list(CallTopic.objects.all())

    assert sum(1 for t in topics if t.deadline < ANCHOR) == 9
    assert sum(1 for t in topics if t.deadline >= ANCHOR) == 16
    assert max(t.deadline for t in topics) <= ANCHOR + timedelta(days=260)
    for topic in topics:
        assert topic.identifier.startswith(f"{topic.programme}-")
        assert topic.programme in {"HORIZON", "DIGITAL"}
        assert topic.opens_on < topic.deadline
        assert topic.budget_min < topic.budget_max
        assert topic.description.startswith("Expected Outcome:")
        assert topic.source == "demo"
        assert topic.deadline.weekday() < 5


@pytest.mark.django_db
def test_small_demo_introductions_were_answered_like_real_ones(mailoutbox):
    build_demo(**SMALL)

    introductions = list(Introduction.objects.filter(brokerage_meetings=None)
                         .select_related("created_by", "hub"))

    assert Counter(i.status for i in introductions) == {"accepted": 12, "declined": 2,
                                                        "waiting": 2}
    assert Counter(i.purpose for i in introductions) == {
        "knowledge": 8, "sme_large": 4, "startup_investor": 3, "companies": 1}
    assert mailoutbox == []
    window_start = ANCHOR - timedelta(days=730)
    for intro in introductions:
        sent = intro.sent_at.date()
        assert window_start <= sent < ANCHOR
        assert intro.created_at < intro.sent_at
        assert intro.created_by.role == "staff"
        assert intro.hub_id == intro.created_by.hub_id
        assert intro.explanation
        for side in ("a", "b"):
            person = getattr(intro, f"person_{side}")
            organisation = getattr(intro, f"organisation_{side}_id")
            assert person.email
            assert Affiliation.objects.filter(person=person, organisation_id=organisation
                                              ).exists()
            answered = getattr(intro, f"responded_{side}_at")
            assert (answered is None) == (getattr(intro, f"response_{side}") == "pending")
            assert answered is None or intro.sent_at <= answered
    suggested = [i for i in introductions if i.reasons]
    assert len(suggested) == 16
    assert all(i.score > 0 and {"code", "text", "contribution"} <= set(i.reasons[0])
               for i in suggested)


@pytest.mark.django_db
def test_small_demo_outcomes_follow_accepted_introductions_before_the_anchor():
    build_demo(**SMALL)

    outcomes = list(IntroductionOutcome.objects.filter(introduction__brokerage_meetings=None)
                    .select_related("introduction", "project"))

    assert Counter((o.kind, o.date.year) for o in outcomes) == {
        ("met", 2025): 7, ("met", 2026): 4, ("collaboration_started", 2025): 4,
        ("collaboration_started", 2026): 3, ("joint_project", 2026): 2,
        ("eu_application_submitted", 2026): 1, ("commercial_use", 2025): 1,
        ("commercial_use", 2026): 1,
    }
    for outcome in outcomes:
        assert outcome.introduction.status == "accepted"
        assert outcome.introduction.sent_at.date() <= outcome.date < ANCHOR
        assert outcome.description
    for outcome in outcomes:
        if outcome.kind.startswith("eu_application"):
            partners = set(outcome.project.partnerships.values_list("organisation_id",
                                                                    flat=True))
            assert {outcome.introduction.organisation_a_id,
                    outcome.introduction.organisation_b_id} <= partners
            assert outcome.project.kind == "eu_application"
        else:
            assert outcome.project is None


@pytest.mark.django_db
def test_small_demo_has_commercial_outcomes_of_introductions_each_programme_year():
    build_demo(**SMALL)

    commercial = IntroductionOutcome.objects.filter(kind__in=COMMERCIAL,
                                                    introduction__brokerage_meetings=None)
    by_year = Counter(commercial.values_list("date__year", flat=True))

    assert by_year == {2025: 1, 2026: 1}
    for year in (2025, 2026):
        counted = kpi_figures(Period.year(year))["commercial_use"].counted
        keys = {f"introduction:{pk}" for pk in commercial.filter(date__year=year)
                .values_list("introduction_id", flat=True)}
        assert keys <= set(counted)


@pytest.mark.django_db
def test_two_builds_give_the_same_matchmaking_data():
    build_demo(**SMALL)
    first = _fingerprint()
    wipe()

    build_demo(**SMALL)

    assert _fingerprint() == first


def _fingerprint() -> dict[str, list]:
    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields), key=lambda row: tuple(map(str, row)))

    return {
        "cordis_organisations": rows(CordisOrganisation.objects.all(), "cordis_id", "name",
                                     "kind", "is_sme", "country", "city", "vat_number",
                                     "organisation__name"),
        "cordis_projects": rows(CordisProject.objects.all(), "cordis_id", "acronym",
                                "topic_code", "topic_title", "deliverables", "programme"),
        "participations": rows(CordisParticipation.objects.all(), "project__cordis_id",
                               "cordis_organisation__cordis_id", "role", "ec_contribution"),
        "calls": rows(CallTopic.objects.all(), "identifier", "title", "description",
                      "programme", "action_type", "opens_on", "deadline", "budget_min",
                      "budget_max"),
        "introductions": rows(Introduction.objects.all(), "organisation_a__name",
                              "person_a__email", "organisation_b__name", "person_b__email",
                              "purpose", "score", "explanation", "message",
                              "call_topic__identifier", "hub__name", "response_a",
                              "responded_a_at", "response_b", "responded_b_at", "sent_at",
                              "created_by__email", "created_at"),
        "outcomes": rows(IntroductionOutcome.objects.all(), "introduction__organisation_a__name",
                         "introduction__organisation_b__name", "kind", "date", "description",
                         "project__acronym", "recorded_by__email"),
    }

