"""The calendar page (staff), .ics files (one activity; the public feed) and the export of
public activities for the national business-support portal."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities import calendar, selectors
from klynge.activities.models import Activity
from klynge.core.listing import export_response
from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Hub
from klynge.ecosystem.views.common import default_hub_params

ICS_TYPE = "text/calendar; charset=utf-8"


def _signup_url(request, activity: Activity) -> str:
    """The public sign-up page, or (before it exists) the activity's page."""
    try:
        path = reverse("public_activities:signup", args=[activity.pk])
    except NoReverseMatch:
        path = activity.get_absolute_url()
    return request.build_absolute_uri(path)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(CLUSTER_TEAM)
def calendar_page(request):
    """Upcoming activities month by month, the staff member's hub first."""
    params = default_hub_params(request)
    hub_id = params.get("hub") or None
    hub_id = int(hub_id) if hub_id and str(hub_id).isdigit() else None
    activities = selectors.upcoming(hub_id=hub_id)
    return render(request, "activities/calendar.html", {
        "months": selectors.calendar_months(activities),
        "hubs": Hub.objects.all(), "hub_id": hub_id,
        "feed_url": request.build_absolute_uri(reverse("activities:public_feed")),
    })


@access(PUBLIC)
def activity_ical(request, pk: int):
    """One activity as an .ics file. Internal activities only for the cluster team."""
    activity = get_object_or_404(Activity.objects.prefetch_related("co_organisers"), pk=pk)
    user = request.user
    if not activity.is_public and not (user.is_authenticated and user.is_cluster_team):
        raise Http404
    content = calendar.calendar_bytes(
        [activity], name=activity.title, url_for=lambda a: _signup_url(request, a),
        domain=request.get_host().split(":")[0],
    )
    return _ics_response(content, f"activity-{activity.pk}.ics")


@access(PUBLIC)
def public_feed(request):
    """The subscribable calendar of public activities that are not cancelled."""
    content = calendar.calendar_bytes(
        selectors.public_feed_activities(),
        name=_("%(cluster)s activities") % {"cluster": settings.KLYNGE_CLUSTER_NAME},
        url_for=lambda a: _signup_url(request, a), domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(content, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    return response


@access(PUBLIC)
def portal_export(request):
    """Upcoming public activities for the national business-support portal: ?format=csv for
    CSV, otherwise JSON (title, description, start, end, place, organiser, link)."""
    rows = calendar.portal_rows(
        selectors.portal_activities(), link_for=lambda a: _signup_url(request, a)
    )
    if request.GET.get("format") == "csv":
        return export_response(
            basename="activities-portal", fmt="csv", headers=calendar.PORTAL_FIELDS,
            rows=([row[field] for field in calendar.PORTAL_FIELDS] for row in rows),
        )
    body = json.dumps(
        {"organiser": settings.KLYNGE_CLUSTER_NAME,
         "generated": timezone.localtime().isoformat(timespec="seconds"),
         "activities": rows},
        ensure_ascii=False, indent=2,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")
