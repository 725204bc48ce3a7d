"""Staff pages of evaluations (cluster team): surveys, results, reminders, questions, export."""

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from klynge.activities.models import Activity
from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.evaluations import selectors, services
from klynge.evaluations.choices import SurveyKind
from klynge.evaluations.forms import AnnualSurveyForm, ConfirmForm, QuestionForm
from klynge.evaluations.hooks import activity_facts
from klynge.evaluations.models import Question, Survey

EXPORT_HEADERS = ["survey", "survey_kind", "survey_title", "person", "email", "organisation",
                  "cvr", "question_key", "question", "value", "answered_at"]


def _apply_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@access(CLUSTER_TEAM)
@require_GET
def survey_list(request):
    kind = request.GET.get("kind", "")
    surveys = selectors.survey_list().order_by("-opens_at", "-pk")
    if kind in SurveyKind.values:
        surveys = surveys.filter(kind=kind)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename="evaluation-answers", fmt=fmt, headers=EXPORT_HEADERS,
                               rows=selectors.answer_export_rows(surveys))
    page = Paginator(surveys, 50).get_page(request.GET.get("page"))
    rows = [(survey, selectors.rate_of(survey)) for survey in page.object_list]
    return render(request, "evaluations/survey_list.html", {
        "page": page, "rows": rows, "kind": kind, "kinds": SurveyKind.choices,
    })


@access(CLUSTER_TEAM)
@require_GET
def survey_detail(request, pk: int):
    survey = get_object_or_404(Survey.objects.select_related("activity", "created_by"), pk=pk)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            basename=f"evaluation-{survey.pk}", fmt=fmt, headers=EXPORT_HEADERS,
            rows=selectors.answer_export_rows(Survey.objects.filter(pk=survey.pk)))
    return render(request, "evaluations/survey_detail.html", {
        "survey": survey, "counts": selectors.survey_counts(survey),
        "results": selectors.survey_results(survey),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def survey_remind(request, pk: int):
    """Send reminders now to the survey's non-responders not yet reminded (after confirming)."""
    survey = get_object_or_404(Survey, pk=pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.reminders_send(survey=survey, after_days=0, actor=request.user)
        messages.success(request, _("%(count)s reminders were sent.") % {"count": count})
        return redirect(survey)
    return render(request, "evaluations/survey_remind.html", {
        "survey": survey, "form": form, "counts": selectors.survey_counts(survey),
        "is_open": survey.is_open(),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def annual_create(request):
    today = timezone.localdate()
    form = AnnualSurveyForm(request.POST or None, initial={
        "year": today.year, "members_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        closes_at = None
        if data.get("closes_on"):
            closes_at = timezone.make_aware(datetime.combine(data["closes_on"], time(23, 59)))
        try:
            survey = services.annual_survey_create(
                year=data["year"], members_on=data["members_on"], title=data["title"],
                closes_at=closes_at, actor=request.user)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The annual member survey was created and is being "
                                        "sent to %(count)s people.")
                             % {"count": survey.responses.count()})
            return redirect(survey)
    return render(request, "evaluations/annual_form.html", {"form": form})


@access(CLUSTER_TEAM)
@require_GET
def activity_evaluation(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    summary = selectors.survey_summary_for_activity(activity)
    standard = []
    if summary["draft"] is not None:
        standard = list(summary["draft"].questions.exclude(key=""))
    return render(request, "evaluations/activity_evaluation.html", {
        "activity": activity, "summary": summary, "standard": standard,
        "fact_blocks": activity_facts(activity),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def question_add(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = QuestionForm(request.POST or None, initial={"kind": "text"})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(activity=activity, actor=request.user,
                                     data=form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("evaluations:activity_evaluation", activity.pk)
    return render(request, "evaluations/question_form.html",
                  {"form": form, "activity": activity, "question": None})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int):
    question = get_object_or_404(
        Question.objects.select_related("survey__activity"), pk=pk, key="",
        survey__activity__isnull=False)
    activity = question.survey.activity
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=Question.objects.get(pk=question.pk),
                                     actor=request.user, data=form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("evaluations:activity_evaluation", activity.pk)
    return render(request, "evaluations/question_form.html",
                  {"form": form, "activity": activity, "question": question})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def question_delete(request, pk: int):
    question = get_object_or_404(
        Question.objects.select_related("survey__activity"), pk=pk, key="",
        survey__activity__isnull=False)
    activity = question.survey.activity
    if request.method == "POST":
        try:
            services.question_delete(question=question, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The question was removed."))
        return redirect("evaluations:activity_evaluation", activity.pk)
    return render(request, "evaluations/question_delete.html",
                  {"question": question, "activity": activity})
