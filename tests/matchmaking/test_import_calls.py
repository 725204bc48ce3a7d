"""`klynge import-calls`: F&T exports in either column order, BOM, gzip, HTML descriptions,
bad rows by line and column, upsert by identifier."""

import gzip
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from klynge.matchmaking.importing.calls import plain_text, programme_of
from klynge.matchmaking.models import CallTopic
from klynge.matchmaking.services.calls import call_topics_import
from tests.matchmaking.cordis_files import calls_layout_a, calls_layout_b


def run(*args) -> str:
    out = io.StringIO()
    call_command("import-calls", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_plain_text_keeps_paragraphs_and_list_items():
    html = ("<span>ExpectedOutcome</span>:<p>Machine vision &amp; deep  learning.</p>"
            "<ul><li>Fewer defects</li><li>Less waste</li></ul><p>Scope<br>Text</p>")
    assert plain_text(html) == ("ExpectedOutcome:\nMachine vision & deep learning.\n\n"
                                "• Fewer defects\n\n• Less waste\n\nScope\nText")


def test_programme_is_the_identifiers_first_segment():
    assert [programme_of(i) for i in ("HORIZON-CL5-2024-D3-02-07", "EuropeAid/172802/ID/ACT/RS",
                                      "LIFE-2025-CET", "ERC-2025-SyG")] == [
        "HORIZON", "EuropeAid", "LIFE", "ERC"]


@pytest.mark.django_db
def test_both_layouts_are_imported_and_bad_rows_reported(tmp_path):
    # given an export in the usual layout (gzipped) and one in the other (with a BOM)
    (tmp_path / "open.csv.gz").write_bytes(calls_layout_a())
    (tmp_path / "CL3.csv").write_bytes(calls_layout_b())

    # when both are imported
    output = run(tmp_path / "open.csv.gz", tmp_path / "CL3.csv")

    # then the good rows are call topics with their details
    assert sorted(CallTopic.objects.values_list("identifier", flat=True)) == [
        "DIGITAL-2025-AI-01", "EuropeAid/172802/ID/ACT/RS", "HORIZON-CL4-2025-01-TWIN-02"]
    call = CallTopic.objects.get(identifier="HORIZON-CL4-2025-01-TWIN-02")
    assert (call.title, call.programme, call.action_type, call.opens_on, call.deadline,
            call.budget_min, call.budget_max, call.source) == (
        "AI for quality control in manufacturing", "HORIZON",
        "HORIZON-IA HORIZON Innovation Actions", date(2025, 1, 15), date(2025, 5, 6),
        Decimal("4000000.00"), Decimal("6000000.00"), "open.csv.gz")
    assert call.description == ("ExpectedOutcome:\nMachine vision & deep learning.\n\n"
                                "• Fewer defects\n\n• Less waste")
    digital = CallTopic.objects.get(identifier="DIGITAL-2025-AI-01")
    assert (digital.budget_min, digital.budget_max, digital.description) == (
        None, None, "Plain text.")
    aid = CallTopic.objects.get(identifier="EuropeAid/172802/ID/ACT/RS")
    assert (aid.programme, aid.opens_on, aid.deadline, aid.budget_max, aid.source) == (
        "EuropeAid", date(2021, 7, 30), date(2021, 9, 1), Decimal("250000.00"), "CL3.csv")
    # and the bad rows are listed by file, line and column
    assert "open.csv.gz, line 4, column 'deadline': '20 May 2025' is not a date." in output
    assert "CL3.csv, line 3, column 'title': The title is missing." in output
    assert "3 topics: 3 added, 0 updated, 0 unchanged; 2 bad rows skipped." in output


@pytest.mark.django_db
def test_importing_again_updates_by_identifier(tmp_path):
    # given imported call topics, one of them since edited in a newer export
    call_topics_import(files=[("a.csv.gz", calls_layout_a())])
    text = gzip.decompress(calls_layout_a()).replace(b"Testing facilities for AI",
                                          b"Testing and experimentation facilities for AI")

    # when the newer export is imported
    report = call_topics_import(files=[("b.csv", text)])

    # then the changed topic is updated, the others unchanged
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 1)
    topic = CallTopic.objects.get(identifier="DIGITAL-2025-AI-01")
    assert (topic.title, topic.source) == ("Testing and experimentation facilities for AI",
                                           "b.csv")


@pytest.mark.django_db
def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    # given a CSV without an identifier column
    (tmp_path / "people.csv").write_text("name,email\nAnna,anna@example.com\n")

    # when it is imported, then the command says why and nothing is written
    with pytest.raises(CommandError, match="people.csv has no identifier / title column"):
        run(tmp_path / "people.csv")
    assert CallTopic.objects.count() == 0


@pytest.mark.realdata
@pytest.mark.django_db
def test_the_real_exports(data_dir):
    # given the eight real F&T exports
    files = sorted((data_dir / "eu-calls-2024").glob("*.csv.gz"))

    # when they are imported
    report = call_topics_import(files=[(f.name, f.read_bytes()) for f in files])

    # then every row is good, and topics in several files are one topic each
    assert [(f["name"], f["rows"], f["bad"]) for f in report["files"]] == [
        ("CL3.csv.gz", 24, 0),
        ("output_query-open_1718653202242.csv.gz", 406, 0),
        ("output_query-open_1724530395206.csv.gz", 452, 0),
        ("output_query-open_1728752759445.csv.gz", 322, 0),
        ("output_query-open_1729947526918.csv.gz", 304, 0),
        ("output_query-upcoming_1718653130808.csv.gz", 102, 0),
        ("output_query-upcoming_1725598801354.csv.gz", 33, 0),
        ("output_query-upcoming_1728752739240.csv.gz", 8, 0),
    ]
    assert (report["topics"], report["added"], report["bad_count"]) == (597, 597, 0)
    assert CallTopic.objects.filter(programme="HORIZON").count() == 284
    call = CallTopic.objects.get(identifier="HORIZON-CL3-2024-FCT-01-08")
    assert (call.opens_on, call.deadline, call.budget_max) == (
        date(2024, 6, 27), date(2024, 11, 20), Decimal("6000000.00"))
    # (the last file with the topic wins: its export had the description as flat text)
    assert (call.source, call.description[:60]) == (
        "output_query-upcoming_1718653130808.csv.gz",
        "ExpectedOutcome:Projects' results are expected to contribute")
    cl3 = CallTopic.objects.get(identifier="HORIZON-CL3-2025-01-FCT-01")
    assert (cl3.opens_on, cl3.deadline, cl3.source) == (date(2025, 6, 12), None, "CL3.csv.gz")
