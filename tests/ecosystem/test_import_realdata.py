"""The import on the real files in ../shared/data (skipped where the folder is absent).

The files are read where they are; only filtered extracts are written, to tmp_path.
"""

import csv
import gzip

import pytest
from django.core.files.base import ContentFile

from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.importing import services
from klynge.ecosystem.models import ImportBatch, Organisation

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

ERDF_2007 = "dk-erdf/2007-2013_ERDF_Denmark_2007-2013.csv"
ERDF_2014 = "dk-erdf/2014-2020_ERDF_Denmark_2014-2020.csv"


def _batch(path) -> ImportBatch:
    return services.import_batch_create(
        actor=None, target="organisations", file=ContentFile(path.read_bytes(), name=path.name),
        name=path.name,
    )


def _records(path, encoding="utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle))


def _record_start_lines(path) -> list[int]:
    """Where each record starts, found by quote parity (not by the csv module's counter)."""
    starts, inside = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not inside and line.strip():
            starts.append(number)
        inside ^= line.count('"') % 2 == 1
    return starts[1:]


def _accounted(counts) -> int:
    return sum(counts[key] for key in ("new", "updated", "unchanged", "duplicates", "bad"))


@pytest.fixture
def cordis_dk(data_dir, tmp_path):
    """The Danish organisations of CORDIS (Horizon Europe): rows whose country is DK."""
    with gzip.open(data_dir / "cordis-he" / "organization.csv.gz", "rt", encoding="utf-8",
                   newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row[header.index("country")] == "DK"]
    path = tmp_path / "cordis-dk.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path, header, rows


def test_every_danish_vat_number_in_cordis_passes_the_cvr_check(cordis_dk):
    path, header, rows = cordis_dk
    vats = {row[header.index("vatNumber")] for row in rows} - {""}
    batch = _batch(path)

    plan = services.import_check(batch=batch)

    counts = plan.counts()
    assert counts["rows"] == len(rows) == 1845
    assert _accounted(counts) == 1845
    assert [e for e in plan.errors() if e["column"] == "vatNumber"] == []
    assert all(check_cvr(vat).value for vat in vats)
    # The only bad rows: an English postcode on an organisation registered in Denmark.
    assert [(e["column"], e["value"], e["code"]) for e in plan.errors()] == [
        ("postCode", "NR1 4DR", "postcode_dk"), ("postCode", "NR1 4DR", "postcode_dk")]
    assert counts == {"rows": 1845, "new": 434, "updated": 0, "unchanged": 0,
                      "duplicates": 1409, "bad": 2}
    assert Organisation.objects.count() == 0


def test_cordis_danish_organisations_import_once(cordis_dk):
    path, header, rows = cordis_dk
    vats = {row[header.index("vatNumber")][2:] for row in rows} - {""}

    services.import_commit(batch=_batch(path), actor=None, mode=ImportBatch.Mode.GOOD_ROWS)
    again = services.import_check(batch=_batch(path))

    assert Organisation.objects.count() == 434
    imported_cvrs = set(Organisation.objects.exclude(cvr=None).values_list("cvr", flat=True))
    assert imported_cvrs == vats
    assert Organisation.objects.get(cvr="30060946").kind == "university"  # DTU, HES
    assert Organisation.objects.filter(name__iexact="teknologisk institut").get().kind == "gts"
    assert set(Organisation.objects.values_list("country", flat=True)) == {"DK"}
    assert again.counts() == {"rows": 1845, "new": 0, "updated": 0, "unchanged": 434,
                              "duplicates": 1409, "bad": 2}


def test_erdf_2007_2013_beneficiaries_parse_with_every_row_accounted_for(data_dir):
    path = data_dir / ERDF_2007
    records = _records(path)[1:]
    cvrs = {row[9] for row in records}
    batch = _batch(path)

    plan = services.import_commit(batch=batch, actor=None, mode=ImportBatch.Mode.GOOD_ROWS)

    counts = plan.counts()
    assert counts == {"rows": 598, "new": 270, "updated": 0, "unchanged": 0,
                      "duplicates": 327, "bad": 1}
    assert len(records) == 598 and len(cvrs) == 271
    assert all(check_cvr(cvr).value == cvr for cvr in cvrs)
    # One beneficiary's only row has a three-digit postcode; it is the one left out.
    assert plan.errors() == [{"line": plan.errors()[0]["line"], "column": "postnr",
                              "value": "900", "code": "postcode_dk", "params": {}}]
    bad_cvr = records[_record_start_lines(path).index(plan.errors()[0]["line"])][9]
    assert set(Organisation.objects.values_list("cvr", flat=True)) == cvrs - {bad_cvr}
    assert batch.report["encoding"] == "utf-8-sig" and batch.report["delimiter"] == ","


def test_erdf_2014_2020_multi_line_records_are_numbered_by_physical_line(data_dir):
    path = data_dir / ERDF_2014
    records = _records(path)[1:]
    batch = _batch(path)
    # Mapping the co-financing rate ("50%") to a number makes every row bad, so every row's
    # line is reported.
    mapping = {**batch.mapping, "EU-medfinansieringssats / Union co-financing rate": "employees"}
    services.import_mapping_set(batch=batch, mapping=mapping)

    plan = services.import_check(batch=batch)

    assert len(records) == 107
    assert [row.line for row in plan.bad] == _record_start_lines(path)
    assert plan.bad[1].line > 3  # the first record spans many lines


def test_erdf_2014_2020_beneficiaries_import_by_name(data_dir):
    path = data_dir / ERDF_2014
    records = _records(path)[1:]
    names = {" ".join(row[11].split()).casefold() for row in records}

    plan = services.import_commit(batch=_batch(path), actor=None)
    again = services.import_check(batch=_batch(path))

    assert plan.counts() == {"rows": 107, "new": len(names), "updated": 0, "unchanged": 0,
                             "duplicates": 107 - len(names), "bad": 0}
    assert Organisation.objects.count() == len(names) == 62
    assert set(Organisation.objects.values_list("country", flat=True)) == {"DK"}
    assert again.counts()["new"] == 0 and again.counts()["updated"] == 0
