"""Reading a folder in the CORDIS open-data layout (as ../shared/data/cordis-he).

Files (each `NAME.csv.gz` or `NAME.csv`, UTF-8, comma-separated, quoted):

- organization: one row per organisation per project (projectID, projectAcronym,
  organisationID, vatNumber, name, shortName, SME, activityType, city, country, role,
  ecContribution). Required.
- topics (projectID, topic, title), euroSciVoc (projectID, euroSciVocTitle), deliverables
  (projectID, title), legalBasis (projectID, legalBasis, title, uniqueProgrammePart):
  optional; rows of projects that are not in `organization` are ignored.

A bad row (no project or organisation id, an unknown role, a number that is not one) is
reported with its file, line and column, and skipped; the good rows are read.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from klynge.matchmaking.domain.profiles import CORDIS_KINDS
from klynge.matchmaking.importing.common import BadRow, open_text, read_rows

FILES = ("organization", "topics", "euroSciVoc", "deliverables", "legalBasis")
ROLES = ("coordinator", "participant", "associatedPartner", "thirdParty")
#: The deliverable titles of one project are kept up to this many characters.
MAX_DELIVERABLES_CHARS = 20_000

Progress = Callable[[str, int], None]


@dataclass
class OrgRow:
    cordis_id: str
    name: str
    short_name: str
    kind: str
    is_sme: bool
    country: str
    city: str
    vat_number: str


@dataclass
class ProjectRow:
    cordis_id: str
    acronym: str = ""
    topic_code: str = ""
    topic_title: str = ""
    labels: list = field(default_factory=list)
    deliverables: list = field(default_factory=list)
    programme: str = ""

    def deliverables_text(self) -> str:
        text = "\n".join(self.deliverables)
        if len(text) <= MAX_DELIVERABLES_CHARS:
            return text
        return text[:MAX_DELIVERABLES_CHARS].rsplit("\n", 1)[0]


@dataclass
class CordisData:
    """What a folder holds, after the bad rows were set aside."""

    organisations: dict[str, OrgRow] = field(default_factory=dict)
    projects: dict[str, ProjectRow] = field(default_factory=dict)
    #: (project id, organisation id) → (role, EU contribution or None)
    participations: dict[tuple[str, str], tuple[str, Decimal | None]] = field(
        default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    bad: list[BadRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def keep_projects(self, project_ids: set[str]) -> None:
        """Only these projects, their participations and their organisations."""
        self.projects = {k: v for k, v in self.projects.items() if k in project_ids}
        self.participations = {k: v for k, v in self.participations.items()
                               if k[0] in project_ids}
        used = {org for _project, org in self.participations}
        self.organisations = {k: v for k, v in self.organisations.items() if k in used}


def _file(folder: Path, name: str) -> Path | None:
    for candidate in (folder / f"{name}.csv.gz", folder / f"{name}.csv"):
        if candidate.is_file():
            return candidate
    return None


def _amount(value: str) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    amount = Decimal(value)
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        raise InvalidOperation
    return amount.quantize(Decimal("0.01"))


def _rows(folder: Path, name: str, data: CordisData) -> Iterable[tuple[int, dict]]:
    path = _file(folder, name)
    if path is None:
        data.missing.append(name)
        return
    count = 0
    with open_text(path) as handle:
        for line, row in read_rows(handle):
            count += 1
            yield line, row
    data.rows[path.name] = count


def read_folder(folder: Path, *, progress: Progress | None = None) -> CordisData:
    """Everything in the folder; raises FileNotFoundError without an organization file."""
    folder = Path(folder)
    if _file(folder, "organization") is None:
        raise FileNotFoundError(folder / "organization.csv.gz")
    data = CordisData()
    _read_organisations(folder, data)
    if progress:
        progress("organization", sum(data.rows.values()))
    projects = data.projects
    for name, reader in (("topics", _read_topic), ("euroSciVoc", _read_label),
                         ("deliverables", _read_deliverable), ("legalBasis", _read_legal)):
        fname = (_file(folder, name) or Path(name)).name
        for line, row in _rows(folder, name, data):
            project_id = (row.get("projectID") or "").strip()
            if not project_id:
                data.bad.append(BadRow(fname, line, "projectID", _("The project id is missing.")))
                continue
            project = projects.get(project_id)
            if project is not None:
                reader(project, row)
        if progress:
            progress(name, data.rows.get(fname, 0))
    return data


def _read_topic(project: ProjectRow, row: dict) -> None:
    if not project.topic_code:
        project.topic_code = (row.get("topic") or "").strip()[:120]
        project.topic_title = (row.get("title") or "").strip()


def _read_label(project: ProjectRow, row: dict) -> None:
    label = (row.get("euroSciVocTitle") or "").strip()
    if label and label not in project.labels:
        project.labels.append(label)


def _read_deliverable(project: ProjectRow, row: dict) -> None:
    title = " ".join((row.get("title") or "").split())
    if title:
        project.deliverables.append(title)


def _read_legal(project: ProjectRow, row: dict) -> None:
    code, title = (row.get("legalBasis") or "").strip(), (row.get("title") or "").strip()
    unique = (row.get("uniqueProgrammePart") or "").strip().lower() == "true"
    if code and (unique or not project.programme):
        project.programme = f"{code} {title}".strip()[:120]


def _read_organisations(folder: Path, data: CordisData) -> None:
    fname = _file(folder, "organization").name
    for line, row in _rows(folder, "organization", data):
        def bad(column: str, message: str, line=line) -> None:
            data.bad.append(BadRow(fname, line, column, message))

        project_id = (row.get("projectID") or "").strip()
        org_id = (row.get("organisationID") or "").strip()
        role = (row.get("role") or "").strip()
        if not project_id:
            bad("projectID", _("The project id is missing."))
            continue
        if not org_id:
            bad("organisationID", _("The organisation id is missing."))
            continue
        if len(project_id) > 20 or len(org_id) > 20:
            bad("projectID" if len(project_id) > 20 else "organisationID",
                _("The id is longer than 20 characters."))
            continue
        if role not in ROLES:
            bad("role", _("Unknown role “%(role)s”; expected one of %(roles)s.")
                % {"role": role, "roles": ", ".join(ROLES)})
            continue
        try:
            contribution = _amount(row.get("ecContribution", ""))
        except (InvalidOperation, ValueError):
            bad("ecContribution",
                _("“%(value)s” is not an amount.") % {"value": row.get("ecContribution")})
            continue
        name = " ".join((row.get("name") or "").split())
        if not name:
            bad("name", _("The organisation's name is missing."))
            continue
        if org_id not in data.organisations:
            country = (row.get("country") or "").strip().upper()[:2]
            data.organisations[org_id] = OrgRow(
                cordis_id=org_id, name=name[:255],
                short_name=(row.get("shortName") or "").strip()[:100],
                kind=CORDIS_KINDS.get((row.get("activityType") or "").strip(), "other"),
                is_sme=(row.get("SME") or "").strip().lower() == "true",
                country=country, city=(row.get("city") or "").strip()[:100],
                vat_number=(row.get("vatNumber") or "").replace(" ", "").strip()[:30],
            )
        project = data.projects.setdefault(project_id, ProjectRow(project_id))
        if not project.acronym:
            project.acronym = (row.get("projectAcronym") or "").strip()[:100]
        data.participations.setdefault((project_id, org_id), (role, contribution))
