"""A deterministic synthetic history of the cluster for the KPI benchmark (bench/kpis.py).

`generate(scale=1.0, seed=...)` writes ten years (2016-2025) of records with bulk_create:
organisations of every kind (Danish companies with valid CVR numbers, foreign companies
without, knowledge institutions, public actors, investors, other clusters), people with
affiliations, membership spells with churn and re-joining, held activities (co-organised by
clusters and knowledge institutions, funded by one grant, split across two, or unfunded),
registrations (attended, no-shows, cancelled, waitlisted), evaluation surveys (after each
activity, some 6-month follow-ups, the annual member survey) with their answers, and
projects: EU applications, collaboration projects with commercial outcomes and joint
projects with other clusters. At scale 1.0: 2,000 organisations, 1,200 activities,
100,000 registrations and about 30,000 answers.

Calling it again with another seed and `tag` adds a second, disjoint history to the same
database (new CVR numbers, e-mails and activities; the hubs, grants and annual surveys are
shared), which is how the benchmark grows the data from a quarter to the full size.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

FIRST_YEAR = 2016
YEARS = 10
FULL = {"organisations": 2000, "activities": 1200, "registrations": 100_000, "answers": 30_000}

HUBS = [("København", "København", "hovedstaden"), ("Odense", "Odense", "syddanmark"),
        ("Aarhus", "Aarhus", "midtjylland"), ("Aalborg", "Aalborg", "nordjylland"),
        ("Roskilde", "Roskilde", "sjaelland")]
POSTCODES = {"hovedstaden": ("2100", "København Ø"), "syddanmark": ("5000", "Odense C"),
             "midtjylland": ("8000", "Aarhus C"), "nordjylland": ("9000", "Aalborg"),
             "sjaelland": ("4000", "Roskilde")}
WORDS = ["Data", "Nordic", "Vision", "Cloud", "Robot", "Sensor", "Grøn", "Cyber", "Edge",
         "Quantum", "Signal", "Fjord", "Pixel", "Vind", "Byte", "Logik", "Hav", "Nord"]
FIRST_NAMES = ["Anne", "Mette", "Lars", "Søren", "Jens", "Camilla", "Mads", "Line", "Ida",
               "Peter", "Sofie", "Rasmus", "Karen", "Henrik", "Maja", "Anders", "Emma", "Ole"]
LAST_NAMES = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
              "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen"]
FOREIGN = [("SE", "SE"), ("DE", "DE"), ("NO", "NO"), ("NL", "NL"), ("FI", "FI"), ("FR", "FR")]

#: Activity types with their weight and the formats they are held in.
TYPES = [
    ("knowledge_dissemination", 35, ["seminar", "conference", "webinar", "network_meeting",
                                     "focus_network_meeting"]),
    ("matchmaking", 18, ["b2b_matchmaking", "network_meeting"]),
    ("collaboration_project", 14, ["innovation_workshop", "workshop"]),
    ("internationalisation", 13, ["business_mission", "conference", "b2b_matchmaking"]),
    ("access_to_finance", 5, ["seminar", "workshop"]),
    ("entrepreneurship", 9, ["workshop", "company_visit", "institute_visit"]),
    ("planning", 6, ["network_meeting"]),
]
#: Grants by year; 2016-2020 belongs to an earlier programme the benchmark adds.
OLD_GRANTS = [("UFS", "UFS-2016", "UFS cluster grant 2016–2020", "knowledge"),
              ("DEB", "DEB-2016", "DEB cluster grant 2016–2020", "business")]

#: Standard questions: key, kind, Danish and English text.
QUESTIONS = {
    "satisfaction": ("scale_0_10", "Hvor tilfreds var du?", "How satisfied were you?"),
    "knowledge_gained": ("agree_5", "Jeg fik viden, der styrker vores innovationsevne.",
                         "I gained knowledge that strengthens our innovation competences."),
    "innovation_started": ("yes_no", "Har I startet innovationsarbejde?",
                           "Did you start innovation work?"),
    "new_contacts": ("yes_no", "Fik du nye kontakter?", "Did you make new contacts?"),
    "green_contacts": ("yes_no", "Nye kontakter i andre brancher til grøn omstilling?",
                       "New contacts in other industries leading to green technology?"),
    "international_visibility": ("yes_no", "Mere international synlighed eller henvendelser?",
                                 "More international visibility or enquiries?"),
}
ACTIVITY_KEYS = ["satisfaction", "knowledge_gained", "innovation_started", "new_contacts",
                 "green_contacts"]
FOLLOW_UP_KEYS = ["innovation_started", "green_contacts"]
ANNUAL_KEYS = ["satisfaction", "knowledge_gained", "innovation_started", "green_contacts",
               "international_visibility"]
#: Probability of a yes (or agree / strongly agree) per question.
YES_RATE = {"knowledge_gained": 0.55, "innovation_started": 0.3, "new_contacts": 0.5,
            "green_contacts": 0.18, "international_visibility": 0.4}


def _aware(day: date, hour: int = 10) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _day_in(rng: random.Random, year: int, *, first: date | None = None,
            last: date | None = None) -> date:
    start = max(date(year, 1, 1), first or date(year, 1, 1))
    end = min(date(year, 12, 31), last or date(year, 12, 31))
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (the parts add up to total)."""
    scale = total / sum(weights)
    parts = [int(w * scale) for w in weights]
    for i in rng.sample(range(len(parts)), total - sum(parts)):
        parts[i] += 1
    return parts


def _answer_columns(rng: random.Random, key: str) -> dict:
    kind = QUESTIONS[key][0]
    if kind == "scale_0_10":
        return {"number": rng.choice([5, 6, 7, 7, 8, 8, 8, 9, 9, 10])}
    yes = rng.random() < YES_RATE[key]
    if kind == "agree_5":
        value = rng.choice(["agree", "strongly_agree"]) if yes else rng.choice(
            ["strongly_disagree", "disagree", "neutral", "neutral"])
        return {"choice": value}
    return {"choice": "yes" if yes else "no"}


class History:
    """One generated history; `generate()` runs the steps in order and returns the sizes."""

    def __init__(self, *, scale: float, seed: int, tag: str, cvr_start: int):
        self.rng = random.Random(seed)
        self.scale = scale
        self.tag = tag
        self.cvr_serial = cvr_start
        self.years = list(range(FIRST_YEAR, FIRST_YEAR + YEARS))
        self.sizes: dict[str, int] = defaultdict(int)

    def n(self, full: int) -> int:
        return max(1, round(full * self.scale))

    # --- reference data shared by every history --------------------------------------------

    def reference(self) -> None:
        from klynge.ecosystem.models import FocusArea, Hub
        from klynge.funding.models import Grant, GrantGiver

        self.hubs = [Hub.objects.get_or_create(name=name, defaults={"city": city,
                                                                    "region": region})[0]
                     for name, city, region in HUBS]
        self.focus = list(FocusArea.objects.values_list("pk", flat=True))
        for giver, code, name, kind in OLD_GRANTS:
            template = Grant.objects.get(code=f"{giver}-2021")
            Grant.objects.get_or_create(code=code, defaults={
                "giver": GrantGiver.objects.get(short_name=giver), "name": name, "kind": kind,
                "period_start": date(2016, 1, 1), "period_end": date(2020, 12, 31),
                "eligible_types": template.eligible_types, "min_actors": template.min_actors,
                "min_companies": template.min_companies,
                "min_knowledge_institutions": template.min_knowledge_institutions,
                "min_knowledge_spend_share": template.min_knowledge_spend_share,
                "min_innovation_project_share": template.min_innovation_project_share,
            })
        grants = dict(Grant.objects.values_list("code", "pk"))
        self.grants_by_year = {}
        for year in self.years:
            if year <= 2020:
                codes = ["UFS-2016", "DEB-2016"]
            elif year <= 2024:
                codes = ["UFS-2021", "DEB-2021"]
            else:
                codes = ["UFS-2025", "DEB-INNO-2025", "DEB-BASIC-2025"]
            self.grants_by_year[year] = [grants[c] for c in codes]

    def next_cvr(self) -> str:
        from klynge.ecosystem.domain.identifiers import cvr_check_digit_for

        while True:
            self.cvr_serial += 1
            cvr = cvr_check_digit_for(f"{self.cvr_serial:07d}")
            if cvr:
                return cvr

    # --- the registry ------------------------------------------------------------------------

    def organisations(self) -> None:
        from klynge.ecosystem.models import Organisation

        rng, total = self.rng, self.n(FULL["organisations"])
        clusters = self.n(15)
        kinds = (["cluster"] * clusters + ["university"] * self.n(30) + ["gts"] * self.n(20)
                 + ["business_academy"] * self.n(25) + ["university_college"] * self.n(25)
                 + ["public"] * self.n(60) + ["investor"] * self.n(30) + ["other"] * self.n(15))
        kinds += ["company"] * (total - len(kinds))
        rng.shuffle(kinds)
        rows = []
        for i, kind in enumerate(kinds):
            hub = rng.choice(self.hubs)
            postcode, city = POSTCODES[hub.region]
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {self.tag}{i}"
            org = Organisation(kind=kind, hub=hub, region=hub.region, postcode=postcode,
                               city=city, founded_year=rng.randint(1950, 2024))
            if kind == "company":
                foreign = rng.random() < 0.06
                startup = not foreign and rng.random() < 0.12
                large = not startup and rng.random() < 0.1
                org.employee_band = "1-9" if startup else "250+" if large else rng.choice(
                    ["1-9", "10-49", "10-49", "50-249"])
                org.is_startup = startup
                if foreign:
                    country, prefix = rng.choice(FOREIGN)
                    org.country, org.vat_number = country, f"{prefix}{rng.randint(10**8, 10**9)}"
                    org.region, org.postcode, org.city, org.hub = "abroad", "", "", None
                    org.name = f"{name} AB" if country == "SE" else f"{name} GmbH"
                else:
                    org.cvr, org.name = self.next_cvr(), f"{name} ApS"
            else:
                org.cvr = self.next_cvr()
                org.name = {"cluster": f"{name} Cluster", "university": f"{name} Universitet",
                            "gts": f"{name} GTS", "public": f"{name} Kommune"}.get(kind, name)
            rows.append(org)
        self.orgs = Organisation.objects.bulk_create(rows, batch_size=1000)
        if self.focus:
            through = Organisation.focus_areas.through
            through.objects.bulk_create(
                [through(organisation_id=o.pk, focusarea_id=f) for o in self.orgs
                 for f in rng.sample(self.focus, 2)], batch_size=2000)
        self.by_kind = defaultdict(list)
        for org in self.orgs:
            self.by_kind[org.kind].append(org)
        self.companies = self.by_kind["company"]
        self.knowledge = [o for k in ("university", "gts", "business_academy",
                                      "university_college") for o in self.by_kind[k]]
        self.sizes["organisations"] = len(self.orgs)
        self.sizes["companies"] = len(self.companies)
        self.sizes["clusters"] = len(self.by_kind["cluster"])

    def people(self) -> None:
        from klynge.ecosystem.models import Affiliation, Person

        rng = self.rng
        pairs = []
        for org in self.orgs:
            if org.kind == "company":
                count = rng.randint(3, 8) if org.employee_band == "250+" else rng.randint(1, 3)
            elif org in self.knowledge:
                count = rng.randint(4, 9)
            else:
                count = rng.randint(1, 3)
            pairs += [org] * count
        people = Person.objects.bulk_create(
            [Person(first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
                    email=f"p{i}.{self.tag}@bench.example", language=rng.choice(["da", "en"]))
             for i in range(len(pairs))], batch_size=2000)
        Affiliation.objects.bulk_create(
            [Affiliation(person=p, organisation=o, is_primary=True)
             for p, o in zip(people, pairs, strict=True)], batch_size=2000)
        self.persons = [(p.pk, o.pk) for p, o in zip(people, pairs, strict=True)]
        self.people_of = defaultdict(list)
        for person, org in self.persons:
            self.people_of[org].append(person)
        self.sizes["people"] = len(people)

    def memberships(self) -> None:
        """Spells of membership: joining over the decade (more later), about 8 % a year
        leaving, a third of those re-joining one or two years later; knowledge
        institutions are often partners rather than paying members."""
        from klynge.ecosystem.models import Membership

        rng, rows = self.rng, []
        self.spells = []
        last_day = date(FIRST_YEAR + YEARS - 1, 12, 31)
        for org in self.orgs:
            chance = {"company": 0.62, "cluster": 0.0, "public": 0.2, "investor": 0.3,
                      "other": 0.2}.get(org.kind, 0.7)
            if rng.random() >= chance:
                continue
            # Members from before 2016 are given 2016 (the first year of the history).
            year = rng.choices(self.years, weights=[9, *range(3, 2 + YEARS)])[0]
            start = _day_in(rng, year)
            status = "partner" if org in self.knowledge and rng.random() < 0.4 else "paying"
            while start <= last_day:
                end = None
                for year in range(start.year, last_day.year + 1):
                    if year > start.year and rng.random() < 0.08:
                        end = _day_in(rng, year)
                        break
                fee = Decimal(rng.choice([2500, 5000, 10000, 25000]))
                rows.append(Membership(organisation_id=org.pk, start_date=start, end_date=end,
                                       status=status, annual_fee=fee))
                self.spells.append((org.pk, start, end, status))
                if end is None or rng.random() > 0.33:
                    break
                start = end + timedelta(days=rng.randint(300, 700))
        Membership.objects.bulk_create(rows, batch_size=2000)
        self.sizes["memberships"] = len(rows)

    def paying_on(self, day: date) -> list[int]:
        return [org for org, start, end, status in self.spells
                if status == "paying" and start <= day and (end is None or end >= day)]

    # --- activities and participation --------------------------------------------------

    def activities(self) -> None:
        from klynge.activities.models import Activity, ActivityFunding

        rng, total = self.rng, self.n(FULL["activities"])
        per_year = _spread(rng, total, [1 + 0.08 * i for i in range(YEARS)])
        rows = []
        for year, count in zip(self.years, per_year, strict=True):
            for _ in range(count):
                kind, _w, formats = rng.choices(TYPES, weights=[t[1] for t in TYPES])[0]
                day = _day_in(rng, year, last=date(year, 12, 15))
                starts = _aware(day, rng.randint(8, 15))
                rows.append(Activity(
                    title=f"{rng.choice(WORDS)} {kind.replace('_', ' ')} {self.tag}{len(rows)}",
                    type=kind, format=rng.choice(formats), hub=rng.choice(self.hubs),
                    starts_at=starts, ends_at=starts + timedelta(hours=rng.choice([2, 3, 6])),
                    held_at=starts + timedelta(hours=8), status="held",
                    green_focus=rng.random() < 0.3,
                    innovation_project="Projekt" if rng.random() < 0.4 else "",
                ))
        self.acts = Activity.objects.bulk_create(rows, batch_size=1000)
        co = Activity.co_organisers.through
        links = []
        for act in self.acts:
            if rng.random() < 0.08:
                links.append(co(activity_id=act.pk,
                                organisation_id=rng.choice(self.by_kind["cluster"]).pk))
            if rng.random() < 0.2 and self.knowledge:
                links.append(co(activity_id=act.pk, organisation_id=rng.choice(self.knowledge).pk))
        co.objects.bulk_create(links, batch_size=2000)
        if self.focus:
            fa = Activity.focus_areas.through
            fa.objects.bulk_create([fa(activity_id=a.pk, focusarea_id=rng.choice(self.focus))
                                    for a in self.acts], batch_size=2000)
        fundings = []
        for act in self.acts:
            grants = self.grants_by_year[act.starts_at.year]
            draw = rng.random()
            if draw < 0.55:
                fundings.append(ActivityFunding(activity_id=act.pk, grant_id=rng.choice(grants)))
            elif draw < 0.85:
                first, second = rng.sample(grants, 2)
                part = Decimal(rng.choice([50, 60, 70]))
                fundings += [ActivityFunding(activity_id=act.pk, grant_id=first, share=part),
                             ActivityFunding(activity_id=act.pk, grant_id=second,
                                             share=100 - part)]
        ActivityFunding.objects.bulk_create(fundings, batch_size=2000)
        self.sizes["activities"] = len(self.acts)
        self.sizes["activity_fundings"] = len(fundings)
        self.sizes["co_organisers"] = len(links)

    def registrations(self) -> None:
        from klynge.activities.models import Registration

        rng, total = self.rng, self.n(FULL["registrations"])
        big = {"conference": 3.0, "business_mission": 0.6, "webinar": 1.8, "company_visit": 0.5}
        weights = [big.get(a.format, 1.0) * rng.uniform(0.5, 1.5) for a in self.acts]
        counts = _spread(rng, total, weights)
        rows, self.attended = [], defaultdict(list)
        for act, count in zip(self.acts, counts, strict=True):
            for person, org in rng.sample(self.persons, min(count, len(self.persons))):
                role = rng.choices(["participant", "speaker", "knowledge_partner", "organiser"],
                                   weights=[92, 5, 2, 1])[0]
                draw = rng.random()
                status, attended, cancelled = "registered", None, None
                if draw < 0.06:
                    status, cancelled = "cancelled", act.starts_at - timedelta(days=2)
                elif draw < 0.08:
                    status = "waitlisted"
                elif role == "participant":
                    attended = rng.choices([True, False, None], weights=[85, 12, 3])[0]
                else:
                    attended = rng.random() < 0.97 or None
                rows.append(Registration(
                    activity_id=act.pk, person_id=person, organisation_id=org, role=role,
                    status=status, attended=attended, cancelled_at=cancelled,
                    source=rng.choice(["public", "staff", "portal"]),
                    checked_in_at=act.starts_at if attended else None,
                ))
                if attended:
                    self.attended[act.pk].append((person, org))
        Registration.objects.bulk_create(rows, batch_size=5000)
        self.sizes["registrations"] = len(rows)
        self.sizes["attended"] = sum(len(v) for v in self.attended.values())

    # --- evaluations -------------------------------------------------------------------------

    def surveys(self) -> None:
        """Activity surveys (and some 6-month follow-ups) and the annual member survey, with
        about `answers` answers in all; half the invitations go unanswered."""
        from klynge.evaluations.models import Answer, Question, Response, Survey

        rng, budget = self.rng, self.n(FULL["answers"])
        annual_budget = budget * 15 // 100
        surveys, plans = [], []  # plans: (survey index, keys, respondents, answer day)
        for act in self.acts:
            keys = ACTIVITY_KEYS + (["international_visibility"]
                                    if act.type == "internationalisation" else [])
            surveys.append(Survey(kind="activity", activity_id=act.pk,
                                  title=f"Evaluering: {act.title}", opens_at=act.ends_at,
                                  closes_at=act.ends_at + timedelta(days=14),
                                  sent_at=act.ends_at))
            plans.append((keys, act, 0))
            if rng.random() < 0.25:
                follow = FOLLOW_UP_KEYS + (["international_visibility"]
                                           if act.type == "internationalisation" else [])
                opens = act.ends_at + timedelta(days=182)
                surveys.append(Survey(kind="follow_up_6", activity_id=act.pk,
                                      title=f"Opfølgning: {act.title}", opens_at=opens,
                                      closes_at=opens + timedelta(days=21), sent_at=opens))
                plans.append((follow, act, 182))
        created = Survey.objects.bulk_create(surveys, batch_size=1000)
        questions = []
        for survey, (keys, _act, _offset) in zip(created, plans, strict=True):
            for position, key in enumerate(keys):
                kind, text_da, text_en = QUESTIONS[key]
                questions.append(Question(survey_id=survey.pk, key=key, kind=kind,
                                          text_da=text_da, text_en=text_en, position=position))
        Question.objects.bulk_create(questions, batch_size=2000)
        question_ids = {(q.survey_id, q.key): q.pk for q in questions}

        responses, answer_plans = [], []

        def respond(survey, person, org, day, plan):
            responses.append(Response(survey_id=survey.pk, person_id=person,
                                      organisation_id=org, sent_at=survey.sent_at,
                                      answered_at=day if plan else None,
                                      updated_at=day if plan else None))
            answer_plans.append(plan)

        left = budget
        for year in self.years:
            survey, _new = Survey.objects.get_or_create(
                kind="annual", year=year, defaults={
                    "title": f"Medlemsundersøgelse {year}", "members_on": date(year, 10, 1),
                    "opens_at": _aware(date(year, 10, 1)),
                    "closes_at": _aware(date(year, 11, 30)),
                    "sent_at": _aware(date(year, 10, 1))})
            ids = {}
            for position, key in enumerate(ANNUAL_KEYS):
                kind, text_da, text_en = QUESTIONS[key]
                ids[key] = Question.objects.get_or_create(
                    survey=survey, key=key, defaults={"kind": kind, "text_da": text_da,
                                                      "text_en": text_en,
                                                      "position": position})[0].pk
            members = self.paying_on(date(year, 10, 1))
            contacts = [(p, org) for org in members for p in self.people_of[org][:1]]
            wanted = min(len(contacts), annual_budget // YEARS // len(ANNUAL_KEYS))
            for number, (person, org) in enumerate(rng.sample(contacts, min(len(contacts),
                                                                           wanted * 2))):
                day = _aware(_day_in(rng, year, first=date(year, 10, 2),
                                     last=date(year, 11, 29)), rng.randint(8, 20))
                respond(survey, person, org, day,
                        [(ids[k], k) for k in ANNUAL_KEYS] if number < wanted else [])
            left -= wanted * len(ANNUAL_KEYS)

        # Respondents per activity survey: spread the rest of the budget, then top up one
        # respondent at a time where rounding or a small audience left answers over.
        pools = [self.attended.get(act.pk, []) for _keys, act, _offset in plans]
        per_survey = sum(len(keys) for keys, _a, _o in plans) / len(plans)
        counts = []
        for index, ((keys, _act, _offset), pool) in enumerate(zip(plans, pools, strict=True)):
            expected = left / max(1.0, (len(plans) - index) * per_survey)
            wanted = min(len(pool), round(expected * rng.uniform(0.6, 1.4)), left // len(keys))
            counts.append(max(0, wanted))
            left -= counts[-1] * len(keys)
        order = rng.sample(range(len(plans)), len(plans))
        while left > 0:
            added = False
            for i in order:
                size = len(plans[i][0])
                if counts[i] < len(pools[i]) and size <= left:
                    counts[i] += 1
                    left -= size
                    added = True
            if not added:
                break
        for survey, (keys, act, offset), pool, wanted in zip(created, plans, pools, counts,
                                                             strict=True):
            for number, (person, org) in enumerate(rng.sample(pool, min(len(pool),
                                                                        wanted * 2))):
                day = act.ends_at + timedelta(days=offset + rng.randint(1, 13))
                respond(survey, person, org, day,
                        [(question_ids[survey.pk, k], k) for k in keys]
                        if number < wanted else [])

        created_responses = Response.objects.bulk_create(responses, batch_size=2000)
        answers = [Answer(response_id=r.pk, question_id=q, **_answer_columns(rng, key))
                   for r, plan in zip(created_responses, answer_plans, strict=True)
                   for q, key in plan]
        Answer.objects.bulk_create(answers, batch_size=5000)
        self.sizes["surveys"] = len(created) + YEARS
        self.sizes["responses"] = len(responses)
        self.sizes["answered_responses"] = sum(1 for plan in answer_plans if plan)
        self.sizes["answers"] = len(answers)

    # --- projects ------------------------------------------------------------------------

    def projects(self) -> None:
        from klynge.projects.models import Project, ProjectOutcome, ProjectPartner

        rng = self.rng
        projects, partners, outcomes = [], [], []

        def add(project, members, roles=None):
            projects.append((project, members, roles))

        for year in self.years:
            for i in range(self.n(14)):  # EU applications: submitted, funded or rejected
                status = rng.choices(["submitted", "funded", "rejected", "preparing"],
                                     weights=[2, 3, 5, 1])[0]
                submitted = _day_in(rng, year) if status != "preparing" else None
                members = rng.sample(self.companies, rng.randint(2, 5)) + rng.sample(
                    self.knowledge, rng.randint(1, 2))
                add(Project(kind="eu_application", status=status, title=f"EU {year}-{i}",
                            acronym=f"EU{self.tag}{year}{i}", programme=rng.choice(
                                ["Horizon Europe", "Digital Europe", "Interreg"]),
                            call_identifier=f"HORIZON-CL4-{year}-DIGITAL-{i:02d}",
                            submitted_on=submitted, hub=rng.choice(self.hubs)), members)
            for i in range(self.n(12)):  # collaboration projects, some with commercial use
                start = _day_in(rng, year)
                members = rng.sample(self.companies, rng.randint(2, 4)) + rng.sample(
                    self.knowledge, 1)
                add(Project(kind=rng.choice(["collaboration", "feasibility"]),
                            status="completed" if year < 2024 else "running",
                            title=f"Samarbejde {year}-{i}", start_date=start,
                            end_date=start + timedelta(days=rng.randint(180, 720)),
                            hub=rng.choice(self.hubs)), members)
            for i in range(self.n(3)):  # joint projects with other clusters
                start = _day_in(rng, year)
                members = [rng.choice(self.by_kind["cluster"])] + rng.sample(self.companies, 2)
                add(Project(kind="cluster_collaboration", status="running",
                            title=f"Klyngesamarbejde {year}-{i}", start_date=start,
                            hub=rng.choice(self.hubs)), members)
        created = Project.objects.bulk_create([p for p, _m, _r in projects], batch_size=1000)
        for project, (_p, members, _r) in zip(created, projects, strict=True):
            for position, org in enumerate(members):
                partners.append(ProjectPartner(
                    project_id=project.pk, organisation_id=org.pk,
                    role="coordinator" if position == 0 else "partner",
                    budget=Decimal(rng.randint(100, 2000) * 1000)))
            if project.kind in ("collaboration", "feasibility"):
                outcomes.append(ProjectOutcome(project_id=project.pk,
                                               kind="collaboration_started",
                                               date=project.start_date))
                draw = rng.random()
                if draw < 0.4:
                    kind = "commercial_use" if draw < 0.32 else "new_company"
                    day = project.start_date + timedelta(days=rng.randint(90, 600))
                    outcomes.append(ProjectOutcome(project_id=project.pk, kind=kind, date=day,
                                                   description="Resultater taget i brug"))
            elif project.kind == "eu_application" and project.status == "funded":
                outcomes.append(ProjectOutcome(project_id=project.pk,
                                               kind="eu_application_funded",
                                               date=project.submitted_on + timedelta(days=150)))
        ProjectPartner.objects.bulk_create(partners, batch_size=2000)
        ProjectOutcome.objects.bulk_create(outcomes, batch_size=2000)
        self.sizes["projects"] = len(created)
        self.sizes["project_partners"] = len(partners)
        self.sizes["project_outcomes"] = len(outcomes)

    def generate(self) -> dict[str, int]:
        from django.db import transaction

        with transaction.atomic():
            self.reference()
            self.organisations()
            self.people()
            self.memberships()
            self.activities()
            self.registrations()
            self.surveys()
            self.projects()
        return dict(self.sizes)


def generate(*, scale: float = 1.0, seed: int = 4, tag: str = "a",
             cvr_start: int = 1_000_000) -> dict[str, int]:
    """Write one ten-year history at `scale` (1.0: the full size) and return its sizes."""
    return History(scale=scale, seed=seed, tag=tag, cvr_start=cvr_start).generate()
