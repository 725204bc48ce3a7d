"""Writes to the registry. Each service validates, saves, and writes the audit log.

Errors a user can cause are raised as ApplicationError with the offending field named.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from klynge.core.audit import changes, log_action
from klynge.core.errors import ApplicationError
from klynge.core.locking import check_current, save_if_current
from klynge.core.merging import move_relations
from klynge.ecosystem.choices import DirectoryField
from klynge.ecosystem.domain.identifiers import check_cvr
from klynge.ecosystem.domain.regions import region_for_postcode
from klynge.ecosystem.models import (
    Affiliation,
    Interaction,
    Membership,
    Organisation,
    Person,
)

ORGANISATION_FIELDS = (
    "name", "kind", "cvr", "country", "vat_number", "employee_band", "is_startup",
    "founded_year", "industry", "address", "postcode", "city", "municipality", "region", "hub",
    "website", "description", "competences", "offers", "seeks", "directory_listed",
    "directory_fields",
)
PERSON_FIELDS = ("first_name", "last_name", "email", "phone", "job_title", "language", "notes")

CVR_MESSAGES = {
    "length": gettext_noop("A CVR number has exactly 8 digits."),
    "format": gettext_noop("A CVR number consists of 8 digits only."),
    "checksum": gettext_noop(
        "This is not a valid CVR number: its check digit is wrong (modulus-11 rule)."
    ),
}


def cvr_error_message(code: str) -> str:
    return _(CVR_MESSAGES[code])


def snapshot(obj, fields) -> dict[str, Any]:
    """The values of `fields` on `obj`, foreign keys as their ids, for the audit log."""
    values = {}
    for field in fields:
        value = getattr(obj, f"{field}_id", None) if _is_fk(obj, field) else getattr(obj, field)
        values[field] = value
    return values


def _is_fk(obj, field: str) -> bool:
    return obj._meta.get_field(field).is_relation


def _clean_organisation(data: dict[str, Any], *, instance: Organisation | None) -> dict:
    data = dict(data)
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ApplicationError(_("An organisation needs a name."), field="name")
    country = (data.get("country") or "DK").strip().upper()
    data["country"] = country
    check = check_cvr(data.get("cvr"))
    if check.error:
        raise ApplicationError(cvr_error_message(check.error), field="cvr")
    if check.value and country != "DK":
        raise ApplicationError(
            _("A CVR number belongs to Danish organisations; set the country to Denmark "
              "or give a VAT number instead."),
            field="cvr",
        )
    data["cvr"] = check.value
    if check.value:
        clash = Organisation.objects.filter(cvr=check.value)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        other = clash.first()
        if other is not None:
            raise ApplicationError(
                _("CVR number %(cvr)s is already registered for %(name)s.")
                % {"cvr": check.value, "name": other.name},
                field="cvr",
                extra={"existing_id": other.pk},
            )
    if country == "DK" and not data.get("region"):
        data["region"] = region_for_postcode(data.get("postcode")) or ""
    if country != "DK" and not data.get("region"):
        data["region"] = "abroad"
    if "directory_fields" in data:
        data["directory_fields"] = _clean_directory_fields(data["directory_fields"])
    return data


def _clean_directory_fields(values) -> list[str]:
    """The directory fields an organisation publishes: known ones, once each, in order."""
    chosen = list(values or [])
    unknown = [value for value in chosen if value not in DirectoryField.values]
    if unknown:
        raise ApplicationError(
            _("Unknown directory field: %(names)s.") % {"names": ", ".join(map(str, unknown))},
            field="directory_fields",
        )
    return [value for value in DirectoryField.values if value in chosen]


@transaction.atomic
def organisation_create(*, actor, data: dict[str, Any], focus_areas=None) -> Organisation:
    """Register an organisation. Rule: a CVR number is valid and unique among Danish ones.

    Side effects: derives the region from a Danish postcode when none is given; audit entry
    klynge.ecosystem.organisation.created.
    """
    clean = _clean_organisation(data, instance=None)
    organisation = Organisation(**{k: v for k, v in clean.items() if k in ORGANISATION_FIELDS})
    organisation.save()
    if focus_areas is not None:
        organisation.focus_areas.set(focus_areas)
    log_action(
        organisation, "klynge.ecosystem.organisation.created", actor=actor,
        data=snapshot(organisation, ORGANISATION_FIELDS),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor, data: dict[str, Any], focus_areas=None,
    version: int | None = None,
) -> Organisation:
    """Change an organisation; the audit entry records each changed field, old and new.

    `version`: the version the edit form was opened on; a newer save since then refuses
    this one with StaleEdit (None: no check, for imports, merges, the demo). Every save
    raises the version by one.
    """
    check_current(organisation, version)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    before_areas = sorted(organisation.focus_areas.values_list("pk", flat=True))
    clean = _clean_organisation({**before, **data}, instance=organisation)
    for field in ORGANISATION_FIELDS:
        if field in clean:
            target = f"{field}_id" if _is_fk(organisation, field) else field
            value = clean[field]
            if hasattr(value, "pk"):
                value = value.pk
            setattr(organisation, target, value)
    save_if_current(organisation, version)
    diff = changes(before, snapshot(organisation, ORGANISATION_FIELDS))
    if focus_areas is not None:
        organisation.focus_areas.set(focus_areas)
        after_areas = sorted(organisation.focus_areas.values_list("pk", flat=True))
        if after_areas != before_areas:
            diff["focus_areas"] = [before_areas, after_areas]
    if diff:
        log_action(
            organisation, "klynge.ecosystem.organisation.updated", actor=actor,
            data={"changes": diff},
        )
    return organisation


@transaction.atomic
def organisation_merge(*, survivor: Organisation, duplicate: Organisation, actor) -> Organisation:
    """Merge a duplicate into the surviving organisation.

    Every relation (people, memberships, interactions, logins, and whatever later apps relate
    to organisations) moves to the survivor; empty fields of the survivor are filled from the
    duplicate; the duplicate is deleted. Audit: a merged entry on the survivor carries the
    duplicate's full snapshot, so nothing is lost.
    """
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("An organisation cannot be merged with itself."))
    duplicate_snapshot = snapshot(duplicate, ORGANISATION_FIELDS)
    duplicate_cvr = duplicate.cvr
    moved = move_relations(source=duplicate, target=survivor)
    duplicate_id = duplicate.pk
    duplicate.delete()
    filled = []
    for field in ORGANISATION_FIELDS:
        attr = f"{field}_id" if _is_fk(survivor, field) else field
        empty_here = getattr(survivor, attr) in (None, "")
        if empty_here and duplicate_snapshot.get(field) not in (None, ""):
            setattr(survivor, attr, duplicate_snapshot[field])
            filled.append(field)
    if survivor.cvr is None and duplicate_cvr:
        survivor.cvr = duplicate_cvr
    save_if_current(survivor, None)
    log_action(
        survivor, "klynge.ecosystem.organisation.merged", actor=actor,
        data={"duplicate_id": duplicate_id, "duplicate": duplicate_snapshot, "moved": moved,
              "filled": filled},
    )
    return survivor


def _clean_person(data: dict[str, Any], *, instance: Person | None) -> dict:
    data = dict(data)
    data["email"] = (data.get("email") or "").strip().lower()
    data["first_name"] = (data.get("first_name") or "").strip()
    if not data["first_name"]:
        raise ApplicationError(_("A person needs a first name."), field="first_name")
    if not data["email"]:
        raise ApplicationError(_("A person needs an e-mail address."), field="email")
    clash = Person.objects.filter(email__iexact=data["email"])
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    other = clash.first()
    if other is not None:
        raise ApplicationError(
            _("The e-mail address %(email)s already belongs to %(name)s.")
            % {"email": data["email"], "name": other.full_name},
            field="email",
            extra={"existing_id": other.pk},
        )
    return data


@transaction.atomic
def person_create(
    *, actor, data: dict[str, Any], organisation: Organisation | None = None, role: str = ""
) -> Person:
    """Register a person (e-mail unique, case-insensitive), optionally with an affiliation."""
    clean = _clean_person(data, instance=None)
    person = Person.objects.create(**{k: v for k, v in clean.items() if k in PERSON_FIELDS})
    log_action(
        person, "klynge.ecosystem.person.created", actor=actor,
        data=snapshot(person, PERSON_FIELDS),
    )
    if organisation is not None:
        affiliation_add(person=person, organisation=organisation, role=role, actor=actor)
    return person


@transaction.atomic
def person_update(
    *, person: Person, actor, data: dict[str, Any], version: int | None = None
) -> Person:
    """Change a person. `version`: as organisation_update's (None: no check)."""
    check_current(person, version)
    before = snapshot(person, PERSON_FIELDS)
    clean = _clean_person({**before, **data}, instance=person)
    for field in PERSON_FIELDS:
        setattr(person, field, clean.get(field, getattr(person, field)))
    save_if_current(person, version)
    diff = changes(before, snapshot(person, PERSON_FIELDS))
    if diff:
        log_action(person, "klynge.ecosystem.person.updated", actor=actor, data={"changes": diff})
    return person


@transaction.atomic
def person_merge(*, survivor: Person, duplicate: Person, actor) -> Person:
    """Merge a duplicate person into the survivor; relations move, the duplicate goes."""
    if survivor.pk == duplicate.pk:
        raise ApplicationError(_("A person cannot be merged with themselves."))
    duplicate_snapshot = snapshot(duplicate, PERSON_FIELDS)
    login = getattr(duplicate, "user", None)
    moved = move_relations(source=duplicate, target=survivor)
    duplicate_id = duplicate.pk
    duplicate.delete()
    if login is not None and getattr(survivor, "user", None) is None:
        login.person = survivor
        login.save(update_fields=["person"])
    for field in PERSON_FIELDS:
        if field != "email" and not getattr(survivor, field) and duplicate_snapshot.get(field):
            setattr(survivor, field, duplicate_snapshot[field])
    save_if_current(survivor, None)
    log_action(
        survivor, "klynge.ecosystem.person.merged", actor=actor,
        data={"duplicate_id": duplicate_id, "duplicate": duplicate_snapshot, "moved": moved},
    )
    return survivor


@transaction.atomic
def affiliation_add(
    *, person: Person, organisation: Organisation, actor, role: str = "",
    is_primary: bool = True, start_date: date | None = None, end_date: date | None = None,
) -> Affiliation:
    """Tie a person to an organisation. A new primary affiliation demotes the old one."""
    if end_date and start_date and end_date < start_date:
        raise ApplicationError(_("The end date is before the start date."), field="end_date")
    if is_primary:
        person.affiliations.filter(is_primary=True).update(is_primary=False)
    affiliation = Affiliation.objects.create(
        person=person, organisation=organisation, role=role, is_primary=is_primary,
        start_date=start_date, end_date=end_date,
    )
    log_action(
        person, "klynge.ecosystem.affiliation.added", actor=actor,
        data={"organisation_id": organisation.pk, "organisation": organisation.name,
              "role": role, "primary": is_primary},
    )
    return affiliation


@transaction.atomic
def affiliation_end(
    *, affiliation: Affiliation, actor, end_date: date | None = None
) -> Affiliation:
    affiliation.end_date = end_date or timezone.localdate()
    affiliation.is_primary = False
    affiliation.save(update_fields=["end_date", "is_primary"])
    log_action(
        affiliation.person, "klynge.ecosystem.affiliation.ended", actor=actor,
        data={"organisation_id": affiliation.organisation_id, "end_date": affiliation.end_date},
    )
    return affiliation


MEMBERSHIP_FIELDS = ("tier", "annual_fee", "start_date", "end_date", "status", "notes")


def _check_membership_dates(*, organisation, start_date, end_date, exclude_pk=None) -> None:
    if end_date and end_date < start_date:
        raise ApplicationError(_("The end date is before the start date."), field="end_date")
    overlapping = Membership.objects.filter(organisation=organisation).filter(
        start_date__lte=end_date or date.max
    )
    overlapping = overlapping.exclude(end_date__lt=start_date)
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    if overlapping.exists():
        raise ApplicationError(
            _("This period overlaps another membership period of the organisation; end that "
              "one first."),
            field="start_date",
        )


@transaction.atomic
def membership_create(*, organisation: Organisation, actor, data: dict[str, Any]) -> Membership:
    """Add a membership period. Rule: periods of one organisation do not overlap.

    The fee defaults to the tier's standard annual fee.
    """
    _check_membership_dates(
        organisation=organisation, start_date=data["start_date"], end_date=data.get("end_date")
    )
    tier = data.get("tier")
    fee = data.get("annual_fee")
    if fee in (None, "") and tier is not None:
        fee = tier.annual_fee
    membership = Membership.objects.create(
        organisation=organisation, tier=tier, annual_fee=fee or 0,
        start_date=data["start_date"], end_date=data.get("end_date"),
        status=data.get("status") or "paying", notes=data.get("notes") or "",
    )
    log_action(
        organisation, "klynge.ecosystem.membership.created", actor=actor,
        data={"membership_id": membership.pk, **snapshot(membership, MEMBERSHIP_FIELDS)},
    )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor, data: dict[str, Any]) -> Membership:
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    start = data.get("start_date", membership.start_date)
    end = data.get("end_date", membership.end_date)
    _check_membership_dates(
        organisation=membership.organisation, start_date=start, end_date=end,
        exclude_pk=membership.pk,
    )
    for field in MEMBERSHIP_FIELDS:
        if field in data:
            setattr(membership, field, data[field])
    membership.save()
    diff = changes(before, snapshot(membership, MEMBERSHIP_FIELDS))
    if diff:
        log_action(
            membership.organisation, "klynge.ecosystem.membership.updated", actor=actor,
            data={"membership_id": membership.pk, "changes": diff},
        )
    return membership


@transaction.atomic
def membership_renew(*, membership: Membership, actor, years: int = 1) -> Membership:
    """Renew: a new period starting the day after this one ends, same tier and fee."""
    if membership.end_date is None:
        raise ApplicationError(_("This membership runs until further notice; nothing to renew."))
    start = membership.end_date + timedelta(days=1)
    try:
        end = membership.end_date.replace(year=membership.end_date.year + years)
    except ValueError:  # 29 February
        end = membership.end_date.replace(year=membership.end_date.year + years, day=28)
    return membership_create(
        organisation=membership.organisation, actor=actor,
        data={"tier": membership.tier, "annual_fee": membership.annual_fee,
              "start_date": start, "end_date": end, "status": membership.status},
    )


INTERACTION_FIELDS = (
    "kind", "date", "subject", "notes", "next_step", "follow_up_date", "staff", "hub",
)


def _check_interaction(*, organisation: Organisation, data: dict[str, Any], people) -> None:
    stray = [p for p in people if not p.affiliations.filter(organisation=organisation).exists()]
    if stray:
        raise ApplicationError(
            _("%(names)s is not affiliated with %(org)s.")
            % {"names": ", ".join(p.full_name for p in stray), "org": organisation.name},
            field="people",
        )
    if data.get("follow_up_date") and not (data.get("next_step") or "").strip():
        raise ApplicationError(
            _("Say what the next step is when you set a follow-up date."), field="next_step"
        )


@transaction.atomic
def interaction_log(
    *, organisation: Organisation, actor, data: dict[str, Any], people=()
) -> Interaction:
    """Log a visit, call, meeting or e-mail. Rule: people logged were at that organisation,
    and a follow-up date comes with a next step.

    The interaction is the actor's (and their hub's) unless another staff member is named.
    """
    people = list(people)
    _check_interaction(organisation=organisation, data=data, people=people)
    staff = data.get("staff") or (actor if getattr(actor, "is_authenticated", False) else None)
    interaction = Interaction.objects.create(
        organisation=organisation,
        kind=data["kind"],
        date=data.get("date") or timezone.localdate(),
        subject=data["subject"],
        notes=data.get("notes") or "",
        next_step=data.get("next_step") or "",
        follow_up_date=data.get("follow_up_date"),
        staff=staff,
        hub=data.get("hub") or getattr(staff, "hub", None) or organisation.hub,
    )
    interaction.people.set(people)
    log_action(
        organisation, "klynge.ecosystem.interaction.logged", actor=actor,
        data={"interaction_id": interaction.pk, "kind": interaction.kind,
              "subject": interaction.subject, "people": [p.pk for p in people]},
    )
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, actor, data: dict[str, Any], people=None
) -> Interaction:
    """Correct a logged interaction; the same rules as logging it apply."""
    organisation = interaction.organisation
    people = list(people) if people is not None else list(interaction.people.all())
    _check_interaction(organisation=organisation, data=data, people=people)
    editable = ("kind", "date", "subject", "notes", "next_step", "follow_up_date")
    before = snapshot(interaction, editable)
    for field in editable:
        if field in data:
            value = data[field]
            if value is None and field != "follow_up_date":
                value = ""
            setattr(interaction, field, value)
    interaction.save()
    interaction.people.set(people)
    diff = changes(before, snapshot(interaction, editable))
    if diff:
        log_action(
            organisation, "klynge.ecosystem.interaction.updated", actor=actor,
            data={"interaction_id": interaction.pk, "changes": diff},
        )
    return interaction


@transaction.atomic
def interaction_complete_follow_up(*, interaction: Interaction, actor) -> Interaction:
    if interaction.follow_up_done_at is not None:
        return interaction
    interaction.follow_up_done_at = timezone.now()
    interaction.save(update_fields=["follow_up_done_at"])
    log_action(
        interaction.organisation, "klynge.ecosystem.interaction.follow_up_done", actor=actor,
        data={"interaction_id": interaction.pk},
    )
    return interaction


@transaction.atomic
def interaction_reopen_follow_up(*, interaction: Interaction, actor) -> Interaction:
    """Undo of marking a follow-up done."""
    interaction.follow_up_done_at = None
    interaction.save(update_fields=["follow_up_done_at"])
    log_action(
        interaction.organisation, "klynge.ecosystem.interaction.follow_up_reopened",
        actor=actor, data={"interaction_id": interaction.pk},
    )
    return interaction
