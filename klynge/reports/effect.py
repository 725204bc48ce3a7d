"""The effect-measurement export: which companies took part in the activities a grant funded
in a year, for the grant giver to link their CVR numbers to the national registers.

What is in it (and what is not):
- One row per participating company per activity: CVR, company name, country, activity id,
  title and date, the company's role(s), and whether it attended. Several people of one
  company at one activity are one row; the company attended when any of them did.
- Participation = a live registration (not cancelled, not on the waitlist) for the company,
  in an activity marked held that starts in the year and that the grant funds (any share).
- No-shows are included with "attended: no": the grant giver asked for the attended column,
  and a registered company that did not come is part of the picture the effect measurement
  compares against. "Attended" follows the KPIs' rule: a participant marked attended, a
  speaker, knowledge partner or (co-)organiser unless marked absent.
- Minimised: no personal names, e-mails or other data about people — company data only.
- Danish companies without a valid CVR number (missing, or failing the modulus-11 check)
  cannot be linked; they are listed separately, with their participations, for correction.
  Foreign companies are listed with their country and no CVR.

The data object (`EffectExport`) is assembled here; the table builders and the two writers
at the end (`xlsx_bytes`, `csv_text`, shared with the survey list) turn it into CSV and XLSX.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.dk import cvr as stdnum_cvr

from klynge.activities.choices import ParticipationRole, RegistrationStatus
from klynge.activities.models import Registration
from klynge.ecosystem.choices import OrganisationKind
from klynge.kpis.domain.counting import Period
from klynge.kpis.selectors import held_activities

LEGAL_BASIS = gettext_lazy(
    "Legal basis: the grant agreement's obligation to report participant data for "
    "evaluation and effect measurement (GDPR art. 6(1)(c) and (e)). The export holds company "
    "data only (CVR number, name, country) and no data about persons."
)

ROLE_ORDER = list(ParticipationRole.values)


@dataclass
class Table:
    """A titled table: one sheet of a workbook, one section of a CSV file."""

    title: str
    headers: list[str]
    rows: list[list]


def attended(role: str, mark: bool | None) -> bool:
    """The KPIs' attendance rule: a participant counts when marked attended; a speaker,
    knowledge partner or organiser unless marked absent."""
    if role == ParticipationRole.PARTICIPANT:
        return mark is True
    return mark is not False


def cvr_problem(cvr: str | None) -> str | None:
    """Why a Danish company's CVR number cannot be linked ("missing", "invalid"), or None."""
    if not cvr:
        return "missing"
    return None if stdnum_cvr.is_valid(cvr) else "invalid"


PROBLEMS = {
    "missing": gettext_lazy("No CVR number"),
    "invalid": gettext_lazy("CVR number fails the check"),
}


@dataclass
class EffectRow:
    """One company at one activity."""

    organisation_id: int
    company: str
    cvr: str
    country: str
    activity_id: int
    activity_title: str
    day: date
    roles: list[str] = field(default_factory=list)
    attended: bool = False
    problem: str | None = None

    @property
    def role_labels(self) -> str:
        ordered = sorted(self.roles, key=ROLE_ORDER.index)
        return ", ".join(str(ParticipationRole(role).label) for role in ordered)

    @property
    def problem_label(self) -> str:
        return str(PROBLEMS[self.problem]) if self.problem else ""


@dataclass
class EffectExport:
    grant: object
    year: int
    rows: list[EffectRow]
    corrections: list[EffectRow]

    @property
    def companies(self) -> int:
        return len({row.organisation_id for row in self.rows})

    @property
    def companies_to_correct(self) -> list[EffectRow]:
        """One row per company that needs a correction (its first participation)."""
        seen: dict[int, EffectRow] = {}
        for row in self.corrections:
            seen.setdefault(row.organisation_id, row)
        return sorted(seen.values(), key=lambda r: r.company.lower())

    @property
    def activities(self) -> int:
        return len({row.activity_id for row in self.rows + self.corrections})


def _registrations(grant, year: int):
    activities = held_activities(Period.year(year)).filter(fundings__grant=grant)
    return (
        Registration.objects.filter(
            activity__in=activities, status=RegistrationStatus.REGISTERED,
            organisation__kind=OrganisationKind.COMPANY,
        )
        .values_list("organisation_id", "organisation__name", "organisation__cvr",
                     "organisation__country", "activity_id", "activity__title",
                     "activity__starts_at", "role", "attended")
    )


def effect_export(grant, year: int) -> EffectExport:
    """The export for a grant and a year (two queries, whatever the size)."""
    rows: dict[tuple[int, int], EffectRow] = {}
    for (org_id, name, cvr, country, activity_id, title, starts_at, role,
         mark) in _registrations(grant, year):
        row = rows.get((org_id, activity_id))
        if row is None:
            country = country or "DK"
            row = rows[(org_id, activity_id)] = EffectRow(
                organisation_id=org_id, company=name, cvr=cvr or "", country=country,
                activity_id=activity_id, activity_title=title,
                day=timezone.localtime(starts_at).date(),
                problem=cvr_problem(cvr) if country == "DK" else None,
            )
        if role not in row.roles:
            row.roles.append(role)
        row.attended = row.attended or attended(role, mark)
    ordered = sorted(rows.values(), key=lambda r: (r.day, r.activity_id, r.company.lower()))
    return EffectExport(
        grant=grant, year=year,
        rows=[row for row in ordered if row.problem is None],
        corrections=[row for row in ordered if row.problem is not None],
    )


# --- the tables the writers render --------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def participation_table(export: EffectExport) -> Table:
    headers = [_("CVR"), _("Company"), _("Country"), _("Activity id"), _("Activity"),
               _("Date"), _("Role"), _("Attended")]
    rows = [[r.cvr, r.company, r.country, r.activity_id, r.activity_title, r.day,
             r.role_labels, _yes_no(r.attended)] for r in export.rows]
    return Table(_("Participation"), headers, rows)


def corrections_table(export: EffectExport, edit_url) -> Table:
    """The participations of Danish companies whose CVR number must be corrected, with a link
    to the organisation's edit page (`edit_url(pk)` gives it)."""
    headers = [_("Company"), _("CVR as recorded"), _("Problem"), _("Activity id"),
               _("Activity"), _("Date"), _("Role"), _("Attended"), _("Correct it here")]
    rows = [[r.company, r.cvr, r.problem_label, r.activity_id, r.activity_title, r.day,
             r.role_labels, _yes_no(r.attended), edit_url(r.organisation_id)]
            for r in export.corrections]
    return Table(_("CVR to correct"), headers, rows)


def about_lines(export: EffectExport, *, generated_by: str) -> list[tuple[str, str]]:
    grant = export.grant
    return [
        (_("Report"), _("Effect-measurement export")),
        (_("Grant"), f"{grant.code} · {grant.name}"),
        (_("Grant giver"), str(grant.giver)),
        (_("Year"), str(export.year)),
        (_("Legal basis"), str(LEGAL_BASIS)),
        (_("What counts"), _(
            "One row per company per activity held in the year and funded by the grant: live "
            "registrations of companies (not cancelled, not waitlisted). Several people of "
            "one company are one row; attended is yes when any of them attended. Registered "
            "companies that did not come are included with attended no.")),
        (_("Not linkable"), _(
            "Danish companies without a valid CVR number are not in the participation list; "
            "they are listed on their own for correction.")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        (_("Generated by"), generated_by),
    ]


# --- the writers (shared with the survey list) ---------------------------------------------


def xlsx_bytes(tables: list[Table], about: list[tuple[str, str]]) -> bytes:
    """A workbook with one sheet per table (headers in row 1, frozen and bold) and a last
    sheet "About" with the report's notes (what, for whom, legal basis)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(table.headers, start=1):
            width = max([len(str(header))] + [len(str(r[index - 1])) for r in table.rows[:200]])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                max(width + 2, 8), 60)
    sheet = workbook.create_sheet(_("About")[:31])
    for label, text in about:
        sheet.append([label, text])
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(tables: list[Table], about: list[tuple[str, str]]) -> str:
    """One CSV file (UTF-8 with BOM, so Excel reads æøå) in sections: the notes first, then
    each table under its title, sections separated by an empty line."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for label, text in about:
        writer.writerow([label, text])
    for table in tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
    return buffer.getvalue()
