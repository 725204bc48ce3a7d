"""Reads of a participant's own pages (opened by their personal key): their requests and
meetings, the marketplace of the other participants, and "people you should meet".

"People you should meet" ranks the other participants' organisations by the matchmaking
recommender's score with the participant's organisation (the same score and reasons as the
matchmaking app's suggestions), the participant's own "looking for" text added to the need.
When their organisation has no profile to rank from (no organisation, or one that says
nothing about itself), it falls back to matching what they look for against what the others
offer (TF-IDF over the two texts). Colleagues, and those already requested either way, are
left out.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from klynge.brokerage import selectors_meetings as meeting_reads
from klynge.brokerage.choices import MeetingStatus
from klynge.brokerage.models import Participant, Slot

#: How many people "People you should meet" shows.
SUGGESTIONS = 5


def participant_by_key(key) -> Participant | None:
    """The active participant whose personal link this is (None: unknown or withdrawn)."""
    return (Participant.objects.filter(key=key, withdrawn_at__isnull=True)
            .select_related("event__activity", "person", "organisation", "participation_type")
            .first())


def my_participations(user) -> QuerySet:
    """The signed-in user's participations (through their person), soonest event first."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return Participant.objects.none()
    return (Participant.objects.filter(person_id=person_id)
            .select_related("event__activity", "organisation", "participation_type")
            .order_by("-event__activity__starts_at", "pk"))


@dataclass
class Home:
    received: list
    sent: list
    accepted: list
    closed: list
    cap: int | None
    accepted_count: int
    requests_open: bool
    deadline: object
    published: bool


def home(participant: Participant) -> Home:
    """A participant's requests (received and sent, waiting), their accepted meetings (in
    time order once scheduled) and the closed ones (declined, cancelled)."""
    meetings = list(meeting_reads.meetings_of(participant).order_by("created_at", "pk"))
    received = [m for m in meetings if m.status == MeetingStatus.REQUESTED
                and m.recipient_id == participant.pk]
    sent = [m for m in meetings if m.status == MeetingStatus.REQUESTED
            and m.requester_id == participant.pk]
    # Published meetings in time order first, then the rest in the order they were made.
    accepted = sorted((m for m in meetings if m.status == MeetingStatus.ACCEPTED),
                      key=lambda m: (m.published_slot is None,
                                     m.published_slot.starts_at if m.published_slot
                                     else m.created_at, m.pk))
    closed = [m for m in reversed(meetings)
              if m.status in (MeetingStatus.DECLINED, MeetingStatus.CANCELLED)]
    cap, count = meeting_reads.cap_and_count(participant)
    switched_off, deadline_passed = meeting_reads.requests_closed(participant.event)
    return Home(received=received, sent=sent, accepted=accepted, closed=closed, cap=cap,
                accepted_count=count, requests_open=not (switched_off or deadline_passed),
                deadline=participant.event.requests_deadline,
                published=participant.event.published_at is not None)


def meeting_slots(participant: Participant) -> QuerySet:
    """The event's meeting slots (breaks excluded), for the availability checkboxes."""
    return (Slot.objects.filter(event=participant.event, is_break=False)
            .select_related("session").order_by("starts_at", "pk"))


def marketplace(participant: Participant) -> QuerySet:
    """The other listed, active participants of the event
    (`selectors_meetings.in_marketplace`)."""
    return (meeting_reads.in_marketplace(participant.event)
            .exclude(pk=participant.pk)
            .select_related("person", "organisation", "participation_type")
            .order_by("person__last_name", "person__first_name", "pk"))


# --- people you should meet -------------------------------------------------------------------


@dataclass
class Match:
    """A participant worth meeting, with the score and the reasons in words."""

    participant: Participant
    score: float
    reasons: list[str] = field(default_factory=list)
    source: str = "matchmaking"  # or "text": my "looking for" against their offers
    #: Why a request is not possible (filled by the page; empty: it is).
    obstacles: list[str] = field(default_factory=list)


def _candidates(participant: Participant) -> list[Participant]:
    """Listed, active others who are not colleagues and not already requested (either way)
    nor declined."""
    asked = set()
    for requester_id, recipient_id in meeting_reads.meetings_of(participant).filter(
            status__in=(*meeting_reads.OPEN_STATUSES, MeetingStatus.DECLINED)).values_list(
            "requester_id", "recipient_id"):
        asked.add(recipient_id if requester_id == participant.pk else requester_id)
    others = marketplace(participant).exclude(pk__in=asked)
    if participant.organisation_id is not None:
        others = others.exclude(organisation_id=participant.organisation_id)
    return list(others)


def _ranks_by_matchmaking(participant: Participant) -> bool:
    from klynge.matchmaking.selectors import profile_is_thin

    organisation = participant.organisation
    return organisation is not None and not profile_is_thin(organisation)


def people_to_meet(participant: Participant, *, k: int = SUGGESTIONS) -> list[Match]:
    """The best `k` others to meet, best first, each with its reasons (see the module)."""
    candidates = _candidates(participant)
    if not candidates:
        return []
    if _ranks_by_matchmaking(participant):
        found = _by_matchmaking(participant, candidates, k)
        if found is not None:
            return found
    return _by_text(participant, candidates, k)


def _by_matchmaking(participant: Participant, candidates: list[Participant],
                    k: int) -> list[Match] | None:
    """Ranked by the recommender; None when the organisation is not in its index."""
    from klynge.matchmaking.domain import Query, rank
    from klynge.matchmaking.explain import explain
    from klynge.matchmaking.index import current_index
    from klynge.matchmaking.profiles import org_id
    from klynge.matchmaking.selectors import lead_need, need_text

    organisation = participant.organisation
    index = current_index()
    lead = org_id(organisation.pk)
    if lead not in index:
        return None
    by_org: dict[str, list[Participant]] = {}
    for other in candidates:
        if other.organisation_id is not None and org_id(other.organisation_id) in index:
            by_org.setdefault(org_id(other.organisation_id), []).append(other)
    if not by_org:
        return []
    # Everyone outside the event is excluded, so the ranking is among its participants only.
    exclude = frozenset(pid for pid in index.row_of if pid not in by_org)
    need = need_text("\n".join(t for t in (participant.seeks, lead_need(organisation))
                               if t and t.strip()))
    query = Query(text=need, labels=index.profile(lead).labels, lead=lead, exclude=exclude)
    matches = []
    for recommendation in rank(query, index, k=len(by_org)):
        reasons = [r.text for r in explain(recommendation.reasons, organisation.name)]
        for other in by_org.get(recommendation.org_id, []):
            matches.append(Match(other, recommendation.score, reasons))
            if len(matches) == k:
                return matches
    return matches


def _by_text(participant: Participant, candidates: list[Participant],
             k: int) -> list[Match]:
    """What I look for against what each of them offers (their headline included)."""
    from klynge.matchmaking.domain.text import TextModel, phrases

    seeks = participant.seeks.strip() or (
        participant.organisation.seeks.strip() if participant.organisation else "")
    offers = ["\n".join(t for t in (c.headline, c.offers) if t.strip()) for c in candidates]
    if not seeks or not any(offers):
        return []
    model = TextModel()
    vectors = model.fit_transform([seeks, *offers])
    if model.is_empty:
        return []
    mine, theirs = vectors[0], vectors[1:]
    scores = np.asarray((theirs @ mine.T).todense()).ravel()
    terms, wanted = model.terms, phrases(seeks)
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], i))
    matches = []
    for i in order[:k]:
        if scores[i] <= 0:
            break
        words = _shared_terms(theirs[i].multiply(mine).tocsr(), terms, wanted)
        reasons = [_("What they offer matches what you look for: %(terms)s")
                   % {"terms": ", ".join(words)}] if words else []
        matches.append(Match(candidates[i], round(float(scores[i]), 6), reasons, "text"))
    return matches


def _shared_terms(shared, terms, wanted: frozenset, limit: int = 5) -> list[str]:
    """The terms two texts share, heaviest first: phrases I wrote ("quality control") before
    single words, a word left out once a chosen phrase contains it."""
    ranked = [str(terms[j]) for j, _w in sorted(zip(shared.indices, shared.data, strict=True),
                                                 key=lambda t: (-t[1], str(terms[t[0]])))]
    chosen, covered = [], set()
    for term in [t for t in ranked if " " in t and t in wanted] + [
            t for t in ranked if " " not in t]:
        words = set(term.split())
        if not words <= covered:
            chosen.append(term)
            covered |= words
    return chosen[:limit]
