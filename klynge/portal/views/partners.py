"""Suggested partners for the member's organisation (the matchmaking recommender, narrowed to
organisations in the member directory), asking the cluster for an introduction, and the
member's requests with their status."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import Role
from klynge.matchmaking.choices import Purpose
from klynge.portal import selectors_public as reads
from klynge.portal import services_public as services


class IntroductionRequestForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("What are you looking for?"),
                                choices=Purpose.choices, initial=Purpose.ANY)
    message = forms.CharField(
        label=gettext_lazy("Why would you like to meet them?"),
        max_length=services.MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The cluster team reads this first and passes it on with the "
                               "introduction."))

    def __init__(self, *args, purposes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if purposes:
            self.fields["purpose"].choices = purposes


def _purposes(organisation):
    from klynge.matchmaking.selectors import purposes_for

    return purposes_for(organisation)


@access({Role.MEMBER})
@require_http_methods(["GET"])
def partner_list(request):
    """The suggestions by purpose, each with its reasons and "Ask for an introduction";
    below, the introductions the organisation asked for."""
    organisation = request.user.organisation
    purposes = _purposes(organisation)
    values = [value for value, _label in purposes]
    purpose = request.GET.get("purpose")
    purpose = purpose if purpose in values else (Purpose.ANY if Purpose.ANY in values
                                                else values[0])
    suggestions = reads.partner_suggestions(organisation, purpose=purpose)
    requests = paginate(request, reads.member_requests(organisation), per_page=25)
    rows = [(intro, *reads.request_status(intro)) for intro in requests.page.object_list]
    return render(request, "portal/partners_list.html", {
        "organisation": organisation, "purposes": purposes, "purpose": purpose,
        "suggestions": suggestions, "listing": requests, "requests": rows,
        "thin": _thin(organisation),
    })


def _thin(organisation) -> bool:
    from klynge.matchmaking.selectors import profile_is_thin

    return profile_is_thin(organisation)


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def introduction_request(request, organisation: int):
    """Ask the cluster team to introduce the member's organisation to one in the directory."""
    other = reads.directory_organisation(organisation)
    own = request.user.organisation
    if other is None or other.pk == own.pk:
        raise Http404
    purposes = _purposes(own)
    initial_purpose = request.GET.get("purpose")
    form = IntroductionRequestForm(
        request.POST or None, purposes=purposes,
        initial={"purpose": initial_purpose if initial_purpose in Purpose.values
                 else Purpose.ANY})
    if request.method == "POST" and form.is_valid():
        try:
            services.introduction_request(
                user=request.user, other=other, message=form.cleaned_data["message"],
                purpose=form.cleaned_data["purpose"])
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your request to meet %(name)s was sent to the cluster "
                                        "team. You can follow it below.") % {"name": other.name})
            return redirect(reverse("portal:partners") + "#requests")
    open_request = reads.open_requests_by_partner(own).get(other.pk)
    return render(request, "portal/partners_request.html", {
        "form": form, "entry": reads.directory_entry(other), "open_request": open_request,
    })
