"""Writes of the consortium builder: composition rules, and a proposed consortium turned into
an EU application (a project the KPIs count).

Each service validates, saves and writes the audit log; a user's mistake is an
ApplicationError naming the field.
"""

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from klynge.core.audit import changes, log_action
from klynge.core.errors import ApplicationError
from klynge.ecosystem.models import Organisation
from klynge.matchmaking.choices import ProfileKind, SizeRequirement
from klynge.matchmaking.models import (
    CallTopic,
    CompositionRules,
    CordisOrganisation,
    RoleRequirement,
)
from klynge.matchmaking.profiles import parse_id
from klynge.matchmaking.services.cordis import cordis_add_to_registry
from klynge.projects import services as project_services
from klynge.projects.choices import PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project

#: EU member states, as CORDIS (EL) and ISO (GR) write them.
EU_MEMBER_STATES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "GR", "ES", "FI",
                    "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT",
                    "RO", "SE", "SI", "SK")
#: Countries associated to Horizon Europe (2024–2025), as CORDIS (UK) and ISO (GB) write them.
ASSOCIATED_COUNTRIES = ("AL", "AM", "BA", "CA", "CH", "FO", "GE", "IL", "IS", "KR", "MD", "ME",
                        "MK", "NO", "NZ", "RS", "TN", "TR", "UA", "UK", "GB", "XK")
EU_AND_ASSOCIATED = EU_MEMBER_STATES + ASSOCIATED_COUNTRIES

RULES_FIELDS = ("name", "min_partners", "max_partners", "min_countries", "eligible_countries",
                "is_default")
ROLE_FIELDS = ("label", "min_count", "kinds", "size")


# --- composition rules ---------------------------------------------------------------------


def parse_countries(value) -> list[str]:
    """Country codes from text ("DK, DE se") or a list: upper case, in order, once each.
    ApplicationError naming the codes that are not two letters."""
    items = re.split(r"[\s,;]+", value) if isinstance(value, str) else list(value or ())
    codes = [item.strip().upper() for item in items if item and item.strip()]
    bad = [code for code in codes if not re.fullmatch(r"[A-Z]{2}", code)]
    if bad:
        raise ApplicationError(
            _("Countries are two-letter codes (DK, DE, …); these are not: %(codes)s.")
            % {"codes": ", ".join(bad)}, field="eligible_countries")
    return list(dict.fromkeys(codes))


def _clean_rules(data: dict[str, Any], *, instance: CompositionRules | None) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError(_("Give the rules a name."), field="name")
    same = CompositionRules.objects.filter(name__iexact=name)
    if instance is not None:
        same = same.exclude(pk=instance.pk)
    if same.exists():
        raise ApplicationError(_("Rules called “%(name)s” exist already; choose another name.")
                               % {"name": name}, field="name")
    numbers = {}
    for field in ("min_partners", "max_partners", "min_countries"):
        value = data.get(field)
        if value is None or int(value) < 1:
            raise ApplicationError(_("Give a whole number of at least 1."), field=field)
        numbers[field] = int(value)
    if numbers["min_partners"] > numbers["max_partners"]:
        raise ApplicationError(
            _("The minimum number of organisations (%(min)s) is larger than the maximum "
              "(%(max)s).") % {"min": numbers["min_partners"], "max": numbers["max_partners"]},
            field="max_partners")
    if numbers["min_countries"] > numbers["max_partners"]:
        raise ApplicationError(
            _("%(countries)s countries cannot be reached with at most %(max)s organisations.")
            % {"countries": numbers["min_countries"], "max": numbers["max_partners"]},
            field="min_countries")
    return {"name": name, **numbers,
            "eligible_countries": parse_countries(data.get("eligible_countries", ())),
            "is_default": bool(data.get("is_default"))}


def _clean_roles(roles) -> list[dict[str, Any]]:
    cleaned = []
    for number, role in enumerate(roles, start=1):
        label = (role.get("label") or "").strip()
        if not label:
            raise ApplicationError(_("Role %(number)s needs a name.") % {"number": number},
                                   field="roles")
        kinds = list(dict.fromkeys(role.get("kinds") or ()))
        if not kinds:
            raise ApplicationError(_("Choose at least one kind of organisation for the role "
                                     "“%(label)s”.") % {"label": label}, field="roles")
        unknown = [k for k in kinds if k not in ProfileKind.values]
        if unknown:
            raise ApplicationError(_("Unknown kind of organisation: %(kinds)s.")
                                   % {"kinds": ", ".join(unknown)}, field="roles")
        count = role.get("min_count")
        if count is None or int(count) < 1:
            raise ApplicationError(_("The role “%(label)s” needs at least 1 organisation.")
                                   % {"label": label}, field="roles")
        size = role.get("size") or SizeRequirement.ANY
        if size not in SizeRequirement.values:
            raise ApplicationError(_("Choose the size for the role “%(label)s”.")
                                   % {"label": label}, field="roles")
        cleaned.append({"label": label, "min_count": int(count), "kinds": kinds, "size": size})
    labels = [r["label"].casefold() for r in cleaned]
    if len(set(labels)) != len(labels):
        raise ApplicationError(_("Two roles have the same name; give each role its own."),
                               field="roles")
    return cleaned


def _snapshot(rules: CompositionRules) -> dict[str, Any]:
    return {**{f: getattr(rules, f) for f in RULES_FIELDS},
            "roles": [{f: getattr(r, f) for f in ROLE_FIELDS} for r in rules.roles.all()]}


def _save_roles(rules: CompositionRules, roles: list[dict[str, Any]]) -> None:
    rules.roles.all().delete()
    RoleRequirement.objects.bulk_create(
        RoleRequirement(rules=rules, position=position, **role)
        for position, role in enumerate(roles))


def _only_default(rules: CompositionRules) -> None:
    if rules.is_default:
        CompositionRules.objects.exclude(pk=rules.pk).filter(is_default=True).update(
            is_default=False)
    elif not CompositionRules.objects.filter(is_default=True).exists():
        rules.is_default = True  # there is always a default
        rules.save(update_fields=["is_default"])


@transaction.atomic
def rules_create(*, actor, data: dict[str, Any], roles) -> CompositionRules:
    """New composition rules with their roles (in order).

    Rules: a unique name; 1 ≤ min partners ≤ max partners; at least 1 country, no more than
    the maximum of organisations; countries are two-letter codes; each role has a name, at
    least one kind (ProfileKind), at least 1 organisation and a size. Rules made the default
    replace the previous default; the first rules are the default.
    Side effects: audit entry klynge.matchmaking.rules.created.
    """
    values = _clean_rules(data, instance=None)
    role_values = _clean_roles(roles)
    rules = CompositionRules.objects.create(**values)
    _save_roles(rules, role_values)
    _only_default(rules)
    log_action(rules, "klynge.matchmaking.rules.created", actor=actor, data=_snapshot(rules))
    return rules


@transaction.atomic
def rules_update(*, rules: CompositionRules, actor, data: dict[str, Any],
                 roles) -> CompositionRules:
    """Change rules and replace their roles, under the rules of `rules_create`. The default
    stays the default until other rules are made the default.
    Side effects: audit entry klynge.matchmaking.rules.updated with the changes.
    """
    values = _clean_rules(data, instance=rules)
    role_values = _clean_roles(roles)
    if rules.is_default and not values["is_default"]:
        raise ApplicationError(
            _("These are the default rules. Make other rules the default instead."),
            field="is_default")
    before = _snapshot(rules)
    for field, value in values.items():
        setattr(rules, field, value)
    rules.save()
    _save_roles(rules, role_values)
    _only_default(rules)
    diff = changes(before, _snapshot(rules))
    if diff:
        log_action(rules, "klynge.matchmaking.rules.updated", actor=actor,
                   data={"changes": diff})
    return rules


@transaction.atomic
def rules_delete(*, rules: CompositionRules, actor) -> None:
    """Delete rules that are not the default.
    Side effects: audit entry klynge.matchmaking.rules.deleted with what was deleted."""
    if rules.is_default:
        raise ApplicationError(_("The default rules cannot be deleted. Make other rules the "
                                 "default first."))
    log_action(rules, "klynge.matchmaking.rules.deleted", actor=actor, data=_snapshot(rules))
    rules.delete()


# --- from a proposal to an EU application ---------------------------------------------------


def _registry_member(profile_id: str, actor) -> Organisation:
    try:
        kind, pk = parse_id(profile_id)
    except ValueError:
        kind, pk = "", 0
    if kind == "org":
        organisation = Organisation.objects.filter(pk=pk).first()
        if organisation is not None:
            return organisation
    elif kind == "cordis":
        cordis = CordisOrganisation.objects.filter(pk=pk).select_related(
            "organisation").first()
        if cordis is not None:
            return cordis_add_to_registry(cordis_organisation=cordis, actor=actor)
    raise ApplicationError(_("A member of the consortium no longer exists (%(id)s); build the "
                             "consortium again.") % {"id": profile_id}, field="members")


@transaction.atomic
def consortium_to_application(*, call: CallTopic, lead: Organisation, members,
                              actor) -> Project:
    """An EU application (status preparing) for the call with the lead as coordinator and the
    other members as partners. Members are profile ids ("org:12", "cordis:7"); CORDIS-only
    ones are added to the registry first.

    Rules: the lead is a registry organisation; the consortium has at least two distinct
    organisations.
    Side effects: the project's own audit entries (created, partners added), and
    klynge.matchmaking.consortium.application_created on the project.
    """
    if not isinstance(lead, Organisation) or lead.pk is None:
        raise ApplicationError(_("Choose the lead organisation from the registry."),
                               field="lead")
    organisations = []
    for profile_id in dict.fromkeys(members):
        organisation = _registry_member(profile_id, actor)
        if organisation.pk != lead.pk and organisation not in organisations:
            organisations.append(organisation)
    if not organisations:
        raise ApplicationError(_("A consortium needs at least two organisations: the lead and "
                                 "one partner."), field="members")
    responsible = actor if getattr(actor, "is_authenticated", False) else None
    project = project_services.project_create(actor=actor, data={
        "title": call.title.strip()[:255],
        "kind": ProjectKind.EU_APPLICATION,
        "status": ProjectStatus.PREPARING,
        "programme": call.programme,
        "call_identifier": call.identifier,
        "description": _("Consortium proposed by the consortium builder for the call "
                         "%(call)s.") % {"call": call.identifier},
        "responsible": responsible,
        "hub": getattr(responsible, "hub_id", None),
    })
    project_services.partner_add(project=project, organisation=lead, actor=actor,
                                 role=PartnerRole.COORDINATOR)
    for organisation in organisations:
        project_services.partner_add(project=project, organisation=organisation, actor=actor,
                                     role=PartnerRole.PARTNER)
    log_action(project, "klynge.matchmaking.consortium.application_created", actor=actor,
               data={"call": call.identifier, "lead": lead.name,
                     "members": [o.name for o in organisations]})
    return project
