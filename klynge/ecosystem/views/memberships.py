"""Memberships: the history per organisation, the list, renewals and the member count."""

from datetime import date

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem import selectors, services
from klynge.ecosystem.filters import MembershipFilter
from klynge.ecosystem.forms import MembershipForm
from klynge.ecosystem.models import Hub, Membership, Organisation
from klynge.ecosystem.views.common import apply_error, default_hub_params

EXPORT_HEADERS = ["id", "organisation", "cvr", "tier", "annual_fee", "start_date", "end_date",
                  "status", "hub"]


@access(CLUSTER_TEAM)
def membership_list(request):
    queryset = Membership.objects.select_related("organisation", "tier", "organisation__hub")
    listing = build_listing(request, MembershipFilter, queryset, default_ordering="-start_date")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [m.pk, m.organisation.name, m.organisation.cvr, str(m.tier or ""), m.annual_fee,
             m.start_date, m.end_date, m.get_status_display(), str(m.organisation.hub or "")]
            for m in listing.filterset.qs
        )
        return export_response(basename="memberships", fmt=fmt, headers=EXPORT_HEADERS, rows=rows)
    count_day = parse_date(request.GET.get("count_on") or "") or timezone.localdate()
    context = {
        "listing": listing,
        "count_day": count_day,
        "paying_count": selectors.paying_members_on(count_day),
        "year_ends": [
            (year, selectors.paying_members_on(date(year, 12, 31)))
            for year in range(count_day.year - 5, count_day.year + 1)
        ],
    }
    return render(request, "ecosystem/membership_list.html", context)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def membership_create(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    today = timezone.localdate()
    form = MembershipForm(
        request.POST or None,
        initial={"start_date": today, "end_date": date(today.year, 12, 31), "status": "paying",
                 "annual_fee": 0},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("annual_fee"):
            data["annual_fee"] = None
        try:
            services.membership_create(organisation=organisation, actor=request.user, data=data)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("The membership was added."))
            return redirect(organisation)
    return render(
        request, "ecosystem/membership_form.html", {"form": form, "organisation": organisation}
    )


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership, actor=request.user, data=form.cleaned_data
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(membership.organisation)
    return render(
        request, "ecosystem/membership_form.html",
        {"form": form, "organisation": membership.organisation, "membership": membership},
    )


@access(CLUSTER_TEAM)
@require_POST
def membership_renew(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    try:
        renewed = services.membership_renew(membership=membership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Renewed: %(org)s until %(end)s.")
            % {"org": membership.organisation, "end": renewed.end_date},
        )
    return redirect(request.POST.get("next") or membership.organisation.get_absolute_url())


@access(CLUSTER_TEAM)
def renewals(request):
    """Memberships ending soon, or ended lately with no new period: who to call."""
    try:
        window = max(7, min(365, int(request.GET.get("days", 90))))
    except ValueError:
        window = 90
    params = default_hub_params(request)
    hub_id = params.get("hub") or ""
    rows = selectors.renewals(window_days=window)
    if hub_id.isdigit():
        rows = rows.filter(organisation__hub_id=int(hub_id))
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            basename="renewals", fmt=request.GET["format"], headers=EXPORT_HEADERS,
            rows=([m.pk, m.organisation.name, m.organisation.cvr, str(m.tier or ""),
                   m.annual_fee, m.start_date, m.end_date, m.get_status_display(),
                   str(m.organisation.hub or "")] for m in rows),
        )
    return render(
        request, "ecosystem/renewals.html",
        {"rows": rows, "window": window, "today": timezone.localdate(),
         "hubs": Hub.objects.all(), "hub_id": hub_id},
    )
