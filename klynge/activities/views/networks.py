"""Focus network pages: list, detail with members and meetings, forms, members in and out."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.activities import selectors, services
from klynge.activities.filters import FocusNetworkFilter
from klynge.activities.forms import FocusNetworkForm, MemberForm
from klynge.activities.models import FocusNetwork
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Person
from klynge.ecosystem.views.common import apply_error


@access(CLUSTER_TEAM)
def focus_network_list(request):
    listing = build_listing(
        request, FocusNetworkFilter, selectors.focus_network_list(), default_ordering="name"
    )
    return render(request, "activities/focus_network_list.html", {"listing": listing})


def _network_page(request, network: FocusNetwork, member_form=None):
    return render(request, "activities/focus_network_detail.html", {
        "network": network,
        "members": selectors.focus_network_members(network),
        "former_members": selectors.focus_network_former_members(network),
        "meetings": selectors.focus_network_meetings(network),
        "member_form": member_form or MemberForm(),
        "audit": selectors.audit_trail(network),
    })


@access(CLUSTER_TEAM)
def focus_network_detail(request, pk: int):
    return _network_page(request, get_object_or_404(FocusNetwork, pk=pk))


def _form_page(request, network: FocusNetwork | None):
    initial = None if network else {"hub": request.user.hub_id, "is_active": True}
    form = FocusNetworkForm(request.POST or None, instance=network, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        focus_areas = data.pop("focus_areas", None)
        try:
            if network is None:
                network = services.focus_network_create(
                    actor=request.user, data=data, focus_areas=focus_areas
                )
                messages.success(request, _("%(name)s was created.") % {"name": network.name})
            else:
                services.focus_network_update(
                    network=network, actor=request.user, data=data, focus_areas=focus_areas
                )
                messages.success(request, _("Your changes were saved."))
        except ApplicationError as error:
            apply_error(form, error)
        else:
            return redirect("activities:focus_network_detail", network.pk)
    return render(
        request, "activities/focus_network_form.html", {"form": form, "network": network}
    )


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def focus_network_create(request):
    return _form_page(request, None)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def focus_network_edit(request, pk: int):
    return _form_page(request, get_object_or_404(FocusNetwork, pk=pk))


@access(CLUSTER_TEAM)
@require_POST
def focus_network_member_add(request, pk: int):
    network = get_object_or_404(FocusNetwork, pk=pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.focus_network_add_member(
                network=network, person=person, actor=request.user,
                joined_on=form.cleaned_data.get("joined_on"),
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request, _("%(name)s joined the network.") % {"name": person.full_name}
            )
            return redirect("activities:focus_network_detail", network.pk)
    return _network_page(request, network, member_form=form)


@access(CLUSTER_TEAM)
@require_POST
def focus_network_member_remove(request, pk: int, person_pk: int):
    network = get_object_or_404(FocusNetwork, pk=pk)
    person = get_object_or_404(Person, pk=person_pk)
    try:
        services.focus_network_remove_member(network=network, person=person, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s left the network.") % {"name": person.full_name})
    return redirect("activities:focus_network_detail", network.pk)
