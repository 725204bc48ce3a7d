"""The reports index and the status report page: who may see and download, and what."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from klynge.core.roles import Role
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import TargetPeriod
from klynge.kpis.services import snapshot_freeze
from tests.factories import user_with_role
from tests.reports import status_dataset

pytestmark = pytest.mark.django_db

STATUS = reverse("reports:status")
DOWNLOAD = reverse("reports:status_download")


@pytest.fixture
def grant_giver_client(client, db):
    client.force_login(user_with_role(Role.GRANT_GIVER))
    return client


@pytest.fixture
def data():
    return status_dataset.build()


def test_index_lists_the_reports_for_a_grant_giver(grant_giver_client):
    response = grant_giver_client.get(reverse("reports:index"))

    assert response.status_code == 200
    assert "Cluster status report and final report" in response.content.decode()
    assert STATUS in response.content.decode()


def test_index_lists_frozen_periods_with_their_report(management_client, data):
    snapshot_freeze(period=Period.year(2025), note="Sent to the board")

    html = management_client.get(reverse("reports:index")).content.decode()

    assert "Sent to the board" in html
    assert f"{STATUS}?period=2025" in html


def test_members_may_not_see_reports(member_client):
    assert member_client.get(reverse("reports:index")).status_code == 403
    assert member_client.get(STATUS).status_code == 403
    assert member_client.get(DOWNLOAD, {"period": "2025"}).status_code == 403


def test_grant_giver_previews_the_report_with_downloads(grant_giver_client, data):
    response = grant_giver_client.get(STATUS, {"period": "2025"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Cluster status report 2025" in html
    assert "Seminar om grøn AI" in html
    assert f"{DOWNLOAD}?period=2025&amp;format=pdf" in html
    assert f"{DOWNLOAD}?period=2025&amp;format=xlsx" in html


def test_staff_may_read_but_not_download(staff_client, data):
    response = staff_client.get(STATUS, {"period": "2025"})

    assert response.status_code == 200
    assert "Cluster status report 2025" in response.content.decode()
    assert DOWNLOAD not in response.content.decode()
    assert staff_client.get(DOWNLOAD, {"period": "2025", "format": "pdf"}).status_code == 403


def test_the_page_defaults_to_last_year(management_client):
    response = management_client.get(STATUS)

    assert response.status_code == 200
    last_year = str(timezone.localdate().year - 1)
    assert response.context["form"].cleaned_data["period"] == last_year
    assert "No activities were held in the period." in response.content.decode()


def test_an_unknown_period_is_refused_with_a_message(management_client):
    response = management_client.get(STATUS, {"period": "1850"})

    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Choose a year or a grant period from the list." in response.content.decode()


def test_pdf_download(management_client, data):
    response = management_client.get(DOWNLOAD, {"period": "2025", "format": "pdf"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="status-report-2025.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Cluster status report 2025" in text


def test_xlsx_download_for_one_hub(grant_giver_client, data):
    response = grant_giver_client.get(DOWNLOAD, {"period": "2025", "format": "xlsx",
                                                 "hub": data["odense"].pk})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"] == (
        'attachment; filename="status-report-2025-odense.xlsx"')
    about = load_workbook(io.BytesIO(response.content))["About"]
    rows = [row[:2] for row in about.iter_rows(values_only=True)]
    assert ("Hub", "Odense") in rows
    assert ("Held activities", 1) in rows


def test_html_download_of_the_final_report(admin_client, data):
    programme = TargetPeriod.objects.get(name="2025–2028")

    response = admin_client.get(DOWNLOAD, {"period": f"programme-{programme.pk}",
                                           "format": "html"})

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="final-report-2025-2028.html"')
    assert "<h1>Final report 2025–2028</h1>" in response.content.decode()


def test_an_unknown_format_goes_back_to_the_page(management_client):
    response = management_client.get(DOWNLOAD, {"period": "2025", "format": "docx"})

    assert response.status_code == 302
    assert response["Location"].startswith(STATUS)
