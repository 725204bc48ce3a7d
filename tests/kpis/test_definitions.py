"""The seven KPIs of Table 1, each on a small hand-built dataset with the figure worked out by
hand (DOMAIN.md, "How each KPI is counted"; klynge/kpis/definitions.py), and the drill-down
that lists exactly what counted. Targets and kpi_rows: test_kpi_rows.py; the query count:
test_query_count.py.

Every dataset is for the calendar year 2025 and puts records on the first and last day of the
year (counted) and on the days just outside it (not counted).
"""

from datetime import date
from decimal import Decimal

import pytest

from klynge.activities.choices import ActivityStatus, ActivityType
from klynge.evaluations.choices import SurveyKind
from klynge.kpis import selectors
from klynge.kpis.definitions import DEFINITIONS, definitions
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.projects.choices import OutcomeKind, ProjectKind, ProjectStatus
from tests.factories import next_cvr
from tests.kpis.factories import (
    ProjectOutcomeFactory,
    answer,
    cluster,
    company,
    foreign_company,
    held,
    member,
    project_with,
    university,
    yes,
)

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)
EU = ProjectKind.EU_APPLICATION


def cvr_key(organisation) -> str:
    return f"cvr:{organisation.cvr}"


def org_key(organisation) -> str:
    return f"org:{organisation.pk}"


def _drill(key: str, period: Period = YEAR) -> dict[str, tuple[str, int]]:
    """The drill-down as {counting key: (label, number of evidence lines)}."""
    return {row.key: (row.label, len(row.evidence)) for row in selectors.drilldown(key, period)}


# --- the definitions -------------------------------------------------------------------------


def test_every_indicator_has_a_written_definition_in_table_order():
    listed = definitions()

    assert [d.key for d in listed] == list(keys.ORDER)
    assert [d.number for d in listed] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.key for d in listed if d.is_share] == [keys.INNOVATIVE_MEMBERS]
    assert [d.key for d in listed if d.is_state] == [keys.INNOVATIVE_MEMBERS,
                                                    keys.PAYING_MEMBERS]
    assert str(DEFINITIONS[keys.EU_APPLICATIONS].title) == "Companies in EU applications"
    assert all(str(d.counting) and str(d.source) and str(d.unit) for d in listed)


# --- KPI 1: innovative members ---------------------------------------------------------------


def _kpi1_dataset():
    seminar = held(date(2025, 3, 10))
    # A: paying all year; two people said yes (one of them twice: after the activity and in
    # the 6-month follow-up) -> counts once.
    a = member(company(name="A Robotics ApS"))
    yes(a, "innovation_started", date(2025, 3, 11), activity=seminar)
    yes(a, "knowledge_gained", date(2025, 3, 11), activity=seminar)
    yes(a, "innovation_started", date(2025, 9, 11), activity=seminar,
        kind=SurveyKind.FOLLOW_UP_6)
    # B: paying, answered no and neutral -> in the denominator only.
    b = member(company(name="B Data ApS"))
    answer(b, "innovation_started", "no", date(2025, 3, 11), activity=seminar)
    answer(b, "knowledge_gained", "neutral", date(2025, 3, 11), activity=seminar)
    # C: left the membership on 30 June after a yes in March -> not counted at all.
    c = member(company(name="C Left ApS"), end=date(2025, 6, 30))
    yes(c, "innovation_started", date(2025, 3, 11), activity=seminar)
    # D: a Swedish member without CVR, yes on the last day -> counts, once per record.
    d = member(foreign_company(name="D Sverige AB"))
    yes(d, "knowledge_gained", date(2025, 12, 31))
    # E: paying; its only yes came the day before the period -> denominator only.
    e = member(company(name="E Early ApS"))
    yes(e, "innovation_started", date(2024, 12, 31), activity=held(date(2024, 12, 1)))
    # F: a university member with "strongly agree" on the first day -> counts.
    f = member(university(name="F University"))
    answer(f, "knowledge_gained", "strongly_agree", date(2025, 1, 1))
    # G: not a member, says yes -> not counted. H: a partner membership -> not a paying member.
    g = company(name="G Outsider ApS")
    yes(g, "innovation_started", date(2025, 3, 11), activity=seminar)
    h = member(company(name="H Partner ApS"), status="partner")
    yes(h, "innovation_started", date(2025, 3, 11), activity=seminar)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}


def test_kpi1_share_of_paying_members_on_the_last_day_with_a_yes():
    orgs = _kpi1_dataset()

    figure = selectors.kpi_figure(keys.INNOVATIVE_MEMBERS, YEAR)

    # Members on 31 Dec: A, B, D, E, F (5). With a yes in 2025: A, D, F (3). 3/5 = 60.0 %.
    assert (figure.numerator, figure.denominator) == (3, 5)
    assert figure.value == Decimal("60.0")
    assert figure.counted == {cvr_key(orgs["a"]), org_key(orgs["d"]), org_key(orgs["f"])}


def test_kpi1_drilldown_lists_the_counted_members_with_every_yes():
    orgs = _kpi1_dataset()

    rows = _drill(keys.INNOVATIVE_MEMBERS)

    # A has three yes answers (two people, one of them twice), D and F one each.
    assert rows == {
        cvr_key(orgs["a"]): ("A Robotics ApS", 3),
        org_key(orgs["d"]): ("D Sverige AB", 1),
        org_key(orgs["f"]): ("F University", 1),
    }


def test_kpi1_without_members_has_no_share():
    figure = selectors.kpi_figure(keys.INNOVATIVE_MEMBERS, YEAR)

    assert (figure.value, figure.numerator, figure.denominator) == (None, 0, 0)


# --- KPI 2: collaborations with other clusters -----------------------------------------------


@pytest.fixture
def own_cluster(settings):
    ours = cluster(name="Our Cluster", cvr=next_cvr())
    settings.KLYNGE_CLUSTER_CVR = ours.cvr
    return ours


def _kpi2_dataset(ours):
    energy = cluster(name="Energy Cluster", cvr=next_cvr())
    nordic = cluster(name="Nordic Cluster", country="NO")
    firm = company(name="Firm ApS")
    counted = {
        # 00:15 on 1 January, Copenhagen time (23:15 UTC the day before); two clusters.
        "kickoff": held(date(2025, 1, 1), hour=0, minute=15, title="Kick-off",
                        co_organisers=[energy, nordic, ours]),
        "joint": project_with(energy, nordic, firm, title="Joint project",
                              kind=ProjectKind.CLUSTER_COLLABORATION,
                              start_date=date(2025, 12, 31)),
    }
    # Not counted: only our own cluster; not held (open, cancelled); the day before and the
    # day after the period; a company co-organiser; projects outside the period or without a
    # start, or with only our own cluster.
    held(date(2025, 12, 31), hour=23, minute=45, co_organisers=[ours])
    held(date(2025, 5, 1), co_organisers=[energy], status=ActivityStatus.OPEN)
    held(date(2025, 5, 2), co_organisers=[energy], status=ActivityStatus.CANCELLED)
    held(date(2024, 12, 31), hour=23, minute=45, co_organisers=[energy])
    held(date(2026, 1, 1), hour=0, minute=15, co_organisers=[energy])
    held(date(2025, 6, 1), co_organisers=[ours, firm])
    project_with(energy, kind=ProjectKind.CLUSTER_COLLABORATION, start_date=date(2026, 1, 1))
    project_with(energy, kind=ProjectKind.CLUSTER_COLLABORATION, start_date=None)
    project_with(ours, firm, start_date=date(2025, 4, 1))
    # Not carried out: an idea, a rejected and a withdrawn joint project starting in 2025.
    for status in (ProjectStatus.IDEA, ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN):
        project_with(energy, kind=ProjectKind.CLUSTER_COLLABORATION, status=status,
                     start_date=date(2025, 3, 1))
    return counted


def test_kpi2_counts_held_activities_and_projects_with_another_cluster_once(own_cluster):
    counted = _kpi2_dataset(own_cluster)

    figure = selectors.kpi_figure(keys.CLUSTER_COLLABORATIONS, YEAR)

    assert figure.value == 2
    assert figure.counted == {f"activity:{counted['kickoff'].pk}",
                              f"project:{counted['joint'].pk}"}


def test_kpi2_drilldown_names_the_other_clusters_not_our_own(own_cluster):
    counted = _kpi2_dataset(own_cluster)

    rows = {row.key: row for row in selectors.drilldown(keys.CLUSTER_COLLABORATIONS, YEAR)}

    kickoff = rows[f"activity:{counted['kickoff'].pk}"]
    joint = rows[f"project:{counted['joint'].pk}"]
    assert set(rows) == {kickoff.key, joint.key}
    assert (kickoff.label, kickoff.evidence[0].day) == ("Kick-off", date(2025, 1, 1))
    assert sorted(kickoff.evidence[0].text.split(", ")) == ["Energy Cluster", "Nordic Cluster"]
    assert (joint.label, joint.evidence[0].day) == ("Joint project", date(2025, 12, 31))
    assert sorted(joint.evidence[0].text.split(", ")) == ["Energy Cluster", "Nordic Cluster"]


def test_kpi2_without_a_configured_cvr_every_cluster_counts(settings):
    settings.KLYNGE_CLUSTER_CVR = ""
    ours = cluster(name="Our Cluster", cvr=next_cvr())
    held(date(2025, 6, 1), co_organisers=[ours])

    assert selectors.kpi_figure(keys.CLUSTER_COLLABORATIONS, YEAR).value == 1


# --- KPI 3: international visibility ---------------------------------------------------------


def _kpi3_dataset():
    mission = held(date(2025, 4, 1), type=ActivityType.INTERNATIONALISATION)
    seminar = held(date(2025, 4, 2), type=ActivityType.KNOWLEDGE_DISSEMINATION)
    k1 = company(name="K1 Export ApS")
    yes(k1, "international_visibility", date(2025, 4, 2), activity=mission)
    answer(k1, "international_visibility", "strongly_agree", date(2025, 4, 3), activity=mission)
    k2 = foreign_company(name="K2 Sverige AB")
    yes(k2, "international_visibility", date(2025, 12, 31), activity=mission,
        kind=SurveyKind.FOLLOW_UP_6)
    k5 = company(name="K5 Member ApS")
    yes(k5, "international_visibility", date(2025, 1, 1))  # the annual member survey
    # Not counted: a university; a disagree; a yes about a seminar; a yes after the period.
    yes(university(name="U"), "international_visibility", date(2025, 4, 2), activity=mission)
    answer(company(), "international_visibility", "disagree", date(2025, 4, 2), activity=mission)
    yes(company(), "international_visibility", date(2025, 4, 3), activity=seminar)
    yes(company(), "international_visibility", date(2026, 1, 1), activity=mission,
        kind=SurveyKind.FOLLOW_UP_12)
    return {"k1": k1, "k2": k2, "k5": k5}


def test_kpi3_counts_companies_with_a_yes_about_international_activities():
    orgs = _kpi3_dataset()

    figure = selectors.kpi_figure(keys.INTERNATIONAL_VISIBILITY, YEAR)

    assert figure.value == 3
    assert figure.counted == {cvr_key(orgs["k1"]), org_key(orgs["k2"]), cvr_key(orgs["k5"])}


def test_kpi3_drilldown():
    orgs = _kpi3_dataset()

    assert _drill(keys.INTERNATIONAL_VISIBILITY) == {
        cvr_key(orgs["k1"]): ("K1 Export ApS", 2),
        org_key(orgs["k2"]): ("K2 Sverige AB", 1),
        cvr_key(orgs["k5"]): ("K5 Member ApS", 1),
    }


# --- KPI 4: companies in EU applications -----------------------------------------------------


def _kpi4_dataset():
    a = company(name="A Coordinator ApS")
    b = company(name="B Partner ApS")
    c = company(name="C Rejected ApS")
    f = foreign_company(name="F Sverige AB")
    project_with(a, university(), f, kind=EU, submitted_on=date(2025, 1, 1),
                 status=ProjectStatus.SUBMITTED)
    project_with(a, b, kind=EU, submitted_on=date(2025, 12, 31), status=ProjectStatus.FUNDED)
    project_with(c, kind=EU, submitted_on=date(2025, 6, 1), status=ProjectStatus.REJECTED)
    # Not counted: in preparation; submitted the day before or after the period; a
    # collaboration project that is not an EU application; a university partner (above).
    project_with(company(), kind=EU, submitted_on=None, status=ProjectStatus.PREPARING)
    project_with(company(), kind=EU, submitted_on=date(2025, 5, 1),
                 status=ProjectStatus.PREPARING)
    project_with(company(), kind=EU, submitted_on=date(2024, 12, 31),
                 status=ProjectStatus.FUNDED)
    project_with(company(), kind=EU, submitted_on=date(2026, 1, 1),
                 status=ProjectStatus.SUBMITTED)
    project_with(company(), kind=ProjectKind.COLLABORATION, submitted_on=date(2025, 5, 1),
                 status=ProjectStatus.SUBMITTED)
    return {"a": a, "b": b, "c": c, "f": f}


def test_kpi4_counts_companies_in_submitted_funded_or_rejected_applications_once():
    orgs = _kpi4_dataset()

    figure = selectors.kpi_figure(keys.EU_APPLICATIONS, YEAR)

    assert figure.value == 4
    assert figure.counted == {cvr_key(orgs["a"]), cvr_key(orgs["b"]), cvr_key(orgs["c"]),
                              org_key(orgs["f"])}


def test_kpi4_drilldown_lists_every_application_of_a_company():
    orgs = _kpi4_dataset()

    assert _drill(keys.EU_APPLICATIONS) == {
        cvr_key(orgs["a"]): ("A Coordinator ApS", 2),
        cvr_key(orgs["b"]): ("B Partner ApS", 1),
        cvr_key(orgs["c"]): ("C Rejected ApS", 1),
        org_key(orgs["f"]): ("F Sverige AB", 1),
    }


# --- KPI 5: commercial use of research -------------------------------------------------------


def _kpi5_dataset():
    p1 = project_with(company(), university(), title="P1 Sensors")
    ProjectOutcomeFactory(project=p1, kind=OutcomeKind.COMMERCIAL_USE, date=date(2025, 2, 1))
    ProjectOutcomeFactory(project=p1, kind=OutcomeKind.NEW_COMPANY, date=date(2025, 8, 1))
    p2 = project_with(company(), title="P2 Spin-out")
    ProjectOutcomeFactory(project=p2, kind=OutcomeKind.NEW_COMPANY, date=date(2025, 12, 31))
    p5 = project_with(company(), title="P5 Licence")
    ProjectOutcomeFactory(project=p5, kind=OutcomeKind.COMMERCIAL_USE, date=date(2025, 1, 1))
    # Not counted: another kind of outcome; the day before and after the period.
    ProjectOutcomeFactory(project=project_with(company()),
                          kind=OutcomeKind.COLLABORATION_STARTED, date=date(2025, 5, 1))
    ProjectOutcomeFactory(project=project_with(company()), kind=OutcomeKind.COMMERCIAL_USE,
                          date=date(2024, 12, 31))
    ProjectOutcomeFactory(project=project_with(company()), kind=OutcomeKind.NEW_COMPANY,
                          date=date(2026, 1, 1))
    return {"p1": p1, "p2": p2, "p5": p5}


def test_kpi5_counts_each_project_with_a_commercial_outcome_once():
    projects = _kpi5_dataset()

    figure = selectors.kpi_figure(keys.COMMERCIAL_USE, YEAR)

    assert figure.value == 3
    assert figure.counted == {f"project:{p.pk}" for p in projects.values()}


def test_kpi5_drilldown_lists_the_outcomes():
    projects = _kpi5_dataset()

    rows = {row.key: row for row in selectors.drilldown(keys.COMMERCIAL_USE, YEAR)}

    p1 = rows[f"project:{projects['p1'].pk}"]
    assert len(rows) == 3
    assert p1.label == "P1 Sensors"
    assert [(e.day, e.text.split(":")[0]) for e in p1.evidence] == [
        (date(2025, 2, 1), "Commercial use of research results"),
        (date(2025, 8, 1), "New company"),
    ]


# --- KPI 6: green contacts across industries -------------------------------------------------


def _kpi6_dataset():
    seminar = held(date(2025, 3, 10))
    m1 = member(company(name="M1 Green ApS"))
    yes(m1, "green_contacts", date(2025, 3, 11), activity=seminar)
    yes(m1, "green_contacts", date(2025, 3, 12), activity=seminar)
    m2 = member(company(name="M2 Left ApS"), end=date(2025, 6, 30))
    yes(m2, "green_contacts", date(2025, 3, 11), activity=seminar)
    m3 = member(company(name="M3 Joined ApS"), start=date(2025, 12, 31))
    yes(m3, "green_contacts", date(2025, 1, 1))
    f = member(foreign_company(name="F Sverige AB"))
    yes(f, "green_contacts", date(2025, 12, 31))
    # Not counted: membership ended before the period; not a member; honorary member;
    # a member who answered no.
    yes(member(company(), end=date(2024, 12, 31)), "green_contacts", date(2025, 3, 11),
        activity=seminar)
    yes(company(), "green_contacts", date(2025, 3, 11), activity=seminar)
    yes(member(company(), status="honorary"), "green_contacts", date(2025, 3, 11),
        activity=seminar)
    answer(member(company()), "green_contacts", "no", date(2025, 3, 11), activity=seminar)
    return {"m1": m1, "m2": m2, "m3": m3, "f": f}


def test_kpi6_counts_members_at_some_time_in_the_period_with_a_yes():
    orgs = _kpi6_dataset()

    figure = selectors.kpi_figure(keys.GREEN_CONTACTS, YEAR)

    assert figure.value == 4
    assert figure.counted == {cvr_key(orgs["m1"]), cvr_key(orgs["m2"]), cvr_key(orgs["m3"]),
                              org_key(orgs["f"])}


def test_kpi6_drilldown():
    orgs = _kpi6_dataset()

    assert _drill(keys.GREEN_CONTACTS) == {
        cvr_key(orgs["m1"]): ("M1 Green ApS", 2),
        cvr_key(orgs["m2"]): ("M2 Left ApS", 1),
        cvr_key(orgs["m3"]): ("M3 Joined ApS", 1),
        org_key(orgs["f"]): ("F Sverige AB", 1),
    }


# --- KPI 7: paying members -------------------------------------------------------------------


def _kpi7_dataset():
    a = member(company(name="A Since 2021 ApS"))
    c = member(company(name="C Last Day ApS"), start=date(2025, 12, 31))
    d = member(company(name="D Ends Last Day ApS"), start=date(2024, 1, 1), end=date(2025, 12, 31))
    i = member(company(name="I Renewed ApS"), start=date(2024, 1, 1), end=date(2025, 12, 31))
    member(i, start=date(2025, 6, 1))
    f = member(foreign_company(name="F Sverige AB"))
    # Not counted: left mid-year; starts the day after; partner, honorary and lapsed.
    member(company(), start=date(2025, 1, 1), end=date(2025, 6, 30))
    member(company(), start=date(2026, 1, 1))
    member(company(), status="partner")
    member(company(), status="honorary")
    member(company(), status="lapsed")
    return {"a": a, "c": c, "d": d, "i": i, "f": f}


def test_kpi7_counts_paying_members_on_the_last_day():
    orgs = _kpi7_dataset()

    figure = selectors.kpi_figure(keys.PAYING_MEMBERS, YEAR)

    assert figure.value == 5
    assert figure.counted == {cvr_key(orgs[k]) for k in "acdi"} | {org_key(orgs["f"])}


def test_kpi7_drilldown_shows_each_paying_membership():
    orgs = _kpi7_dataset()

    assert _drill(keys.PAYING_MEMBERS) == {
        cvr_key(orgs["a"]): ("A Since 2021 ApS", 1),
        cvr_key(orgs["c"]): ("C Last Day ApS", 1),
        cvr_key(orgs["d"]): ("D Ends Last Day ApS", 1),
        cvr_key(orgs["i"]): ("I Renewed ApS", 2),
        org_key(orgs["f"]): ("F Sverige AB", 1),
    }


def test_kpi_figures_gives_all_seven_in_table_order():
    _kpi7_dataset()

    figures = selectors.kpi_figures(YEAR)

    assert list(figures) == list(keys.ORDER)
    assert {key: figure.value for key, figure in figures.items()} == {
        keys.INNOVATIVE_MEMBERS: Decimal("0.0"), keys.CLUSTER_COLLABORATIONS: 0,
        keys.INTERNATIONAL_VISIBILITY: 0, keys.EU_APPLICATIONS: 0, keys.COMMERCIAL_USE: 0,
        keys.GREEN_CONTACTS: 0, keys.PAYING_MEMBERS: 5,
    }


def test_every_drilldown_lists_exactly_what_counted_with_evidence(own_cluster):
    _kpi1_dataset()
    _kpi2_dataset(own_cluster)
    _kpi3_dataset()
    _kpi4_dataset()
    _kpi5_dataset()
    _kpi6_dataset()

    for key in keys.ORDER:
        rows = selectors.drilldown(key, YEAR)
        assert {row.key for row in rows} == selectors.kpi_figure(key, YEAR).counted, key
        assert len(rows) == len({row.key for row in rows}), key
        assert all(row.evidence and row.url and row.label for row in rows), key


def test_drilldown_of_an_unknown_indicator_is_an_error():
    with pytest.raises(KeyError):
        selectors.drilldown("members_happiness", YEAR)
