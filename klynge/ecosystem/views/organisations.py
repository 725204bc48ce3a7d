"""Organisation pages: list with filters and exports, detail with timeline, forms, merge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, export_response
from klynge.core.locking import StaleEdit, show_stale
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem import selectors, services
from klynge.ecosystem.choices import MembershipStatus
from klynge.ecosystem.filters import OrganisationFilter
from klynge.ecosystem.forms import OrganisationForm, organisation_label
from klynge.ecosystem.hooks import ORGANISATION_PANELS
from klynge.ecosystem.models import Organisation
from klynge.ecosystem.views.common import (
    MergeSpec,
    apply_error,
    default_hub_params,
    merge_page,
)

EXPORT_HEADERS = [
    "id", "name", "kind", "cvr", "country", "vat_number", "size", "employee_band", "startup",
    "founded_year", "industry", "address", "postcode", "city", "municipality", "region", "hub",
    "website", "membership", "people",
]


def _export_rows(queryset):
    for org in queryset.iterator(chunk_size=2000):
        yield [
            org.pk, org.name, org.get_kind_display(), org.cvr, org.country, org.vat_number,
            org.get_size_display(), org.employee_band, org.is_startup, org.founded_year,
            org.industry_id, org.address, org.postcode, org.city, org.municipality,
            org.get_region_display(), org.hub.name if org.hub else "",
            org.website, MembershipStatus(org.membership_status).label
            if org.membership_status else "", org.people_count,
        ]


@access(CLUSTER_TEAM)
def organisation_list(request):
    """Search, filter, sort and page through organisations; export exactly what is shown."""
    listing = build_listing(
        request, OrganisationFilter, selectors.organisation_list(),
        data=default_hub_params(request), default_ordering="name",
    )
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return export_response(
            basename="organisations", fmt=fmt, headers=EXPORT_HEADERS,
            rows=_export_rows(listing.filterset.qs),
        )
    return render(request, "ecosystem/organisation_list.html", {"listing": listing})


@access(CLUSTER_TEAM)
def organisation_detail(request, pk: int):
    try:
        organisation = selectors.organisation_detail(pk)
    except Organisation.DoesNotExist:
        return render(request, "core/404.html", status=404)
    context = {
        "organisation": organisation,
        "people": selectors.organisation_people(organisation),
        "memberships": organisation.memberships.select_related("tier"),
        "membership_status": selectors.membership_status_on(organisation),
        "timeline": selectors.organisation_timeline(organisation),
        "audit": selectors.audit_trail(organisation),
        "duplicates": selectors.organisation_duplicates(
            name=organisation.name, exclude_id=organisation.pk
        ),
        "today": timezone.localdate(),
        "panels": ORGANISATION_PANELS.render(request, organisation),
    }
    return render(request, "ecosystem/organisation_detail.html", context)


def _form_data(form) -> tuple[dict, list]:
    data = dict(form.cleaned_data)
    focus_areas = data.pop("focus_areas", None)
    data.pop("confirm_duplicate", None)
    data.pop("version", None)
    return data, focus_areas


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    """Create; similar existing organisations are shown and must be confirmed first."""
    form = OrganisationForm(request.POST or None, initial={"country": "DK"})
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data, focus_areas = _form_data(form)
        duplicates = selectors.organisation_duplicates(name=data["name"], cvr=data.get("cvr"))
        if duplicates and not form.cleaned_data.get("confirm_duplicate"):
            form.add_error(
                None,
                _("Similar organisations are already registered. Open one of them, or tick "
                  "the box to create a new one anyway."),
            )
        else:
            try:
                organisation = services.organisation_create(
                    actor=request.user, data=data, focus_areas=focus_areas
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("%(name)s was created.") % {"name": organisation})
                return redirect(organisation)
    return render(
        request, "ecosystem/organisation_form.html", {"form": form, "duplicates": duplicates}
    )


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    form.fields.pop("confirm_duplicate")
    if request.method == "POST" and form.is_valid():
        data, focus_areas = _form_data(form)
        try:
            services.organisation_update(
                organisation=organisation, actor=request.user, data=data,
                focus_areas=focus_areas, version=form.cleaned_data.get("version"),
            )
        except StaleEdit as error:
            show_stale(form, organisation, error)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(organisation)
    return render(
        request, "ecosystem/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@access(CLUSTER_TEAM)
def organisation_duplicates_check(request):
    """The live hint under the name field: possible duplicates while typing (htmx)."""
    duplicates = selectors.organisation_duplicates(
        name=request.GET.get("name", ""), cvr=(request.GET.get("cvr") or "").strip() or None
    )
    return render(request, "ecosystem/_duplicates.html", {"duplicates": duplicates})


@access(CLUSTER_TEAM)
def organisation_lookup(request):
    """Suggestions for organisation pickers: "Name [#id]" options for a datalist (htmx)."""
    term = (request.GET.get("q") or request.GET.get("organisation") or "").strip()
    options = []
    if len(term) >= 2:
        matches = Organisation.objects.filter(name__icontains=term) | Organisation.objects.filter(
            cvr__startswith=term
        )
        options = [organisation_label(org) for org in matches.order_by("name")[:20]]
    return render(request, "ecosystem/_organisation_options.html", {"options": options})


def _organisation_rows(organisations):
    return [(o.pk, o.name, f"CVR {o.cvr}" if o.cvr else "") for o in organisations]


ORGANISATION_MERGE = MergeSpec(
    model=Organisation,
    merge=services.organisation_merge,
    fields=("name", "kind", "cvr", "country", "vat_number", "employee_band", "address",
            "postcode", "city", "region", "hub", "website"),
    candidates=lambda org: [
        (c.organisation_id, c.name, c.reason)
        for c in selectors.organisation_duplicates(name=org.name, exclude_id=org.pk, limit=10)
    ],
    search=lambda text, org: _organisation_rows(
        Organisation.objects.filter(name__icontains=text).exclude(pk=org.pk).order_by("name")[:20]
    ),
    counts=lambda org: [
        (_("People"), org.affiliations.count()),
        (_("Memberships"), org.memberships.count()),
        (_("Interactions"), org.interactions.count()),
    ],
    help_text=gettext_lazy(
        "Every person, membership, interaction and other relation moves to the survivor; its "
        "empty fields are filled from the other record; the change is recorded in the history."
    ),
)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def organisation_merge(request, pk: int):
    return merge_page(request, get_object_or_404(Organisation, pk=pk), ORGANISATION_MERGE)
