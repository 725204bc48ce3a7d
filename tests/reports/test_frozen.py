"""A frozen period keeps its report as reported: rendered once when the figures are frozen,
byte for byte the same after later edits, downloadable by those who send reports on."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from klynge.core.roles import Role
from klynge.kpis.domain.counting import Period
from klynge.kpis.services import snapshot_freeze
from klynge.reports.models import FrozenReport
from klynge.reports.render import render
from klynge.reports.status import build_status_report
from tests.factories import user_with_role
from tests.kpis.factories import company, held, member

pytestmark = pytest.mark.django_db

YEAR = Period.year(2024)


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _members(count: int) -> None:
    for n in range(count):
        member(company(name=f"Member {n} ApS"), start=date(2023, 1, 1))


def test_freezing_stores_the_report_in_three_formats():
    _members(3)

    snapshot = snapshot_freeze(period=YEAR)

    stored = {f.format: f for f in FrozenReport.objects.filter(snapshot=snapshot)}
    assert sorted(stored) == ["html", "pdf", "xlsx"]
    assert stored["pdf"].filename == "status-report-2024.pdf"
    assert "Paying members" in _pdf_text(stored["pdf"].file.read())


def test_the_frozen_report_is_unchanged_after_later_edits_while_todays_differs():
    _members(3)
    snapshot = snapshot_freeze(period=YEAR)
    frozen_html = FrozenReport.objects.get(snapshot=snapshot, format="html").file.read()

    # Recorded after freezing: an international seminar held in 2024.
    held(date(2024, 5, 1), title="Late-recorded seminar", type="internationalisation")

    assert FrozenReport.objects.get(snapshot=snapshot, format="html").file.read() == frozen_html
    assert b"Late-recorded seminar" not in frozen_html
    today, _type, _name = render(build_status_report(period=YEAR), "html")
    assert b"Late-recorded seminar" in today


def test_a_multi_year_period_is_frozen_as_the_final_report():
    _members(1)

    snapshot = snapshot_freeze(period=Period(date(2021, 1, 1), date(2024, 12, 31)))

    names = sorted(f.filename for f in snapshot.frozen_reports.all())
    assert names == ["final-report-2021-2024.html", "final-report-2021-2024.pdf",
                     "final-report-2021-2024.xlsx"]


@pytest.mark.parametrize("role, status", [
    (Role.MANAGEMENT, 200), (Role.GRANT_GIVER, 200), (Role.STAFF, 403), (Role.MEMBER, 403),
])
def test_who_may_download_a_frozen_report(client, role, status):
    _members(1)
    snapshot = snapshot_freeze(period=YEAR)
    pdf = FrozenReport.objects.get(snapshot=snapshot, format="pdf")
    client.force_login(user_with_role(role))

    response = client.get(reverse("reports:frozen_download", args=[pdf.pk]))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == (
            'attachment; filename="status-report-2024.pdf"')
        assert b"".join(response.streaming_content) == pdf.file.open("rb").read()


def test_the_report_page_offers_the_report_as_reported(client):
    _members(1)
    snapshot = snapshot_freeze(period=YEAR)
    client.force_login(user_with_role(Role.GRANT_GIVER))

    page = client.get(reverse("reports:status"), {"period": "2024"}).content.decode()

    assert "As reported" in page
    for frozen in snapshot.frozen_reports.all():
        assert reverse("reports:frozen_download", args=[frozen.pk]) in page


def test_an_unfrozen_period_offers_no_report_as_reported(client):
    _members(1)
    client.force_login(user_with_role(Role.GRANT_GIVER))

    page = client.get(reverse("reports:status"), {"period": "2024"}).content.decode()

    assert "As reported" not in page
