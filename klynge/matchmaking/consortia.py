"""Reads of the consortium builder: the rules as the domain's `Rules`, the recommender's ranking
for a call, and the proposal hydrated to registry and CORDIS records with worded checks.

The proposal is recomputed on every request (rank + build take milliseconds); staff's swaps
travel in the URL as {slot position: profile id}.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.ecosystem.models import Organisation
from klynge.matchmaking.choices import ProfileKind, SizeRequirement
from klynge.matchmaking.domain import Query, rank
from klynge.matchmaking.domain.consortium import (
    LEAD,
    NO_CANDIDATES,
    NO_ROOM,
    PARTNER,
    TOO_FEW_CANDIDATES,
    Check,
    RoleRule,
    Rules,
    build,
    swap,
)
from klynge.matchmaking.explain import Explained, explain
from klynge.matchmaking.index import current_index
from klynge.matchmaking.models import CallTopic, CompositionRules, CordisOrganisation
from klynge.matchmaking.profiles import org_id, registry_profiles
from klynge.matchmaking.selectors import call_query_text, records_for

#: How many of the recommender's best candidates the builder chooses among.
CANDIDATES = 200
ALTERNATIVES = 3


# --- rules ----------------------------------------------------------------------------------


def rules_list():
    return CompositionRules.objects.annotate(role_count=Count("roles")).prefetch_related("roles")


def default_rules() -> CompositionRules | None:
    return CompositionRules.objects.filter(is_default=True).first()


def domain_rules(rules: CompositionRules) -> Rules:
    return Rules(
        min_partners=rules.min_partners, max_partners=rules.max_partners,
        min_countries=rules.min_countries,
        eligible_countries=frozenset(c.upper() for c in rules.eligible_countries or ()),
        roles=tuple(RoleRule(r.label, r.min_count, frozenset(r.kinds), r.size)
                    for r in rules.roles.all()),
    )


def role_summary(role) -> str:
    """"At least 1 research organisation or university (SME)" for a rules page."""
    kinds = " / ".join(str(ProfileKind(k).label) for k in role.kinds if k in ProfileKind.values)
    text = _("at least %(count)s: %(kinds)s") % {"count": role.min_count, "kinds": kinds}
    if role.size != SizeRequirement.ANY:
        text += f" ({SizeRequirement(role.size).label})"
    return text


# --- the proposal ---------------------------------------------------------------------------


@dataclass
class Option:
    """A candidate for a slot, hydrated."""

    profile_id: str
    name: str
    country: str
    score: float | None
    record: Organisation | CordisOrganisation | None = None

    @property
    def in_registry(self) -> bool:
        return isinstance(self.record, Organisation)

    @property
    def kind_label(self) -> str:
        if isinstance(self.record, Organisation):
            return self.record.get_kind_display()
        if isinstance(self.record, CordisOrganisation):
            return str(ProfileKind(self.record.kind).label)
        return ""

    @property
    def url(self) -> str:
        return self.record.get_absolute_url() if self.in_registry else ""


@dataclass
class Member:
    position: int
    kind: str
    role: str
    option: Option
    reasons: list[Explained]
    alternatives: list[Option] = field(default_factory=list)
    swapped: bool = False

    @property
    def is_lead(self) -> bool:
        return self.kind == LEAD


@dataclass
class WordedCheck:
    satisfied: bool
    text: str
    check: Check


@dataclass
class ConsortiumProposal:
    members: list[Member]
    checks: list[WordedCheck]
    complete: bool
    #: The swaps that were applied, {position: profile id} (the URL keeps them).
    swaps: dict[int, str]
    candidate_count: int

    @property
    def member_ids(self) -> list[str]:
        return [m.option.profile_id for m in self.members]


def check_text(check: Check) -> str:
    """One check as a sentence in the reader's language."""
    names = ", ".join(check.names) or _("none")
    if check.code == "partners":
        text = _("At least %(min)s and at most %(max)s organisations: %(count)s") % {
            "min": check.required, "max": check.maximum, "count": check.actual}
    elif check.code == "countries":
        text = ngettext(
            "Organisations from at least %(min)s eligible country: %(count)s (%(names)s)",
            "Organisations from at least %(min)s eligible countries: %(count)s (%(names)s)",
            check.required) % {"min": check.required, "count": check.actual, "names": names}
    else:
        text = _("At least %(min)s × %(role)s: %(count)s (%(names)s)") % {
            "min": check.required, "role": check.label, "count": check.actual,
            "names": names}
    if check.problem == NO_CANDIDATES:
        if check.code == "role":
            text += " – " + _("no %(role)s among the candidates") % {"role": check.label}
        else:
            text += " – " + _("no organisation from an eligible country among the candidates")
    elif check.problem == TOO_FEW_CANDIDATES:
        text += " – " + _("too few among the candidates")
    elif check.problem == NO_ROOM:
        text += " – " + _("no room left under the maximum number of organisations")
    return text


def ranked_for_call(call: CallTopic, lead: Organisation):
    """(lead profile, [(profile, score, reasons)]) : the recommender's best candidates for the
    call with this lead, registry and CORDIS-only organisations alike."""
    index = current_index()
    lead_id = org_id(lead.pk)
    if lead_id in index:
        lead_profile = index.profile(lead_id)
    else:  # not indexed yet (created a moment ago)
        lead_profile = registry_profiles(Organisation.objects.filter(pk=lead.pk))[0]
    query = Query(text=call_query_text(call), lead=lead_id if lead_id in index else None,
                  lead_kind=None if lead_id in index else lead_profile.kind,
                  include_external=True)
    if query.is_empty():
        return lead_profile, []
    ranked = [(index.profile(r.org_id), r.score, r.reasons)
              for r in rank(query, index, CANDIDATES)]
    return lead_profile, ranked


def _option(candidate_profile, score, records) -> Option:
    record = records.get(candidate_profile.id)
    return Option(candidate_profile.id, record.name if record else candidate_profile.name,
                  (record.country if record else candidate_profile.country) or "", score,
                  record)


def propose(call: CallTopic, lead: Organisation, rules: CompositionRules,
            swaps: dict[int, str] | None = None) -> ConsortiumProposal:
    """The proposed consortium for the call and lead under the rules, with staff's swaps
    applied in slot order (a swap that no longer fits — an unknown candidate, one already in
    the consortium — is left out)."""
    domain = domain_rules(rules)
    lead_profile, ranked = ranked_for_call(call, lead)
    proposal = build(domain, lead_profile, ranked, ALTERNATIVES)
    applied = {}
    for position, profile_id in sorted((swaps or {}).items()):
        if position < len(proposal.members) and \
                proposal.members[position].profile.id == profile_id:
            continue
        try:
            proposal = swap(domain, proposal, position, profile_id, ranked, ALTERNATIVES)
        except ValueError:
            continue
        applied[position] = profile_id
    ids = {s.profile.id for s in proposal.members}
    ids |= {a.profile.id for s in proposal.members for a in s.alternatives}
    records = records_for(sorted(ids))
    members = []
    for position, slot in enumerate(proposal.members):
        role = slot.role
        if slot.kind == LEAD:
            role = _("Lead (coordinator)")
        elif slot.kind == PARTNER:
            role = _("Partner")
        members.append(Member(
            position, slot.kind, role, _option(slot.profile, slot.score, records),
            explain(slot.reasons, lead.name),
            [_option(a.profile, a.score, records) for a in slot.alternatives],
            swapped=position in applied,
        ))
    checks = [WordedCheck(c.satisfied, check_text(c), c) for c in proposal.checks]
    return ConsortiumProposal(members, checks, proposal.complete, applied, len(ranked))
