"""The demo ecosystem: deterministic, idempotent, valid, with one login per role, data for
both programme periods (2021-2024 and 2025-2028), projects and frozen KPI figures; and the
commands around it (demo, totp, compile_translations, serve's worker handling)."""

import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import polib
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Q

from klynge.activities.models import Activity, ActivityFunding, Registration
from klynge.brokerage.models import Participant
from klynge.core.management.commands.serve import Command as ServeCommand
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.demo.builder import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    MARKER_ACTION,
    ORGANISATION_ACTION,
    DemoRefused,
    DemoSizes,
    build_demo,
)
from klynge.demo.builder.memberships import paying_on, plan_paying, yearly_targets
from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.models import (
    Affiliation,
    Hub,
    Interaction,
    Membership,
    Organisation,
    Person,
)
from klynge.evaluations.models import Answer, Question, Response, Survey
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    Grant,
    PlannedActivity,
    TimeRegistration,
)
from klynge.funding.selectors import grant_year
from klynge.kpis.models import KpiSnapshot
from klynge.matchmaking.models import (
    CallTopic,
    CordisImport,
    CordisOrganisation,
    CordisProject,
    Introduction,
)
from klynge.privacy.models import Consent
from klynge.projects.models import Project, ProjectOutcome, ProjectPartner
from tests.factories import OrganisationFactory

ANCHOR = date(2026, 11, 26)
SMALL = {"organisations": 60, "people": 150, "members_2021": 40, "members_2025": 48,
         "interactions": 200, "anchor": ANCHOR}


def fingerprint() -> dict[str, list]:
    """Everything the demo wrote, by natural keys (ids differ between databases)."""
    organisations = sorted(
        (o.name, o.kind, o.cvr, o.address, o.postcode, o.city, o.region,
         o.hub.name if o.hub else "", o.employee_band, o.is_startup, o.founded_year,
         o.industry_id, o.website, o.description, o.competences, o.offers, o.seeks,
         tuple(sorted(o.focus_areas.values_list("name_en", flat=True))))
        for o in Organisation.objects.select_related("hub")
    )
    people = sorted(
        (p.email, p.first_name, p.last_name, p.phone, p.job_title, p.language)
        for p in Person.objects.all()
    )
    affiliations = sorted(
        (a.person.email, a.organisation.name, a.role, a.is_primary, a.start_date)
        for a in Affiliation.objects.select_related("person", "organisation")
    )
    memberships = sorted(
        (m.organisation.name, m.tier.name if m.tier else "", m.annual_fee, m.start_date,
         m.end_date, m.status, m.notes)
        for m in Membership.objects.select_related("organisation", "tier")
    )
    interactions = sorted(
        (i.kind, i.date, i.organisation.name, i.staff.email, i.hub.name if i.hub else "",
         i.subject, i.notes, i.next_step, i.follow_up_date, i.follow_up_done_at,
         tuple(sorted(i.people.values_list("email", flat=True))))
        for i in Interaction.objects.select_related("organisation", "staff", "hub")
    )
    users = sorted(
        (u.email, u.role, u.first_name, u.last_name, u.hub.name if u.hub else "",
         u.organisation.name if u.organisation else "", u.person.email if u.person else "")
        for u in get_user_model().objects.select_related("hub", "organisation", "person")
    )
    return {"organisations": organisations, "people": people, "affiliations": affiliations,
            "memberships": memberships, "interactions": interactions, "users": users,
            **_activity_fingerprint(), **_evaluation_fingerprint(), **_funding_fingerprint(),
            **_project_fingerprint(),
            "consents": _rows(Consent.objects.all(), "person__email", "purpose", "granted",
                              "given_at", "withdrawn_at", "source", "legal_basis", "note",
                              "recorded_at")}


ACTIVITY = ("title", "starts_at")


def _rows(queryset, *fields: str) -> list[tuple]:
    """The rows of a queryset by natural keys, sorted (None sorts as an empty string)."""
    return sorted(queryset.values_list(*fields),
                  key=lambda row: tuple("" if value is None else str(value) for value in row))


def _activity_fingerprint() -> dict[str, list]:
    activities = _rows(
        Activity.objects.all(), "title", "type", "format", "hub__name", "starts_at", "ends_at",
        "capacity", "status", "green_focus", "innovation_project", "responsible__email")
    fundings = _rows(ActivityFunding.objects.all(),
                     *(f"activity__{name}" for name in ACTIVITY), "grant__code", "share")
    co_organisers = _rows(Activity.co_organisers.through.objects.all(),
                          *(f"activity__{name}" for name in ACTIVITY), "organisation__name")
    registrations = _rows(
        Registration.objects.all(), *(f"activity__{name}" for name in ACTIVITY),
        "person__email", "organisation__name", "role", "status", "source", "attended",
        "checked_in_at", "cancelled_at")
    return {"activities": activities, "fundings": fundings, "co_organisers": co_organisers,
            "registrations": registrations}


def _evaluation_fingerprint() -> dict[str, list]:
    """Surveys, questions, responses and answers; not the tokens, which are secret random
    links like the ones the services make."""
    survey = ("kind", *(f"activity__{name}" for name in ACTIVITY), "year")
    surveys = _rows(Survey.objects.all(), *survey, "title", "members_on", "opens_at",
                    "closes_at", "sent_at", "created_by__email", "created_at")
    questions = _rows(Question.objects.all(), *(f"survey__{name}" for name in survey), "key",
                      "kind", "text_da", "text_en", "required", "position")
    responses = _rows(Response.objects.all(), *(f"survey__{name}" for name in survey),
                      "person__email", "organisation__name", "sent_at", "reminded_at",
                      "answered_at", "updated_at", "created_at")
    answers = _rows(Answer.objects.all(), *(f"response__survey__{name}" for name in survey),
                    "response__person__email", "question__key", "number", "choice", "text",
                    "updated_at")
    return {"surveys": surveys, "questions": questions, "responses": responses,
            "answers": answers}


def _funding_fingerprint() -> dict[str, list]:
    plans = _rows(ActionPlan.objects.all(), "grant__code", "year", "description")
    planned = _rows(PlannedActivity.objects.all(), "plan__grant__code", "plan__year", "title",
                    "type", "target_participants", "budget",
                    *(f"activity__{name}" for name in ACTIVITY))
    lines = _rows(BudgetLine.objects.all(), "plan__grant__code", "plan__year", "name",
                  "category", "planned_amount")
    hours = _rows(TimeRegistration.objects.all(), "grant__code", "budget_line__name",
                  *(f"activity__{name}" for name in ACTIVITY), "user__email", "person_name",
                  "organisation__name", "date", "hours", "hourly_rate", "description")
    costs = _rows(Cost.objects.all(), "grant__code", "budget_line__name",
                  *(f"activity__{name}" for name in ACTIVITY), "organisation__name", "date",
                  "amount", "description")
    return {"action_plans": plans, "planned_activities": planned, "budget_lines": lines,
            "time_registrations": hours, "costs": costs}


PROJECT = ("kind", "title", "acronym", "submitted_on", "start_date")


def _project_fingerprint() -> dict[str, list]:
    """Projects, partners, outcomes and the frozen KPI values (not the counted keys, which
    hold database ids)."""
    projects = _rows(Project.objects.all(), *PROJECT, "status", "description", "programme",
                     "call_identifier", "end_date", "budget", "hub__name", "responsible__email")
    partners = _rows(ProjectPartner.objects.all(), *(f"project__{name}" for name in PROJECT),
                     "organisation__name", "role", "budget")
    outcomes = _rows(ProjectOutcome.objects.all(), *(f"project__{name}" for name in PROJECT),
                     "kind", "date", "description", "recorded_by__email")
    tags = _rows(Project.focus_areas.through.objects.all(),
                 *(f"project__{name}" for name in PROJECT), "focusarea__name_en")
    snapshots = sorted(
        (s.label, s.period_start, s.period_end, s.note, s.frozen_by.email,
         tuple(sorted((key, data["value"]) for key, data in s.figures.items())))
        for s in KpiSnapshot.objects.select_related("frozen_by"))
    return {"projects": projects, "project_partners": partners, "project_outcomes": outcomes,
            "project_focus_areas": tags, "kpi_snapshots": snapshots}


def wipe() -> None:
    KpiSnapshot.objects.all().delete()
    Introduction.objects.all().delete()
    CordisImport.objects.all().delete()
    CordisProject.objects.all().delete()
    CordisOrganisation.objects.all().delete()
    CallTopic.objects.all().delete()
    Project.objects.all().delete()
    Survey.objects.all().delete()
    TimeRegistration.objects.all().delete()
    Cost.objects.all().delete()
    ActionPlan.objects.all().delete()
    Participant.objects.all().delete()  # B2B participants protect their participation types
    Activity.objects.all().delete()
    Organisation.objects.all().delete()
    Person.objects.all().delete()
    get_user_model().objects.all().delete()
    Hub.objects.all().delete()
    AuditEntry.objects.all().delete()


@pytest.mark.django_db
def test_two_builds_on_empty_databases_are_identical():
    build_demo(**SMALL)
    first = fingerprint()
    wipe()

    build_demo(**SMALL)

    assert fingerprint() == first
    assert len(first["organisations"]) == 60
    assert len(first["people"]) == 150


@pytest.mark.django_db
def test_small_demo_has_the_requested_sizes():
    result = build_demo(**SMALL)

    assert result.built is True
    assert result.counts == {"hubs": 5, "organisations": 60, "real_organisations": 30,
                             "people": 150, "staff_users": 11, "interactions": 206,
                             "activities": 66, "registrations": 2218, "attended": 1706,
                             "surveys": 182, "follow_up_surveys": 112, "responses": 5336,
                             "answered_responses": 1614, "answers": 8756, "action_plans": 14,
                             "planned_activities": 104, "budget_lines": 56,
                             "time_registrations": 9741, "costs": 259, "consents": 121,
                             "consent_withdrawals": 10, "directory_listed": 38, "projects": 27,
                             "project_partners": 108, "project_outcomes": 41,
                             "cordis_projects": 40, "cordis_organisations": 150,
                             "cordis_participations": 251, "cordis_linked": 40,
                             "call_topics": 25, "introductions": 16,
                             "introduction_outcomes": 23, "b2b_events": 2,
                             "b2b_participants": 40, "b2b_meetings": 83, "kpi_snapshots": 2}
    assert Organisation.objects.count() == 60
    assert Person.objects.count() == 150
    assert Interaction.objects.count() == 206
    assert sorted(Hub.objects.values_list("name", "region")) == [
        ("Aalborg", "nordjylland"), ("Aarhus", "midtjylland"), ("København", "hovedstaden"),
        ("Odense", "syddanmark"), ("Roskilde", "sjaelland"),
    ]


@pytest.mark.django_db
def test_second_run_finds_the_demo_and_writes_nothing():
    build_demo(**SMALL)
    before = fingerprint()
    audit_entries = AuditEntry.objects.count()

    again = build_demo(**SMALL)

    assert again.built is False
    assert again.anchor == ANCHOR
    assert fingerprint() == before
    assert AuditEntry.objects.count() == audit_entries


@pytest.mark.django_db
def test_every_cvr_number_is_valid_and_unique():
    build_demo(**SMALL)

    cvrs = list(Organisation.objects.exclude(cvr=None).values_list("cvr", flat=True))

    assert len(cvrs) == 56
    assert len(set(cvrs)) == 56
    assert all(check_cvr(cvr).value == cvr for cvr in cvrs)


@pytest.mark.django_db
def test_paying_members_on_2021_12_31_equal_the_requested_start():
    build_demo(**SMALL)

    def paying(day):
        return Membership.objects.paying_on(day).values("organisation").distinct().count()

    assert paying(date(2021, 12, 31)) == 40
    assert [paying(date(year, 12, 31)) for year in range(2022, 2026)] == [42, 44, 46, 48]
    assert paying(ANCHOR) == 49


@pytest.mark.django_db
def test_full_size_start_is_575_paying_members_in_2021():
    periods = plan_paying(
        random.Random(1), list(range(760)), members_2021=575, members_2025=700,
        anchor=ANCHOR,
    )

    counts = [paying_on(periods, date(year, 12, 31)) for year in range(2021, 2026)]

    assert counts == [575, 606, 638, 669, 700]


def test_sizes_left_out_follow_the_number_of_organisations():
    assert DemoSizes.scaled(60, people=150) == DemoSizes(
        organisations=60, people=150, members_2021=51, members_2025=56, interactions=265,
        activities_per_year=11,
    )
    assert DemoSizes.scaled() == DemoSizes()


def test_sizes_refuse_more_paying_members_than_organisations_allow():
    with pytest.raises(ValueError, match="paying members of 2021"):
        DemoSizes(organisations=60, members_2021=59)


def test_yearly_targets_grow_linearly_to_2025_then_half_as_fast():
    assert yearly_targets(575, 700, 2027) == {
        2021: 575, 2022: 606, 2023: 638, 2024: 669, 2025: 700, 2026: 716, 2027: 731,
    }


@pytest.mark.django_db
def test_membership_periods_of_an_organisation_never_overlap():
    build_demo(**SMALL)

    overlaps = 0
    for organisation in Organisation.objects.all():
        periods = list(organisation.memberships.order_by("start_date"))
        for earlier, later in zip(periods, periods[1:], strict=False):
            if earlier.end_date is None or earlier.end_date >= later.start_date:
                overlaps += 1

    assert overlaps == 0


@pytest.mark.django_db
def test_some_memberships_run_out_soon_after_the_anchor():
    build_demo(**SMALL)

    ending = Membership.objects.current(ANCHOR).filter(
        end_date__gte=ANCHOR, end_date__lte=date(2026, 12, 31), status="paying"
    ).count()

    assert ending > 0


@pytest.mark.django_db
def test_every_role_has_a_demo_login():
    build_demo(**SMALL)
    users = {u.email: u for u in get_user_model().objects.filter(
        email__in=[email for email, _ in DEMO_LOGINS])}

    assert {users[email].role for email, _ in DEMO_LOGINS} == set(Role)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    admin = users["admin@klynge.demo"]
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.ADMINISTRATOR, True, True)
    totp_owners = set(Authenticator.objects.filter(type="totp")
                      .values_list("user__email", flat=True))
    assert totp_owners == {"admin@klynge.demo", "ledelse@klynge.demo"}
    assert users["staff@klynge.demo"].hub.name == "Aarhus"


@pytest.mark.django_db
def test_member_login_belongs_to_a_paying_member_and_is_one_of_its_people():
    build_demo(**SMALL)

    member = get_user_model().objects.get(email="medlem@klynge.demo")

    assert member.role == Role.MEMBER
    assert member.organisation.memberships.paying_on(ANCHOR).exists()
    assert member.organisation.memberships.paying_on(date(2021, 12, 31)).exists()
    assert member.person.affiliations.filter(organisation=member.organisation).exists()
    assert member.first_name == member.person.first_name


@pytest.mark.django_db
def test_each_organisation_has_one_demo_audit_entry_and_the_demo_a_marker():
    build_demo(**SMALL)

    entries = AuditEntry.objects.filter(action=ORGANISATION_ACTION)

    assert entries.count() == 60
    assert entries.values("object_id").distinct().count() == 60
    assert AuditEntry.objects.filter(action=MARKER_ACTION).count() == 1


@pytest.mark.django_db
def test_every_person_has_one_primary_affiliation_and_a_unique_email():
    build_demo(**SMALL)

    primaries = Affiliation.objects.filter(is_primary=True)
    emails = list(Person.objects.values_list("email", flat=True))

    assert primaries.count() == 150
    assert primaries.values("person").distinct().count() == 150
    assert len(set(emails)) == 150
    assert all(email.endswith(".example") for email in emails)


@pytest.mark.django_db
def test_demo_staff_has_open_follow_ups_around_the_anchor():
    build_demo(**SMALL)

    open_follow_ups = Interaction.objects.filter(
        staff__email="staff@klynge.demo", follow_up_done_at=None,
        follow_up_date__range=(date(2026, 11, 19), date(2026, 12, 3)),
    )

    assert open_follow_ups.count() >= 6


@pytest.mark.django_db
def test_demo_without_the_real_data_is_generated_entirely(settings, tmp_path):
    settings.KLYNGE_DATA_DIR = tmp_path

    result = build_demo(**SMALL)

    assert result.counts["real_organisations"] == 0
    assert Organisation.objects.count() == 60
    assert Membership.objects.paying_on(date(2021, 12, 31)).count() == 40
    # Only the 21 DB07 sections are there, so no organisation gets a (level-4) industry.
    assert Organisation.objects.exclude(industry=None).count() == 0


@pytest.mark.django_db
def test_demo_is_not_built_into_a_registry_with_other_organisations():
    OrganisationFactory(name="Real Customer ApS")

    with pytest.raises(DemoRefused):
        build_demo(**SMALL)

    assert Organisation.objects.count() == 1
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_demo_command_builds_once_and_prints_the_logins_each_time():
    options = ["--organisations=60", "--people=150", "--members-2021=40",
               "--members-2025=48", "--interactions=200", "--anchor=2026-11-26"]
    first, second = StringIO(), StringIO()

    call_command("demo", *options, stdout=first)
    call_command("demo", *options, stdout=second)

    assert "60 organisations" in first.getvalue()
    assert "66 activities" in first.getvalue()
    assert "182 surveys" in first.getvalue()
    assert "2021: 40" in first.getvalue()
    for output in (first.getvalue(), second.getvalue()):
        for email, _ in DEMO_LOGINS:
            assert email in output
        assert DEMO_PASSWORD in output
        assert DEMO_TOTP_SECRET in output
    assert "already there" in second.getvalue()
    assert Organisation.objects.count() == 60


@pytest.mark.django_db
def test_demo_logins_option_without_a_demo_says_how_to_build_it():
    out = StringIO()

    call_command("demo", "--logins", stdout=out)

    assert "klynge demo" in out.getvalue()
    assert Organisation.objects.count() == 0


@pytest.mark.django_db
def test_totp_command_prints_the_current_code_of_a_demo_login():
    build_demo(**SMALL)
    out = StringIO()
    counter = int(time.time()) // 30

    call_command("totp", "admin@klynge.demo", stdout=out)

    expected = {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter + i)) for i in (0, 1)}
    assert out.getvalue().strip() in expected


@pytest.mark.django_db
def test_totp_command_serves_demo_logins_only():
    with pytest.raises(CommandError, match="Only demo logins"):
        call_command("totp", "someone@example.com")


@pytest.mark.django_db
def test_totp_command_refuses_a_login_without_an_authenticator():
    build_demo(**SMALL)

    with pytest.raises(CommandError, match="no TOTP authenticator"):
        call_command("totp", "staff@klynge.demo")


def test_compile_translations_writes_a_mo_file_per_catalogue(settings, tmp_path):
    folder = tmp_path / "da" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Organisations", msgstr="Organisationer"))
    catalogue.append(polib.POEntry(msgid="Hubs", msgstr="Hubber", flags=["fuzzy"]))
    catalogue.save(str(folder / "django.po"))
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compile_translations", stdout=StringIO())

    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(folder / "django.mo"))}
    assert compiled == {"Organisations": "Organisationer"}


def test_compile_translations_without_catalogues_says_so(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    out = StringIO()

    call_command("compile_translations", stdout=out)

    assert "No translation catalogues" in out.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_serve_stops_its_worker_process_group():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                               start_new_session=True)

    ServeCommand(stdout=StringIO()).stop_worker(process)

    assert process.poll() is not None


@pytest.mark.django_db
def test_demo_activities_are_held_before_the_anchor_and_attendance_is_realistic():
    build_demo(**SMALL)

    held = Activity.objects.filter(status="held")
    assert held.count() == 64
    assert not held.filter(starts_at__date__gte=ANCHOR).exists()
    # One open for registration, and the upcoming B2B day (tests/demo/test_demo_brokerage.py).
    assert Activity.objects.filter(status="open", starts_at__date__gt=ANCHOR).count() == 2
    assert Activity.objects.filter(status="planned", starts_at__date__gt=ANCHOR).count() == 1
    assert not Registration.objects.filter(activity__status="planned").exists()
    # Registered 3-30 days before the activity, and never after the anchor date.
    assert not Registration.objects.filter(created_at__date__gte=ANCHOR).exists()
    assert not Registration.objects.filter(created_at__gt=F("activity__starts_at")).exists()
    live = Registration.objects.filter(activity__status="held").exclude(status="cancelled")
    attended = live.filter(attended=True).count()
    assert 0.75 < attended / live.count() < 0.9
    assert not Registration.objects.filter(activity__status="open", attended__isnull=False)


def _yes_share(year: int) -> float:
    """KPI 1 as DOMAIN.md counts it: the share of the paying members on 31 December with a
    yes to "gained knowledge" or "started innovation work" answered in the year."""
    paying = set(Membership.objects.paying_on(date(year, 12, 31))
                 .values_list("organisation_id", flat=True))
    yes = set(Answer.objects.filter(response__answered_at__year=year).filter(
        Q(question__key="knowledge_gained", choice__in=("agree", "strongly_agree"))
        | Q(question__key="innovation_started", choice="yes"),
    ).values_list("response__organisation_id", flat=True))
    return len(yes & paying) / len(paying)


@pytest.mark.django_db
def test_small_demo_has_surveys_with_answers_at_realistic_rates():
    build_demo(**SMALL)
    held = Activity.objects.filter(status="held")

    assert Survey.objects.filter(kind="activity").count() == held.count()
    # Follow-ups open 6 and 12 months after the activity, so the latest ones have none yet.
    assert Survey.objects.filter(kind="follow_up_6").count() == held.filter(
        ends_at__date__lt=date(2026, 5, 26)).count() == 58
    assert Survey.objects.filter(kind="follow_up_12").count() == held.filter(
        ends_at__date__lt=date(2025, 11, 26)).count() == 54
    assert sorted(Survey.objects.filter(kind="annual").values_list("year", flat=True)) == [
        2021, 2022, 2023, 2024, 2025, 2026]
    rates = {}
    for kind in ("activity", "follow_up_6", "follow_up_12", "annual"):
        responses = Response.objects.filter(survey__kind=kind)
        rates[kind] = responses.exclude(answered_at=None).count() / responses.count()
    assert 0.33 < rates["activity"] < 0.47
    assert all(0.18 < rates[kind] < 0.32 for kind in ("follow_up_6", "follow_up_12", "annual"))
    # Only people who attended are asked after an activity, each once.
    asked = Response.objects.filter(survey__kind="activity")
    assert not asked.exclude(person__registrations__activity=F("survey__activity"),
                             person__registrations__attended=True).exists()
    assert Response.objects.values("token").distinct().count() == Response.objects.count()
    # Answers fall in the open window, and an answered response answers every question.
    answered = Response.objects.exclude(answered_at=None)
    assert not answered.filter(Q(answered_at__lt=F("survey__opens_at"))
                               | Q(answered_at__gte=F("survey__closes_at"))).exists()
    assert not Response.objects.filter(sent_at=None).exists()
    assert Answer.objects.count() == sum(
        r.survey.questions.count() for r in answered.select_related("survey"))
    satisfaction = list(Answer.objects.filter(question__key="satisfaction")
                        .values_list("number", flat=True))
    assert sum(1 for score in satisfaction if score >= 7) / len(satisfaction) > 0.65


@pytest.mark.django_db
def test_small_demo_kpi_1_lands_between_30_and_40_per_cent_of_paying_members():
    build_demo(**SMALL)

    shares = [_yes_share(year) for year in range(2021, 2026)]

    assert all(0.28 <= share <= 0.42 for share in shares), shares


@pytest.mark.django_db
def test_small_demo_has_action_plans_with_budget_lines_and_time_registrations():
    build_demo(**SMALL)
    ufs, deb = Grant.objects.get(code="UFS-2021"), Grant.objects.get(code="DEB-2021")

    for grant in (ufs, deb):
        plans = ActionPlan.objects.filter(grant=grant)
        assert sorted(plans.values_list("year", flat=True)) == [2021, 2022, 2023, 2024]
        for plan in plans:
            assert plan.budget_lines.values("category").distinct().count() == 4
            assert 6 <= plan.planned_activities.count() <= 10
            assert plan.planned_activities.exclude(activity=None).exists()
    for code in ("UFS-2025", "DEB-INNO-2025", "DEB-BASIC-2025"):
        plans = ActionPlan.objects.filter(grant__code=code)
        assert sorted(plans.values_list("year", flat=True)) == [2025, 2026]
        for plan in plans:
            assert plan.budget_lines.values("category").distinct().count() == 4
            assert plan.planned_activities.exclude(activity=None).exists()
    staff_hours = TimeRegistration.objects.exclude(user=None)
    partner_hours = TimeRegistration.objects.exclude(organisation=None)
    assert staff_hours.exists() and partner_hours.exists()
    assert not staff_hours.filter(Q(hourly_rate__lt=600) | Q(hourly_rate__gt=900)).exists()
    assert not partner_hours.exclude(organisation__kind__in=("university", "gts")).exists()
    assert Cost.objects.exclude(activity=None).exists()
    for grant, low, high in ((ufs, 4_000_000, 6_000_000), (deb, 3_000_000, 5_000_000)):
        for year in range(2021, 2025):
            planned = sum(BudgetLine.objects.filter(plan__grant=grant, plan__year=year)
                          .values_list("planned_amount", flat=True))
            assert low <= planned <= high
    shares = {year: grant_year(ufs, year) for year in range(2021, 2025)}
    short = [year for year, row in shares.items()
             if row.spent_by_knowledge_institutions * 2 <= row.spent]
    assert short == [2022]
    assert shares[2022].spent_by_knowledge_institutions / shares[2022].spent > Decimal("0.45")


@pytest.mark.django_db
def test_small_demo_has_consents_to_member_communication_and_a_few_withdrawals():
    build_demo(**SMALL)
    members = Membership.objects.values("organisation_id")
    at_members = Person.objects.filter(affiliations__organisation_id__in=members,
                                       affiliations__is_primary=True).distinct()

    consented = at_members.filter(consents__purpose="member_communication",
                                  consents__granted=True).distinct().count()
    withdrawn = Consent.objects.filter(granted=False)

    assert 0.75 < consented / at_members.count() < 0.95
    assert 0 < withdrawn.count() < consented / 5
    assert not Consent.objects.exclude(person__in=at_members).exists()
    assert set(Consent.objects.filter(granted=True).values_list("source", "legal_basis")) == {
        ("import", "consent")}
    assert all(w.withdrawn_at > w.given_at for w in withdrawn)


@pytest.mark.django_db
def test_small_demo_holds_activities_in_2025_and_2026_funded_by_the_new_grants():
    build_demo(**SMALL)
    held = Activity.objects.filter(status="held")

    per_year = Counter(held.values_list("starts_at__year", flat=True))
    funded_2025 = ActivityFunding.objects.filter(activity__in=held.filter(
        starts_at__year__gte=2025))
    with_cluster = Counter(held.filter(co_organisers__kind="cluster")
                           .values_list("starts_at__year", flat=True))

    assert per_year == {2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 10, 2026: 10}
    assert set(funded_2025.values_list("grant__code", flat=True)) == {
        "UFS-2025", "DEB-INNO-2025", "DEB-BASIC-2025"}
    assert not ActivityFunding.objects.filter(activity__starts_at__year__gte=2025,
                                              grant__code__in=("UFS-2021", "DEB-2021")).exists()
    assert with_cluster == {2021: 1, 2022: 1, 2023: 1, 2024: 1, 2025: 1, 2026: 1}
    assert Survey.objects.filter(kind="activity", activity__starts_at__year=2025).count() == 10
    assert Registration.objects.filter(activity__starts_at__year=2025, attended=True).exists()


@pytest.mark.django_db
def test_small_demo_lists_current_members_in_the_public_directory(client):
    from django.urls import reverse

    from klynge.ecosystem.models import Membership

    result = build_demo(**SMALL)
    listed = Organisation.objects.filter(directory_listed=True).order_by("name")
    current = set(Membership.objects.current(result.anchor).values_list("organisation_id",
                                                                          flat=True))

    assert listed.count() == 38
    assert all(o.pk in current for o in listed)
    assert all({"description", "website", "city"} <= set(o.directory_fields) for o in listed)
    response = client.get(reverse("directory:list"))
    assert response.status_code == 200
    assert listed[0].name in response.content.decode()
