"""Small CORDIS-format folders and F&T call exports, written for the import tests."""

import csv
import gzip
import io
from pathlib import Path

ORG_HEADER = ["projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName",
              "SME", "activityType", "street", "postCode", "city", "country", "nutsCode",
              "role", "ecContribution", "netEcContribution", "totalCost", "active"]


def csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def org_row(project, acronym, org, vat, name, kind, country, city, role, amount, sme="false",
            short=""):
    return [project, acronym, org, vat, name, short, sme, kind, "Street 1", "1000", city,
            country, "", role, amount, amount, amount, "true"]


def write(folder: Path, name: str, text: str, *, gz: bool) -> None:
    if gz:
        with gzip.open(folder / f"{name}.csv.gz", "wt", encoding="utf-8", newline="") as f:
            f.write(text)
    else:
        (folder / f"{name}.csv").write_text(text, encoding="utf-8", newline="")


def cordis_folder(folder: Path, *, dk_vat: str, bad_rows: bool = True) -> Path:
    """Two projects, four organisations (one Danish with `dk_vat`); with `bad_rows` the
    organization file also has three bad rows (lines 6, 7 and 8)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        org_row("101000001", "VISION", "900000001", dk_vat, "Vision Robotics ApS", "PRC", "DK",
                "Aarhus", "coordinator", "500000.50", sme="true", short="VR"),
        org_row("101000001", "VISION", "900000002", "FR123", "Institut Lumière", "REC", "FR",
                "Lyon", "participant", "300000"),
        org_row("101000001", "VISION", "900000003", "", "Technische Universität Nord", "HES",
                "DE", "Kiel", "thirdParty", ""),
        org_row("101000002", "PUMPS", "900000002", "FR123", "Institut Lumière", "REC", "FR",
                "Lyon", "coordinator", "1000000"),
    ]
    if bad_rows:
        rows += [
            org_row("101000002", "PUMPS", "900000004", "", "Acqua SpA", "PRC", "IT", "Roma",
                    "boss", "10"),
            org_row("101000002", "PUMPS", "900000004", "", "Acqua SpA", "PRC", "IT", "Roma",
                    "participant", "12,5x"),
            org_row("101000002", "PUMPS", "", "", "Nobody", "PRC", "IT", "Roma",
                    "participant", "10"),
        ]
    rows.append(org_row("101000002", "PUMPS", "900000004", "IT999", "Acqua SpA", "PRC", "IT",
                        "Roma", "participant", "250000"))
    write(folder, "organization", csv_text(ORG_HEADER, rows), gz=True)
    write(folder, "topics", csv_text(["projectID", "topic", "title"], [
        ["101000001", "HORIZON-CL4-2023-TWIN-01", "Computer vision for quality control"],
        ["101000002", "HORIZON-CL5-2023-D3-01", "Water pumps of the future"],
        ["999", "IGNORED", "A project that is not in the organization file"],
    ]), gz=False)
    write(folder, "euroSciVoc", csv_text(
        ["projectID", "euroSciVocCode", "euroSciVocPath", "euroSciVocTitle"], [
            ["101000001", "/1", "/engineering/computer vision", "computer vision"],
            ["101000001", "/2", "/engineering/robotics", "robotics"],
            ["101000001", "/1", "/engineering/computer vision", "computer vision"],
        ]), gz=True)
    write(folder, "deliverables", csv_text(["id", "title", "projectID"], [
        ["d1", "Vision  dataset", "101000001"],
        ["d2", "Pilot report", "101000001"],
        ["d3", "Pump design", ""],
    ]), gz=False)
    write(folder, "legalBasis", csv_text(
        ["projectID", "legalBasis", "title", "uniqueProgrammePart"], [
            ["101000001", "HORIZON.2", "Global Challenges", "false"],
            ["101000001", "HORIZON.2.4", "Digital, Industry and Space", "true"],
        ]), gz=True)
    return folder


CALL_HEADER_A = ["identifier", "title", "action_type", "type_of_mga_description",
                 "submission_procedure", "start_date", "deadline", "deadline2", "budget_min",
                 "budget_max", "description"]
CALL_HEADER_B = ["identifier", "title", "start_date", "deadline", "deadline2", "action_type",
                 "budget_max", "budget_min", "description"]


def calls_layout_a() -> bytes:
    """The usual export layout, gzipped, with one bad date (line 4)."""
    text = csv_text(CALL_HEADER_A, [
        ["HORIZON-CL4-2025-01-TWIN-02", "AI for quality control in manufacturing",
         "HORIZON-IA HORIZON Innovation Actions", "", "single-stage", "2025-01-15T00:00:00",
         "2025-05-06T17:00:00", "", "4000000", "6000000",
         "<span>ExpectedOutcome</span>:<p>Machine vision &amp; deep learning.</p>"
         "<ul><li>Fewer defects</li><li>Less waste</li></ul>"],
        ["DIGITAL-2025-AI-01", "Testing facilities for AI", "DIGITAL-SIMPLE", "", "",
         "2026-09-01T00:00:00", "2027-01-20T17:00:00", "", "", "", "Plain text."],
        ["LIFE-2025-CET", "Clean energy transition", "LIFE-PJG", "", "",
         "2025-04-01T00:00:00", "20 May 2025", "", "1000", "1000", ""],
    ])
    return gzip.compress(text.encode("utf-8"))


def calls_layout_b() -> bytes:
    """The other column order (as CL3.csv), with a byte order mark and a row without title
    (line 3)."""
    text = csv_text(CALL_HEADER_B, [
        ["EuropeAid/172802/ID/ACT/RS", "Support to the Ministry", "2021-07-30T10:00:02",
         "2021-09-01T14:07:35", "", "", "250000", "250000", "Support."],
        ["HORIZON-CL3-2025-01", "", "2025-06-12T00:00:00", "", "", "", "", "", ""],
    ])
    return "\ufeff".encode() + text.encode("utf-8")
