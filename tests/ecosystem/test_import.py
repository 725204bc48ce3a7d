"""The registry import end to end: files on disk, the services, the pages and `klynge import`."""

import csv
import gzip
import io
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from klynge.core.models import AuditEntry, Job
from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.domain.importing import KIND_WORDS
from klynge.ecosystem.importing import services
from klynge.ecosystem.models import Affiliation, ImportBatch, Organisation, Person
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CVR_MESSAGE = "This is not a valid CVR number: its check digit is wrong (modulus-11 rule)."
POSTCODE_MESSAGE = "A Danish postcode has 4 digits, such as 8000."

# Alfa's and Gamma's descriptions span lines, so record and physical line numbers differ:
# header 1, Alfa 2-3, Beta 4 (bad CVR), Gamma 5-7, Delta 8 (bad postcode).
MIXED = (
    "Navn;CVR;Postnr;By;Beskrivelse\r\n"
    'Alfa ApS;24256790;8000;Aarhus C;"Første linje\r\nanden linje"\r\n'
    "Beta ApS;12345678;8000;Aarhus C;kort\r\n"
    'Gamma A/S;30060946;2100;København Ø;"a\r\nb\r\nc"\r\n'
    "Delta ApS;10000009;50000;Odense C;ok\r\n"
)
GOOD = (
    "Navn;CVR;Postnr;By\r\n"
    "Alfa ApS;24256790;8000;Aarhus C\r\n"
    "Gamma A/S;30060946;2100;København Ø\r\n"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _batch(path, target="organisations", actor=None) -> ImportBatch:
    return services.import_batch_create(
        actor=actor, target=target, file=ContentFile(path.read_bytes(), name=path.name),
        name=path.name,
    )


def _imported(action="klynge.ecosystem.organisation.imported"):
    return AuditEntry.objects.filter(action=action)


def test_a_bad_cvr_after_a_multi_line_field_is_reported_at_its_physical_line(tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", MIXED))

    plan = services.import_check(batch=batch)

    assert plan.counts() == {"rows": 4, "new": 2, "updated": 0, "unchanged": 0,
                             "duplicates": 0, "bad": 2}
    assert batch.report["errors"] == [
        {"line": 4, "column": "CVR", "value": "12345678", "code": "cvr_checksum", "params": {}},
        {"line": 8, "column": "Postnr", "value": "50000", "code": "postcode_dk", "params": {}},
    ]
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Organisation.objects.count() == 0


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", MIXED))

    services.import_commit(batch=batch, actor=None, mode=ImportBatch.Mode.ALL_OR_NOTHING)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.report["written"] == {"created": 0, "updated": 0, "affiliations": 0}
    assert Organisation.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_good_rows_mode_writes_the_good_rows_and_an_error_file_of_the_bad(tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", MIXED))

    services.import_commit(batch=batch, actor=None, mode=ImportBatch.Mode.GOOD_ROWS)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert list(Organisation.objects.order_by("name").values_list(
        "name", "cvr", "postcode", "city", "region", "country", "kind", "description"
    )) == [
        ("Alfa ApS", "24256790", "8000", "Aarhus C", "midtjylland", "DK", "company",
         "Første linje\r\nanden linje"),
        ("Gamma A/S", "30060946", "2100", "København Ø", "hovedstaden", "DK", "company",
         "a\r\nb\r\nc"),
    ]
    text = batch.error_file.open("rb").read().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["Navn", "CVR", "Postnr", "By", "Beskrivelse", "error"],
        ["Beta ApS", "12345678", "8000", "Aarhus C", "kort", f"CVR: {CVR_MESSAGE}"],
        ["Delta ApS", "10000009", "50000", "Odense C", "ok", f"Postnr: {POSTCODE_MESSAGE}"],
    ]
    assert batch.report["error_rows"] == 2


def test_every_imported_record_gets_an_audit_entry_with_the_batch(tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", GOOD))

    services.import_commit(batch=batch, actor=None)

    alfa = Organisation.objects.get(cvr="24256790")
    entry = _imported().get(object_id=str(alfa.pk))
    assert entry.object_repr == "Alfa ApS"
    assert entry.data == {
        "batch_id": batch.pk, "created": True,
        "changes": {"name": [None, "Alfa ApS"], "cvr": [None, "24256790"],
                    "postcode": [None, "8000"], "city": [None, "Aarhus C"],
                    "country": [None, "DK"], "region": [None, "midtjylland"]},
    }
    assert _imported().count() == 2


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = _write(tmp_path, "orgs.csv", GOOD)
    services.import_commit(batch=_batch(path), actor=None)
    before = list(Organisation.objects.order_by("pk").values())

    second = _batch(path)
    plan = services.import_commit(batch=second, actor=None)

    assert plan.counts() == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2,
                             "duplicates": 0, "bad": 0}
    assert second.report["written"] == {"created": 0, "updated": 0, "affiliations": 0}
    assert list(Organisation.objects.order_by("pk").values()) == before
    assert _imported().count() == 2


def test_an_existing_organisation_is_updated_by_cvr_and_empty_cells_blank_nothing(tmp_path):
    alfa = OrganisationFactory(name="ALFA APS", cvr="24256790", city="Aarhus",
                               description="Kept")
    path = _write(tmp_path, "orgs.csv",
                  "Navn;CVR;By;Beskrivelse\r\nAlfa ApS;24256790;Aarhus C;\r\n")
    batch = _batch(path)

    plan = services.import_commit(batch=batch, actor=None)

    assert plan.counts()["updated"] == 1
    alfa.refresh_from_db()
    assert (alfa.name, alfa.city, alfa.description) == ("ALFA APS", "Aarhus C", "Kept")
    assert _imported().get().data == {
        "batch_id": batch.pk, "created": False, "changes": {"city": ["Aarhus", "Aarhus C"]},
    }


def test_a_new_cvr_number_is_given_to_the_same_named_organisation_without_one(tmp_path):
    gamma = OrganisationFactory(name="Gamma A/S", cvr=None)
    path = _write(tmp_path, "orgs.csv", "Navn;CVR\r\nGAMMA A/S;30060946\r\n")

    plan = services.import_commit(batch=_batch(path), actor=None)

    assert plan.counts()["updated"] == 1
    gamma.refresh_from_db()
    assert (gamma.name, gamma.cvr) == ("Gamma A/S", "30060946")
    assert Organisation.objects.count() == 1


def test_foreign_organisations_match_by_country_and_vat_number(tmp_path):
    leuven = OrganisationFactory(name="KU Leuven", cvr=None, country="BE",
                                 vat_number="BE0419052173", region="abroad")
    path = _write(tmp_path, "orgs.csv",
                  "name,vatNumber,country,city\n"
                  "Katholieke Universiteit Leuven,BE0419052173,BE,Leuven\n"
                  "Lund University,SE202100321101,SE,Lund\n")

    plan = services.import_commit(batch=_batch(path), actor=None)

    assert plan.counts() == {"rows": 2, "new": 1, "updated": 1, "unchanged": 0,
                             "duplicates": 0, "bad": 0}
    leuven.refresh_from_db()
    assert (leuven.name, leuven.city) == ("Katholieke Universiteit Leuven", "Leuven")
    lund = Organisation.objects.get(vat_number="SE202100321101")
    assert (lund.country, lund.cvr, lund.region) == ("SE", None, "abroad")


def test_a_name_shared_by_two_organisations_is_refused_without_a_cvr(tmp_path):
    OrganisationFactory(name="Nordic Tech", cvr=None)
    OrganisationFactory(name="Nordic  Tech", cvr=None)
    path = _write(tmp_path, "orgs.csv", "Navn;By\r\nNORDIC TECH;Vejle\r\n")
    batch = _batch(path)

    services.import_commit(batch=batch, actor=None)

    assert batch.status == ImportBatch.Status.REJECTED
    assert batch.report["errors"] == [{
        "line": 2, "column": "Navn", "value": "NORDIC TECH", "code": "name_ambiguous",
        "params": {"count": 2, "name": "NORDIC TECH"},
    }]
    assert not Organisation.objects.filter(city="Vejle").exists()


def test_repeated_rows_are_duplicates_and_differing_repeats_warn(tmp_path):
    path = _write(tmp_path, "orgs.csv",
                  "Navn;CVR;By\r\n"
                  "Alfa ApS;24256790;Aarhus C\r\n"
                  "Alfa ApS;24256790;Aarhus C\r\n"
                  "Alfa ApS;24256790;Viby J\r\n")
    batch = _batch(path)

    plan = services.import_commit(batch=batch, actor=None)

    assert plan.counts() == {"rows": 3, "new": 1, "updated": 0, "unchanged": 0,
                             "duplicates": 2, "bad": 0}
    assert batch.report["warnings"] == [{
        "line": 4, "column": "By", "code": "duplicate_differs",
        "params": {"first": 2, "columns": ["By"]},
    }]
    assert Organisation.objects.get().city == "Aarhus C"


def test_a_new_organisation_resembling_an_existing_one_is_flagged(tmp_path):
    danfoss = OrganisationFactory(name="Danfoss A/S")
    path = _write(tmp_path, "orgs.csv", "Navn;CVR\r\nDanfoss ApS;10000009\r\n")
    batch = _batch(path)

    services.import_check(batch=batch)

    assert batch.report["warnings"] == [{
        "line": 2, "column": "Navn", "code": "similar_name",
        "params": {"name": "Danfoss ApS", "existing": "Danfoss A/S",
                   "existing_id": danfoss.pk, "score": 100},
    }]


def test_xlsx_rows_are_numbered_as_in_the_sheet(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Navn", "CVR", "Postnr", "Stiftet", "Startup"])
    sheet.append(["Alfa ApS", 24256790, 8000, datetime(1998, 5, 1), True])
    sheet.append([None, None, None, None, None])
    sheet.append(["Beta ApS", 12345678, 8000, 2001, "ja"])
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)
    batch = _batch(path)

    plan = services.import_commit(batch=batch, actor=None, mode=ImportBatch.Mode.GOOD_ROWS)

    assert plan.counts() == {"rows": 2, "new": 1, "updated": 0, "unchanged": 0,
                             "duplicates": 0, "bad": 1}
    assert batch.report["errors"] == [
        {"line": 4, "column": "CVR", "value": "12345678", "code": "cvr_checksum", "params": {}},
    ]
    alfa = Organisation.objects.get()
    assert (alfa.cvr, alfa.postcode, alfa.founded_year, alfa.is_startup) == (
        "24256790", "8000", 1998, True)
    assert batch.report["format"] == "xlsx"


def test_windows_1252_with_commas_and_gzip_are_read(tmp_path):
    latin = _write(tmp_path, "latin.csv",
                   "Navn,By\r\nKøbenhavns Kommune,København V\r\n", encoding="cp1252")
    zipped = tmp_path / "orgs.csv.gz"
    zipped.write_bytes(gzip.compress(GOOD.encode("utf-8")))

    latin_batch = _batch(latin)
    services.import_commit(batch=latin_batch, actor=None)
    services.import_commit(batch=_batch(zipped), actor=None)

    assert latin_batch.report["encoding"] == "cp1252"
    assert latin_batch.report["delimiter"] == ","
    assert sorted(Organisation.objects.values_list("name", "city")) == [
        ("Alfa ApS", "Aarhus C"), ("Gamma A/S", "København Ø"),
        ("Københavns Kommune", "København V"),
    ]


def test_an_unreadable_file_is_refused_and_not_kept(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)

    with pytest.raises(services.ApplicationError) as caught:
        _batch(path)

    assert "xlsx" in caught.value.message
    assert ImportBatch.objects.count() == 0


PEOPLE = (
    "Fornavn;Efternavn;E-mail;Stilling;Virksomhed\r\n"
    "Anne;Hansen;Anne@Alfa.dk;CEO;24256790\r\n"
    "Bo;Jensen;bo@alfa.dk;CTO;alfa aps\r\n"
    "Carl;Berg;carl@x.dk;;Ukendt A/S\r\n"
)


def test_people_are_upserted_by_email_with_affiliations(tmp_path):
    alfa = OrganisationFactory(name="Alfa ApS", cvr="24256790")
    batch = _batch(_write(tmp_path, "people.csv", PEOPLE), target="people")

    plan = services.import_commit(batch=batch, actor=None, mode=ImportBatch.Mode.GOOD_ROWS)

    assert plan.counts() == {"rows": 3, "new": 2, "updated": 0, "unchanged": 0,
                             "duplicates": 0, "bad": 1}
    assert batch.report["errors"] == [{
        "line": 4, "column": "Virksomhed", "value": "Ukendt A/S",
        "code": "organisation_unknown", "params": {"value": "Ukendt A/S", "count": 0},
    }]
    assert sorted(Affiliation.objects.values_list(
        "person__email", "organisation_id", "role", "is_primary")) == [
        ("anne@alfa.dk", alfa.pk, "CEO", True), ("bo@alfa.dk", alfa.pk, "CTO", True),
    ]
    assert _imported("klynge.ecosystem.person.imported").count() == 2
    assert _imported("klynge.ecosystem.affiliation.added").count() == 2
    assert not Person.objects.filter(email="carl@x.dk").exists()


def test_importing_people_twice_changes_nothing(tmp_path):
    OrganisationFactory(name="Alfa ApS", cvr="24256790")
    path = _write(tmp_path, "people.csv", PEOPLE)
    services.import_commit(batch=_batch(path, "people"), actor=None, mode="good_rows")

    plan = services.import_commit(batch=_batch(path, "people"), actor=None, mode="good_rows")

    assert plan.counts() == {"rows": 3, "new": 0, "updated": 0, "unchanged": 2,
                             "duplicates": 0, "bad": 1}
    assert Affiliation.objects.count() == 2
    assert _imported("klynge.ecosystem.person.imported").count() == 2


def test_an_existing_person_is_found_by_email_in_any_case(tmp_path):
    alfa = OrganisationFactory(name="Alfa ApS", cvr="24256790")
    anne = PersonFactory(first_name="Anne", last_name="Hansen", email="ANNE@alfa.dk",
                         job_title="")
    path = _write(tmp_path, "people.csv",
                  "E-mail;Navn;Stilling;CVR\r\nanne@alfa.dk;Anne Hansen;CEO;24256790\r\n")

    plan = services.import_commit(batch=_batch(path, "people"), actor=None)

    assert plan.counts()["updated"] == 1
    anne.refresh_from_db()
    assert (anne.email, anne.job_title) == ("ANNE@alfa.dk", "CEO")
    assert list(anne.affiliations.values_list("organisation_id", "role")) == [(alfa.pk, "CEO")]
    assert Person.objects.count() == 1


def test_a_mapping_without_the_required_fields_is_refused(tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", GOOD))

    with pytest.raises(services.ApplicationError) as caught:
        services.import_mapping_set(batch=batch, mapping={"Navn": "", "CVR": "cvr"})

    assert caught.value.message == "Choose a column for name."
    batch.refresh_from_db()
    assert batch.mapping["Navn"] == "name"


def test_every_kind_the_parser_gives_is_a_kind_of_the_model():
    assert set(KIND_WORDS) == set(OrganisationKind.values)


def test_the_command_imports_good_rows_and_writes_the_error_file(tmp_path):
    path = _write(tmp_path, "orgs.csv", MIXED)
    errors = tmp_path / "bad.csv"
    out = io.StringIO()

    call_command("import", "organisations", str(path), "--good-rows", "--error-file",
                 str(errors), "--mapping", "Beskrivelse=", stdout=out)

    output = out.getvalue()
    assert f"line 4, column 'CVR' (value '12345678'): {CVR_MESSAGE}" in output
    assert f"line 8, column 'Postnr' (value '50000'): {POSTCODE_MESSAGE}" in output
    assert sorted(Organisation.objects.values_list("name", "description")) == [
        ("Alfa ApS", ""), ("Gamma A/S", "")]
    assert errors.read_text(encoding="utf-8-sig").splitlines()[0] == \
        "Navn;CVR;Postnr;By;Beskrivelse;error"
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.mode, batch.mapping["Beskrivelse"]) == (
        "committed", "good_rows", "")


def test_the_command_fails_and_writes_nothing_in_all_or_nothing_mode(tmp_path):
    path = _write(tmp_path, "orgs.csv", MIXED)

    with pytest.raises(CommandError, match="2 bad rows: nothing was imported"):
        call_command("import", "organisations", str(path), stdout=io.StringIO())

    assert Organisation.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.REJECTED


def test_the_command_dry_run_writes_nothing(tmp_path):
    path = _write(tmp_path, "orgs.csv", GOOD)
    out = io.StringIO()

    call_command("import", "organisations", str(path), "--dry-run", stdout=out)

    assert "Dry run: nothing was written." in out.getvalue()
    assert Organisation.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


def test_the_command_refuses_an_unknown_column_in_the_mapping(tmp_path):
    path = _write(tmp_path, "orgs.csv", GOOD)

    with pytest.raises(CommandError, match="the file's columns are Navn, CVR, Postnr, By"):
        call_command("import", "organisations", str(path), "--mapping", "Nope=name",
                     stdout=io.StringIO())


def _url(name, *args):
    return reverse(f"ecosystem:{name}", args=args)


def test_the_pages_take_a_file_from_upload_to_commit(staff_client):
    client = staff_client
    upload = SimpleUploadedFile("orgs.csv", MIXED.encode("utf-8"), content_type="text/csv")

    response = client.post(_url("import_start"), {"target": "organisations", "file": upload},
                           HTTP_ACCEPT_LANGUAGE="en")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("import_detail", batch.pk)
    assert batch.created_by == client.user

    page = client.get(_url("import_detail", batch.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["state"] == "mapping"
    assert '<option value="cvr" selected>' in page.content.decode()

    mapping = {"action": "map", "col_0": "name", "col_1": "cvr", "col_2": "postcode",
               "col_3": "city", "col_4": "description"}
    response = client.post(_url("import_detail", batch.pk), mapping, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.job.kind == services.CHECK_JOB and batch.job.status == Job.Status.SUCCEEDED

    page = client.get(_url("import_detail", batch.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["state"] == "preview"
    assert [(e["line"], e["column"], e["message"]) for e in page.context["errors"]] == [
        (4, "CVR", CVR_MESSAGE), (8, "Postnr", POSTCODE_MESSAGE)]
    assert CVR_MESSAGE in page.content.decode()
    assert Organisation.objects.count() == 0

    client.post(_url("import_detail", batch.pk), {"action": "commit", "mode": "all_or_nothing"},
                HTTP_ACCEPT_LANGUAGE="en")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert Organisation.objects.count() == 0

    client.post(_url("import_detail", batch.pk), {"action": "commit", "mode": "good_rows"},
                HTTP_ACCEPT_LANGUAGE="en")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert sorted(Organisation.objects.values_list("name", flat=True)) == [
        "Alfa ApS", "Gamma A/S"]
    assert AuditEntry.objects.filter(action="klynge.ecosystem.organisation.imported",
                                     actor=client.user).count() == 2

    page = client.get(_url("import_detail", batch.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["state"] == "result"
    assert page.context["written"] == {"created": 2, "updated": 0, "affiliations": 0}
    download = client.get(_url("import_error_file", batch.pk))
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    assert download["Content-Disposition"].startswith("attachment")
    assert body.splitlines()[1].startswith("Beta ApS;12345678;8000;Aarhus C;kort;")

    listing = client.get(_url("import_list"))
    assert list(listing.context["batches"]) == [batch]


def test_the_progress_partial_polls_while_running_and_reloads_when_done(staff_client, tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", GOOD))
    job = services.import_job_start(batch=batch, actor=None, commit=False)
    job.done, job.status = 1, Job.Status.RUNNING
    job.save()

    running = staff_client.get(_url("import_progress", batch.pk), HTTP_HX_REQUEST="true")
    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert '<progress max="100" value="50">' in running.content.decode()

    job.message = "write"
    job.save()
    writing = staff_client.get(_url("import_progress", batch.pk), HTTP_HX_REQUEST="true",
                               HTTP_ACCEPT_LANGUAGE="en")
    assert "Writing to the registry" in writing.content.decode()

    services.import_job_run(batch.pk)
    done = staff_client.get(_url("import_progress", batch.pk), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_mapping_error_is_shown_on_the_mapping_step(staff_client, tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", GOOD))

    page = staff_client.post(_url("import_detail", batch.pk),
                             {"action": "map", "col_0": "", "col_1": "cvr"},
                             HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert page.context["state"] == "mapping"
    assert "Choose a column for name." in page.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.job) == (ImportBatch.Status.UPLOADED, None)


def test_members_cannot_open_the_import_pages(member_client, tmp_path):
    batch = _batch(_write(tmp_path, "orgs.csv", GOOD))

    for url in (_url("import_start"), _url("import_list"), _url("import_detail", batch.pk),
                _url("import_progress", batch.pk), _url("import_error_file", batch.pk)):
        assert member_client.get(url).status_code == 403
