"""`klynge report`: the status report and the final report written to a file."""

from datetime import date
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.kpis.factories import company, member

pytestmark = pytest.mark.django_db


def test_writes_the_annual_status_report_as_pdf(tmp_path):
    for name in ("Alpha ApS", "Beta ApS", "Gamma ApS"):
        member(company(name=name), start=date(2023, 1, 1))
    path = tmp_path / "status.pdf"
    out = StringIO()

    call_command("report", "--year", "2024", "--format", "pdf", "-o", str(path), stdout=out)

    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "2024" in text
    assert "Paying members" in text
    assert out.getvalue().startswith(f"Wrote {path} (")


def test_writes_the_final_report_of_a_period_as_xlsx(tmp_path):
    member(company(), start=date(2021, 1, 1))
    path = tmp_path / "final.xlsx"

    call_command("report", "--final", "--from-year", "2021", "--until-year", "2024",
                 "--format", "xlsx", "-o", str(path), stdout=StringIO())

    workbook = openpyxl.load_workbook(path)
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any("2021" in c and "2024" in c for c in cells)


@pytest.mark.parametrize("args", [(), ("--final", "--from-year", "2024", "--until-year", "2021")])
def test_a_missing_or_reversed_period_is_refused(args, tmp_path):
    with pytest.raises(CommandError):
        call_command("report", *args, "-o", str(tmp_path / "x.pdf"), stdout=StringIO())
    assert not (tmp_path / "x.pdf").exists()
