"""The import's services: upload, map, check (dry run), commit. Used by the pages and the CLI.

A batch goes UPLOADED (mapping guessed) → PREVIEWED (dry run done) → RUNNING → COMMITTED, or
REJECTED when all-or-nothing meets a bad row (nothing written), or FAILED when the file
cannot be read. Long steps report progress through a callback; the background task turns it
into the batch's core.Job, the CLI into a progress bar.
"""

import contextlib
import csv
import io
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.core.models import Job
from klynge.ecosystem.domain.importing import TARGETS, check_mapping, display, guess_mapping
from klynge.ecosystem.importing import readers
from klynge.ecosystem.importing.messages import message
from klynge.ecosystem.importing.plan import Plan, build_plan, error_rows
from klynge.ecosystem.importing.writer import write_plan
from klynge.ecosystem.models import ImportBatch

Progress = Callable[[int, int, str], None]
SAMPLE_ROWS = 3
CHECK_JOB = "ecosystem.import.check"
COMMIT_JOB = "ecosystem.import.commit"


def _language(batch: ImportBatch):
    """The language of the person who started the import, for messages written to files."""
    language = batch.report.get("language")
    return translation.override(language) if language else contextlib.nullcontext()


def opener(batch: ImportBatch):
    """A function opening the batch's stored file afresh (each pass reads it from the start)."""
    return lambda: batch.file.storage.open(batch.file.name, "rb")


def file_info(batch: ImportBatch) -> readers.FileInfo:
    return readers.inspect(opener(batch), batch.original_name)


def _sample(batch: ImportBatch, info: readers.FileInfo) -> list[list[str]]:
    sample = []
    for _line, values in readers.rows(opener(batch), info):
        sample.append([display(value)[:80] for value in values[: len(info.header)]])
        if len(sample) == SAMPLE_ROWS:
            break
    return sample


def import_batch_create(*, actor, target: str, file: File, name: str = "") -> ImportBatch:
    """Store an uploaded file and guess its column mapping.

    Rule: the file must be a readable CSV (UTF-8 or Windows-1252, ; , or tab separated,
    optionally gzipped) or XLSX with a header row; otherwise nothing is kept.
    """
    if target not in TARGETS:
        raise ApplicationError(_("Choose what to import: organisations or people."),
                               field="target")
    name = PurePath(name or file.name or "import.csv").name
    batch = ImportBatch(target=target, original_name=name[:255],
                        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    batch.file.save(name, file, save=False)
    try:
        info = file_info(batch)
    except ApplicationError:
        batch.file.delete(save=False)
        raise
    batch.mapping = guess_mapping(target, info.header)
    batch.report = {"header": list(info.header), "rows": info.rows, "format": info.format,
                    "sample": _sample(batch, info)}
    batch.save()
    return batch


def import_mapping_set(*, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    """Choose the field of each column. Rule: required fields mapped, none mapped twice."""
    if batch.status in (ImportBatch.Status.RUNNING, ImportBatch.Status.COMMITTED):
        raise ApplicationError(_("This import has already been run."))
    header = batch.report.get("header", [])
    clean = {column: (mapping.get(column) or "") for column in header}
    problems = check_mapping(batch.target, clean)
    if problems:
        raise ApplicationError(" ".join(message(p.code, dict(p.params)) for p in problems),
                               field="mapping")
    batch.mapping = clean
    batch.status = ImportBatch.Status.UPLOADED
    batch.report = {key: batch.report[key] for key in ("header", "rows", "format", "sample",
                                                         "language") if key in batch.report}
    batch.save(update_fields=["mapping", "status", "report", "updated_at"])
    return batch


def _plan(batch: ImportBatch, progress: Progress | None) -> Plan:
    info = file_info(batch)
    mapping = {column: batch.mapping.get(column, "") for column in info.header}
    problems = check_mapping(batch.target, mapping)
    if problems:
        raise ApplicationError(" ".join(message(p.code, dict(p.params)) for p in problems))
    return build_plan(target=batch.target, opener=opener(batch), info=info, mapping=mapping,
                      progress=progress)


def _report(batch: ImportBatch, plan: Plan) -> dict[str, Any]:
    report = dict(batch.report)
    report.update({
        "header": list(plan.info.header), "rows": plan.info.rows, "format": plan.info.format,
        "encoding": plan.info.encoding, "delimiter": plan.info.delimiter,
        "counts": plan.counts(), "errors": plan.errors(), "warnings": plan.warnings,
        "checked_at": timezone.now().isoformat(),
    })
    return report


def import_check(*, batch: ImportBatch, progress: Progress | None = None) -> Plan:
    """The dry run: check every row and count what the import would do. Writes no records."""
    with _language(batch):
        plan = _plan(batch, progress)
        batch.report = _report(batch, plan)
        batch.status = ImportBatch.Status.PREVIEWED
        batch.save(update_fields=["report", "status", "updated_at"])
    return plan


def import_commit(
    *, batch: ImportBatch, actor, mode: str | None = None, progress: Progress | None = None
) -> Plan:
    """Import the file. Rule: all-or-nothing writes nothing when any row is bad; good-rows
    writes the good ones. Either way the bad rows go to an error file to fix and re-import.

    Side effects: creates and updates organisations or people (and affiliations), one audit
    entry each (klynge.ecosystem.organisation.imported / person.imported with the batch id
    and the changed fields); an audit entry on the batch.
    """
    if batch.status == ImportBatch.Status.COMMITTED:
        raise ApplicationError(_("This import has already been run."))
    if mode:
        batch.mode = mode
    with _language(batch):
        plan = _plan(batch, progress)
        batch.report = _report(batch, plan)
        if plan.bad:
            _save_error_file(batch, plan)
        if plan.bad and batch.mode == ImportBatch.Mode.ALL_OR_NOTHING:
            batch.status = ImportBatch.Status.REJECTED
            batch.report["written"] = {"created": 0, "updated": 0, "affiliations": 0}
            batch.save()
            return plan
        if progress:  # outside the transaction, so the page can show the writing phase
            progress(0, sum(1 for r in plan.records if r.outcome != "unchanged"), "write")
        with transaction.atomic():
            written = write_plan(plan, batch_id=batch.pk, actor=actor, progress=progress)
            batch.status = ImportBatch.Status.COMMITTED
            batch.report["written"] = written
            batch.report["committed_at"] = timezone.now().isoformat()
            batch.save()
            log_action(batch, "klynge.ecosystem.import.committed", actor=actor,
                       data={"mode": batch.mode, "file": batch.original_name, **written,
                             "bad_rows": len(plan.bad)})
    return plan


def _describe(error) -> str:
    text = message(error.code, dict(error.params))
    return f"{error.column}: {text}" if error.column else text


def _save_error_file(batch: ImportBatch, plan: Plan) -> None:
    """The bad rows as they were, plus an "error" column, as CSV that Excel opens (BOM)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=plan.info.delimiter or ";")
    writer.writerow([*plan.info.header, _("error")])
    writer.writerows(error_rows(plan, _describe))
    stem = PurePath(batch.original_name).name.split(".")[0] or "import"
    if batch.error_file:
        batch.error_file.delete(save=False)
    batch.error_file.save(f"{stem}-errors.csv", ContentFile(buffer.getvalue().encode()),
                          save=False)
    batch.report["error_rows"] = len(plan.bad)


def write_error_csv(plan: Plan, path) -> None:
    """The error file at a path of the user's choosing (the CLI's --error-file)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=plan.info.delimiter or ";")
        writer.writerow([*plan.info.header, _("error")])
        writer.writerows(error_rows(plan, _describe))


# --- background jobs --------------------------------------------------------------------------


def import_job_start(*, batch: ImportBatch, actor, commit: bool, mode: str | None = None,
                     language: str | None = None) -> Job:
    """Record a queued job for the batch's dry run or commit, to be run by the task."""
    if batch.status in (ImportBatch.Status.RUNNING, ImportBatch.Status.COMMITTED):
        raise ApplicationError(_("This import is running or has already been run."))
    if batch.job_id and not batch.job.is_finished:
        raise ApplicationError(_("This file is being checked; wait until the check is done."))
    job = Job.objects.create(
        kind=COMMIT_JOB if commit else CHECK_JOB, total=max(batch.report.get("rows", 0), 1),
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    batch.job = job
    if language:
        batch.report["language"] = language
    if commit:
        batch.status = ImportBatch.Status.RUNNING
        if mode:
            batch.mode = mode
    batch.save()
    return job


def _job_progress(job: Job) -> Progress:
    """Rows checked count up to the total; writing is one transaction, shown as a phase."""

    def progress(done: int, total: int, phase: str) -> None:
        job.message = phase
        job.done = min(done, job.total) if phase == "check" else job.total
        Job.objects.filter(pk=job.pk).update(
            done=job.done, status=Job.Status.RUNNING, message=phase, updated_at=timezone.now()
        )

    return progress


def _finish(job: Job, status: str, text: str = "") -> None:
    job.status = status
    job.message = text
    job.finished_at = timezone.now()
    if status == Job.Status.SUCCEEDED:
        job.done = job.total
    job.save(update_fields=["status", "message", "finished_at", "done", "updated_at"])


def import_job_run(batch_id: int) -> str:
    """Run the batch's queued job (dry run or commit), recording progress and the outcome."""
    batch = ImportBatch.objects.select_related("job", "created_by").get(pk=batch_id)
    job = batch.job
    progress = _job_progress(job) if job else None
    commit = job is not None and job.kind == COMMIT_JOB
    try:
        if commit:
            import_commit(batch=batch, actor=job.started_by, progress=progress)
        else:
            import_check(batch=batch, progress=progress)
    except ApplicationError as error:
        _fail(batch, job, str(error))
        return "failed"
    except Exception as error:
        _fail(batch, job, _("The import stopped with an unexpected error: %(error)s")
              % {"error": error})
        raise
    if job:
        _finish(job, Job.Status.SUCCEEDED)
    return batch.status


def _fail(batch: ImportBatch, job: Job | None, text: str) -> None:
    batch.refresh_from_db()
    batch.status = ImportBatch.Status.FAILED
    batch.report = {**batch.report, "failure": text}
    batch.save(update_fields=["status", "report", "updated_at"])
    if job:
        _finish(job, Job.Status.FAILED, text)
