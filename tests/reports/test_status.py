"""The status report's data object, built from a small hand-made year (status_dataset)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klynge.kpis.domain.counting import Period
from klynge.kpis.services import snapshot_freeze
from klynge.reports.status import build_status_report
from klynge.reports.status.periods import default_value, period_options
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports import status_dataset
from tests.reports.status_dataset import EXPECTED, attend, held

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


@pytest.fixture
def data():
    return status_dataset.build()


def _kpi(report, key):
    return next(line for line in report.kpis if line.key == key)


def _tallies(tallies):
    return {t.label: (t.count, t.share) for t in tallies}


def test_header_names_the_cluster_period_and_kind(data, settings):
    settings.KLYNGE_CLUSTER_NAME = "DigitalLead"

    report = build_status_report(period=YEAR)

    assert report.header.cluster_name == "DigitalLead"
    assert report.header.title == "Cluster status report 2025"
    assert report.header.kind == "annual"
    assert report.header.period_label == "2025"
    assert report.header.frozen is False
    assert not report.is_final


def test_final_report_covers_the_whole_grant_period(data):
    report = build_status_report(period=Period(date(2025, 1, 1), date(2028, 12, 31)),
                                 final=True)

    assert report.header.title == "Final report 2025–2028"
    assert report.is_final
    assert report.activities.total == 3
    assert [(b.code, b.year) for b in report.budgets if b.code == "UFS-2025"] == [
        ("UFS-2025", 2025), ("UFS-2025", 2026), ("UFS-2025", 2027), ("UFS-2025", 2028)]


def test_activities_by_type_format_grant_and_hub(data):
    report = build_status_report(period=YEAR)
    activities = report.activities

    assert activities.total == EXPECTED["held"]
    assert _tallies(activities.by_type) == {
        "Knowledge dissemination": (1, Decimal("33.3")),
        "Matchmaking": (1, Decimal("33.3")),
        "Internationalisation": (1, Decimal("33.3")),
    }
    assert _tallies(activities.by_format)["Business mission"] == (1, Decimal("33.3"))
    assert [(g.code, g.activities, g.weighted) for g in activities.by_grant] == [
        ("DEB-INNO-2025", 1, Decimal("0.50")), ("UFS-2025", 2, Decimal("1.50"))]
    assert activities.unfunded == 1
    assert _tallies(activities.by_hub) == {"Aarhus": (2, Decimal("66.7")),
                                           "Odense": (1, Decimal("33.3"))}


def test_unique_participants_count_a_company_once_and_skip_no_shows(data):
    participants = build_status_report(period=YEAR).participants

    assert (participants.people, participants.organisations, participants.companies,
            participants.knowledge_institutions) == (6, 4, 2, 1)
    assert _tallies(participants.by_kind) == {
        "Company": (2, Decimal("50.0")), "University": (1, Decimal("25.0")),
        "Cluster organisation": (1, Decimal("25.0")),
    }
    assert _tallies(participants.by_size) == {"SME": (1, Decimal("50.0")),
                                              "Large company": (1, Decimal("50.0"))}
    assert _tallies(participants.by_region)["Region of Southern Denmark"] == (
        1, Decimal("25.0"))


def test_hub_narrows_activities_and_participants(data):
    report = build_status_report(period=YEAR, hub_id=data["odense"].pk)

    assert report.header.hub == "Odense"
    assert report.activities.total == 1
    assert report.participants.organisations == 1
    assert [a.title for a in report.international] == ["Business mission til Hamborg"]


def test_kpis_against_targets_with_definitions(data):
    report = build_status_report(period=YEAR)

    assert [line.number for line in report.kpis] == [1, 2, 3, 4, 5, 6, 7]
    innovative = _kpi(report, "innovative_members")
    assert (innovative.value, innovative.numerator, innovative.denominator) == (
        Decimal("100.0"), 1, 1)
    assert innovative.target == Decimal("35.0")
    assert innovative.status == "met"
    assert innovative.status_label == "Target met"
    assert innovative.counting.startswith("Of the organisations with a paying membership")
    members = _kpi(report, "paying_members")
    assert members.value == EXPECTED["paying_members"]
    assert members.target == Decimal("650.0")
    assert members.status == "behind"
    assert _kpi(report, "cluster_collaborations").value == 1
    assert _kpi(report, "eu_applications").value == 1


def test_flow_kpis_of_a_later_year_carry_the_figure_to_date(data):
    report = build_status_report(period=Period.year(2026))

    collaborations = _kpi(report, "cluster_collaborations")
    assert collaborations.value == 0
    assert collaborations.to_date == 1
    assert collaborations.to_date_label == "2025–2026"
    assert collaborations.target == Decimal("10.0")


def test_evaluation_results_per_standard_question(data):
    evaluations = build_status_report(period=YEAR).evaluations

    lines = {line.key: line for line in evaluations.lines}
    assert (lines["satisfaction"].answered, lines["satisfaction"].average) == (2, Decimal("9.0"))
    assert lines["satisfaction"].yes is None
    innovation = lines["innovation_started"]
    assert (innovation.answered, innovation.yes, innovation.yes_share) == (
        2, 1, Decimal("50.0"))
    assert lines["green_contacts"].answered == 0
    assert (evaluations.surveys, evaluations.sent, evaluations.answered) == (1, 4, 2)
    assert evaluations.response_rate == Decimal("50.0")


def test_grant_rule_verdicts_per_grant_and_year(data):
    report = build_status_report(period=YEAR)

    ufs = next(g for g in report.grant_rules if g.code == "UFS-2025")
    assert (ufs.activities, ufs.activities_ok, ufs.activities_not_ok) == (2, 1, 1)
    assert [(r.rule, r.met, r.failed) for r in ufs.rules] == [
        ("type", 2, 0), ("knowledge_institutions", 1, 1), ("companies", 1, 1)]
    deb = next(g for g in report.grant_rules if g.code == "DEB-INNO-2025")
    assert [(r.rule, r.met, r.failed) for r in deb.rules] == [
        ("type", 1, 0), ("companies", 1, 0), ("actors", 0, 1)]
    assert ufs.year_verdicts and all(v.message for v in ufs.year_verdicts)
    assert {g.code for g in report.grant_rules} == {"UFS-2025", "DEB-INNO-2025",
                                                    "DEB-BASIC-2025"}


def test_budget_plan_against_actual(data):
    report = build_status_report(period=YEAR)

    ufs = next(b for b in report.budgets if b.code == "UFS-2025")
    assert ufs.has_plan
    assert (ufs.planned_total, ufs.actual_total, ufs.difference_total) == (
        EXPECTED["budget_planned"], EXPECTED["budget_actual"], Decimal("87000.00"))
    assert [(line.label, line.planned, line.actual) for line in ufs.lines] == [
        ("Projektledelse og møder på Ærø", Decimal("100000.00"), Decimal("13000.00"))]
    assert ufs.hours == Decimal("10.00")
    basic = next(b for b in report.budgets if b.code == "DEB-BASIC-2025")
    assert (basic.has_plan, basic.lines, basic.planned_total) == (False, (), Decimal("0"))


def test_collaborations_international_activities_and_eu_applications(data):
    report = build_status_report(period=YEAR)

    assert [(c.kind, c.title, c.day, c.clusters) for c in report.collaborations] == [
        ("Activity", "Seminar om grøn AI", date(2025, 3, 10), "Energiklyngen")]
    assert [(a.title, a.day, a.format, a.hub, a.participants, a.organisations)
            for a in report.international] == [
        ("Business mission til Hamborg", date(2025, 5, 20), "Business mission", "Odense",
         2, 1)]
    assert [(e.title, e.submitted_on, e.status, e.partners, e.companies)
            for e in report.eu_applications] == [
        ("GREENAI: Green AI for SMEs", date(2025, 3, 1), "Submitted", 2, 1)]


def test_a_frozen_period_reports_the_frozen_figures(data):
    snapshot_freeze(period=YEAR, note="Sent to UFS")
    MembershipFactory(organisation=OrganisationFactory(), start_date=date(2025, 2, 1))
    attend(held("Late addition", date(2025, 10, 1)), OrganisationFactory())

    report = build_status_report(period=YEAR)

    assert report.header.frozen is True
    assert report.header.frozen_note == "Sent to UFS"
    assert _kpi(report, "paying_members").value == 1
    assert report.participants.frozen is True
    assert report.participants.organisations == 4
    assert report.activities.total == 4  # activities are not part of a snapshot


def test_a_frozen_year_reports_the_figure_to_date_frozen_with_it(data):
    # 2025's seminar with Energiklyngen is the one collaboration since the programme start.
    snapshot_freeze(period=Period.year(2026))
    later = held("Recorded after freezing", date(2025, 11, 1))
    later.co_organisers.add(data["cluster"])

    report = build_status_report(period=Period.year(2026))

    collaborations = _kpi(report, "cluster_collaborations")
    assert (collaborations.value, collaborations.to_date) == (0, 1)
    assert collaborations.to_date_label == "2025–2026"
    assert collaborations.status_label != "No figure"


def test_an_empty_year_builds_with_zeros():
    report = build_status_report(period=Period.year(2019))

    assert report.activities.total == 0
    assert report.activities.by_type == ()
    assert report.participants.people == 0
    assert report.evaluations.response_rate is None
    assert report.grant_rules == ()
    assert report.collaborations == () and report.eu_applications == ()
    assert _kpi(report, "innovative_members").value is None


def test_query_count_does_not_grow_with_the_data(data):
    with CaptureQueriesContext(connection) as before:
        build_status_report(period=YEAR)
    for n in range(4):
        activity = held(f"Extra {n}", date(2025, 6, n + 1), type="internationalisation")
        for _person in range(3):
            attend(activity, OrganisationFactory())

    with CaptureQueriesContext(connection) as after:
        build_status_report(period=YEAR)

    assert len(after) == len(before)


def test_period_choices_offer_years_and_grant_periods(data):
    options = period_options(date(2026, 11, 26))

    values = [o.value for o in options]
    assert values[:2] == ["2026", "2025"]
    assert "2021" in values
    finals = [o for o in options if o.final]
    assert [o.period.label for o in finals][:2] == ["2025–2028", "2021–2024"]
    assert default_value(options, date(2026, 11, 26)) == "2025"
