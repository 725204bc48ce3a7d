"""Profiles for the recommender, read from the registry and the imported CORDIS history.

Every registry organisation becomes one `OrgProfile` with the id ``org:<pk>``:

- texts, one per piece of experience: its own profile (description, competences, offers,
  seeks, in Danish or English), each project it is a partner in (title and description), each
  EU project of its linked CORDIS records (call topic, euroSciVoc labels, deliverables), and
  the titles of the activities its people attended;
- labels: its focus areas, in both languages;
- the collaboration graph: its projects (``p:<pk>``) and CORDIS projects (``e:<pk>``) as
  coordinator or participant;
- kind (mapped onto the recommender's kinds), SME, country, region, and the tags the purposes
  select on (startup, investor, large, cluster).

A CORDIS organisation that is not linked to the registry is a profile of its own
(``cordis:<pk>``): a candidate for consortia, not yet someone staff can introduce.
A fixed number of queries, whatever the number of organisations.
"""

from collections import defaultdict

from klynge.activities.models import Registration
from klynge.ecosystem.choices import OrganisationKind, Size
from klynge.ecosystem.models import Organisation
from klynge.matchmaking.choices import CordisRole
from klynge.matchmaking.domain import OrgProfile
from klynge.matchmaking.models import CordisOrganisation, CordisParticipation, CordisProject
from klynge.projects.models import ProjectPartner

KIND_OF = {
    OrganisationKind.COMPANY: "company",
    OrganisationKind.UNIVERSITY: "higher_education",
    OrganisationKind.BUSINESS_ACADEMY: "higher_education",
    OrganisationKind.UNIVERSITY_COLLEGE: "higher_education",
    OrganisationKind.GTS: "research",
    OrganisationKind.PUBLIC: "public",
}
GRAPH_ROLES = (CordisRole.COORDINATOR, CordisRole.PARTICIPANT)


def org_id(pk: int) -> str:
    return f"org:{pk}"


def cordis_id(pk: int) -> str:
    return f"cordis:{pk}"


def parse_id(profile_id: str) -> tuple[str, int]:
    """("org", 12) for "org:12", ("cordis", 7) for "cordis:7"."""
    kind, _sep, pk = profile_id.partition(":")
    return kind, int(pk)


def _cordis_history(cordis_pks=None):
    """({cordis org pk: [texts]}, {cordis org pk: {"e:<project pk>"}}) for the given CORDIS
    organisations (all when None)."""
    participations = CordisParticipation.objects.all()
    if cordis_pks is not None:
        participations = participations.filter(cordis_organisation_id__in=cordis_pks)
    rows = list(participations.values_list("cordis_organisation_id", "project_id", "role"))
    project_ids = {project for _org, project, _role in rows}
    texts = {}
    if project_ids:
        query = CordisProject.objects.all()
        if cordis_pks is not None:
            query = query.filter(pk__in=project_ids)
        for project in query.only("pk", "topic_title", "labels", "deliverables").iterator(
                chunk_size=5000):
            texts[project.pk] = project.text()
    org_texts, org_projects = defaultdict(list), defaultdict(set)
    for org, project, role in sorted(rows, key=lambda r: r[1]):
        if texts.get(project):
            org_texts[org].append(texts[project])
        if role in GRAPH_ROLES:
            org_projects[org].add(f"e:{project}")
    return org_texts, org_projects


def registry_profiles(organisations=None) -> list[OrgProfile]:
    """The profiles of registry organisations (all, or the given queryset)."""
    organisations = (Organisation.objects.all() if organisations is None else organisations)
    organisations = list(organisations.prefetch_related("focus_areas").order_by("pk"))
    pks = [o.pk for o in organisations]
    project_texts, graph = defaultdict(list), defaultdict(set)
    partnerships = ProjectPartner.objects.filter(organisation_id__in=pks).values_list(
        "organisation_id", "project_id", "project__title", "project__description")
    for org, project, title, description in partnerships.order_by("project_id"):
        project_texts[org].append(f"{title}\n{description}".strip())
        graph[org].add(f"p:{project}")
    activities = defaultdict(dict)
    attended = Registration.objects.filter(organisation_id__in=pks, attended=True).values_list(
        "organisation_id", "activity__title").order_by("activity__starts_at")
    for org, title in attended:
        activities[org][title] = None
    links = defaultdict(list)
    for cordis_pk, org in CordisOrganisation.objects.filter(organisation_id__in=pks).values_list(
            "pk", "organisation_id"):
        links[org].append(cordis_pk)
    linked = [pk for group in links.values() for pk in group]
    cordis_texts, cordis_graph = _cordis_history(linked) if linked else ({}, {})
    profiles = []
    for org in organisations:
        own = "\n".join(t for t in (org.description, org.competences, org.offers, org.seeks)
                        if t.strip())
        texts = [own] if own else []
        texts += project_texts[org.pk]
        projects = set(graph[org.pk])
        for cordis_pk in links[org.pk]:
            texts += cordis_texts.get(cordis_pk, [])
            projects |= cordis_graph.get(cordis_pk, set())
        if activities[org.pk]:
            texts.append("\n".join(activities[org.pk]))
        labels = tuple(label for area in org.focus_areas.all()
                       for label in (area.name_da, area.name_en) if label)
        tags = {tag for tag, present in (
            ("startup", org.is_startup), ("investor", org.kind == OrganisationKind.INVESTOR),
            ("large", org.size == Size.LARGE), ("cluster", org.kind == OrganisationKind.CLUSTER),
        ) if present}
        profiles.append(OrgProfile(
            org_id(org.pk), org.name, KIND_OF.get(org.kind, "other"), org.size == Size.SME,
            org.country or "", tuple(texts), labels, frozenset(projects),
            region=org.region or "", tags=frozenset(tags),
        ))
    return profiles


def cordis_profiles() -> list[OrgProfile]:
    """The CORDIS organisations that are not in the registry, each with its EU history."""
    texts, graph = _cordis_history()
    profiles = []
    for pk, name, kind, is_sme, country in CordisOrganisation.objects.filter(
            organisation__isnull=True).order_by("pk").values_list(
            "pk", "name", "kind", "is_sme", "country"):
        # CORDIS says SME or not; a company that is not an SME is taken to be large.
        tags = {"external"} | ({"large"} if kind == "company" and not is_sme else set())
        profiles.append(OrgProfile(cordis_id(pk), name, kind, is_sme, country,
                                   tuple(texts.get(pk, ())), (), frozenset(graph.get(pk, ())),
                                   tags=frozenset(tags)))
    return profiles


def all_profiles() -> list[OrgProfile]:
    return registry_profiles() + cordis_profiles()
