"""Reading CORDIS-format folders (as ../shared/data/cordis-he) for the matchmaking benchmark.

Pure Python (csv + gzip): projects with their partners, topic titles, euroSciVoc labels and
deliverable titles, and `OrgProfile`s built from a chosen set of projects only.
"""

import csv
import gzip
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from klynge.matchmaking.domain.profiles import CORDIS_KINDS, OrgProfile

PARTNER_ROLES = ("coordinator", "participant")


def default_data_dir() -> Path:
    root = Path(__file__).resolve().parent.parent
    base = Path(os.environ.get("KLYNGE_DATA_DIR", root.parent / "shared" / "data"))
    return base / "cordis-he"


def _rows(folder: Path, name: str):
    for candidate in (folder / f"{name}.csv.gz", folder / f"{name}.csv"):
        if candidate.exists():
            opener = gzip.open if candidate.suffix == ".gz" else open
            with opener(candidate, "rt", encoding="utf-8", newline="") as handle:
                yield from csv.DictReader(handle)
            return


@dataclass
class Org:
    id: str
    name: str
    kind: str
    is_sme: bool
    country: str


@dataclass
class Project:
    id: str
    coordinator: str | None = None
    partners: list = field(default_factory=list)  # coordinator and participants, in order
    others: list = field(default_factory=list)  # associated partners, third parties
    topic: str = ""
    labels: list = field(default_factory=list)
    deliverables: list = field(default_factory=list)

    @property
    def order(self) -> int:
        """Grant agreement numbers are handed out in time order (checked against call years)."""
        return int(self.id) if self.id.isdigit() else 0


@dataclass
class Cordis:
    orgs: dict
    projects: dict


def load(folder: Path, orgs: dict | None = None) -> Cordis:
    orgs = {} if orgs is None else orgs
    projects: dict[str, Project] = {}
    for r in _rows(folder, "organization"):
        org_id = r["organisationID"]
        if org_id not in orgs:
            orgs[org_id] = Org(org_id, r["name"], CORDIS_KINDS.get(r["activityType"], "other"),
                               r["SME"] == "true", r["country"])
        project = projects.setdefault(r["projectID"], Project(r["projectID"]))
        if r["role"] in PARTNER_ROLES:
            if org_id not in project.partners:
                project.partners.append(org_id)
            if r["role"] == "coordinator":
                project.coordinator = org_id
        elif org_id not in project.others:
            project.others.append(org_id)
    for r in _rows(folder, "topics"):
        if r["projectID"] in projects and not projects[r["projectID"]].topic:
            projects[r["projectID"]].topic = r["title"]
    for r in _rows(folder, "euroSciVoc"):
        if r["projectID"] in projects:
            projects[r["projectID"]].labels.append(r["euroSciVocTitle"])
    for r in _rows(folder, "deliverables"):
        if r["projectID"] in projects:
            projects[r["projectID"]].deliverables.append(r["title"])
    return Cordis(orgs, projects)


def project_text(project: Project) -> str:
    return "\n".join((project.topic, *project.labels, *project.deliverables)).strip()


def profiles_from(data: Cordis, projects: list[Project]) -> list[OrgProfile]:
    """One profile per organisation that took part (in any role) in `projects`: one text per
    project (topic title, euroSciVoc labels, deliverable titles); the graph from coordinators
    and participants. `labels` stays empty: the labels are in each project's text."""
    texts, member = defaultdict(list), defaultdict(set)
    for project in sorted(projects, key=lambda p: (p.order, p.id)):
        text = project_text(project)
        for org_id in (*project.partners, *project.others):
            if text:
                texts[org_id].append(text)
            if org_id in project.partners:
                member[org_id].add(project.id)
    result = []
    for org_id in sorted(texts.keys() | member.keys()):
        org = data.orgs[org_id]
        result.append(OrgProfile(org_id, org.name, org.kind, org.is_sme, org.country,
                                 tuple(texts[org_id]), (), frozenset(member[org_id])))
    return result
