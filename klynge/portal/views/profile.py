"""The member's own records: their organisation's public profile, their own profile, their
consents and a copy of their data. Each page works on the signed-in user's organisation or
person only (never one named in the URL), through the same services as the staff pages."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.locking import StaleEdit, show_stale
from klynge.core.permissions import access
from klynge.core.roles import Role
from klynge.ecosystem import services as ecosystem
from klynge.ecosystem.choices import DirectoryField
from klynge.ecosystem.views.common import apply_error
from klynge.portal import selectors
from klynge.portal.forms import OrganisationProfileForm, ProfileForm
from klynge.privacy import selectors as consent_reads
from klynge.privacy import services as consent_services
from klynge.privacy.choices import ConsentSource, Purpose


def _no_person(request):
    return render(request, "portal/profile_no_person.html", status=200)


def _directory_preview(organisation) -> list[tuple[str, object]]:
    """The fields the directory shows for the organisation, with their saved values."""
    values = {
        DirectoryField.DESCRIPTION: organisation.description,
        DirectoryField.WEBSITE: organisation.website,
        DirectoryField.CITY: ", ".join(
            part for part in (organisation.city, organisation.get_region_display()) if part),
        DirectoryField.FOCUS_AREAS: ", ".join(str(a) for a in organisation.focus_areas.all()),
        DirectoryField.COMPETENCES: organisation.competences,
        DirectoryField.OFFERS: organisation.offers,
        DirectoryField.SEEKS: organisation.seeks,
        DirectoryField.SIZE: organisation.get_size_display(),
        DirectoryField.INDUSTRY: organisation.industry or "",
    }
    chosen = organisation.directory_fields or []
    return [(DirectoryField(name).label, values[name]) for name in DirectoryField.values
            if name in chosen]


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def organisation_edit(request):
    """The organisation's public profile and directory choices, through organisation_update
    with the version the form was opened on (a stale form is refused, nothing overwritten)."""
    organisation = request.user.organisation
    form = OrganisationProfileForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        focus_areas = data.pop("focus_areas", None)
        version = data.pop("version", None)
        try:
            ecosystem.organisation_update(
                organisation=organisation, actor=request.user, data=data,
                focus_areas=focus_areas, version=version)
        except StaleEdit as error:
            show_stale(form, organisation, error)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your organisation's profile was saved."))
            return redirect("portal:organisation")
    return render(request, "portal/profile_organisation.html", {
        "form": form, "organisation": organisation,
        "membership": selectors.current_membership(organisation),
        "preview": _directory_preview(organisation),
    })


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def person_edit(request):
    """The member's own name, phone, job title and language, through person_update."""
    person = request.user.person
    if person is None:
        return _no_person(request)
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            ecosystem.person_update(person=person, actor=request.user, data=data,
                                    version=version)
        except StaleEdit as error:
            show_stale(form, person, error)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("portal:profile")
    return render(request, "portal/profile_person.html", {"form": form, "person": person})


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def consents(request):
    """The member's consent per purpose, given or withdrawn here (source: member portal)."""
    person = request.user.person
    if person is None:
        return _no_person(request)
    if request.method == "POST":
        purpose, action = request.POST.get("purpose"), request.POST.get("action")
        if purpose not in Purpose.values or action not in ("give", "withdraw"):
            messages.error(request, _("Choose a purpose and whether to give or withdraw "
                                      "consent."))
            return redirect("portal:consents")
        label = Purpose(purpose).label
        try:
            if action == "give":
                consent_services.consent_give(person=person, purpose=purpose,
                                              source=ConsentSource.PORTAL, actor=request.user)
                messages.success(request, _("You gave consent to: %(purpose)s.")
                                 % {"purpose": label})
            else:
                consent_services.consent_withdraw(person=person, purpose=purpose,
                                                  source=ConsentSource.PORTAL,
                                                  actor=request.user)
                messages.success(request, _("You withdrew consent to: %(purpose)s.")
                                 % {"purpose": label})
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("portal:consents")
    return render(request, "portal/consents.html", {
        "person": person, "overview": consent_reads.consent_overview(person),
        "history": consent_reads.consent_history(person).order_by("-recorded_at", "-id")[:100],
    })


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def data_download(request):
    """What the download holds; on POST, the zip itself (the download is logged)."""
    person = request.user.person
    if person is None:
        return _no_person(request)
    if request.method == "POST":
        from klynge.privacy.services_access import person_export_zip

        try:
            filename, content = person_export_zip(person=person, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("portal:data")
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "portal/data.html", {"person": person})
