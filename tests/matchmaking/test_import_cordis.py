"""`klynge import-cordis`: upsert of organisations, projects and participations, links by
CVR, bad rows by file, line and column, idempotence, --only-linked, --dry-run."""

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from klynge.core.models import AuditEntry
from klynge.matchmaking.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)
from klynge.matchmaking.services import cordis as services
from tests.factories import OrganisationFactory, UserFactory, next_cvr
from tests.matchmaking.cordis_files import cordis_folder


def run(*args) -> str:
    out = io.StringIO()
    call_command("import-cordis", *[str(a) for a in args], stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_import_reads_every_file_and_links_by_cvr(tmp_path):
    # given a registry organisation whose CVR is the Danish VAT number in the folder
    cvr = next_cvr()
    ours = OrganisationFactory(name="Vision Robotics ApS", cvr=cvr)
    folder = cordis_folder(tmp_path / "cordis", dk_vat=f"DK{cvr}")

    # when the folder is imported
    output = run(folder)

    # then organisations, projects and participations are there with their details
    assert CordisOrganisation.objects.count() == 4
    vision = CordisOrganisation.objects.get(cordis_id="900000001")
    assert (vision.name, vision.short_name, vision.kind, vision.is_sme, vision.country,
            vision.city, vision.vat_number) == (
        "Vision Robotics ApS", "VR", "company", True, "DK", "Aarhus", f"DK{cvr}")
    assert vision.organisation == ours
    assert CordisOrganisation.objects.get(cordis_id="900000003").kind == "higher_education"
    assert CordisOrganisation.objects.get(cordis_id="900000002").organisation is None
    project = CordisProject.objects.get(cordis_id="101000001")
    assert (project.acronym, project.topic_code, project.topic_title, project.labels,
            project.deliverables, project.programme) == (
        "VISION", "HORIZON-CL4-2023-TWIN-01", "Computer vision for quality control",
        ["computer vision", "robotics"], "Vision dataset\nPilot report",
        "HORIZON.2.4 Digital, Industry and Space")
    assert CordisProject.objects.get(cordis_id="101000002").programme == ""
    parts = {(p.project.cordis_id, p.cordis_organisation.cordis_id): (p.role, p.ec_contribution)
             for p in CordisParticipation.objects.select_related("project",
                                                                 "cordis_organisation")}
    assert parts == {
        ("101000001", "900000001"): ("coordinator", Decimal("500000.50")),
        ("101000001", "900000002"): ("participant", Decimal("300000.00")),
        ("101000001", "900000003"): ("thirdParty", None),
        ("101000002", "900000002"): ("coordinator", Decimal("1000000.00")),
        ("101000002", "900000004"): ("participant", Decimal("250000.00")),
    }
    # and the bad rows are reported by file, line and column, and skipped
    record = CordisImport.objects.get()
    assert record.report["bad"] == [
        {"file": "organization.csv.gz", "line": 6, "column": "role",
         "message": "Unknown role “boss”; expected one of coordinator, participant, "
                    "associatedPartner, thirdParty."},
        {"file": "organization.csv.gz", "line": 7, "column": "ecContribution",
         "message": "“12,5x” is not an amount."},
        {"file": "organization.csv.gz", "line": 8, "column": "organisationID",
         "message": "The organisation id is missing."},
        {"file": "deliverables.csv", "line": 4, "column": "projectID",
         "message": "The project id is missing."},
    ]
    assert record.report["files"] == {"organization.csv.gz": 8, "topics.csv": 3,
                                      "euroSciVoc.csv.gz": 3, "deliverables.csv": 3,
                                      "legalBasis.csv.gz": 2}
    assert record.report["organisations"] == {"added": 4, "updated": 0, "unchanged": 0}
    assert record.report["projects"] == {"added": 2, "updated": 0, "unchanged": 0}
    assert record.report["participations"] == {"added": 5, "updated": 0, "unchanged": 0}
    assert record.report["linked"] == 1
    assert "organization.csv.gz, line 6, column 'role'" in output
    assert AuditEntry.objects.filter(action="klynge.matchmaking.cordis.linked",
                                     object_id=str(ours.pk)).count() == 1


@pytest.mark.django_db
def test_importing_the_same_folder_twice_changes_nothing(tmp_path):
    # given an imported folder
    folder = cordis_folder(tmp_path / "cordis", dk_vat=f"DK{next_cvr()}")
    run(folder)

    # when it is imported again
    run(folder)

    # then nothing was added or changed
    report = CordisImport.objects.order_by("pk").last().report
    assert report["organisations"] == {"added": 0, "updated": 0, "unchanged": 4}
    assert report["projects"] == {"added": 0, "updated": 0, "unchanged": 2}
    assert report["participations"] == {"added": 0, "updated": 0, "unchanged": 5}
    assert report["linked"] == 0
    assert CordisParticipation.objects.count() == 5


@pytest.mark.django_db
def test_a_changed_row_is_updated_and_a_staff_link_is_kept(tmp_path):
    # given an import, and staff who linked the Danish record to another organisation
    cvr = next_cvr()
    OrganisationFactory(cvr=cvr)
    other = OrganisationFactory(name="Vision Holding A/S")
    folder = cordis_folder(tmp_path / "a", dk_vat="")
    run(folder)
    record = CordisOrganisation.objects.get(cordis_id="900000001")
    services.cordis_link(cordis_organisation=record, organisation=other, actor=None)

    # when a newer folder gives the record the CVR of a registry organisation
    run(cordis_folder(tmp_path / "b", dk_vat=f"DK{cvr}"))

    # then its VAT number is updated but the staff link is kept
    record.refresh_from_db()
    assert (record.vat_number, record.organisation) == (f"DK{cvr}", other)
    report = CordisImport.objects.order_by("pk").last().report
    assert report["organisations"] == {"added": 0, "updated": 1, "unchanged": 3}
    assert report["linked"] == 0


@pytest.mark.django_db
def test_a_record_staff_unlinked_is_not_linked_again(tmp_path):
    # given an import that linked by CVR, then staff unlinked the record
    cvr = next_cvr()
    OrganisationFactory(cvr=cvr)
    folder = cordis_folder(tmp_path / "cordis", dk_vat=f"DK{cvr}")
    run(folder)
    record = CordisOrganisation.objects.get(cordis_id="900000001")
    services.cordis_unlink(cordis_organisation=record, actor=UserFactory())

    # when the folder is imported again
    run(folder)

    # then the record stays unlinked
    record.refresh_from_db()
    assert record.organisation is None


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    # given a folder
    folder = cordis_folder(tmp_path / "cordis", dk_vat="")

    # when it is imported with --dry-run
    output = run(folder, "--dry-run")

    # then nothing is written, and the counts say what would happen
    assert CordisOrganisation.objects.count() == 0
    assert CordisImport.objects.count() == 0
    assert "Dry run: nothing was written." in output
    assert re.search(r"participations\s*│\s*5\s*│\s*0\s*│\s*0\s*│", output)


@pytest.mark.django_db
def test_only_linked_imports_the_projects_of_registry_organisations(tmp_path):
    # given a registry organisation that took part in one of the two projects
    cvr = next_cvr()
    OrganisationFactory(cvr=cvr)
    folder = cordis_folder(tmp_path / "cordis", dk_vat=f"DK{cvr}")

    # when only the linked slice is imported
    run(folder, "--only-linked")

    # then that project comes with all its partners, the other project does not
    assert list(CordisProject.objects.values_list("cordis_id", flat=True)) == ["101000001"]
    assert sorted(CordisOrganisation.objects.values_list("cordis_id", flat=True)) == [
        "900000001", "900000002", "900000003"]
    assert CordisParticipation.objects.count() == 3


@pytest.mark.django_db
def test_a_folder_without_organization_file_is_refused(tmp_path):
    # given an empty folder
    (tmp_path / "empty").mkdir()

    # when it is imported, then the command says what is missing
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="has no organization.csv.gz or organization.csv"):
        run(tmp_path / "empty")


@pytest.mark.realdata
@pytest.mark.django_db
def test_only_linked_slice_of_the_real_cordis_folder(data_dir):
    # given three Danish companies of the real data in the registry, by CVR
    novozymes = OrganisationFactory(name="Novozymes A/S", cvr="10007127")
    OrganisationFactory(name="OxyGuard International A/S", cvr="13184488")
    OrganisationFactory(name="FLSmidth A/S", cvr="15028882")

    # when the real folder is imported, only the projects they took part in
    run(data_dir / "cordis-he", "--only-linked")

    # then their six projects come with all 91 partners, and the three are linked
    report = CordisImport.objects.get().report
    assert report["files"]["organization.csv.gz"] == 72349
    assert report["bad_count"] == 0
    assert report["projects"] == {"added": 6, "updated": 0, "unchanged": 0}
    assert report["organisations"] == {"added": 91, "updated": 0, "unchanged": 0}
    assert report["participations"] == {"added": 101, "updated": 0, "unchanged": 0}
    assert report["linked"] == 3
    record = CordisOrganisation.objects.get(cordis_id="999913346")
    assert (record.name, record.organisation) == ("NOVOZYMES A/S", novozymes)
    assert sorted(CordisProject.objects.values_list("acronym", flat=True)) == [
        "ARCTECH", "CO2Valorize", "DETOCS", "FishEUTrust", "MetRaZymes", "SAFE"]
