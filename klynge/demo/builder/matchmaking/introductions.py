"""The demo's introductions over the two years before the anchor date, and what came of them.

Staff in each hub turned the recommender's suggestions into introductions between registry
organisations (a contact person on each side): company ↔ knowledge institution above all,
then company ↔ company, SME ↔ large company and startup ↔ investor. The score and reasons
stored are the recommender's own (`selectors.suggestions_for_organisation`, or
`suggestion_for_pair` for pairs staff picked themselves), worded in Danish. Most were
accepted by both sides, some declined, the newest few still wait for answers. Over time the
accepted ones record outcomes: a first meeting, a collaboration, joint projects, a few EU
applications (the demo's own EU application projects, linked as the introduction service
links a given project) and, each year of the programme period, a handful of "commercial use
of research results" or "new company" outcomes (KPI 5's evidence from introductions).

Rows are written in bulk, as the rest of the demo; no e-mail is sent (the services'
`introduction_send` is never called), and the response times and `sent_at` are set as if
the e-mails had gone out.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation

from klynge.demo.builder.matchmaking import banks
from klynge.demo.builder.organisations import KNOWLEDGE_KINDS, OrganisationSpec
from klynge.ecosystem.models import Organisation
from klynge.matchmaking.explain import as_sentence
from klynge.matchmaking.index import current_index
from klynge.matchmaking.models import Introduction, IntroductionOutcome
from klynge.matchmaking.selectors import suggestion_for_pair, suggestions_for_organisation
from klynge.projects.models import Project, ProjectOutcome

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
#: Introductions in the full demo (scaled with its size, at least MINIMUM).
PER_FULL_DEMO = 72
MINIMUM = 16
WINDOW_DAYS = 730
WAITING_SHARE = 0.06
DECLINED_SHARE = 0.15
EU_PER_FULL_DEMO = 5
COMMERCIAL_PER_YEAR = (3, 4)
#: The first year of the programme period in which introductions give commercial outcomes.
PROGRAMME_START = 2025
SME_BANDS = {"1-9", "10-49", "50-249"}
# (purpose, weight)
PURPOSES = (("knowledge", 45), ("companies", 20), ("sme_large", 20), ("startup_investor", 15))


@dataclass
class _Planned:
    a: int
    b: int
    purpose: str
    day: date
    score: float | None = None
    reasons: list = field(default_factory=list)
    explanation: str = ""
    message: str = ""
    call: object = None
    project: Project | None = None
    responses: tuple = ()
    outcomes: list = field(default_factory=list)


class _Pairs:
    """Who can be introduced to whom: organisations with a contact, by the purposes' kinds."""

    def __init__(self, specs: list[OrganisationSpec], people: dict[int, list[int]]):
        reachable = sorted((s for s in specs if people.get(s.pk) and s.kind != "cluster"),
                           key=lambda s: s.pk)
        self.by_pk = {s.pk: s for s in specs}
        self.companies = [s.pk for s in reachable if s.kind == "company"]
        self.knowledge = [s.pk for s in reachable if s.kind in KNOWLEDGE_KINDS]
        self.smes = [pk for pk in self.companies if self.by_pk[pk].employee_band in SME_BANDS]
        self.large = [pk for pk in self.companies if self.by_pk[pk].employee_band == "250+"]
        self.startups = [pk for pk in self.companies if self.by_pk[pk].is_startup]
        self.investors = [s.pk for s in reachable if s.kind == "investor"]
        self.reachable = {s.pk for s in reachable}

    def sides(self, purpose: str, lead_is_company: bool) -> tuple[list[int], list[int]]:
        if purpose == "knowledge":
            return ((self.companies, self.knowledge) if lead_is_company
                    else (self.knowledge, self.companies))
        if purpose == "sme_large":
            return self.smes, self.large
        if purpose == "startup_investor":
            return self.startups, self.investors
        return self.companies, self.companies


def build_introductions(ctx, specs, people, staff, hubs, calls) -> dict[str, int]:
    pairs_rng = ctx.rng("matchmaking:pairs")
    fate = ctx.rng("matchmaking:fates")
    scale = ctx.sizes.activities_per_year / 120
    total = max(MINIMUM, round(PER_FULL_DEMO * scale))
    pairs = _Pairs(specs, people)
    with translation.override("da"):
        planned = _eu_introductions(ctx, fate, pairs, max(1, round(EU_PER_FULL_DEMO * scale)))
        planned += _suggested(ctx, pairs_rng, fate, pairs, total - len(planned), calls,
                              {frozenset((p.a, p.b)) for p in planned})
    planned.sort(key=lambda p: (p.day, p.a, p.b))
    _answers(ctx, fate, planned)
    _outcomes(ctx, fate, planned)
    _commercial(ctx, fate, planned, pairs, scale)
    return _save(ctx, fate, planned, pairs, people, staff, hubs)


def _eu_introductions(ctx, rng, pairs: _Pairs, wanted: int) -> list[_Planned]:
    """Pairs (a company and a knowledge institution) who later applied for EU funding together:
    the demo's EU applications submitted in the window, introduced two to five months before."""
    first = ctx.anchor - timedelta(days=WINDOW_DAYS - 150)
    applications = list(Project.objects.filter(
        kind="eu_application", submitted_on__gte=first, submitted_on__lt=ctx.anchor,
    ).order_by("submitted_on", "acronym").prefetch_related("partnerships"))
    funded = dict(ProjectOutcome.objects.filter(
        project__in=applications, kind="eu_application_funded").values_list("project_id",
                                                                             "date"))
    found = []
    for project in rng.sample(applications, len(applications)):
        members = [p.organisation_id for p in project.partnerships.all()
                   if p.organisation_id in pairs.reachable]
        companies = [pk for pk in members if pk in set(pairs.companies)]
        knowledge = [pk for pk in members if pk in set(pairs.knowledge)]
        if not companies or not knowledge:
            continue
        day = project.submitted_on - timedelta(days=rng.randint(60, 150))
        plan = _Planned(companies[0], knowledge[0], "knowledge", day, project=project)
        plan.outcomes.append(("eu_application_submitted", project.submitted_on, project))
        if project.pk in funded:
            plan.outcomes.append(("eu_application_funded", funded[project.pk], project))
        _explain(plan)
        found.append(plan)
        if len(found) == wanted:
            break
    return found


def _suggested(ctx, rng, fate, pairs: _Pairs, count: int, calls, used: set) -> list[_Planned]:
    """Introductions made from the recommender's suggestions for a lead organisation."""
    index = current_index()
    purposes = [p for p, _w in PURPOSES if p != "startup_investor"
                or (pairs.startups and pairs.investors)]
    weights = [w for p, w in PURPOSES if p in purposes]
    organisations = Organisation.objects.in_bulk(sorted(pairs.reachable))
    waiting = max(2, round(count * WAITING_SHARE))
    found = []
    for number in range(count):
        if number < count - waiting:
            day = ctx.anchor - timedelta(days=fate.randint(35, WINDOW_DAYS))
        else:
            day = ctx.anchor - timedelta(days=fate.randint(2, 30))
        purpose = fate.choices(purposes, weights)[0]
        leads, others = pairs.sides(purpose, fate.random() < 0.7)
        if not leads or not others:
            purpose = "knowledge"
            leads, others = pairs.sides(purpose, True)
        lead = fate.choice(leads)
        # Only the choice among the suggestions draws from `rng`: what the recommender
        # suggests does not move the purposes, days and answers of the other introductions.
        plan = _pick(rng, organisations[lead], purpose, others, used, index, organisations,
                     day)
        if calls and fate.random() < 0.25:
            open_calls = [c for c in calls if c.opens_on <= day <= c.deadline]
            plan.call = fate.choice(open_calls) if open_calls else None
        used.add(frozenset((plan.a, plan.b)))
        found.append(plan)
    return found


def _pick(rng, lead: Organisation, purpose: str, others: list[int], used: set, index,
          organisations: dict, day: date) -> _Planned:
    """One of the three best suggestions for the lead that staff could introduce (a registry
    organisation with a contact, not introduced to the lead before); else a partner of the
    right kind picked by hand, scored as its suggestion would be."""
    allowed = set(others)
    suggested = [s for s in suggestions_for_organisation(lead, purpose=purpose, k=5,
                                                         index=index)
                 if s.organisation is not None and s.organisation.pk in allowed
                 and frozenset((lead.pk, s.organisation.pk)) not in used]
    if suggested:
        chosen = rng.choice(suggested[:3])
        return _Planned(lead.pk, chosen.organisation.pk, purpose, day, score=chosen.score,
                        reasons=[r.as_json() for r in chosen.reasons],
                        explanation=as_sentence(chosen.reasons))
    candidates = [pk for pk in others if pk != lead.pk
                  and frozenset((lead.pk, pk)) not in used] or [
        pk for pk in organisations if pk != lead.pk]
    plan = _Planned(lead.pk, rng.choice(candidates), purpose, day)
    _explain(plan, organisations)
    return plan


def _explain(plan: _Planned, organisations: dict | None = None) -> None:
    """Score and reasons as the introduction service takes them (`suggestion_for_pair`)."""
    found = Organisation.objects.in_bulk([plan.a, plan.b]) if organisations is None else (
        organisations)
    suggestion = suggestion_for_pair(found[plan.a], found[plan.b], purpose=plan.purpose)
    if suggestion is not None:
        plan.score = suggestion.score
        plan.reasons = [r.as_json() for r in suggestion.reasons]
        plan.explanation = as_sentence(suggestion.reasons)


def _moment(day: date, rng) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)),
                            tzinfo=COPENHAGEN)


def _answered(day: date | None, sent: datetime, rng) -> datetime | None:
    """When a side answered on `day` (a while after the e-mail when that was the same day)."""
    if day is None:
        return None
    moment = _moment(day, rng)
    return moment if moment > sent else sent + timedelta(minutes=rng.randint(10, 180))


def _answers(ctx, rng, planned: list[_Planned]) -> None:
    """Answers a few days after sending: the newest still waiting (one side may have
    answered), a share declined by one side, the rest accepted by both."""
    yesterday = ctx.anchor - timedelta(days=1)
    older = [i for i, p in enumerate(planned) if (ctx.anchor - p.day).days > 30
             and p.project is None]
    declined = set(rng.sample(older, round(len(older) * DECLINED_SHARE)))
    for index, plan in enumerate(planned):
        day_a = min(yesterday, plan.day + timedelta(days=rng.randint(0, 6)))
        day_b = min(yesterday, plan.day + timedelta(days=rng.randint(1, 9)))
        if (ctx.anchor - plan.day).days <= 30:
            first = ("accepted", day_a) if rng.random() < 0.5 else ("pending", None)
            plan.responses = (first, ("pending", None))
        elif index in declined:
            if rng.random() < 0.5:
                plan.responses = (("accepted", day_a), ("declined", day_b))
            else:
                plan.responses = (("declined", day_a), ("pending", None))
        else:
            plan.responses = (("accepted", day_a), ("accepted", day_b))


def _accepted(plan: _Planned) -> date | None:
    """The day both had accepted, or None."""
    (a, day_a), (b, day_b) = plan.responses
    return max(day_a, day_b) if a == b == "accepted" else None


def _outcomes(ctx, rng, planned: list[_Planned]) -> None:
    """Met, collaboration started and joint project, each a while after the one before (never
    on or after the anchor date)."""
    yesterday = ctx.anchor - timedelta(days=1)
    for plan in planned:
        accepted = _accepted(plan)
        if accepted is None:
            continue
        eu = {kind: day for kind, day, _project in plan.outcomes}
        met = accepted + timedelta(days=rng.randint(7, 40))
        if "eu_application_submitted" in eu:
            met = min(met, eu["eu_application_submitted"] - timedelta(days=14))
        elif rng.random() >= 0.85:
            continue
        if met > yesterday:
            continue
        plan.outcomes.append(("met", met, None))
        started = met + timedelta(days=rng.randint(30, 120))
        if plan.project is not None or rng.random() >= 0.45 or started > yesterday:
            continue
        plan.outcomes.append(("collaboration_started", started, None))
        joint = started + timedelta(days=rng.randint(60, 200))
        if rng.random() < 0.3 and joint <= yesterday:
            plan.outcomes.append(("joint_project", joint, None))


def _commercial(ctx, rng, planned: list[_Planned], pairs: _Pairs, scale: float) -> None:
    """A handful of commercial outcomes in each year of the programme period up to the anchor,
    months after the collaboration started; each introduction once."""
    taken: set[int] = set()
    for year in range(PROGRAMME_START, ctx.anchor.year + 1):
        last = min(date(year, 12, 15), ctx.anchor - timedelta(days=1))
        wanted = max(1, round(rng.choice(COMMERCIAL_PER_YEAR) * scale))
        if year == ctx.anchor.year:
            wanted = max(1, round(wanted * ctx.anchor.timetuple().tm_yday / 365))
        candidates = [i for i, p in enumerate(planned)
                      if i not in taken and _accepted(p) is not None
                      and _accepted(p) + timedelta(days=90) <= last
                      and all(day + timedelta(days=30) <= last for kind, day, _p in p.outcomes
                              if kind == "collaboration_started")]
        for index in sorted(rng.sample(candidates, min(wanted, len(candidates)))):
            taken.add(index)
            plan = planned[index]
            kinds = {kind: day for kind, day, _project in plan.outcomes}
            start = _accepted(plan) + timedelta(days=20)
            if "met" not in kinds:
                plan.outcomes.append(("met", start, None))
            started = kinds.get("collaboration_started") or start + timedelta(days=30)
            if "collaboration_started" not in kinds:
                plan.outcomes.append(("collaboration_started", started, None))
            first = max(date(year, 1, 10), started + timedelta(days=30))
            day = first + timedelta(days=rng.randint(0, max(0, (last - first).days)))
            kind = "new_company" if rng.random() < 0.25 else "commercial_use"
            plan.outcomes.append((kind, min(day, last), None))


def _save(ctx, rng, planned, pairs: _Pairs, people, staff, hubs) -> dict[str, int]:
    introductions, stamps = [], []
    for plan in planned:
        spec = pairs.by_pk[plan.a]
        hub = hubs.get(spec.hub_name) or hubs[sorted(hubs)[0]]
        team = [user for user in staff if user.hub_id == hub.pk] or staff
        (response_a, day_a), (response_b, day_b) = plan.responses
        sent = _moment(plan.day, rng)
        answered_a = _answered(day_a, sent, rng)
        answered_b = _answered(day_b, sent, rng)
        message = rng.choice(banks.MESSAGES)
        if not plan.reasons:  # as the service: without reasons, the message explains
            message = message or banks.MESSAGES[1]
        introductions.append(Introduction(
            organisation_a_id=plan.a, person_a_id=people[plan.a][0],
            organisation_b_id=plan.b, person_b_id=people[plan.b][0], purpose=plan.purpose,
            score=plan.score, reasons=plan.reasons,
            explanation=plan.explanation if plan.reasons else message, message=message,
            call_topic=plan.call, hub=hub, response_a=response_a, responded_a_at=answered_a,
            response_b=response_b, responded_b_at=answered_b, sent_at=sent,
            created_by=rng.choice(team) if team else None,
        ))
        answered = [moment for moment in (answered_a, answered_b) if moment is not None]
        stamps.append((sent - timedelta(minutes=rng.randint(2, 90)), max([sent, *answered])))
    Introduction.objects.bulk_create(introductions, batch_size=500)
    # bulk_create stamps created_at and updated_at with the time of the build; bulk_update
    # writes the introductions' own times (made just before sending, changed by the answers).
    for introduction, (created, updated) in zip(introductions, stamps, strict=True):
        introduction.created_at, introduction.updated_at = created, updated
    Introduction.objects.bulk_update(introductions, ["created_at", "updated_at"],
                                     batch_size=500)
    outcomes = []
    for introduction, plan in zip(introductions, planned, strict=True):
        names = {"a": pairs.by_pk[plan.a].name, "b": pairs.by_pk[plan.b].name}
        company = plan.a if pairs.by_pk[plan.a].kind == "company" else plan.b
        other = plan.b if company == plan.a else plan.a
        for kind, day, project in sorted(plan.outcomes, key=lambda o: (o[1], o[0])):
            text = banks.OUTCOME_TEXTS[kind].format(
                **names, company=pairs.by_pk[company].name, other=pairs.by_pk[other].name,
                call=project.call_identifier if project else "")
            outcomes.append(IntroductionOutcome(
                introduction=introduction, kind=kind, date=day, description=text,
                project=project, recorded_by=introduction.created_by))
    IntroductionOutcome.objects.bulk_create(outcomes, batch_size=1000)
    for outcome in outcomes:
        outcome.created_at = outcome.updated_at = _moment(outcome.date, rng)
    IntroductionOutcome.objects.bulk_update(outcomes, ["created_at", "updated_at"],
                                            batch_size=1000)
    return {"introductions": len(introductions), "introduction_outcomes": len(outcomes)}
