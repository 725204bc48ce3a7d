"""The exports for the grant givers: the effect-measurement export per grant and year, and the
participant list for their survey. Each has a page (choose, preview) and a download.

Who: the pages are for the cluster team and the grant givers (staff correct the CVR numbers
the preview lists); downloads, which take participant data out of Klynge, are for
management, administrators and grant givers, and each download is written to the audit log.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM, REPORT_READERS, REPORT_TAKERS
from klynge.funding.selectors import default_year, grants
from klynge.kpis.domain.counting import Period
from klynge.reports import effect, services, survey_list
from klynge.reports.forms import GrantYearForm, PeriodForm

#: May open the pages (preview).
VIEWERS = REPORT_READERS
#: May download (take participant data out of Klynge).
TAKERS = REPORT_TAKERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, *, filename: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _format(request) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


def _who(user) -> str:
    return f"{user} <{user.email}>" if getattr(user, "email", "") else str(user)


# --- the effect-measurement export ----------------------------------------------------------


def _grant_year_form(request) -> GrantYearForm:
    if "grant" in request.GET:
        return GrantYearForm(request.GET)
    grant = grants().first()
    if grant is None:
        return GrantYearForm()
    year = default_year(grant, timezone.localdate())
    return GrantYearForm({"grant": grant.pk, "year": year})


@access(VIEWERS)
@require_GET
def effect_export(request):
    """Choose a grant and a year; see how many rows the export has and which companies need
    a CVR number corrected first."""
    form = _grant_year_form(request)
    context = {"form": form, "has_grants": grants().exists()}
    if form.is_bound and form.is_valid():
        grant, year = form.cleaned_data["grant"], form.cleaned_data["year"]
        export = effect.effect_export(grant, year)
        context.update({
            "export": export, "listing": paginate(request, export.rows),
            "query": urlencode({"grant": grant.pk, "year": year}),
            "may_download": request.user.role in TAKERS,
            "may_edit": request.user.role in CLUSTER_TEAM,
            "legal_basis": effect.LEGAL_BASIS,
        })
    return render(request, "reports/export_effect.html", context)


@access(TAKERS)
@require_GET
def effect_export_download(request):
    """The export as XLSX (sheets: participation, CVR to correct, about) or CSV (the same in
    sections). Every download is logged on the grant."""
    form = GrantYearForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('reports:effect_export')}?{request.GET.urlencode()}")
    grant, year = form.cleaned_data["grant"], form.cleaned_data["year"]
    fmt = _format(request)
    export = effect.effect_export(grant, year)

    def edit_url(pk: int) -> str:
        return request.build_absolute_uri(reverse("ecosystem:organisation_edit", args=[pk]))

    tables = [effect.participation_table(export), effect.corrections_table(export, edit_url)]
    about = effect.about_lines(export, generated_by=_who(request.user))
    content = effect.xlsx_bytes(tables, about) if fmt == "xlsx" else effect.csv_text(tables,
                                                                                      about)
    services.effect_export_record(
        grant=grant, year=year, fmt=fmt, actor=request.user,
        counts={"rows": len(export.rows), "to_correct": len(export.corrections)},
    )
    return _download(content, filename=f"effect-{grant.code}-{year}", fmt=fmt)


# --- the survey participant list --------------------------------------------------------------


def _period_form(request) -> PeriodForm:
    if "start" in request.GET or "end" in request.GET:
        return PeriodForm(request.GET)
    initial = PeriodForm.initial_period()
    return PeriodForm({key: value.isoformat() for key, value in initial.items()})


@access(VIEWERS)
@require_GET
def survey_participants(request):
    """Choose a period; see the organisations and their contact persons (consent kept)."""
    form = _period_form(request)
    context = {"form": form}
    if form.is_valid():
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
        survey = survey_list.survey_participants(period)
        context.update({
            "survey": survey, "listing": paginate(request, survey.rows),
            "query": urlencode({"start": period.start.isoformat(),
                                "end": period.end.isoformat()}),
            "may_download": request.user.role in TAKERS,
            "may_open": request.user.role in CLUSTER_TEAM,
            "legal_basis": survey_list.LEGAL_BASIS,
        })
    return render(request, "reports/export_survey.html", context)


@access(TAKERS)
@require_GET
def survey_participants_download(request):
    """The list as XLSX or CSV; every download is logged with who took it."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('reports:survey_participants')}?{request.GET.urlencode()}")
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    fmt = _format(request)
    survey = survey_list.survey_participants(period)
    tables = [survey_list.survey_table(survey)]
    about = survey_list.about_lines(survey, generated_by=_who(request.user))
    content = effect.xlsx_bytes(tables, about) if fmt == "xlsx" else effect.csv_text(tables,
                                                                                      about)
    services.survey_participants_record(
        period=period, fmt=fmt, actor=request.user,
        counts={"organisations": len(survey.rows), "without_contact": survey.without_contact},
    )
    filename = f"survey-participants-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return _download(content, filename=filename, fmt=fmt)
