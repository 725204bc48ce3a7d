"""The status report rendered: the actual figures are in the XLSX, the PDF and the HTML."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from klynge.kpis.domain.counting import Period
from klynge.kpis.services import snapshot_freeze
from klynge.reports.render import render
from klynge.reports.render.html import to_html
from klynge.reports.render.pdf import to_pdf
from klynge.reports.render.xlsx import to_xlsx
from klynge.reports.status import build_status_report
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports import status_dataset

pytestmark = pytest.mark.django_db

YEAR = Period.year(2025)


@pytest.fixture
def report(settings):
    settings.KLYNGE_CLUSTER_NAME = "DigitalLead"
    status_dataset.build()
    return build_status_report(period=YEAR)


def _rows(sheet) -> list[tuple]:
    return [tuple(v for v in row if v is not None)
            for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def _row_starting(sheet, *first) -> tuple:
    return next(row for row in _rows(sheet) if row[:len(first)] == first)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_xlsx_holds_the_figures_as_numbers(report):
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))

    assert workbook.sheetnames == [
        "About", "KPIs", "Activities", "Participants", "Evaluations", "Grant rules", "Budget",
        "Collaborations", "International", "EU applications"]
    about = workbook["About"]
    assert about["A1"].value == "Cluster status report 2025"
    assert _row_starting(about, "Cluster") == ("Cluster", "DigitalLead")
    assert _row_starting(about, "Held activities") == ("Held activities", 3)
    activities = workbook["Activities"]
    assert _row_starting(activities, "UFS-2025") == ("UFS-2025", "UFS cluster grant 2025–2028",
                                                     2, 1.5)
    assert _row_starting(activities, "Aarhus") == ("Aarhus", 2, pytest.approx(0.667))
    kpis = workbook["KPIs"]
    assert _row_starting(kpis, 7, "Paying members")[:4] == (7, "Paying members", 1, "members")
    assert _row_starting(kpis, 1, "Innovative members")[2] == 100
    budget = workbook["Budget"]
    assert _row_starting(budget, "UFS-2025", 2025, "Yes") == (
        "UFS-2025", 2025, "Yes", 100000, 13000, 87000, 10)
    application = next(row for row in _rows(workbook["EU applications"])
                       if "GREENAI: Green AI for SMEs" in row)
    assert application == (datetime(2025, 3, 1), "GREENAI: Green AI for SMEs",
                           "Horizon Europe", "HORIZON-CL4-2025-01", "Submitted", 2, 1)


def test_pdf_shows_the_figures_and_danish_characters(report):
    text = _pdf_text(to_pdf(report))

    assert "Cluster status report 2025" in text
    assert "DigitalLead" in text
    assert "Seminar om grøn AI" in text
    assert "Business mission til Hamborg" in text
    assert "UFS-2025" in text and "DEB-INNO-2025" in text
    assert "100,000" in text and "13,000" in text and "87,000" in text
    assert "Paying members" in text
    assert "Of the organisations with a paying membership" in text
    assert "GREENAI: Green AI for SMEs" in text
    assert "Energiklyngen" in text
    assert "Projektledelse og møder på Ærø" in text


def test_html_shows_the_figures(report):
    html = to_html(report)

    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>Cluster status report 2025</h1>" in html
    assert '<td class="num">100,000</td>' in html
    assert '<td class="num">13,000</td>' in html
    assert "Seminar om grøn AI" in html
    assert "Target met" in html
    assert "50.0 %" in html  # share of yes to "started innovation work"


def test_frozen_figures_are_rendered_and_announced(report):
    snapshot_freeze(period=YEAR)
    MembershipFactory(organisation=OrganisationFactory(), start_date=date(2025, 2, 1))
    frozen = build_status_report(period=YEAR)

    text = _pdf_text(to_pdf(frozen))
    workbook = load_workbook(io.BytesIO(to_xlsx(frozen)))

    assert "frozen figures" in text
    assert _row_starting(workbook["KPIs"], 7,
                         "Paying members")[2] == 1
    assert "The KPI figures are the frozen figures of “2025”" in to_html(frozen)


def test_an_empty_year_renders_its_empty_states():
    report = build_status_report(period=Period.year(2019))

    html = to_html(report)
    text = _pdf_text(to_pdf(report))
    workbook = load_workbook(io.BytesIO(to_xlsx(report)))

    assert "No activities were held in the period." in html
    assert "No EU applications were submitted in the period." in text
    assert ("No survey was answered in the period.",) in _rows(workbook["Evaluations"])


def test_render_gives_content_type_and_filename(report):
    for fmt, content_type, filename in (
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "status-report-2025.xlsx"),
        ("pdf", "application/pdf", "status-report-2025.pdf"),
        ("html", "text/html; charset=utf-8", "status-report-2025.html"),
    ):
        content, given_type, given_name = render(report, fmt)
        assert (given_type, given_name) == (content_type, filename)
        assert content
    final = build_status_report(period=Period(date(2021, 1, 1), date(2024, 12, 31)), final=True)
    assert render(final, "pdf")[2] == "final-report-2021-2024.pdf"
    with pytest.raises(ValueError):
        render(report, "docx")
