"""Reads of the CORDIS history: an organisation's EU projects, and CORDIS records to link."""

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from klynge.ecosystem.models import Organisation
from klynge.matchmaking.models import CordisOrganisation, CordisParticipation

#: How many EU projects the panel on the organisation page shows.
PANEL_SIZE = 10


def organisation_participations(organisation: Organisation) -> QuerySet:
    """The organisation's participations in EU projects (through its linked CORDIS records),
    most recent first (grant agreement numbers are handed out in time order)."""
    return (CordisParticipation.objects
            .filter(cordis_organisation__organisation=organisation)
            .select_related("project", "cordis_organisation")
            .order_by("-project__cordis_id", "cordis_organisation__name"))


def linked_records(organisation: Organisation) -> QuerySet:
    return (CordisOrganisation.objects.filter(organisation=organisation)
            .annotate(projects=Count("participations")).order_by(Lower("name")))


def search_records(term: str, *, limit: int = 25) -> list[CordisOrganisation]:
    """CORDIS organisations whose name, short name, VAT number or CORDIS id matches every
    word of `term`; those with most projects first."""
    term = (term or "").strip()
    if len(term) < 2:
        return []
    query = Q()
    for word in term.split():
        query &= (Q(name__icontains=word) | Q(short_name__icontains=word)
                  | Q(vat_number__icontains=word) | Q(cordis_id=word))
    return list(CordisOrganisation.objects.filter(query).select_related("organisation")
                .annotate(projects=Count("participations"))
                .order_by("-projects", Lower("name"))[:limit])


def panel_context(request, organisation: Organisation) -> dict:
    """The "EU projects (CORDIS)" panel on the organisation page."""
    participations = organisation_participations(organisation)
    total = participations.count()
    return {"organisation": organisation, "participations": list(participations[:PANEL_SIZE]),
            "total": total, "more": total > PANEL_SIZE,
            "records": CordisOrganisation.objects.filter(organisation=organisation).count()}
