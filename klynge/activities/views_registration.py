"""Staff pages of registration and attendance: the list (with export), registering people,
roles, cancelling, the sign-up questions, and the check-in list for the door."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from klynge.activities import registrations
from klynge.activities.models import Activity, Registration, RegistrationQuestion
from klynge.activities.registration_forms import (
    QuestionForm,
    RegistrationFilter,
    RoleForm,
    StaffRegistrationForm,
    WalkInForm,
)
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM

EXPORT_HEADERS = ["id", "first_name", "last_name", "email", "organisation", "cvr", "role",
                  "status", "source", "registered_at", "waitlisted_at", "cancelled_at",
                  "attended"]


def _apply_error(form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _back(request, default: str):
    """Back to the page the form came from (the list or the check-in), else `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


# --- the registration list -------------------------------------------------------------------


def _export(activity: Activity, queryset, fmt: str):
    questions = list(activity.questions.all())
    headers = EXPORT_HEADERS + [q.text for q in questions]
    rows = (
        [r.pk, r.person.first_name, r.person.last_name, r.person.email,
         r.organisation.name if r.organisation else "",
         (r.organisation.cvr or "") if r.organisation else "", r.role, r.status, r.source,
         r.created_at.isoformat(timespec="minutes"),
         r.waitlisted_at.isoformat(timespec="minutes") if r.waitlisted_at else "",
         r.cancelled_at.isoformat(timespec="minutes") if r.cancelled_at else "",
         "" if r.attended is None else r.attended,
         *[registrations.answer_display(q, r.answers) for q in questions]]
        for r in queryset
    )
    return export_response(basename=f"registrations-{activity.pk}", fmt=fmt, headers=headers,
                           rows=rows)


@access(CLUSTER_TEAM)
def registration_list(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    listing = build_listing(request, RegistrationFilter,
                            registrations.registration_list(activity=activity),
                            default_ordering="name")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(activity, listing.filterset.qs, fmt)
    context = {
        "activity": activity, "listing": listing, "role_form": RoleForm(),
        "counts": registrations.registration_counts(activity=activity),
    }
    return render(request, "activities/registration_list.html", context)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def registration_create(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = StaffRegistrationForm(request.POST or None, questions=activity.questions.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = registrations.staff_register(
                activity=activity, actor=request.user, email=data["email"],
                first_name=data["first_name"], last_name=data["last_name"],
                organisation=data["organisation"], role=data["role"], answers=form.answers(),
                site_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            if registration.status == registrations.WAITLISTED:
                messages.warning(request, _("The activity is full: %(name)s is on the waitlist.")
                                 % {"name": registration.person})
            else:
                messages.success(request, _("%(name)s is registered.")
                                 % {"name": registration.person})
            return redirect("activities:registration_list", pk=activity.pk)
    return render(request, "activities/registration_form.html",
                  {"activity": activity, "form": form})


@access(CLUSTER_TEAM)
@require_POST
def registration_role(request, rid: int):
    registration = get_object_or_404(Registration.objects.select_related("activity"), pk=rid)
    form = RoleForm(request.POST)
    if form.is_valid():
        registrations.registration_change_role(
            registration=registration, role=form.cleaned_data["role"], actor=request.user
        )
        messages.success(request, _("The role was changed."))
    else:
        messages.error(request, _("Choose one of the roles."))
    return _back(request, reverse("activities:registration_list", args=[registration.activity_id]))


@access(CLUSTER_TEAM)
@require_POST
def registration_cancel(request, rid: int):
    registration = get_object_or_404(Registration.objects.select_related("activity"), pk=rid)
    try:
        promoted = registrations.registration_cancel(
            registration=registration, actor=request.user,
            site_url=request.build_absolute_uri("/"),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The registration was cancelled."))
        for other in promoted:
            messages.info(request, _("%(name)s moved up from the waitlist.")
                          % {"name": other.person})
    return _back(request, reverse("activities:registration_list", args=[registration.activity_id]))


# --- the sign-up questions -------------------------------------------------------------------


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def registration_questions(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registrations.question_create(activity=activity, actor=request.user,
                                          data=form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("activities:registration_questions", pk=activity.pk)
    return render(request, "activities/registration_questions.html",
                  {"activity": activity, "form": form, "questions": activity.questions.all()})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def registration_question_edit(request, qid: int):
    question = get_object_or_404(RegistrationQuestion.objects.select_related("activity"), pk=qid)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            registrations.question_update(question=question, actor=request.user,
                                          data=form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("activities:registration_questions", pk=question.activity_id)
    return render(request, "activities/registration_question_form.html",
                  {"activity": question.activity, "question": question, "form": form})


@access(CLUSTER_TEAM)
@require_POST
def registration_question_delete(request, qid: int):
    question = get_object_or_404(RegistrationQuestion, pk=qid)
    activity_id = question.activity_id
    registrations.question_delete(question=question, actor=request.user)
    messages.success(request, _("The question was removed."))
    return redirect("activities:registration_questions", pk=activity_id)


@access(CLUSTER_TEAM)
@require_POST
def registration_question_move(request, qid: int):
    question = get_object_or_404(RegistrationQuestion.objects.select_related("activity"), pk=qid)
    registrations.question_move(question=question, actor=request.user,
                                up=request.POST.get("direction") == "up")
    return redirect("activities:registration_questions", pk=question.activity_id)


# --- the check-in list -----------------------------------------------------------------------

MARKS = {"attended": True, "absent": False, "unmarked": None}


@access(CLUSTER_TEAM)
def checkin(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    context = {
        "activity": activity, "rows": registrations.checkin_list(activity=activity),
        "counts": registrations.registration_counts(activity=activity),
        "walk_in_form": WalkInForm(),
    }
    return render(request, "activities/checkin_list.html", context)


@access(CLUSTER_TEAM)
@require_POST
def checkin_mark(request, rid: int):
    """One tap on the check-in list: htmx gets the updated row back, a plain POST the list."""
    registration = get_object_or_404(
        Registration.objects.select_related("activity", "person", "organisation"), pk=rid
    )
    mark = request.POST.get("mark", "")
    error = None
    if mark not in MARKS:
        error = _("Choose attended, no-show or undo.")
    else:
        try:
            registrations.attendance_mark(registration=registration, attended=MARKS[mark],
                                          actor=request.user)
        except ApplicationError as refused:
            error = refused.message
    if request.htmx:
        registration.refresh_from_db()
        return render(request, "activities/checkin_row.html",
                      {"r": registration, "error": error})
    if error:
        messages.error(request, error)
    return redirect("activities:checkin", pk=registration.activity_id)


@access(CLUSTER_TEAM)
@require_POST
def checkin_bulk(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    action = request.POST.get("action")
    ids = [int(v) for v in request.POST.getlist("registration") if v.isdigit()]
    if action not in ("attended", "absent") or not ids:
        messages.error(request, _("Tick the people to mark first."))
        return redirect("activities:checkin", pk=activity.pk)
    try:
        count = registrations.attendance_mark_many(
            activity=activity, registration_ids=ids, attended=MARKS[action], actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("%(count)d person was marked.",
                                           "%(count)d people were marked.", count)
                         % {"count": count})
    return redirect("activities:checkin", pk=activity.pk)


@access(CLUSTER_TEAM)
@require_POST
def checkin_no_shows(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    try:
        count = registrations.attendance_mark_unmarked_absent(activity=activity,
                                                              actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext("%(count)d person was marked as a no-show.",
                                           "%(count)d people were marked as no-shows.", count)
                         % {"count": count})
    return redirect("activities:checkin", pk=activity.pk)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def checkin_walk_in(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = registrations.walk_in_register(
                activity=activity, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("%(name)s is registered and checked in.")
                             % {"name": registration.person})
            return redirect("activities:checkin", pk=activity.pk)
    return render(request, "activities/checkin_walk_in.html",
                  {"activity": activity, "form": form})
