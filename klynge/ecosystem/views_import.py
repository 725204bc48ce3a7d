"""The import pages: upload, map the columns, preview the dry run, commit, follow progress."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRefresh

from klynge.core.errors import ApplicationError
from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.importing import services
from klynge.ecosystem.importing.forms import CommitForm, MappingForm, UploadForm
from klynge.ecosystem.importing.messages import message
from klynge.ecosystem.models import ImportBatch
from klynge.ecosystem.tasks import run_import

ERRORS_PER_PAGE = 100
WARNINGS_SHOWN = 200
PHASES = {
    "check": gettext_lazy("Checking the rows…"),
    "write": gettext_lazy("Writing to the registry…"),
}


@access(CLUSTER_TEAM)
def import_start(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_batch_create(
                actor=request.user, target=form.cleaned_data["target"], file=upload,
                name=upload.name,
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
        else:
            return redirect("ecosystem:import_detail", pk=batch.pk)
    recent = ImportBatch.objects.select_related("created_by")[:5]
    return render(request, "ecosystem/import_start.html", {"form": form, "recent": recent})


@access(CLUSTER_TEAM)
def import_list(request):
    listing = paginate(request, ImportBatch.objects.select_related("created_by", "job"),
                       per_page=25)
    return render(request, "ecosystem/import_list.html",
                  {"listing": listing, "batches": listing.rows})


def _state(batch: ImportBatch, request) -> str:
    if batch.job_id and not batch.job.is_finished:
        return "running"
    status = batch.status
    if status == ImportBatch.Status.UPLOADED or (
        request.GET.get("step") == "mapping" and status != ImportBatch.Status.COMMITTED
    ):
        return "mapping"
    if status == ImportBatch.Status.PREVIEWED:
        return "preview"
    return "result"


def _mapping_form(batch: ImportBatch, data=None) -> MappingForm:
    return MappingForm(
        data, target=batch.target, header=batch.report.get("header", []),
        mapping=batch.mapping, sample=batch.report.get("sample", []),
    )


def _start(request, batch: ImportBatch, *, commit: bool, mode: str | None = None):
    services.import_job_start(batch=batch, actor=request.user, commit=commit, mode=mode,
                              language=getattr(request, "LANGUAGE_CODE", None))
    run_import.enqueue(batch.pk)


@access(CLUSTER_TEAM)
def import_detail(request, pk: int):
    """One import, in the step it has reached: mapping, running, preview or result."""
    batch = get_object_or_404(ImportBatch.objects.select_related("job", "created_by"), pk=pk)
    mapping_form = _mapping_form(batch)
    commit_form = CommitForm(initial={"mode": batch.mode})
    state = _state(batch, request)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "map":
        mapping_form = _mapping_form(batch, request.POST)
        if mapping_form.is_valid():
            try:
                services.import_mapping_set(batch=batch, mapping=mapping_form.mapping())
                _start(request, batch, commit=False)
            except ApplicationError as error:
                mapping_form.add_error(None, error.message)
            else:
                return redirect("ecosystem:import_detail", pk=batch.pk)
        state = "mapping"
    elif action == "commit":
        commit_form = CommitForm(request.POST)
        if commit_form.is_valid():
            try:
                _start(request, batch, commit=True, mode=commit_form.cleaned_data["mode"])
            except ApplicationError as error:
                messages.error(request, error.message)
            return redirect("ecosystem:import_detail", pk=batch.pk)
    return render(request, "ecosystem/import_detail.html",
                  _context(request, batch, state, mapping_form, commit_form))


def _context(request, batch, state, mapping_form, commit_form) -> dict:
    report = batch.report or {}
    errors = report.get("errors", [])
    listing = paginate(request, errors, per_page=ERRORS_PER_PAGE)
    for error in listing.rows:
        error["message"] = message(error["code"], error.get("params"))
    warnings = [
        {**warning, "message": message(warning["code"], warning.get("params"))}
        for warning in report.get("warnings", [])[:WARNINGS_SHOWN]
    ]
    bad_lines = len({error["line"] for error in errors})
    return {
        "batch": batch, "state": state, "report": report, "counts": report.get("counts", {}),
        "written": report.get("written", {}), "mapping_form": mapping_form,
        "commit_form": commit_form, "errors": listing.rows,
        "listing": listing, "bad_lines": bad_lines,
        "warnings": warnings, "warnings_total": len(report.get("warnings", [])),
        "job": batch.job, "phase": PHASES.get(batch.job.message, "") if batch.job else "",
    }


@access(CLUSTER_TEAM)
def import_progress(request, pk: int):
    """The progress bar, polled every second by htmx; reloads the page once the job is done."""
    batch = get_object_or_404(ImportBatch.objects.select_related("job"), pk=pk)
    job = batch.job
    if job is None or job.is_finished:
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect("ecosystem:import_detail", pk=batch.pk)
    return render(request, "ecosystem/import_progress.html",
                  {"batch": batch, "job": job, "phase": PHASES.get(job.message, "")})


@access(CLUSTER_TEAM)
def import_error_file(request, pk: int):
    """The bad rows, with an "error" column, to fix and import again."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not batch.error_file:
        raise Http404(_("This import has no error file."))
    name = batch.error_file.name.rsplit("/", 1)[-1]
    return FileResponse(batch.error_file.open("rb"), as_attachment=True, filename=name,
                        content_type="text/csv; charset=utf-8")
