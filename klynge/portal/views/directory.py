"""/members/: the public member directory (no login). Only organisations listed by their own
choice and holding a current membership, and of each only the fields it published
(klynge.portal.selectors_public keeps the rules)."""

import django_filters
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from klynge.core.listing import build_listing
from klynge.core.permissions import PUBLIC, access
from klynge.ecosystem.choices import Region
from klynge.ecosystem.models import FocusArea, Organisation
from klynge.portal import selectors_public as reads


class DirectoryFilter(django_filters.FilterSet):
    """Search and filters over published fields only."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), queryset=FocusArea.objects.none(), method="filter_focus_area",
        empty_label=_("All focus areas"))
    region = django_filters.ChoiceFilter(label=_("Region"), choices=Region.choices,
                                         empty_label=_("All regions"), method="filter_region")
    city = django_filters.CharFilter(label=_("City"), method="filter_city")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name_lower", "name"), ("published_city", "city")),
        field_labels={"name_lower": _("Name"), "published_city": _("City")},
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["focus_area"].queryset = reads.directory_focus_areas()

    def search(self, queryset, name, value):
        return reads.directory_search(queryset, value)

    def filter_focus_area(self, queryset, name, value):
        return reads.directory_filter_focus_area(queryset, value) if value else queryset

    def filter_region(self, queryset, name, value):
        return reads.directory_filter_region(queryset, value) if value else queryset

    def filter_city(self, queryset, name, value):
        return reads.directory_filter_city(queryset, value) if value.strip() else queryset


FILTER_KEYS = ("q", "focus_area", "region", "city")


@access(PUBLIC)
@require_GET
def directory_list(request):
    """Search, filter, sort and page through the member directory."""
    queryset = reads.directory_organisations().annotate(name_lower=Lower("name"))
    listing = build_listing(request, DirectoryFilter, queryset, default_ordering="name")
    entries = reads.directory_entries(listing.page.object_list)
    filtered = any(request.GET.get(key, "").strip() for key in FILTER_KEYS)
    return render(request, "portal/directory_list.html", {
        "listing": listing, "entries": entries, "filtered": filtered,
        "default_ordering": "name",
    })


@access(PUBLIC)
@require_GET
def directory_detail(request, pk: int):
    """One organisation of the directory; unlisted ones and former members do not exist here."""
    organisation = reads.directory_organisation(pk)
    if organisation is None:
        raise Http404
    user = request.user
    may_ask = (user.is_authenticated and getattr(user, "has_member_access", None) is not None
               and user.has_member_access() and user.organisation_id != organisation.pk)
    return render(request, "portal/directory_detail.html", {
        "entry": reads.directory_entry(organisation), "may_ask": may_ask,
    })
