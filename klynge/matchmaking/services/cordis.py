"""Writes of the CORDIS history: linking CORDIS records to the registry."""

from django.db import transaction
from stdnum.dk import cvr as cvr_number

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem import services as ecosystem_services
from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.models import Organisation
from klynge.matchmaking.models import CordisOrganisation

#: CORDIS kinds → registry kinds, for an organisation added to the registry from CORDIS.
REGISTRY_KIND = {"company": OrganisationKind.COMPANY,
                 "research": OrganisationKind.GTS,
                 "higher_education": OrganisationKind.UNIVERSITY,
                 "public": OrganisationKind.PUBLIC,
                 "other": OrganisationKind.OTHER}

#: CORDIS writes some countries its own way.
ISO_COUNTRY = {"EL": "GR", "UK": "GB"}


def danish_cvr(vat_number: str) -> str | None:
    """The CVR number in a Danish VAT number ("DK12345678"), if it is a valid one."""
    value = (vat_number or "").replace(" ", "").upper()
    if value.startswith("DK") and cvr_number.is_valid(value[2:]):
        return value[2:]
    return None


@transaction.atomic
def cordis_link(*, cordis_organisation: CordisOrganisation, organisation: Organisation,
                actor) -> CordisOrganisation:
    """Say that a CORDIS record is this registry organisation: its EU history becomes part of
    the organisation's profile."""
    if cordis_organisation.organisation_id not in (None, organisation.pk):
        raise ApplicationError(
            f"{cordis_organisation} is already linked to {cordis_organisation.organisation}; "
            "unlink it first.")
    cordis_organisation.organisation = organisation
    cordis_organisation.save(update_fields=["organisation"])
    log_action(organisation, "klynge.matchmaking.cordis.linked", actor=actor,
               data={"cordis_id": cordis_organisation.cordis_id,
                     "name": cordis_organisation.name})
    return cordis_organisation


@transaction.atomic
def cordis_unlink(*, cordis_organisation: CordisOrganisation, actor) -> None:
    organisation = cordis_organisation.organisation
    if organisation is None:
        return
    cordis_organisation.organisation = None
    cordis_organisation.save(update_fields=["organisation"])
    log_action(organisation, "klynge.matchmaking.cordis.unlinked", actor=actor,
               data={"cordis_id": cordis_organisation.cordis_id,
                     "name": cordis_organisation.name})


@transaction.atomic
def cordis_add_to_registry(*, cordis_organisation: CordisOrganisation, actor) -> Organisation:
    """Register a CORDIS-only organisation (a consortium candidate from abroad, say) and link
    it. A Danish one with a valid CVR already in the registry is linked, not duplicated."""
    if cordis_organisation.organisation_id is not None:
        return cordis_organisation.organisation
    cvr = danish_cvr(cordis_organisation.vat_number)
    existing = Organisation.objects.filter(cvr=cvr).first() if cvr else None
    if existing is None:
        country = ISO_COUNTRY.get(cordis_organisation.country, cordis_organisation.country)
        existing = ecosystem_services.organisation_create(actor=actor, data={
            "name": cordis_organisation.name,
            "kind": REGISTRY_KIND.get(cordis_organisation.kind, OrganisationKind.OTHER),
            "country": country or "DK",
            "cvr": cvr if country == "DK" else None,
            "vat_number": cordis_organisation.vat_number if not cvr else "",
            "city": cordis_organisation.city,
        })
    cordis_link(cordis_organisation=cordis_organisation, organisation=existing, actor=actor)
    return existing
