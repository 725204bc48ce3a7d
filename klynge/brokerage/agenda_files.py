"""Agendas and the table plan as files: iCalendar (.ics) and PDF (ReportLab, A4).

Pure rendering: the views and services give the rows (from `selectors_agenda` and
`selectors_schedule`); nothing here reads the request or the database. Helvetica's Latin-1
encoding covers æ, ø and å, so no font file is needed.
"""

from datetime import UTC, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

PRODID = "-//Klynge//B2B meetings//EN"
PLAN_COLUMNS = 12  # tables across one page of the table plan

STYLES = {
    "title": ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20,
                            spaceAfter=4),
    "sub": ParagraphStyle("sub", fontName="Helvetica", fontSize=10, leading=13,
                          textColor=colors.HexColor("#444444"), spaceAfter=8),
    "cell": ParagraphStyle("cell", fontName="Helvetica", fontSize=9, leading=11),
    "small": ParagraphStyle("small", fontName="Helvetica", fontSize=7, leading=8.5),
    "head": ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=9, leading=11),
    "note": ParagraphStyle("note", fontName="Helvetica-Oblique", fontSize=9, leading=12),
}

GRID = TableStyle([
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8899AA")),
    ("GRID", (0, 1), (-1, -1), 0.25, colors.HexColor("#C5CCD3")),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
])


def _p(value, style: str = "cell") -> Paragraph:
    return Paragraph(escape(str(value or "")).replace("\n", "<br/>"), STYLES[style])


def _time(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


def _span(item) -> str:
    return f"{_time(item.starts_at)}–{_time(item.ends_at)}" if item.starts_at else ""


def _contact(item) -> str:
    return "\n".join(part for part in (item.email, item.phone) if part)


# --- iCalendar --------------------------------------------------------------------------------


def agenda_ics(*, items, activity, participant, domain: str, url: str = "") -> bytes:
    """One VEVENT per meeting; the UID is stable per meeting, so a calendar that imports
    the file again updates a moved meeting instead of adding a second one."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{activity.title}: {participant.person.full_name}")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        if item.starts_at is None:
            continue
        event = CalendarEvent()
        event.add("uid", f"b2b-meeting-{item.meeting_id}@{domain}")
        who = item.other_name + (f" ({item.organisation})" if item.organisation else "")
        event.add("summary", _("B2B meeting: %(who)s") % {"who": who})
        event.add("dtstart", item.starts_at.astimezone(UTC))
        event.add("dtend", item.ends_at.astimezone(UTC))
        event.add("dtstamp", stamp)
        location = ", ".join(part for part in (activity.place, item.table) if part)
        if location:
            event.add("location", location)
        lines = [who]
        if item.headline:
            lines.append(item.headline)
        if item.email:
            lines.append(_("E-mail: %(email)s") % {"email": item.email})
        if item.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": item.phone})
        if item.table:
            lines.append(_("Table: %(table)s") % {"table": item.table})
        if item.message:
            lines.append(item.message)
        event.add("description", "\n".join(lines))
        if url:
            event.add("url", url)
        cal.add_component(event)
    return cal.to_ical()


# --- PDF --------------------------------------------------------------------------------------


def _agenda_story(*, activity, participant, items) -> list:
    when = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d")
    place = f" · {activity.place}" if activity.place else ""
    name = participant.person.full_name
    if participant.organisation_id:
        name += f", {participant.organisation.name}"
    story = [_p(activity.title, "title"), _p(f"{when}{place}", "sub"),
             _p(_("Agenda of %(name)s") % {"name": name}, "head"), Spacer(1, 4 * mm)]
    if not items:
        story.append(_p(_("No meetings in the schedule."), "note"))
        return story
    rows = [[_p(_("Time"), "head"), _p(_("Table"), "head"), _p(_("Meeting with"), "head"),
             _p(_("Organisation"), "head"), _p(_("Contact"), "head")]]
    for item in items:
        rows.append([_p(_span(item)), _p(item.table), _p(f"{item.other_name}\n{item.headline}"
                                                         if item.headline else item.other_name),
                     _p(item.organisation), _p(_contact(item))])
    width = A4[0] - 30 * mm
    table = Table(rows, colWidths=[w * width for w in (0.14, 0.12, 0.30, 0.22, 0.22)],
                  repeatRows=1)
    table.setStyle(GRID)
    story.append(table)
    return story


def _document(buffer, pagesize, title):
    return SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=15 * mm,
                             rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                             title=title, author="Klynge")


def agenda_pdf(*, activity, agendas) -> bytes:
    """Agendas, one participant per page: `agendas` is [(participant, items)]."""
    buffer = BytesIO()
    story = []
    for i, (participant, items) in enumerate(agendas):
        if i:
            story.append(PageBreak())
        story += _agenda_story(activity=activity, participant=participant, items=items)
    if not story:
        story = [_p(activity.title, "title"), _p(_("No agendas: nothing is scheduled yet."),
                                                 "note")]
    _document(buffer, A4, _("Agendas: %(event)s") % {"event": activity.title}).build(story)
    return buffer.getvalue()


def table_plan_pdf(*, activity, tables, rows) -> bytes:
    """The slots × tables grid with both sides' names (landscape A4), at most
    `PLAN_COLUMNS` tables across: a larger event gets one block of tables after another,
    each on its own page(s) with the times repeated (a very wide table cannot be laid out)."""
    buffer = BytesIO()
    page = landscape(A4)
    story = [_p(_("Table plan: %(event)s") % {"event": activity.title}, "title"),
             _p(timezone.localtime(activity.starts_at).strftime("%Y-%m-%d")
                + (f" · {activity.place}" if activity.place else ""), "sub")]
    if not tables:
        story.append(_p(_("The event has no tables yet."), "note"))
    width = page[0] - 30 * mm
    first = 22 * mm
    for start in range(0, len(tables), PLAN_COLUMNS):
        block = tables[start:start + PLAN_COLUMNS]
        style = "cell" if len(tables) <= 8 else "small"
        data = [[_p(_("Time"), "head")] + [_p(t.name, "head") for t in block]]
        for row in rows:
            if row.slot.is_break:
                data.append([_p(str(row.slot), style), _p(_("Break"), "note")]
                            + [""] * (len(block) - 1))
                continue
            cells = [_p(str(row.slot), style)]
            for meeting in row.cells[start:start + PLAN_COLUMNS]:
                if meeting is None:
                    cells.append("")
                else:
                    cells.append(_p(f"{meeting.requester.person.full_name}\n"
                                    f"{meeting.recipient.person.full_name}", style))
            data.append(cells)
        if start:
            story.append(PageBreak())
        other = (width - first) / max(1, len(block))
        table = Table(data, colWidths=[first] + [other] * len(block), repeatRows=1)
        table.setStyle(GRID)
        spans = [("SPAN", (1, i), (-1, i)) for i, row in enumerate(rows, start=1)
                 if row.slot.is_break and len(block) > 1]
        if spans:
            table.setStyle(TableStyle(spans))
        story.append(table)
    _document(buffer, page, _("Table plan: %(event)s") % {"event": activity.title}).build(story)
    return buffer.getvalue()
