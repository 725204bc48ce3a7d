"""Reads of matchmaking: suggestions (hydrated and explained), call topics, introductions."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import strip_tags

from klynge.ecosystem.models import Organisation
from klynge.matchmaking.choices import ProfileKind, Purpose
from klynge.matchmaking.domain import Query, rank, score_one
from klynge.matchmaking.domain.purposes import applies
from klynge.matchmaking.explain import Explained, explain
from klynge.matchmaking.index import current_index
from klynge.matchmaking.models import CallTopic, CordisOrganisation, Introduction
from klynge.matchmaking.profiles import KIND_OF, cordis_id, org_id, parse_id

#: The longest need text the recommender reads (a call's description can be pages long).
MAX_QUERY_CHARS = 4000


@dataclass
class Suggestion:
    """One suggested organisation: a registry record or a CORDIS-only one."""

    profile_id: str
    score: float
    reasons: list[Explained]
    organisation: Organisation | None = None
    cordis: CordisOrganisation | None = None
    introductions: list = field(default_factory=list)

    @property
    def record(self):
        return self.organisation or self.cordis

    @property
    def name(self) -> str:
        return str(self.record)

    @property
    def in_registry(self) -> bool:
        return self.organisation is not None

    @property
    def country(self) -> str:
        return self.record.country

    @property
    def kind_label(self) -> str:
        if self.organisation is not None:
            return self.organisation.get_kind_display()
        return ProfileKind(self.cordis.kind).label

    @property
    def url(self) -> str:
        return self.organisation.get_absolute_url() if self.organisation else ""


def records_for(profile_ids) -> dict[str, Organisation | CordisOrganisation]:
    """The registry or CORDIS record behind each profile id ("org:N", "cordis:N"), in two
    queries; ids whose record is gone (deleted since the index was built) are left out."""
    parsed = {profile_id: parse_id(profile_id) for profile_id in profile_ids}
    orgs = Organisation.objects.in_bulk([pk for kind, pk in parsed.values() if kind == "org"])
    cordis = CordisOrganisation.objects.in_bulk(
        [pk for kind, pk in parsed.values() if kind == "cordis"])
    records = {}
    for profile_id, (kind, pk) in parsed.items():
        record = orgs.get(pk) if kind == "org" else cordis.get(pk)
        if record is not None:
            records[profile_id] = record
    return records


def _hydrate(recommendations, lead_name: str = "",
             lead: Organisation | None = None) -> list[Suggestion]:
    records = records_for(r.org_id for r in recommendations)
    orgs = [r for r in records.values() if isinstance(r, Organisation)]
    introduced = {}
    if lead is not None and orgs:
        for intro in Introduction.objects.filter(
                Q(organisation_a=lead, organisation_b__in=orgs)
                | Q(organisation_b=lead, organisation_a__in=orgs)).order_by("-created_at"):
            other = (intro.organisation_b_id if intro.organisation_a_id == lead.pk
                     else intro.organisation_a_id)
            introduced.setdefault(other, []).append(intro)
    result = []
    for recommendation in recommendations:
        record = records.get(recommendation.org_id)
        if record is None:
            continue
        in_registry = isinstance(record, Organisation)
        result.append(Suggestion(
            recommendation.org_id, recommendation.score,
            explain(recommendation.reasons, lead_name),
            organisation=record if in_registry else None,
            cordis=None if in_registry else record,
            introductions=introduced.get(record.pk, []) if in_registry else [],
        ))
    return result


def purposes_for(organisation: Organisation, *, index=None) -> list[tuple[str, str]]:
    """The purposes that can find partners for this organisation, as (value, label).
    `index` saves looking the index up again when the caller has it already."""
    index = index if index is not None else current_index()
    profile_id = org_id(organisation.pk)
    if profile_id not in index:
        return [(Purpose.ANY.value, Purpose.ANY.label)]
    profile = index.profile(profile_id)
    return [(value, label) for value, label in Purpose.choices if applies(value, profile)]


def suggestions_for_organisation(organisation: Organisation, *, purpose: str = Purpose.ANY,
                                 k: int = 10, include_external: bool = False,
                                 countries: tuple[str, ...] = (),
                                 index=None) -> list[Suggestion]:
    """Partners for an organisation by purpose, best first, each with its reasons."""
    index = index if index is not None else current_index()
    profile_id = org_id(organisation.pk)
    if profile_id not in index:
        return []
    profile = index.profile(profile_id)
    if not applies(purpose, profile):
        return []
    query = Query(text=need_text(lead_need(organisation)), labels=profile.labels,
                  lead=profile_id, purpose=purpose, include_external=include_external,
                  countries=countries)
    return _hydrate(rank(query, index, k), organisation.name, organisation)


def lead_need(organisation: Organisation) -> str:
    """What an organisation looks for, as a need: what it seeks (counted twice), then what
    it does (competences, offers, description)."""
    parts = (organisation.seeks, organisation.seeks, organisation.competences,
             organisation.offers, organisation.description)
    return "\n".join(p for p in parts if p and p.strip())


def suggestion_for_pair(organisation: Organisation, other: Organisation, *,
                        purpose: str = Purpose.ANY,
                        call: CallTopic | None = None) -> Suggestion | None:
    """`other` scored and explained as a partner for `organisation` (as its suggestion would
    be; for a call, the call's text is the need). None when either is not indexed yet."""
    index = current_index()
    lead_id, other_id = org_id(organisation.pk), org_id(other.pk)
    if lead_id not in index or other_id not in index:
        return None
    text = call_query_text(call) if call is not None else need_text(lead_need(organisation))
    labels = () if call is not None else index.profile(lead_id).labels
    query = Query(text=text, labels=labels, lead=lead_id, purpose=purpose)
    found = _hydrate([score_one(query, index, other_id)], organisation.name, organisation)
    return found[0] if found else None


def need_text(text: str) -> str:
    """Plain text of a need or a call (HTML removed, whitespace folded, length capped)."""
    text = re.sub(r"\s+", " ", strip_tags(text or "")).strip()
    return text[:MAX_QUERY_CHARS]


def registry_kinds_to_profile(kinds) -> tuple[str, ...]:
    """Registry kinds (company, university, gts, …) as the recommender's kinds."""
    return tuple(sorted({KIND_OF.get(kind, "other") for kind in kinds}))


def suggestions_for_need(text: str, *, kinds: tuple[str, ...] = (),
                         countries: tuple[str, ...] = (), include_external: bool = False,
                         lead: Organisation | None = None, k: int = 20) -> list[Suggestion]:
    """Organisations for a free-text need (Danish or English), best first. `kinds` are the
    recommender's kinds; `countries` are preferred, not required."""
    text = need_text(text)
    index = current_index()
    lead_id = org_id(lead.pk) if lead is not None else None
    if lead_id is not None and lead_id not in index:
        lead_id = None
    query = Query(text=text, lead=lead_id, kinds=kinds, countries=countries,
                  include_external=include_external)
    if query.is_empty():
        return []
    return _hydrate(rank(query, index, k), lead.name if lead else "", lead)


def call_query_text(call: CallTopic) -> str:
    return need_text(f"{call.title}\n{call.title}\n{call.description}")


def suggestions_for_call(call: CallTopic, *, lead: Organisation | None = None,
                         kinds: tuple[str, ...] = (), include_external: bool = True,
                         k: int = 20) -> list[Suggestion]:
    """Organisations for an EU call topic (its title counted twice, and its description)."""
    return suggestions_for_need(call_query_text(call), kinds=kinds, lead=lead,
                                include_external=include_external, k=k)


def profile_is_thin(organisation: Organisation) -> bool:
    """Whether the organisation says nothing of what it knows or wants (no competences,
    offers, seeks or focus areas): its suggestions rest on little."""
    if any((text or "").strip() for text in (organisation.competences, organisation.offers,
                                              organisation.seeks)):
        return False
    return not organisation.focus_areas.exists()


__all__ = ["Suggestion", "cordis_id", "org_id", "purposes_for", "suggestions_for_call",
           "suggestions_for_need", "suggestions_for_organisation"]
