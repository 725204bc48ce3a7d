"""Invitations to the member portal: the staff's list and invitation page (members may invite
colleagues of their own organisation too), and the public page where the invited person
chooses a password and signs in."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import CLUSTER_TEAM, Role
from klynge.ecosystem.models import Person
from klynge.ecosystem.views.common import apply_error
from klynge.portal import selectors, services
from klynge.portal.filters import InvitationFilter
from klynge.portal.forms import AcceptForm, InvitationForm
from klynge.portal.models import Invitation

EXPORT_HEADERS = ["id", "person", "email", "organisation", "status", "invited", "invited_by",
                  "last_sent", "times_sent", "expires", "accepted", "revoked"]


def _when(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _export_rows(queryset):
    for invitation in queryset:
        yield [
            invitation.pk, invitation.person.full_name, invitation.email,
            invitation.organisation.name, invitation.get_status_display(),
            _when(invitation.created_at), str(invitation.invited_by or ""),
            _when(invitation.sent_at), invitation.send_count, _when(invitation.expires_at),
            _when(invitation.accepted_at), _when(invitation.revoked_at),
        ]


@access(CLUSTER_TEAM)
def invitation_list(request):
    """Search, filter by status, sort and page through the portal invitations; export them."""
    listing = build_listing(request, InvitationFilter, selectors.invitation_list(),
                            default_ordering="-invited")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(basename="portal-invitations", fmt=fmt, headers=EXPORT_HEADERS,
                               rows=_export_rows(listing.filterset.qs))
    filtered = any(v for k, v in request.GET.items() if k not in ("ordering", "per_page", "page"))
    return render(request, "portal/account_invitation_list.html", {
        "listing": listing, "default_ordering": "-invited",
        "filtered": listing.total == 0 and filtered and Invitation.objects.exists(),
    })


def _is_member(user) -> bool:
    return user.role == Role.MEMBER


def _person_from(request) -> Person | None:
    value = (request.GET.get("person") or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    person = get_object_or_404(Person, pk=int(value), erased_at__isnull=True)
    if _is_member(request.user) and not selectors.is_current_affiliate(
            person, request.user.organisation):
        raise Http404  # a member sees only colleagues of their own organisation
    return person


@access(CLUSTER_TEAM, {Role.MEMBER})
@require_http_methods(["GET", "POST"])
def invitation_create(request):
    """Invite a person (?person=<pk>) to the portal; without one, find the person first."""
    member = _is_member(request.user)
    own = request.user.organisation if member else None
    person = _person_from(request)
    if person is None:
        search = request.GET.get("q", "").strip()
        found = selectors.invitable_people(search, organisation=own) if (search or member) else []
        return render(request, "portal/account_invitation_pick.html",
                      {"search": search, "found": found, "member": member})
    affiliations = selectors.member_organisation_affiliations(person)
    if own is not None:
        affiliations = affiliations.filter(organisation=own)
    organisations = [a.organisation for a in affiliations]
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                person=person, organisation=form.cleaned_data["organisation"],
                actor=request.user, message=form.cleaned_data["message"])
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.")
                             % {"email": invitation.email})
            return redirect("portal:home" if member else "portal:invitation_list")
    return render(request, "portal/account_invitation_form.html", {
        "form": form, "person": person, "organisations": organisations, "member": member,
        "login": selectors.login_for(person),
        "open_invitation": selectors.open_invitation_for(person),
    })


def _act(request, pk: int, service, done: str):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        service(invitation=invitation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("portal:invitation_list")


@access(CLUSTER_TEAM)
@require_POST
def invitation_resend(request, pk: int):
    return _act(request, pk, services.invitation_resend,
                _("The invitation was sent again to %(email)s, with a new link."))


@access(CLUSTER_TEAM)
@require_POST
def invitation_revoke(request, pk: int):
    return _act(request, pk, services.invitation_revoke,
                _("The invitation to %(email)s was revoked; its link no longer works."))


def _invalid(request, reason: str, invitation):
    return render(request, "portal/account_invitation_invalid.html", {"reason": reason},
                  status=404 if invitation is None else 410)


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The link in the e-mail: who invited whom, then choose a password and sign in."""
    invitation, refusal = services.invitation_refusal(token)
    if refusal:
        return _invalid(request, refusal, invitation)
    if request.user.is_authenticated:
        return render(request, "portal/account_invitation_signed_in.html",
                      {"invitation": invitation})
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token,
                                              password=form.cleaned_data["password1"])
        except ApplicationError as error:
            invitation, refusal = services.invitation_refusal(token)
            if refusal:
                return _invalid(request, refusal, invitation)
            apply_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to the member portal, %(name)s.")
                             % {"name": user.first_name or user.email})
            return redirect("portal:home")
    return render(request, "portal/account_invitation_accept.html",
                  {"invitation": invitation, "form": form})
