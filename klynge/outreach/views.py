"""The outreach pages (cluster team): segments, invitations, sending and delivery logs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.activities.models import Activity
from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.outreach import selectors, services
from klynge.outreach.choices import DeliveryStatus
from klynge.outreach.forms import InvitationForm, SegmentForm
from klynge.outreach.models import Invitation, Segment

DELIVERY_HEADERS = ["person_id", "first_name", "last_name", "email", "status", "sent_at",
                    "error"]


def _apply_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _activity_url(activity) -> str | None:
    """The activity's staff page, while the activities app may not serve it yet."""
    try:
        return activity.get_absolute_url()
    except NoReverseMatch:
        return None


# --- segments ----------------------------------------------------------------------------------


@access(CLUSTER_TEAM)
def segment_list(request):
    return render(request, "outreach/segment_list.html", {
        "segments": selectors.segment_list(), "invitations": selectors.invitation_list()[:20],
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def segment_create(request):
    form = SegmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            segment = services.segment_create(
                name=form.cleaned_data["name"], description=form.cleaned_data["description"],
                filters=form.filters(), actor=request.user,
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The segment “%(name)s” was saved.") % {"name": segment})
            return redirect(segment)
    return render(request, "outreach/segment_form.html", {"form": form})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def segment_edit(request, pk: int):
    segment = get_object_or_404(Segment, pk=pk)
    form = SegmentForm.for_segment(segment, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.segment_update(
                segment=segment, name=form.cleaned_data["name"],
                description=form.cleaned_data["description"], filters=form.filters(),
                actor=request.user,
            )
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(segment)
    return render(request, "outreach/segment_form.html", {"form": form, "segment": segment})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def segment_delete(request, pk: int):
    segment = get_object_or_404(selectors.segment_list(), pk=pk)
    if request.method == "POST":
        name = segment.name
        services.segment_delete(segment=segment, actor=request.user)
        messages.success(request, _("The segment “%(name)s” was deleted.") % {"name": name})
        return redirect("outreach:segment_list")
    return render(request, "outreach/segment_confirm_delete.html", {"segment": segment})


@access(CLUSTER_TEAM)
def segment_preview(request, pk: int):
    segment = get_object_or_404(Segment, pk=pk)
    return render(request, "outreach/segment_preview.html", {
        "segment": segment, "preview": selectors.segment_preview(segment),
        "conditions": selectors.segment_conditions(segment.parsed_filters),
    })


# --- invitations -------------------------------------------------------------------------------


@access(CLUSTER_TEAM)
def invitation_list(request):
    page = Paginator(selectors.invitation_list(), 50).get_page(request.GET.get("page"))
    return render(request, "outreach/invitation_list.html", {
        "page": page, "listing": {"page": page, "total": page.paginator.count},
    })


def _invitation_initial(activity) -> dict:
    return {
        "subject": _("Invitation: %(title)s") % {"title": activity.title},
        "message": _("We would like to invite you to “%(title)s”.") % {"title": activity.title},
    }


def _chosen_preview(form):
    segment = form.cleaned_data.get("segment") if form.is_bound and form.is_valid() else None
    return selectors.segment_preview(segment) if segment else None


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def invitation_create(request, activity_pk: int):
    activity = get_object_or_404(Activity, pk=activity_pk)
    refusal = None
    try:
        services.check_invitable(activity)
    except ApplicationError as error:
        refusal = error.message
    initial = _invitation_initial(activity)
    if request.GET.get("segment", "").isdigit():
        initial["segment"] = int(request.GET["segment"])
    form = InvitationForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and refusal is None and form.is_valid():
        if "preview" in request.POST:
            preview = _chosen_preview(form)
        else:
            try:
                invitation = services.invitation_create(
                    activity=activity, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("The invitation was saved as a draft. Check it, "
                                            "then send it."))
                return redirect(invitation)
    return render(request, "outreach/invitation_form.html", {
        "form": form, "activity": activity, "activity_url": _activity_url(activity),
        "refusal": refusal, "preview": preview,
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def invitation_edit(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("activity"), pk=pk)
    form = InvitationForm(request.POST or None, initial={
        "segment": invitation.segment_id, "subject": invitation.subject,
        "message": invitation.message,
    })
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _chosen_preview(form)
        else:
            try:
                services.invitation_update(
                    invitation=invitation, actor=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect(invitation)
    return render(request, "outreach/invitation_form.html", {
        "form": form, "activity": invitation.activity, "invitation": invitation,
        "activity_url": _activity_url(invitation.activity), "preview": preview,
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def invitation_send(request, pk: int):
    """GET: what will happen (the counts) and a confirm button; POST: send."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("activity", "segment", "job"), pk=pk
    )
    if request.method == "POST":
        try:
            services.invitation_send(
                invitation=invitation, actor=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Sending has started; the delivery log below fills "
                                        "as the e-mails go out."))
        return redirect(invitation)
    refusal = None
    try:
        services.check_invitable(invitation.activity)
    except ApplicationError as error:
        refusal = error.message
    return render(request, "outreach/invitation_send.html", {
        "invitation": invitation, "refusal": refusal,
        "preview": selectors.segment_preview(invitation.segment) if invitation.segment else None,
        "already": selectors.delivery_counts(invitation)[DeliveryStatus.SENT],
    })


@access(CLUSTER_TEAM)
def invitation_detail(request, pk: int):
    invitation = get_object_or_404(
        Invitation.objects.select_related("activity", "segment", "sent_by", "job"), pk=pk
    )
    status = request.GET.get("status") or None
    deliveries = selectors.invitation_deliveries(invitation, status)
    if request.GET.get("format") == "csv":
        rows = ([d.person_id, d.person.first_name, d.person.last_name, d.email, d.status,
                 d.sent_at, d.error] for d in deliveries.iterator(chunk_size=2000))
        return export_response(basename=f"invitation-{invitation.pk}-deliveries", fmt="csv",
                               headers=DELIVERY_HEADERS, rows=rows)
    counts = selectors.delivery_counts(invitation)
    page = Paginator(deliveries, 100).get_page(request.GET.get("page"))
    return render(request, "outreach/invitation_detail.html", {
        "invitation": invitation, "activity_url": _activity_url(invitation.activity),
        "counts": [(value, label, counts[value]) for value, label in DeliveryStatus.choices],
        "total": sum(counts.values()), "status": status,
        "page": page, "listing": {"page": page, "total": page.paginator.count},
    })
