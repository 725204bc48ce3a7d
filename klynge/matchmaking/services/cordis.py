"""Writes of the CORDIS history: the import of a CORDIS folder, and linking CORDIS records to
the registry."""

import time
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.dk import cvr as cvr_number

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.ecosystem import services as ecosystem_services
from klynge.ecosystem.choices import OrganisationKind
from klynge.ecosystem.models import Organisation
from klynge.matchmaking.importing.cordis import CordisData, Progress, read_folder
from klynge.matchmaking.models import (
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
)

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
            _("%(record)s is already linked to %(organisation)s; unlink it first.")
            % {"record": cordis_organisation, "organisation": cordis_organisation.organisation})
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


# --- the import of a CORDIS folder -----------------------------------------------------------

ORG_FIELDS = ("name", "short_name", "kind", "is_sme", "country", "city", "vat_number")
PROJECT_FIELDS = ("acronym", "topic_code", "topic_title", "labels", "deliverables", "programme")
BATCH = 2000
#: At most this many bad rows are kept in the import's report (all are counted).
MAX_BAD_KEPT = 1000
UNLINKED_ACTION = "klynge.matchmaking.cordis.unlinked"


def _registry_cvrs() -> dict[str, int]:
    return dict(Organisation.objects.exclude(cvr__isnull=True).exclude(cvr="")
                .values_list("cvr", "pk"))


def _unlinked_by_staff() -> set[str]:
    """CORDIS ids that staff unlinked: the import does not link them again."""
    return {str(data.get("cordis_id")) for data in
            AuditEntry.objects.filter(action=UNLINKED_ACTION).values_list("data", flat=True)
            if isinstance(data, dict) and data.get("cordis_id")}


def _counts() -> dict[str, int]:
    return {"added": 0, "updated": 0, "unchanged": 0}


def cordis_import(*, folder: Path, actor=None, only_linked: bool = False,
                  dry_run: bool = False, progress: Progress | None = None) -> dict:
    """Import (upsert) a CORDIS folder: organisations by organisationID, projects by
    projectID, participations by both. Danish organisations whose VAT number is DK + a valid
    CVR are linked to the registry organisation with that CVR (a link staff made, or undid,
    is left alone). Importing the same folder again changes nothing.

    `only_linked`: only projects in which an organisation of the registry took part, with
    all their partners. `dry_run`: count what would change, write nothing.
    Returns the report (also kept on the CordisImport row unless it is a dry run).
    """
    started = time.perf_counter()
    folder = Path(folder)
    try:
        data = read_folder(folder, progress=progress)
    except FileNotFoundError:
        raise ApplicationError(
            _("%(folder)s has no organization.csv.gz or organization.csv: is it a CORDIS "
              "folder?") % {"folder": folder}) from None
    except (UnicodeDecodeError, OSError) as error:
        raise ApplicationError(_("%(folder)s could not be read: %(error)s")
                               % {"folder": folder, "error": error}) from None
    cvrs = _registry_cvrs()
    refused = _unlinked_by_staff()
    linked_before = dict(CordisOrganisation.objects.filter(organisation__isnull=False)
                         .values_list("cordis_id", "organisation_id"))
    to_link = {}
    for org in data.organisations.values():
        cvr = danish_cvr(org.vat_number)
        if (cvr in cvrs and org.cordis_id not in linked_before
                and org.cordis_id not in refused):
            to_link[org.cordis_id] = cvrs[cvr]
    if only_linked:
        ours = linked_before.keys() | to_link.keys()
        data.keep_projects({project for project, org in data.participations if org in ours})
        to_link = {k: v for k, v in to_link.items() if k in data.organisations}
    with transaction.atomic():
        report = _write(data, to_link, actor=actor, dry_run=dry_run, progress=progress)
        report.update({
            "source": str(folder), "only_linked": only_linked, "dry_run": dry_run,
            "files": data.rows, "missing_files": data.missing,
            "bad_count": len(data.bad),
            "bad": [bad.as_dict() for bad in data.bad[:MAX_BAD_KEPT]],
            "seconds": round(time.perf_counter() - started, 2),
        })
        if not dry_run:
            record = CordisImport.objects.create(
                source=str(folder)[:255], report=report,
                created_by=actor if getattr(actor, "is_authenticated", False) else None)
            report["import_id"] = record.pk
            log_action(record, "klynge.matchmaking.cordis.imported", actor=actor, data={
                key: report[key] for key in ("source", "organisations", "projects",
                                             "participations", "linked", "bad_count")})
    return report


def _upsert(model, rows: dict, fields: tuple[str, ...], *, dry_run: bool,
            values) -> tuple[dict, dict[str, int]]:
    """Create the new and update the changed rows of `model` keyed by cordis_id; returns
    the counts and cordis_id → pk of every row in `rows`."""
    counts = _counts()
    existing = {obj.cordis_id: obj for obj in model.objects.only("pk", "cordis_id", *fields)
                if obj.cordis_id in rows}
    new, changed = [], []
    for key, row in rows.items():
        wanted = values(row)
        obj = existing.get(key)
        if obj is None:
            new.append(model(cordis_id=key, **wanted))
            continue
        if any(getattr(obj, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(obj, name, value)
            changed.append(obj)
        else:
            counts["unchanged"] += 1
    counts["added"], counts["updated"] = len(new), len(changed)
    if not dry_run:
        model.objects.bulk_create(new, batch_size=BATCH)
        model.objects.bulk_update(changed, list(fields), batch_size=BATCH // 2)
        ids = {key: pk for key, pk in model.objects.values_list("cordis_id", "pk")
               if key in rows}
    else:
        ids = {key: obj.pk for key, obj in existing.items()}
    return counts, ids


def _write(data: CordisData, to_link: dict[str, int], *, actor, dry_run: bool,
           progress: Progress | None) -> dict:
    org_counts, org_ids = _upsert(
        CordisOrganisation, data.organisations, ORG_FIELDS, dry_run=dry_run,
        values=lambda row: {name: getattr(row, name) for name in ORG_FIELDS})
    if progress:
        progress("organisations", len(data.organisations))
    project_counts, project_ids = _upsert(
        CordisProject, data.projects, PROJECT_FIELDS, dry_run=dry_run,
        values=lambda row: {"acronym": row.acronym, "topic_code": row.topic_code,
                            "topic_title": row.topic_title, "labels": row.labels,
                            "deliverables": row.deliverables_text(),
                            "programme": row.programme})
    if progress:
        progress("projects", len(data.projects))
    part_counts = _counts()
    existing = {(p, o): (pk, role, amount) for pk, p, o, role, amount in
                CordisParticipation.objects.values_list(
                    "pk", "project_id", "cordis_organisation_id", "role", "ec_contribution")}
    new, changed = [], []
    for (project, org), (role, amount) in data.participations.items():
        key = (project_ids.get(project), org_ids.get(org))
        found = existing.get(key) if None not in key else None
        if found is None:
            new.append(CordisParticipation(project_id=key[0], cordis_organisation_id=key[1],
                                           role=role, ec_contribution=amount))
        elif (found[1], found[2]) != (role, amount):
            changed.append(CordisParticipation(pk=found[0], role=role, ec_contribution=amount))
        else:
            part_counts["unchanged"] += 1
    part_counts["added"], part_counts["updated"] = len(new), len(changed)
    if not dry_run:
        CordisParticipation.objects.bulk_create(new, batch_size=BATCH)
        CordisParticipation.objects.bulk_update(changed, ["role", "ec_contribution"],
                                                batch_size=BATCH // 2)
    if progress:
        progress("participations", len(data.participations))
    linked = []
    if not dry_run and to_link:
        records = CordisOrganisation.objects.filter(
            pk__in=[org_ids[key] for key in to_link if key in org_ids],
            organisation__isnull=True)
        organisations = Organisation.objects.in_bulk(set(to_link.values()))
        for record in records:
            organisation = organisations[to_link[record.cordis_id]]
            record.organisation = organisation
            linked.append(record)
            log_action(organisation, "klynge.matchmaking.cordis.linked", actor=actor,
                       data={"cordis_id": record.cordis_id, "name": record.name,
                             "by": "import"})
        CordisOrganisation.objects.bulk_update(linked, ["organisation"], batch_size=BATCH)
    return {"organisations": org_counts, "projects": project_counts,
            "participations": part_counts,
            "linked": len(linked) if not dry_run else len(to_link)}
