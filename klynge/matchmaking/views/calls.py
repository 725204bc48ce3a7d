"""EU call topics: the list (search, filters, export), the import of F&T exports, and a call's
page with the organisations that fit it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.matchmaking import selectors
from klynge.matchmaking.filters_calls import CallTopicFilter, call_status
from klynge.matchmaking.forms_calls import CallImportForm, CallSuggestionsForm
from klynge.matchmaking.models import CallTopic
from klynge.matchmaking.services.calls import call_topics_import
from klynge.matchmaking.views.consortia import builder_url

EXPORT_HEADERS = ["identifier", "title", "programme", "type_of_action", "opens", "deadline",
                  "budget_from_eur", "budget_up_to_eur", "status", "imported_from"]


def _status_label(value: str) -> str:
    return {"open": _("Open now"), "upcoming": _("Opens later"),
            "closed": _("Deadline passed")}[value]


@access(CLUSTER_TEAM)
def call_list(request):
    """Search, filter, sort and page through the call topics; export exactly what is shown."""
    listing = build_listing(request, CallTopicFilter, CallTopic.objects.all(),
                            default_ordering="deadline")
    today = timezone.localdate()
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            basename="call-topics", fmt=fmt, headers=EXPORT_HEADERS,
            rows=([c.identifier, c.title, c.programme, c.action_type, c.opens_on, c.deadline,
                   c.budget_min, c.budget_max, _status_label(call_status(c, today)), c.source]
                  for c in listing.filterset.qs.iterator(chunk_size=1000)))
    rows = [(call, call_status(call, today)) for call in listing.rows]
    return render(request, "matchmaking/call_list.html", {
        "listing": listing, "calls": rows, "any_calls": CallTopic.objects.exists(),
    })


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def call_import(request):
    """Upload one or more F&T exports; the result lists the bad rows by line and column."""
    form = CallImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            report = call_topics_import(files=files, actor=request.user)
        except ApplicationError as error:
            form.add_error("files", str(error))
        else:
            messages.success(request, ngettext(
                "%(count)s call topic read: %(added)s added, %(updated)s updated, "
                "%(unchanged)s unchanged.",
                "%(count)s call topics read: %(added)s added, %(updated)s updated, "
                "%(unchanged)s unchanged.", report["topics"])
                % {"count": report["topics"], "added": report["added"],
                   "updated": report["updated"], "unchanged": report["unchanged"]})
            form = CallImportForm()
    return render(request, "matchmaking/call_import.html", {"form": form, "report": report})


@access(CLUSTER_TEAM)
def call_detail(request, pk: int):
    """A call's facts and description, and the organisations that fit it (with reasons)."""
    call = get_object_or_404(CallTopic, pk=pk)
    form = CallSuggestionsForm(request.GET or None, initial={"external": "yes"})
    options = form.options() if request.GET else {"lead": None, "kinds": (),
                                                   "include_external": True}
    suggestions = selectors.suggestions_for_call(
        call, lead=options["lead"], kinds=options["kinds"],
        include_external=options["include_external"])
    return render(request, "matchmaking/call_detail.html", {
        "call": call, "status": call_status(call, timezone.localdate()),
        "form": form, "lead": options["lead"], "suggestions": suggestions,
        "consortium_url": (builder_url(call, options["lead"]) if options["lead"]
                           else reverse("matchmaking:consortium", args=[call.pk])),
    })


urlpatterns: list = [
    path("calls/", call_list, name="call_list"),
    path("calls/import/", call_import, name="call_import"),
    path("calls/<int:pk>/", call_detail, name="call_detail"),
]
