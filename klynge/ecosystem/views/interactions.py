"""Interactions: the log of visits, calls, meetings and e-mails, and staff's follow-ups."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem import selectors, services
from klynge.ecosystem.filters import InteractionFilter
from klynge.ecosystem.forms import InteractionForm
from klynge.ecosystem.models import Interaction, Organisation
from klynge.ecosystem.views.common import apply_error, default_hub_params

EXPORT_HEADERS = ["id", "date", "kind", "organisation", "subject", "people", "staff", "hub",
                  "next_step", "follow_up_date", "follow_up_done"]


@access(CLUSTER_TEAM)
def interaction_list(request):
    listing = build_listing(
        request, InteractionFilter, selectors.interaction_list(),
        data=default_hub_params(request), default_ordering="-date",
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [i.pk, i.date, i.get_kind_display(), i.organisation.name, i.subject,
             ", ".join(p.full_name for p in i.people.all()), str(i.staff or ""),
             str(i.hub or ""), i.next_step, i.follow_up_date, bool(i.follow_up_done_at)]
            for i in listing.filterset.qs
        )
        return export_response(
            basename="interactions", fmt=fmt, headers=EXPORT_HEADERS, rows=rows
        )
    return render(request, "ecosystem/interaction_list.html", {"listing": listing})


def _interaction_page(request, *, organisation, interaction=None):
    """The form to log an interaction, or to correct one already logged."""
    form = InteractionForm(
        request.POST or None, organisation=organisation, instance=interaction,
        initial=None if interaction else {"date": timezone.localdate(), "kind": "call"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        people = data.pop("people")
        try:
            if interaction is None:
                services.interaction_log(
                    organisation=organisation, actor=request.user, data=data, people=people
                )
            else:
                services.interaction_update(
                    interaction=interaction, actor=request.user, data=data, people=people
                )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("The interaction was logged.") if interaction is None
                             else _("Your changes were saved."))
            return redirect(organisation)
    return render(
        request, "ecosystem/interaction_form.html",
        {"form": form, "organisation": organisation, "interaction": interaction},
    )


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def interaction_create(request, pk: int):
    """Log an interaction with organisation `pk`; it appears on its timeline at once."""
    return _interaction_page(request, organisation=get_object_or_404(Organisation, pk=pk))


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def interaction_edit(request, pk: int):
    """Correct a logged interaction (a typo, a forgotten person, a new follow-up date)."""
    interaction = get_object_or_404(Interaction.objects.select_related("organisation"), pk=pk)
    return _interaction_page(
        request, organisation=interaction.organisation, interaction=interaction
    )


@access(CLUSTER_TEAM)
def my_followups(request):
    """The signed-in staff member's open follow-ups, overdue first."""
    show_done = request.GET.get("show") == "done"
    follow_ups = selectors.open_follow_ups(user=request.user, include_done=show_done)
    return render(
        request, "ecosystem/my_followups.html",
        {"follow_ups": follow_ups, "today": timezone.localdate(), "show_done": show_done},
    )


@access(CLUSTER_TEAM)
@require_POST
def followup_done(request, pk: int):
    interaction = get_object_or_404(Interaction, pk=pk)
    if request.POST.get("undo"):
        services.interaction_reopen_follow_up(interaction=interaction, actor=request.user)
        messages.success(request, _("The follow-up is open again."))
    else:
        services.interaction_complete_follow_up(interaction=interaction, actor=request.user)
        messages.success(
            request,
            _("“%(subject)s” is done.") % {"subject": interaction.subject},
            extra_tags=f"undo:{interaction.pk}",
        )
    return redirect(request.POST.get("next") or "ecosystem:my_followups")
