"""The cluster-excellence self-assessment: the year's areas with figures, documents and
score; uploading and deleting evidence (management and administrators); the PDF and the
evidence pack (everyone who may see reports, grant givers included)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.permissions import access
from klynge.core.roles import MANAGERS, REPORT_READERS
from klynge.reports import excellence, services
from klynge.reports.choices import ExcellenceArea
from klynge.reports.domain import excellence as rules
from klynge.reports.forms import ExcellenceDocumentForm, last_full_year
from klynge.reports.models import ExcellenceDocument

VIEWERS = REPORT_READERS
EDITORS = MANAGERS


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return last_full_year()
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise Http404(_("No self-assessment for that year."))
    return year


def _years(current: int) -> list[int]:
    """Years to offer: the last five and every year with documents, and the one shown."""
    recent = last_full_year()
    years = set(range(recent - 3, recent + 2)) | set(excellence.document_counts()) | {current}
    return sorted(years, reverse=True)


def _rules_table() -> list[dict]:
    labels = dict(ExcellenceArea.choices)
    return [{"label": labels[key], "rule": rule} for key, rule in rules.RULES.items()]


@access(VIEWERS)
@require_GET
def excellence_page(request):
    year = _year(request)
    assessment = excellence.self_assessment(year)
    return render(request, "reports/excellence.html", {
        "assessment": assessment, "year": year, "years": _years(year),
        "missing": excellence.missing_lines(assessment),
        "may_edit": request.user.role in EDITORS, "rules": _rules_table(),
        "gold_min_area": rules.GOLD_MIN_AREA, "gold_share": rules.GOLD_SHARE,
    })


@access(EDITORS)
@require_http_methods(["GET", "POST"])
def excellence_upload(request):
    """Upload a document as evidence for one area of a year; nothing is stored on error."""
    initial = {"year": request.GET.get("year") or last_full_year(),
               "area": request.GET.get("area") or ExcellenceArea.STRATEGY}
    form = ExcellenceDocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.excellence_document_upload(
                year=data["year"], area=data["area"], title=data["title"],
                description=data["description"], upload=data["file"], actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("“%(title)s” was uploaded.") % {"title": document.title})
            return redirect(f"{reverse('reports:excellence')}?year={document.year}"
                            f"#area-{document.area}")
    return render(request, "reports/excellence_upload.html", {
        "form": form, "limits": services.upload_limit_text(),
    })


@access(EDITORS)
@require_POST
def excellence_document_delete(request, pk: int):
    document = get_object_or_404(ExcellenceDocument, pk=pk)
    year, title = document.year, document.title
    services.excellence_document_delete(document=document, actor=request.user)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
    return redirect(f"{reverse('reports:excellence')}?year={year}")


@access(VIEWERS)
@require_GET
def excellence_document_download(request, pk: int):
    document = get_object_or_404(ExcellenceDocument, pk=pk)
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404(_("The stored file is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


@access(VIEWERS)
@require_GET
def excellence_pdf(request):
    year = _year(request)
    content = excellence.assessment_pdf(excellence.self_assessment(year))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="self-assessment-{year}.pdf"'
    return response


@access(VIEWERS)
@require_GET
def excellence_pack(request):
    """The evidence pack of a year as a zip; the download is logged."""
    year = _year(request)
    assessment = excellence.self_assessment(year)
    content = excellence.evidence_pack(assessment)
    services.evidence_pack_record(year=year, actor=request.user,
                                  documents=len(assessment.documents))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="excellence-evidence-{year}.zip"'
    return response
