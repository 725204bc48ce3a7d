"""The reports index and the status report page: choose a year or a grant period, preview
the report as HTML, download it as XLSX, PDF or HTML.

Management, administrators and grant givers use the report; the rest of the cluster team may
read it (preview) but downloads are for those who send it on.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError
from klynge.core.permissions import access, user_may
from klynge.core.roles import REPORT_READERS, REPORT_TAKERS
from klynge.kpis.selectors import snapshot_list
from klynge.reports.models import FrozenReport
from klynge.reports.render import FORMATS
from klynge.reports.render import render as render_report
from klynge.reports.render.html import to_html
from klynge.reports.selectors import frozen_reports_for
from klynge.reports.status import build_status_report
from klynge.reports.status.forms import StatusReportForm
from klynge.reports.status.periods import default_value, period_options

READERS = REPORT_READERS
SENDERS = REPORT_TAKERS
DOWNLOADS = (("pdf", "PDF"), ("xlsx", "Excel (XLSX)"), ("html", "HTML"))


def report_entries() -> list[dict]:
    entries = [{
        "title": _("Cluster status report and final report"),
        "text": _("Activities, participants, the seven KPIs against their targets, evaluation "
                  "results, grant-rule verdicts, budget against plan, collaborations, "
                  "international activities and EU applications, for a year or a grant "
                  "period. Preview, PDF, Excel and HTML."),
        "url": reverse("reports:status"),
    }]
    for name, title, text in (
        ("reports:effect_export", _("Effect-measurement export"),
         _("Participating companies per activity by CVR number, per grant and year, for the "
           "grant givers' effect measurement.")),
        ("reports:survey_participants", _("Participant list for the grant givers' survey"),
         _("Unique companies and knowledge institutions with a contact person, respecting "
           "consent.")),
        ("reports:excellence", _("Cluster-excellence self-assessment"),
         _("The European gold label's indicator areas, filled from data and documents.")),
    ):
        entries.append({"title": title, "text": text, "url": reverse(name)})
    return entries


@access(READERS)
def index(request):
    today = timezone.localdate()
    options = {(o.period.start, o.period.end): o for o in period_options(today)}
    snapshots = []
    for snapshot in snapshot_list():
        option = options.get((snapshot.period_start, snapshot.period_end))
        url = None
        if option is not None:
            url = f"{reverse('reports:status')}?{urlencode({'period': option.value})}"
        snapshots.append({"snapshot": snapshot, "url": url})
    return render(request, "reports/index.html", {
        "entries": report_entries(), "snapshots": snapshots,
    })


def _form(request):
    today = timezone.localdate()
    options = period_options(today)
    data = {"period": request.GET.get("period") or default_value(options, today),
            "hub": request.GET.get("hub", "")}
    return StatusReportForm(data, options=options)


def _build(form):
    option = form.option
    hub = form.cleaned_data.get("hub")
    return build_status_report(period=option.period, final=option.final,
                               hub_id=hub.pk if hub else None)


@access(READERS)
def status(request):
    form = _form(request)
    report, preview, downloads = None, "", []
    if form.is_valid():
        try:
            report = _build(form)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            preview = to_html(report, request)
            if user_may(request.user, SENDERS):
                query = {"period": form.cleaned_data["period"]}
                if form.cleaned_data.get("hub"):
                    query["hub"] = form.cleaned_data["hub"].pk
                base = reverse("reports:status_download")
                downloads = [(label, f"{base}?{urlencode({**query, 'format': fmt})}")
                             for fmt, label in DOWNLOADS]
    frozen = []
    if report is not None and user_may(request.user, SENDERS) and not form.cleaned_data.get("hub"):
        frozen = frozen_reports_for(form.option.period)
    return render(request, "reports/status.html", {
        "form": form, "report": report, "preview": preview, "downloads": downloads,
        "frozen": frozen,
    })


@access(SENDERS)
def status_download(request):
    fmt = request.GET.get("format", "pdf")
    form = _form(request)
    if fmt not in FORMATS:
        messages.error(request, _("Choose PDF, Excel or HTML to download the report."))
        return redirect(f"{reverse('reports:status')}?{request.GET.urlencode()}")
    if not form.is_valid():
        messages.error(request, _("Choose a year or a grant period to download the report."))
        return redirect("reports:status")
    try:
        report = _build(form)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("reports:status")
    content, content_type, filename = render_report(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response




@access(SENDERS)
def frozen_download(request, pk: int):
    """A report file exactly as it was rendered when its period's figures were frozen."""
    frozen = get_object_or_404(FrozenReport, pk=pk)
    return FileResponse(frozen.file.open("rb"), as_attachment=True, filename=frozen.filename)
