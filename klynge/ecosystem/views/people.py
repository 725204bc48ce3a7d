"""Person pages: list, detail with timeline, create and edit, affiliations, merge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.locking import StaleEdit, show_stale
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem import selectors, services
from klynge.ecosystem.filters import PersonFilter
from klynge.ecosystem.forms import (
    AffiliationForm,
    PersonEditForm,
    PersonForm,
    organisation_label,
)
from klynge.ecosystem.models import Affiliation, Organisation, Person
from klynge.ecosystem.views.common import (
    MergeSpec,
    apply_error,
    default_hub_params,
    merge_page,
)

EXPORT_HEADERS = ["id", "first_name", "last_name", "email", "phone", "job_title", "language",
                  "organisation"]


@access(CLUSTER_TEAM)
def person_list(request):
    listing = build_listing(
        request, PersonFilter, selectors.person_list(), data=default_hub_params(request),
        default_ordering="name",
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = (
            [p.pk, p.first_name, p.last_name, p.email, p.phone, p.job_title, p.language,
             p.primary_organisation_name]
            for p in listing.filterset.qs.iterator(chunk_size=2000)
        )
        return export_response(basename="people", fmt=fmt, headers=EXPORT_HEADERS, rows=rows)
    return render(request, "ecosystem/person_list.html", {"listing": listing})


@access(CLUSTER_TEAM)
def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    context = {
        "person": person,
        "affiliations": person.affiliations.select_related("organisation"),
        "timeline": selectors.person_timeline(person),
        "audit": selectors.audit_trail(person),
        "duplicates": selectors.person_duplicates(
            first_name=person.first_name, last_name=person.last_name, exclude_id=person.pk
        ),
        "affiliation_form": AffiliationForm(),
    }
    return render(request, "ecosystem/person_detail.html", context)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def person_create(request):
    initial = {"language": "da"}
    organisation_id = request.GET.get("organisation")
    if organisation_id and organisation_id.isdigit():
        organisation = Organisation.objects.filter(pk=int(organisation_id)).first()
        if organisation:
            initial["organisation"] = organisation_label(organisation)
    form = PersonForm(request.POST or None, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        role = data.pop("role")
        confirmed = data.pop("confirm_duplicate")
        duplicates = selectors.person_duplicates(
            first_name=data["first_name"], last_name=data["last_name"]
        )
        if duplicates and not confirmed:
            form.add_error(
                None,
                _("Someone with this name is already registered. Open them, or tick the box "
                  "to create a new person anyway."),
            )
        else:
            try:
                person = services.person_create(
                    actor=request.user, data=data, organisation=organisation, role=role
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("%(name)s was created.") % {"name": person})
                return redirect(person)
    return render(request, "ecosystem/person_form.html", {"form": form, "duplicates": duplicates})


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = PersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            services.person_update(
                person=person, actor=request.user, data=data, version=version
            )
        except StaleEdit as error:
            show_stale(form, person, error)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(person)
    return render(request, "ecosystem/person_form.html", {"form": form, "person": person})


@access(CLUSTER_TEAM)
@require_POST
def affiliation_add(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            services.affiliation_add(person=person, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The affiliation was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(person)


@access(CLUSTER_TEAM)
@require_POST
def affiliation_end(request, pk: int):
    affiliation = get_object_or_404(Affiliation.objects.select_related("person"), pk=pk)
    services.affiliation_end(affiliation=affiliation, actor=request.user)
    messages.success(
        request, _("The affiliation with %(org)s was ended.") % {"org": affiliation.organisation}
    )
    return redirect(affiliation.person)


PERSON_MERGE = MergeSpec(
    model=Person,
    merge=services.person_merge,
    fields=("first_name", "last_name", "email", "phone", "job_title", "language"),
    candidates=lambda person: [
        (d["id"], d["name"], f"{d['email']} · {d['reason']}")
        for d in selectors.person_duplicates(
            first_name=person.first_name, last_name=person.last_name, exclude_id=person.pk)
    ],
    search=lambda text, person: [
        (p.pk, p.full_name, p.email)
        for p in PersonFilter({"q": text}, queryset=Person.objects.exclude(pk=person.pk)).qs[:20]
    ],
    counts=lambda person: [
        (_("Organisations"), person.affiliations.count()),
        (_("Interactions"), person.interactions.count()),
    ],
    help_text=gettext_lazy(
        "Affiliations, interactions and other relations move to the survivor; the survivor "
        "keeps its e-mail address; the change is recorded in the history."
    ),
)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def person_merge(request, pk: int):
    return merge_page(request, get_object_or_404(Person, pk=pk), PERSON_MERGE)
