"""Introduction pages: make one from a suggestion, the list, the introduction with its
answers and outcomes, and the public page where each side answers by the link in its e-mail.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Organisation
from klynge.ecosystem.views.common import apply_error, default_hub_params
from klynge.matchmaking import selectors_introductions as reads
from klynge.matchmaking.choices import Purpose, Response
from klynge.matchmaking.filters_introductions import IntroductionFilter
from klynge.matchmaking.forms_introductions import (
    IntroductionForm,
    IntroductionOutcomeForm,
    PairForm,
)
from klynge.matchmaking.models import CallTopic, Introduction, IntroductionOutcome
from klynge.matchmaking.services import introductions as services
from klynge.projects.choices import COMMERCIAL_OUTCOMES

EXPORT_HEADERS = [
    "id", "made", "made_by", "hub", "purpose", "call_topic", "organisation", "contact",
    "answer", "answered", "introduced_to", "contact_other_side", "answer_other_side",
    "answered_other_side", "status", "sent", "score", "explanation", "message", "outcomes",
]


def _when(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _export_rows(queryset):
    for intro in queryset.prefetch_related("outcomes"):
        yield [
            intro.pk, _when(intro.created_at), str(intro.created_by or ""), str(intro.hub or ""),
            intro.get_purpose_display(), str(intro.call_topic or ""),
            intro.organisation_a.name, intro.person_a.full_name if intro.person_a else "",
            intro.get_response_a_display(), _when(intro.responded_a_at),
            intro.organisation_b.name, intro.person_b.full_name if intro.person_b else "",
            intro.get_response_b_display(), _when(intro.responded_b_at),
            intro.get_status_display(), _when(intro.sent_at),
            round(intro.score, 4) if intro.score is not None else None,
            intro.explanation, intro.message,
            "; ".join(f"{o.date:%Y-%m-%d} {o.get_kind_display()}" for o in intro.outcomes.all()),
        ]


@access(CLUSTER_TEAM)
def introduction_list(request):
    """Search, filter, sort and page through introductions; export exactly what is filtered."""
    params = default_hub_params(request)
    listing = build_listing(request, IntroductionFilter, reads.introduction_list(), data=params)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename="introductions", fmt=fmt, headers=EXPORT_HEADERS,
                               rows=_export_rows(listing.filterset.qs))
    return render(request, "matchmaking/introduction_list.html", {
        "listing": listing, "default_ordering": "-made",
        # the staff member's hub is a filter too: "none yet" only when there are none at all
        "filtered": listing.total == 0 and (
            any(v for k, v in params.items() if k not in ("ordering", "per_page", "page"))
            and Introduction.objects.exists()),
    })


# --- making one -------------------------------------------------------------------------------


def _organisation(value) -> Organisation | None:
    value = (value or "").strip()
    if value.isdigit():
        return Organisation.objects.filter(pk=int(value)).first()
    return None


def _call(value) -> CallTopic | None:
    value = (value or "").strip()
    return CallTopic.objects.filter(pk=int(value)).first() if value.isdigit() else None


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def introduction_create(request):
    """From a suggestion (?a=&b=&purpose=&call=): the reasons that will be sent, a contact on
    each side, a message; save as a draft or save and send. Without a pair: choose it first."""
    a, b = _organisation(request.GET.get("a")), _organisation(request.GET.get("b"))
    call = _call(request.GET.get("call"))
    purpose = request.GET.get("purpose")
    purpose = purpose if purpose in Purpose.values else Purpose.ANY
    if a is None or b is None or a.pk == b.pk:
        pair_form = PairForm(request.GET if "pick" in request.GET else None,
                             initial={"purpose": purpose})
        if pair_form.is_bound and pair_form.is_valid():
            query = {"a": pair_form.cleaned_data["a"].pk, "b": pair_form.cleaned_data["b"].pk,
                     "purpose": pair_form.cleaned_data["purpose"]}
            if call is not None:
                query["call"] = call.pk
            return redirect(f"{reverse('matchmaking:introduction_create')}?{urlencode(query)}")
        return render(request, "matchmaking/introduction_pick.html",
                      {"form": pair_form, "call": call})
    form = IntroductionForm(request.POST or None, organisation_a=a, organisation_b=b,
                            initial={"purpose": purpose})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            introduction = services.introduction_create(
                actor=request.user, organisation_a=a, person_a=data["person_a"],
                organisation_b=b, person_b=data["person_b"], purpose=data["purpose"],
                message=data["message"], call_topic=call,
            )
        except ApplicationError as error:
            if error.field in ("organisation_a", "organisation_b"):
                form.add_error(None, error.message)
            else:
                apply_error(form, error)
        else:
            if request.POST.get("action") == "send":
                try:
                    sent_to = services.introduction_send(introduction=introduction,
                                                         actor=request.user)
                except ApplicationError as error:
                    messages.warning(request, _("The introduction was saved as a draft but "
                                                "not sent: %(reason)s") % {"reason": error})
                else:
                    messages.success(request, _("The introduction was sent to %(to)s.")
                                     % {"to": ", ".join(sent_to)})
            else:
                messages.success(request, _("The introduction was saved as a draft."))
            return redirect(introduction)
    chosen = form.data.get("purpose") if form.is_bound else purpose
    chosen = chosen if chosen in Purpose.values else Purpose.ANY
    suggestion = reads.pair_suggestion(a, b, purpose=chosen, call=call)
    return render(request, "matchmaking/introduction_form.html", {
        "form": form, "a": a, "b": b, "call": call, "suggestion": suggestion,
        "purpose": Purpose(chosen).label, "open": reads.open_between(a, b).first(),
    })


# --- one introduction -------------------------------------------------------------------------


def _get(pk: int) -> Introduction:
    try:
        return reads.introduction_detail(pk)
    except Introduction.DoesNotExist as error:
        raise Http404 from error


def _detail_context(introduction: Introduction, outcome_form=None) -> dict:
    return {
        "introduction": introduction,
        "sides": [
            {"letter": "a", "organisation": introduction.organisation_a,
             "person": introduction.person_a, "response": introduction.response_a,
             "label": introduction.get_response_a_display(),
             "responded_at": introduction.responded_a_at},
            {"letter": "b", "organisation": introduction.organisation_b,
             "person": introduction.person_b, "response": introduction.response_b,
             "label": introduction.get_response_b_display(),
             "responded_at": introduction.responded_b_at},
        ],
        "outcomes": list(introduction.outcomes.all()),
        "projects": reads.introduction_projects(introduction),
        "outcome_form": outcome_form or IntroductionOutcomeForm(
            projects=reads.outcome_project_choices(introduction)),
        "commercial": [str(kind) for kind in COMMERCIAL_OUTCOMES],
        "audit": reads.audit_trail(introduction),
        "can_send": introduction.status in ("draft", "waiting"),
    }


@access(CLUSTER_TEAM)
def introduction_detail(request, pk: int):
    introduction = _get(pk)
    return render(request, "matchmaking/introduction_detail.html",
                  _detail_context(introduction))


@access(CLUSTER_TEAM)
@require_POST
def introduction_send(request, pk: int):
    """Send (or resend to the sides that have not answered yet)."""
    introduction = _get(pk)
    try:
        sent_to = services.introduction_send(introduction=introduction, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The introduction was sent to %(to)s.")
                         % {"to": ", ".join(sent_to)})
    return redirect(introduction)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def introduction_delete(request, pk: int):
    """Ask first, then delete on POST (only an introduction that was never sent)."""
    introduction = _get(pk)
    if request.method == "POST":
        name = str(introduction)
        try:
            services.introduction_delete(introduction=introduction, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(introduction)
        messages.success(request, _("The introduction %(name)s was deleted.") % {"name": name})
        return redirect("matchmaking:introduction_list")
    return render(request, "matchmaking/introduction_confirm_delete.html",
                  {"introduction": introduction})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def introduction_outcome_record(request, pk: int):
    """The form is on the introduction's page; errors come back on a page of their own."""
    introduction = _get(pk)
    form = IntroductionOutcomeForm(request.POST or None,
                                   projects=reads.outcome_project_choices(introduction))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.introduction_outcome_record(
                introduction=introduction, kind=data["kind"], date=data["date"],
                description=data["description"], project=data["project"], actor=request.user,
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            text = _("The outcome “%(kind)s” was recorded.") % {
                "kind": outcome.get_kind_display()}
            if outcome.project_id and data["project"] is None:
                text += " " + _("The EU application %(project)s is linked to it.") % {
                    "project": outcome.project}
            messages.success(request, text)
            return redirect(introduction)
    return render(request, "matchmaking/introduction_outcome_form.html",
                  {"form": form, "introduction": introduction})


@access(CLUSTER_TEAM)
@require_POST
def introduction_outcome_delete(request, pk: int):
    outcome = get_object_or_404(IntroductionOutcome.objects.select_related("introduction"),
                                pk=pk)
    introduction = outcome.introduction
    services.introduction_outcome_delete(outcome=outcome, actor=request.user)
    messages.success(request, _("The outcome was deleted."))
    return redirect(introduction)


# --- the public answer page -------------------------------------------------------------------


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def introduction_respond(request, token: str):
    """The page the links in the e-mail open: GET shows the introduction and asks (mail
    scanners follow links, so nothing changes on GET); POST records the answer."""
    try:
        introduction, side = services.introduction_for_token(token)
    except ApplicationError as error:
        return render(request, "matchmaking/introduction_respond_invalid.html",
                      {"reason": error.message}, status=404)
    error_message, answered_now = "", False
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            error_message = _("Choose yes or no.")
        else:
            try:
                introduction, side = services.introduction_respond(
                    token=token, accept=answer == "accept")
            except ApplicationError as error:
                error_message = error.message
            else:
                answered_now = True
    sides = services.side_of(introduction, side)
    own = sides["own"]["response"]
    other_answered = sides["other"]["response"] != Response.PENDING
    return render(request, "matchmaking/introduction_respond.html", {
        "introduction": introduction, "own": sides["own"], "other": sides["other"],
        "answered": own != Response.PENDING, "accepted": own == Response.ACCEPTED,
        "other_answered": other_answered, "answered_now": answered_now,
        "may_change": own == Response.PENDING or not other_answered,
        "suggested": request.GET.get("answer", ""), "error": error_message,
        "explanation": services.explanation_in_language(introduction),
        "valid_days": services.LINK_VALID_DAYS, "cluster_name": services.cluster_name(),
    }, status=400 if error_message else 200)


urlpatterns: list = [
    path("introductions/", introduction_list, name="introduction_list"),
    path("introductions/new/", introduction_create, name="introduction_create"),
    path("introductions/<int:pk>/", introduction_detail, name="introduction_detail"),
    path("introductions/<int:pk>/send/", introduction_send, name="introduction_send"),
    path("introductions/<int:pk>/delete/", introduction_delete, name="introduction_delete"),
    path("introductions/<int:pk>/outcomes/", introduction_outcome_record,
         name="introduction_outcome_record"),
    path("introductions/outcomes/<int:pk>/delete/", introduction_outcome_delete,
         name="introduction_outcome_delete"),
    path("introductions/answer/<str:token>/", introduction_respond,
         name="introduction_respond"),
]
