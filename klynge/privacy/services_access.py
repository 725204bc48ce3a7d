"""Access requests (GDPR art. 15): everything Klynge holds about a person, as one zip.

The zip holds `data.json` (every table, the person, when and by whom it was made),
one CSV per table (UTF-8 with a BOM so Excel reads æøå; nested values as JSON text) and a
README.txt in the person's language naming each file. The tables come from every app's
privacy.py (klynge/privacy/registry.py) plus the audit entries about the person
(klynge/privacy/selectors_access.py says which). Every export is itself logged on the person
(`klynge.privacy.person.exported`, with the actor), and the person's privacy page shows it.
The member portal calls `person_export_zip` for "download my data" with the member as actor.
"""

import csv
import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.privacy.registry import privacy_modules
from klynge.privacy.selectors_access import EXPORTED, audit_entries_about

AUDIT_TABLE = "privacy.audit_entries"

#: What each table is, for the README (a table not listed gets a generic line).
TABLE_DESCRIPTIONS = {
    "core.login_account": gettext_lazy("Your login account for Klynge."),
    "ecosystem.person": gettext_lazy("Your record in the cluster's registry."),
    "ecosystem.affiliations": gettext_lazy(
        "The organisations you are or were affiliated with, and your role there."),
    "ecosystem.interactions": gettext_lazy(
        "Visits, calls, meetings and e-mails the cluster recorded with you."),
    "activities.registrations": gettext_lazy(
        "Your registrations for activities, your answers and your attendance."),
    "activities.focus_networks": gettext_lazy("The focus networks you take part in."),
    "evaluations.survey_responses": gettext_lazy("The evaluation surveys sent to you."),
    "evaluations.survey_answers": gettext_lazy("Your answers to evaluation surveys."),
    "outreach.invitations_received": gettext_lazy("The invitations e-mailed to you."),
    "projects.projects_responsible": gettext_lazy("The projects you are responsible for."),
    "projects.project_outcomes_recorded": gettext_lazy(
        "The project outcomes you recorded."),
    "matchmaking.introductions": gettext_lazy(
        "The introductions the cluster made between you and other organisations."),
    "brokerage.brokerage_participations": gettext_lazy(
        "Your participation in B2B meeting events and your marketplace entries."),
    "brokerage.brokerage_meetings": gettext_lazy(
        "Your meetings at B2B meeting events, with their messages."),
    "funding.time_registrations": gettext_lazy("Hours registered on grants under your name."),
    "privacy.consents": gettext_lazy(
        "Your consents: what you agreed to, when, how, and every withdrawal."),
    AUDIT_TABLE: gettext_lazy(
        "The log entries about you: changes to your record and account, what you did "
        "yourself, and entries that mention your e-mail address."),
}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _audit_rows(person) -> list[dict]:
    return [
        {"time": e.timestamp, "action": e.action,
         "record_type": f"{e.content_type.app_label}.{e.content_type.model}",
         "record": e.object_repr, "by": str(e.actor) if e.actor else "", "details": e.data}
        for e in audit_entries_about(person)
    ]


def person_data(person) -> dict[str, list[dict]]:
    """Every table of the person's data, as "<app>.<table>": rows (JSON-safe)."""
    tables: dict[str, list[dict]] = {}
    for label, module in privacy_modules():
        for name, rows in module.export_person(person).items():
            tables[f"{label}.{name}"] = rows
    tables[AUDIT_TABLE] = _audit_rows(person)
    return _jsonable(tables)


def csv_name(table: str) -> str:
    return table.replace(".", "-").replace("_", "-") + ".csv"


def _headers(rows: list[dict]) -> list[str]:
    headers: list[str] = []
    for row in rows:
        headers.extend(key for key in row if key not in headers)
    return headers


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def table_csv(rows: list[dict]) -> bytes:
    """The rows as CSV text in UTF-8 with a BOM; an empty table is an empty sheet."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if rows:
        headers = _headers(rows)
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows([_cell(row.get(key)) for key in headers] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _readme(person, tables: dict[str, list[dict]], made_at) -> str:
    with translation.override(person.language or "da"):
        lines = [
            _("Your data in Klynge"), "",
            _("This archive holds every piece of data the cluster keeps about %(name)s, "
              "made on %(when)s (GDPR article 15).")
            % {"name": person.full_name, "when": made_at.strftime("%Y-%m-%d %H:%M")},
            "",
            "data.json: " + _("all of it in one file (JSON), for machines and for moving "
                              "your data elsewhere."),
        ]
        for table, rows in tables.items():
            text = TABLE_DESCRIPTIONS.get(table) or _("Your data in %(table)s.") % {
                "table": table}
            count = (_("empty: nothing recorded") if not rows else
                     _("%(count)s rows") % {"count": len(rows)})
            lines.append(f"{csv_name(table)}: {text} ({count})")
        lines += ["", _("The CSV files open in Excel; nested values are written as JSON "
                        "text. Questions about your data: contact the cluster.")]
    return "\n".join(lines) + "\n"


def person_export_zip(*, person, actor) -> tuple[str, bytes]:
    """All of a person's data as (file name, zip bytes); logs the export on the person.

    Refuses (ApplicationError) a person already anonymised: there is nothing left to export.
    Side effect: the audit entry `klynge.privacy.person.exported` (actor, tables, rows).
    """
    if person.erased_at is not None:
        raise ApplicationError(_("This person's data was erased; there is nothing to export."))
    made_at = timezone.localtime()
    tables = person_data(person)
    document = {"person": {"id": person.pk, "name": person.full_name, "email": person.email},
                "generated_at": made_at.isoformat(), "tables": tables}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person, tables, made_at))
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        for table, rows in tables.items():
            archive.writestr(csv_name(table), table_csv(rows))
    with transaction.atomic():
        log_action(person, EXPORTED, actor=actor, data={
            "tables": len(tables), "rows": sum(len(rows) for rows in tables.values())})
    filename = f"klynge-data-{person.pk}-{made_at:%Y-%m-%d}.zip"
    return filename, buffer.getvalue()
