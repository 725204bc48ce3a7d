"""The drill-down: exactly what counts for an indicator, with its evidence, and the names
of counted keys (the difference since freezing)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities.models import Activity
from klynge.ecosystem.models import Membership, Organisation
from klynge.evaluations import selectors as evaluations
from klynge.evaluations.choices import StandardKey
from klynge.funding.choices import ActivityType
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import (
    OrganisationFacts,
    Period,
    counting_key,
    record_key,
)
from klynge.kpis.selectors.base import (
    COMPANY,
    INNOVATION_QUESTIONS,
    _facts,
    _other_clusters,
    cluster_collaboration_activities,
    cluster_collaboration_projects,
    commercial_introduction_outcomes,
    commercial_outcomes,
    eu_application_partnerships,
)
from klynge.kpis.selectors.figures import (
    kpi_figure,
)
from klynge.matchmaking.models import Introduction, IntroductionOutcome
from klynge.projects.models import Project

# --- evidence (the drill-down) -------------------------------------------------------------


@dataclass
class Evidence:
    day: date | None
    text: str
    url: str = ""


@dataclass
class EvidenceRow:
    """One counted organisation or record and why it counts."""

    key: str
    label: str
    url: str
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def _organisation_rows(ids, *, companies_only=False) -> dict[str, EvidenceRow]:
    rows: dict[str, EvidenceRow] = {}
    organisations = Organisation.objects.filter(pk__in=list(ids)).order_by("name")
    for org in organisations:
        if companies_only and org.kind != COMPANY:
            continue
        key = counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK", org.cvr))
        rows.setdefault(key, EvidenceRow(
            key=key, label=org.name, url=org.get_absolute_url(),
            detail=" · ".join(filter(None, [org.get_kind_display(),
                                            f"CVR {org.cvr}" if org.cvr else org.country])),
        ))
    return rows


def _answer_evidence(rows: dict[str, EvidenceRow], answers, facts) -> None:
    answers = answers.select_related(
        "question", "response__person", "response__survey__activity"
    ).order_by("response__answered_at")
    for answer in answers:
        org_facts = facts.get(answer.response.organisation_id)
        if org_facts is None:
            continue
        row = rows.get(counting_key(org_facts))
        if row is None:
            continue
        survey = answer.response.survey
        who = str(answer.response.person) if answer.response.person else ""
        about = survey.activity.title if survey.activity_id else survey.title
        row.evidence.append(Evidence(
            timezone.localtime(answer.response.answered_at).date(),
            f"{who}: {answer.question.text} — {answer.value} ({about})",
            reverse("evaluations:survey_detail", args=[survey.pk]),
        ))


def _survey_drilldown(counted: frozenset[str], answers) -> list[EvidenceRow]:
    ids = set(answers.values_list("response__organisation_id", flat=True))
    facts = _facts(ids)
    rows = {k: v for k, v in _organisation_rows(ids).items() if k in counted}
    _answer_evidence(rows, answers, facts)
    return list(rows.values())


def _membership_drilldown(counted: frozenset[str], day: date) -> list[EvidenceRow]:
    memberships = Membership.objects.paying_on(day).select_related("organisation", "tier")
    rows = _organisation_rows(m.organisation_id for m in memberships)
    for membership in memberships:
        org = membership.organisation
        row = rows.get(counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK",
                                                      org.cvr)))
        if row is not None:
            tier = f" ({membership.tier})" if membership.tier_id else ""
            row.evidence.append(Evidence(membership.start_date,
                                         f"{membership.get_status_display()}{tier}"))
    return [row for key, row in rows.items() if key in counted]


def drilldown(key: str, period: Period) -> list[EvidenceRow]:
    """Exactly what counts for the indicator in the period, each with its evidence."""
    figure = kpi_figure(key, period)
    counted = figure.counted
    if key == keys.INNOVATIVE_MEMBERS:
        answers = evaluations.yes_answers(INNOVATION_QUESTIONS, period.start, period.end)
        return _survey_drilldown(counted, answers)
    if key == keys.INTERNATIONAL_VISIBILITY:
        answers = evaluations.yes_answers(
            StandardKey.INTERNATIONAL_VISIBILITY, period.start, period.end,
            activity_type=ActivityType.INTERNATIONALISATION,
        )
        return _survey_drilldown(counted, answers)
    if key == keys.GREEN_CONTACTS:
        answers = evaluations.yes_answers(StandardKey.GREEN_CONTACTS, period.start, period.end)
        return _survey_drilldown(counted, answers)
    if key == keys.PAYING_MEMBERS:
        return _membership_drilldown(counted, period.end)
    if key == keys.CLUSTER_COLLABORATIONS:
        return _collaboration_drilldown(period)
    if key == keys.EU_APPLICATIONS:
        return _eu_drilldown(counted, period)
    if key == keys.COMMERCIAL_USE:
        return _commercial_drilldown(counted, period)
    raise KeyError(key)


def _collaboration_drilldown(period: Period) -> list[EvidenceRow]:
    rows = []
    other_ids = set(_other_clusters().values_list("pk", flat=True))
    for activity in cluster_collaboration_activities(period).prefetch_related("co_organisers"):
        clusters = [o.name for o in activity.co_organisers.all() if o.pk in other_ids]
        rows.append(EvidenceRow(
            key=record_key("activity", activity.pk), label=activity.title,
            url=activity.get_absolute_url(),
            detail=activity.get_type_display(),
            evidence=[Evidence(timezone.localtime(activity.starts_at).date(), ", ".join(clusters))],
        ))
    projects = cluster_collaboration_projects(period).prefetch_related("partners")
    for project in projects:
        clusters = [o.name for o in project.partners.all() if o.pk in other_ids]
        rows.append(EvidenceRow(
            key=record_key("project", project.pk), label=str(project),
            url=project.get_absolute_url(), detail=project.get_kind_display(),
            evidence=[Evidence(project.start_date, ", ".join(clusters))],
        ))
    return rows


def _introductions_of_projects(project_ids) -> dict[int, Introduction]:
    """The introduction each project came from (by an outcome of the introduction), if any."""
    found: dict[int, Introduction] = {}
    outcomes = IntroductionOutcome.objects.filter(project_id__in=list(project_ids)).select_related(
        "introduction__organisation_a", "introduction__organisation_b"
    ).order_by("date", "pk")
    for outcome in outcomes:
        found.setdefault(outcome.project_id, outcome.introduction)
    return found


def _eu_drilldown(counted: frozenset[str], period: Period) -> list[EvidenceRow]:
    partnerships = list(
        eu_application_partnerships(period).select_related("project", "organisation")
    )
    rows = _organisation_rows({p.organisation_id for p in partnerships}, companies_only=True)
    introduced = _introductions_of_projects({p.project_id for p in partnerships})
    for partnership in partnerships:
        org, project = partnership.organisation, partnership.project
        row = rows.get(counting_key(OrganisationFacts(org.pk, org.kind, org.country or "DK",
                                                      org.cvr)))
        if row is not None:
            text = (f"{project} · {project.call_identifier or project.programme} · "
                    f"{partnership.get_role_display()} · {project.get_status_display()}")
            introduction = introduced.get(project.pk)
            if introduction is not None:
                text += " · " + _("from introduction %(introduction)s (%(day)s)") % {
                    "introduction": introduction,
                    "day": timezone.localtime(introduction.created_at).date().isoformat()}
            row.evidence.append(Evidence(project.submitted_on, text, project.get_absolute_url()))
    return [row for key, row in rows.items() if key in counted]


def _outcome_text(outcome) -> str:
    return f"{outcome.get_kind_display()}: {outcome.description}".rstrip(": ")


def _commercial_drilldown(counted: frozenset[str], period: Period) -> list[EvidenceRow]:
    """The counted projects, then the counted introductions, each with its outcomes."""
    rows: dict[str, EvidenceRow] = {}
    for outcome in commercial_outcomes(period).select_related("project").order_by("date"):
        project = outcome.project
        row = rows.setdefault(record_key("project", project.pk), EvidenceRow(
            key=record_key("project", project.pk), label=str(project),
            url=project.get_absolute_url(), detail=project.get_kind_display(),
        ))
        row.evidence.append(Evidence(outcome.date, _outcome_text(outcome)))
    outcomes = commercial_introduction_outcomes(period).select_related(
        "introduction__organisation_a", "introduction__organisation_b", "project"
    ).order_by("date", "pk")
    for outcome in outcomes:
        introduction = outcome.introduction
        key = record_key("introduction", introduction.pk)
        if key not in counted:  # recorded on a project that counts already
            continue
        row = rows.setdefault(key, EvidenceRow(
            key=key, label=str(introduction), url=introduction.get_absolute_url(),
            detail=_("Introduction made %(day)s") % {
                "day": timezone.localtime(introduction.created_at).date().isoformat()},
        ))
        row.evidence.append(Evidence(
            outcome.date, _outcome_text(outcome),
            outcome.project.get_absolute_url() if outcome.project_id else "",
        ))
    return list(rows.values())


# --- labels of counted keys (B2: the difference since freezing) ----------------------------


def labels_for_keys(counted) -> dict[str, tuple[str, str]]:
    """A name and a link for each counting key ("cvr:…", "org:…", "activity:…",
    "project:…", "introduction:…"), in at most five queries; a key whose record is gone
    keeps the key itself."""
    by_kind: dict[str, set] = defaultdict(set)
    for key in counted:
        kind, _sep, value = key.partition(":")
        by_kind[kind].add(value)
    labels: dict[str, tuple[str, str]] = {}
    if by_kind["cvr"]:
        for org in Organisation.objects.filter(cvr__in=by_kind["cvr"]).order_by("pk"):
            labels.setdefault(f"cvr:{org.cvr}", (org.name, org.get_absolute_url()))
    models = {"org": Organisation.objects.all(), "activity": Activity.objects.all(),
              "project": Project.objects.all(),
              "introduction": Introduction.objects.select_related("organisation_a",
                                                                  "organisation_b")}
    for kind, records in models.items():
        ids = [int(value) for value in by_kind[kind] if value.isdigit()]
        if ids:
            for record in records.filter(pk__in=ids):
                labels[f"{kind}:{record.pk}"] = (str(record), record.get_absolute_url())
    return {key: labels.get(key, (key, "")) for key in counted}
