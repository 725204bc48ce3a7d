"""The cluster-excellence self-assessment of a hand-built year: every figure, the score, the
documents (upload, validation, delete), the PDF, the evidence pack and who may do what."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.evaluations.models import Answer, Question, Response, Survey
from klynge.kpis.domain.counting import Period
from klynge.kpis.services import snapshot_freeze
from klynge.projects.models import Project, ProjectPartner
from klynge.reports import services
from klynge.reports.excellence import evidence_pack, self_assessment
from klynge.reports.models import ExcellenceDocument
from tests.factories import (
    InteractionFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    user_with_role,
)
from tests.funding.factories import CPH, ActionPlanFactory, BudgetLineFactory
from tests.reports.exports_builders import came, held, sign_in

pytestmark = pytest.mark.django_db

PAGE = reverse("reports:excellence")
UPLOAD = reverse("reports:excellence_upload")
PACK = reverse("reports:excellence_pack")
D = Decimal

try:  # the status report is another part of this app, built alongside
    from klynge.reports.render import render  # noqa: F401
    from klynge.reports.status import build_status_report  # noqa: F401

    STATUS_REPORT_INSTALLED = True
except ImportError:
    STATUS_REPORT_INSTALLED = False


def _member(name: str, start: date, end: date | None = None, fee: int = 5000):
    organisation = OrganisationFactory(name=name)
    MembershipFactory(organisation=organisation, start_date=start, end_date=end, annual_fee=fee)
    return organisation


def _satisfaction(activity, *numbers_and_days):
    survey = Survey.objects.create(kind="activity", activity=activity, title="After")
    question = Question.objects.create(survey=survey, key="satisfaction", kind="scale_0_10",
                                       text_en="Satisfied?")
    for number, day in numbers_and_days:
        response = Response.objects.create(
            survey=survey, person=PersonFactory(),
            answered_at=datetime(*day, 12, tzinfo=CPH))
        Answer.objects.create(response=response, question=question, number=number)


def _document(area: str, year: int = 2025, name: str = "plan.pdf"):
    return services.excellence_document_upload(
        year=year, area=area, title=f"{area} {name}", upload=SimpleUploadedFile(
            name, b"%PDF-1.4 evidence " + name.encode()), actor=user_with_role(Role.MANAGEMENT))


def dataset():
    """Given 2025: four members (one leaves on 30 June, one joins on 1 July), two held
    activities, interactions, projects, a budget, satisfaction answers and documents."""
    m1 = _member("M1 ApS", date(2021, 1, 1))
    m2 = _member("M2 ApS", date(2021, 1, 1), date(2025, 6, 30))
    m3 = _member("M3 ApS", date(2025, 7, 1), fee=3650)
    m4 = _member("M4 ApS", date(2020, 1, 1))
    outsider = OrganisationFactory(name="Outsider ApS")
    university = OrganisationFactory(name="AU", kind="university", cvr=None)
    a1, a2 = held((2025, 3, 10)), held((2025, 9, 2))
    held((2024, 5, 5))
    p1 = PersonFactory()
    came(a1, m1, person=p1)
    came(a1, m2)
    came(a1, outsider)
    came(a1, m4, attended=False)  # a no-show: M4 does not take part
    came(a2, m1, person=p1)
    came(a2, m3)
    came(a2, university)
    management, staff = user_with_role(Role.MANAGEMENT), user_with_role(Role.STAFF)
    InteractionFactory(organisation=m1, staff=management, date=date(2025, 2, 1))
    InteractionFactory(organisation=m4, staff=staff, date=date(2025, 4, 1))
    InteractionFactory(organisation=m4, staff=staff, date=date(2025, 5, 1))
    InteractionFactory(organisation=outsider, staff=staff, date=date(2025, 5, 1))
    InteractionFactory(organisation=m3, staff=staff, date=date(2024, 12, 1))
    running = Project.objects.create(title="Running", status="running",
                                     start_date=date(2024, 1, 1))
    idea = Project.objects.create(title="Idea", status="idea", start_date=date(2025, 1, 1))
    over = Project.objects.create(title="Over", status="completed", start_date=date(2023, 1, 1),
                                  end_date=date(2024, 12, 31))
    for project, partners in ((running, [m1, m4]), (idea, [m1, m3]), (over, [m1, m4])):
        for organisation in partners:
            ProjectPartner.objects.create(project=project, organisation=organisation)
    plan = ActionPlanFactory(year=2025)
    BudgetLineFactory(plan=plan, planned_amount=D(30000))
    BudgetLineFactory(plan=plan, planned_amount=D(20000))
    BudgetLineFactory(plan=ActionPlanFactory(year=2024), planned_amount=D(99999))
    Survey.objects.create(kind="annual", year=2025, title="Member survey 2025")
    _satisfaction(a1, (8, (2025, 3, 11)), (9, (2025, 3, 12)), (6, (2025, 3, 20)))
    _satisfaction(held((2024, 12, 1)), (0, (2024, 12, 2)))
    _document("strategy", name="strategy.pdf")
    _document("strategy", name="action-plan.docx")
    _document("communication", name="comms.txt")
    _document("communication", year=2024, name="old.txt")
    return {"m1": m1, "m4": m4}


def test_every_area_of_the_year_is_filled_and_scored():
    dataset()

    assessment = self_assessment(2025)

    figures = {a.area: (a.value, a.score.points) for a in assessment.areas}
    assert figures == {
        "participants": (D(5), 0),             # M1, M2, M3, Outsider, AU
        "engagement": (D("66.7"), 3),          # M1, M3 of members M1, M3, M4 on 31 Dec
        "stability": (D("66.7"), 0),           # 3 at the start, M2 left: churn 33.3 %
        "management_contacts": (D("66.7"), 2),  # M1 and M4 of M1, M3, M4
        "cooperation": (D(3), 0),              # a1 (M1, M2), a2 (M1, M3), project Running
        "private_funding": (D("22.3"), 2),     # 14,319.45 of 64,319.45 DKK
        "strategy": (None, 3),                 # two documents
        "financial_control": (None, 0),
        "monitoring": (D(2), 2),               # targets and the annual survey, no snapshot
        "services": (D(2), 0),
        "satisfaction": (D("7.7"), 2),         # (8 + 9 + 6) / 3
        "communication": (None, 2),            # one document of 2025
    }
    assert (assessment.score.total, assessment.score.maximum) == (16, 36)
    assert assessment.score.percentage == D("44.4")
    assert not assessment.score.gold_ready
    contacts = dict(assessment.area("management_contacts").details)
    assert (contacts["Interactions with members"], contacts["of them by management"]) == (
        "3", "1")
    funding = dict(assessment.area("private_funding").details)
    assert funding == {"Membership fees (DKK)": "14,319.45", "Grant budgets (DKK)": "50,000.00"}
    participants = dict(assessment.area("participants").details)
    assert (participants["Companies"], participants["Knowledge institutions"],
            participants["People"]) == ("4", "1", "5")
    stability = dict(assessment.area("stability").details)
    assert (stability["Left"], stability["Joined"], stability["Churn"]) == ("1", "1", "33.3 %")


def test_a_frozen_snapshot_completes_monitoring():
    dataset()
    snapshot_freeze(period=Period.year(2025))

    assessment = self_assessment(2025)

    assert assessment.area("monitoring").value == D(3)
    assert assessment.area("monitoring").score.points == 3


def test_a_year_without_records_shows_dashes_and_scores_nothing(management_client):
    response = management_client.get(PAGE, {"year": 2031})

    assessment = response.context["assessment"]
    assert response.status_code == 200
    assert assessment.area("engagement").value is None
    assert assessment.area("satisfaction").figure == "—"
    assert assessment.score.total == 0
    assert "How the score works" in response.content.decode()


def test_the_page_shows_the_score_and_what_gold_lacks(management_client):
    dataset()

    response = management_client.get(PAGE, {"year": 2025})

    page = response.content.decode()
    assert response.context["assessment"].score.total == 16
    assert "Financial control: upload evidence (at least one document)." in page
    assert "Stability of membership: reach 80 % (now 66.7)." in page
    assert "The total needs 13 more points (80 % of the maximum)." in page
    assert reverse("reports:excellence_document_delete",
                   args=[ExcellenceDocument.objects.filter(year=2025).first().pk]) in page


# --- uploads ---------------------------------------------------------------------------------


def test_an_upload_stores_the_file_its_original_name_and_an_audit_entry(management_client):
    upload = SimpleUploadedFile("Økonomi 2025.xlsx", b"PK spreadsheet")

    response = management_client.post(UPLOAD, {
        "year": 2025, "area": "financial_control", "title": "Accounts", "file": upload,
    })

    document = ExcellenceDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?year=2025#area-financial_control"
    assert (document.year, document.area, document.title, document.original_name) == (
        2025, "financial_control", "Accounts", "Økonomi 2025.xlsx")
    assert document.uploaded_by == management_client.user
    assert document.file.read() == b"PK spreadsheet"
    entry = AuditEntry.objects.get(action="klynge.reports.excellence_document.uploaded")
    assert (entry.object_id, entry.actor) == (str(document.pk), management_client.user)


@pytest.mark.parametrize(("name", "size", "message"), [
    ("virus.exe", 10, "Files of type “exe” cannot be uploaded. Allowed: pdf, docx, xlsx, "
                      "pptx, png, jpg, txt, md."),
    ("noextension", 10, "Files of type “none” cannot be uploaded. Allowed: pdf, docx, xlsx, "
                        "pptx, png, jpg, txt, md."),
    ("huge.pdf", 20 * 1024 * 1024 + 1, "The file is 20.0 MB; at most 20 MB can be uploaded."),
])
def test_a_refused_upload_stores_nothing(admin_client, settings, name, size, message):
    upload = SimpleUploadedFile(name, b"x" * size)

    response = admin_client.post(UPLOAD, {"year": 2025, "area": "strategy", "title": "Doc",
                                          "file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not ExcellenceDocument.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="klynge.reports.").exists()
    media = settings.MEDIA_ROOT / "excellence"
    assert not media.exists() or not any(media.rglob("*.*"))


def test_a_file_of_exactly_20_mb_is_accepted():
    document = services.excellence_document_upload(
        year=2025, area="strategy", title="Big", actor=user_with_role(Role.MANAGEMENT),
        upload=SimpleUploadedFile("big.pdf", b"x" * (20 * 1024 * 1024)))

    assert document.file.size == 20 * 1024 * 1024


def test_an_upload_needs_a_title_and_a_file(management_client):
    response = management_client.post(UPLOAD, {"year": 2025, "area": "strategy", "title": ""})

    assert set(response.context["form"].errors) == {"title", "file"}
    assert not ExcellenceDocument.objects.exists()


def test_delete_removes_the_document_and_is_audited(management_client, settings,
                                                    django_capture_on_commit_callbacks):
    document = _document("strategy")
    stored = settings.MEDIA_ROOT / document.file.name
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = management_client.post(
            reverse("reports:excellence_document_delete", args=[document.pk]))

    assert response.status_code == 302
    assert not ExcellenceDocument.objects.exists()
    assert not stored.exists()
    entry = AuditEntry.objects.get(action="klynge.reports.excellence_document.deleted")
    assert (entry.object_repr, entry.actor) == ("strategy plan.pdf", management_client.user)


def test_delete_only_on_post(management_client):
    document = _document("strategy")

    response = management_client.get(
        reverse("reports:excellence_document_delete", args=[document.pk]))

    assert response.status_code == 405
    assert ExcellenceDocument.objects.exists()


# --- the PDF and the evidence pack -----------------------------------------------------------


def test_the_pdf_holds_the_score_and_the_figures(management_client):
    dataset()

    response = management_client.get(reverse("reports:excellence_pdf"), {"year": 2025})

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert "Cluster-excellence self-assessment 2025" in text
    assert "Score: 16 of 36 points (44.4 %)" in text
    assert "22.3 %" in text and "7.7 / 10" in text


def test_the_evidence_pack_holds_the_report_every_document_and_an_index(client):
    dataset()
    sign_in(client, Role.GRANT_GIVER)

    response = client.get(PACK, {"year": 2025})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="excellence-evidence-2025.zip"')
    pack = zipfile.ZipFile(io.BytesIO(response.content))
    documents = {d.original_name: d for d in ExcellenceDocument.objects.filter(year=2025)}
    expected = {
        "index.txt", "self-assessment-2025.html", "self-assessment-2025.pdf",
        f"documents/strategy/{documents['strategy.pdf'].pk}-strategy.pdf",
        f"documents/strategy/{documents['action-plan.docx'].pk}-action-plan.docx",
        f"documents/communication/{documents['comms.txt'].pk}-comms.txt",
    }
    if STATUS_REPORT_INSTALLED:
        expected.add("status-report-2025.pdf")
    assert set(pack.namelist()) == expected
    assert pack.read(f"documents/communication/{documents['comms.txt'].pk}-comms.txt") == (
        b"%PDF-1.4 evidence comms.txt")
    index = pack.read("index.txt").decode()
    assert "Score: 16 of 36 points (44.4 %)" in index
    assert f"documents/strategy/{documents['strategy.pdf'].pk}-strategy.pdf\t" \
           "Strategy and action plan: strategy strategy.pdf" in index
    html = pack.read("self-assessment-2025.html").decode()
    assert "Cluster-excellence self-assessment 2025" in html and "22.3 %" in html
    assert PdfReader(io.BytesIO(pack.read("self-assessment-2025.pdf"))).pages
    entry = AuditEntry.objects.get(action="klynge.reports.excellence_pack.downloaded")
    assert (entry.actor, entry.data) == (client.user, {"year": 2025, "documents": 3})


def test_a_pack_without_documents_says_so():
    content = evidence_pack(self_assessment(2031))

    pack = zipfile.ZipFile(io.BytesIO(content))
    assert "No documents were uploaded for this year." in pack.read("index.txt").decode()
    assert not [name for name in pack.namelist() if name.startswith("documents/")]


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "page", "upload"), [
    (Role.MEMBER, 403, 403),
    (Role.STAFF, 200, 403),
    (Role.GRANT_GIVER, 200, 403),
    (Role.MANAGEMENT, 200, 200),
    (Role.ADMINISTRATOR, 200, 200),
])
def test_who_may_see_and_upload(client, role, page, upload):
    sign_in(client, role)

    assert client.get(PAGE, {"year": 2025}).status_code == page
    assert client.get(UPLOAD).status_code == upload
    assert client.get(PACK, {"year": 2025}).status_code == page


def test_a_grant_giver_can_download_a_document_but_not_upload_or_delete(client):
    document = _document("strategy", name="strategy.pdf")
    sign_in(client, Role.GRANT_GIVER)

    download = client.get(reverse("reports:excellence_document", args=[document.pk]))
    posted = client.post(UPLOAD, {"year": 2025, "area": "strategy", "title": "X",
                                  "file": SimpleUploadedFile("x.pdf", b"x")})
    deleted = client.post(reverse("reports:excellence_document_delete", args=[document.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence strategy.pdf"
    assert 'filename="strategy.pdf"' in download["Content-Disposition"]
    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert ExcellenceDocument.objects.count() == 1


@pytest.mark.skipif(not STATUS_REPORT_INSTALLED, reason="the status report is not installed")
def test_the_pack_holds_the_status_report_of_the_year():
    dataset()

    pack = zipfile.ZipFile(io.BytesIO(evidence_pack(self_assessment(2025))))

    status = PdfReader(io.BytesIO(pack.read("status-report-2025.pdf")))
    assert "2025" in status.pages[0].extract_text()
    assert "status-report-2025.pdf\tThe annual cluster status report (PDF)" in pack.read(
        "index.txt").decode()
