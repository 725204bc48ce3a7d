"""The report laid out as sections of facts and tables, shared by the three renderers so the
XLSX, the PDF and the HTML show the same figures in the same order.

Cells keep their raw values (numbers stay numbers for Excel); each column says what kind of
value it holds and the renderer formats it (klynge.reports.render.formatting).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from klynge.reports.status.report import StatusReport

TEXT = "text"
LONG = "long"
INT = "int"
NUMBER = "number"
PERCENT = "percent"
FRACTION = "fraction"
MONEY = "money"
DATE = "date"
DATETIME = "datetime"
YEAR = "year"

NUMERIC = frozenset({INT, NUMBER, PERCENT, FRACTION, MONEY})


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    empty: str


@dataclass(frozen=True)
class Fact:
    label: str
    value: object
    kind: str = TEXT


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    short: str
    notes: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    tables: tuple[Table, ...] = ()


def _tally_table(title: str, first: str, tallies, empty: str) -> Table:
    return Table(
        title, (Column(first), Column(_("Count"), INT), Column(_("Share"), PERCENT)),
        tuple((t.label, t.count, t.share) for t in tallies), empty,
    )


def _summary(report: StatusReport) -> Section:
    h = report.header
    facts = [
        Fact(_("Cluster"), h.cluster_name),
        Fact(_("Report"), h.kind_label),
        Fact(_("Period"),
             f"{h.period_label} ({h.period_start:%Y-%m-%d} – {h.period_end:%Y-%m-%d})"),
    ]
    if h.hub:
        facts.append(Fact(_("Hub"), h.hub))
    facts += [
        Fact(_("Generated"), h.generated_at, DATETIME),
        Fact(_("Held activities"), report.activities.total, INT),
        Fact(_("Unique participants (people)"), report.participants.people, INT),
        Fact(_("Unique organisations"), report.participants.organisations, INT),
    ]
    if h.frozen:
        note = _("The KPI figures are the frozen figures of “%(label)s”, frozen on %(day)s: "
                 "they do not change when records are edited later. So are the unique "
                 "participants of the whole cluster; the other sections are computed from "
                 "the records as they are now.") % {
            "label": h.frozen_label, "day": f"{h.frozen_at:%Y-%m-%d}"}
        if h.frozen_note:
            note += " " + h.frozen_note
    else:
        note = _("The figures are computed from the records as they are now; they can change "
                 "until the period's figures are frozen.")
    notes = [note]
    if h.hub:
        notes.append(_("Activities, participants and international activities are those of "
                       "the hub %(hub)s; the KPIs, evaluations, grants and budgets are the "
                       "whole cluster's.") % {"hub": h.hub})
    return Section("summary", _("About this report"), _("About"), tuple(notes), tuple(facts))


def _activities(report: StatusReport) -> Section:
    a = report.activities
    none = _("No activities were held in the period.")
    by_grant = Table(
        _("By grant"),
        (Column(_("Grant")), Column(_("Name")), Column(_("Activities"), INT),
         Column(_("Weighted by funding share"), NUMBER)),
        tuple((g.code, g.name, g.activities, g.weighted) for g in a.by_grant),
        _("No held activity is funded by a grant."),
    )
    return Section(
        "activities", _("Activities"), _("Activities"),
        (_("Activities held in the period. An activity split across grants counts once in each "
           "grant's row and by its share in the weighted column."),),
        (Fact(_("Held activities"), a.total, INT),
         Fact(_("Not funded by any grant"), a.unfunded, INT)),
        (_tally_table(_("By type"), _("Type"), a.by_type, none),
         _tally_table(_("By format"), _("Format"), a.by_format, none),
         by_grant,
         _tally_table(_("By hub"), _("Hub"), a.by_hub, none)),
    )


def _participants(report: StatusReport) -> Section:
    p = report.participants
    none = _("Nobody took part in an activity held in the period.")
    notes = [_("Unique participants: people and organisations with at least one attended "
               "participation in an activity held in the period (no-shows and cancelled "
               "registrations do not count). A Danish company counts once per CVR number.")]
    if p.frozen:
        notes.append(_("These are the frozen participant figures of the period."))
    return Section(
        "participants", _("Participants"), _("Participants"), tuple(notes),
        (Fact(_("People"), p.people, INT), Fact(_("Organisations"), p.organisations, INT),
         Fact(_("Companies"), p.companies, INT),
         Fact(_("Knowledge institutions"), p.knowledge_institutions, INT),
         Fact(_("Startups"), p.startups, INT)),
        (_tally_table(_("By kind"), _("Kind"), p.by_kind, none),
         _tally_table(_("Companies by size"), _("Size"), p.by_size,
                      _("No company took part in the period.")),
         _tally_table(_("By region"), _("Region"), p.by_region, none),
         _tally_table(_("By hub"), _("Hub"), p.by_hub, none)),
    )


def _whole(value):
    """A target as entered: 650 rather than 650.0, but 37.5 stays."""
    if value is not None and value == value.to_integral_value():
        return value.quantize(1)
    return value


def _target(line) -> object:
    if line.target is not None and line.target_high is not None:
        return f"{_whole(line.target)}–{_whole(line.target_high)}"
    return _whole(line.target)


def _kpis(report: StatusReport) -> Section:
    figures = Table(
        _("Figures against targets"),
        (Column("#", INT), Column(_("Indicator")), Column(_("Figure"), NUMBER),
         Column(_("Unit")), Column(_("Figure to date"), NUMBER), Column(_("To date over")),
         Column(_("Target"), NUMBER), Column(_("Reached"), FRACTION), Column(_("Status"))),
        tuple((k.number, k.title, k.value, k.unit, k.to_date, k.to_date_label, _target(k),
               k.reached, k.status_label) for k in report.kpis),
        _("No indicators."),
    )
    definitions = Table(
        _("Definitions"),
        (Column("#", INT), Column(_("Goal")), Column(_("Indicator")),
         Column(_("How it is counted"), LONG), Column(_("Source"), LONG)),
        tuple((k.number, k.goal, k.indicator, k.counting, k.source) for k in report.kpis),
        _("No indicators."),
    )
    notes = [_("The target of a flow indicator (2–6) is cumulative from the start of the "
               "programme period, so its figure to date is compared with the target; a state "
               "(1, 7) is compared on the last day of the period.")]
    if report.header.frozen:
        notes.insert(0, _("Frozen figures: these do not change when records are edited later."))
    return Section("kpis", _("The seven KPIs against their targets"), _("KPIs"), tuple(notes), (),
                   (figures, definitions))


def _evaluations(report: StatusReport) -> Section:
    e = report.evaluations
    answered = any(line.answered for line in e.lines)
    table = Table(
        _("Standard questions"),
        (Column(_("Question")), Column(_("Answers"), INT), Column(_("Yes or agree"), INT),
         Column(_("Share of yes"), PERCENT), Column(_("Average (0–10)"), NUMBER)),
        tuple((line.label, line.answered, line.yes, line.yes_share, line.average)
              for line in e.lines) if answered else (),
        _("No survey was answered in the period."),
    )
    return Section(
        "evaluations", _("Evaluation results"), _("Evaluations"),
        (_("Answers in evaluations answered within the period: after activities, the 6- and "
           "12-month follow-ups and the annual member survey. The response rate is answered "
           "of sent for the survey invitations sent in the period."),),
        (Fact(_("Surveys answered"), e.surveys, INT), Fact(_("Invitations sent"), e.sent, INT),
         Fact(_("Answered"), e.answered, INT), Fact(_("Response rate"), e.response_rate, PERCENT)),
        (table,),
    )


def _grant_rules(report: StatusReport) -> Section:
    none = _("No grant runs in the period.")
    overview = Table(
        _("Funded activities"),
        (Column(_("Grant")), Column(_("Year"), YEAR), Column(_("Funded activities"), INT),
         Column(_("Meet every rule"), INT), Column(_("Still need something"), INT)),
        tuple((g.code, g.year, g.activities, g.activities_ok, g.activities_not_ok)
              for g in report.grant_rules),
        none,
    )
    rules = Table(
        _("Rules per activity"),
        (Column(_("Grant")), Column(_("Year"), YEAR), Column(_("Rule")), Column(_("Met"), INT),
         Column(_("Not met"), INT)),
        tuple((g.code, g.year, rule.label, rule.met, rule.failed)
              for g in report.grant_rules for rule in g.rules),
        _("No funded activity was checked against a grant rule."),
    )
    yes, no = _("Met"), _("Not met")
    year_rules = Table(
        _("The year's rules"),
        (Column(_("Grant")), Column(_("Year"), YEAR), Column(_("Verdict")),
         Column(_("Details"), LONG)),
        tuple((g.code, g.year, yes if v.ok else no, v.message)
              for g in report.grant_rules for v in g.year_verdicts),
        _("No grant with rules runs in the period."),
    )
    return Section(
        "grant_rules", _("Grant-rule verdicts"), _("Grant rules"),
        (_("Per grant and year: the activities the grant funds (not cancelled) checked "
           "against the grant's rules, and the rules for the grant's year as a whole."),),
        (), (overview, rules, year_rules),
    )


def _budgets(report: StatusReport) -> Section:
    totals = Table(
        _("Per grant and year"),
        (Column(_("Grant")), Column(_("Year"), YEAR), Column(_("Action plan")),
         Column(_("Planned (DKK)"), MONEY), Column(_("Actual (DKK)"), MONEY),
         Column(_("Difference (DKK)"), MONEY), Column(_("Hours"), NUMBER)),
        tuple((b.code, b.year, _("Yes") if b.has_plan else _("No action plan"),
               b.planned_total, b.actual_total, b.difference_total, b.hours)
              for b in report.budgets),
        _("No grant runs in the period."),
    )
    lines = Table(
        _("Budget lines"),
        (Column(_("Grant")), Column(_("Year"), YEAR), Column(_("Budget line")),
         Column(_("Category")),
         Column(_("Planned (DKK)"), MONEY), Column(_("Actual (DKK)"), MONEY),
         Column(_("Difference (DKK)"), MONEY)),
        tuple((b.code, b.year, line.label, line.category, line.planned, line.actual,
               line.difference) for b in report.budgets for line in b.lines),
        _("No budget lines and no spending in the period."),
    )
    return Section(
        "budgets", _("Budget: plan against actual"), _("Budget"),
        (_("Actual spending is costs plus registered hours at their rate, per grant and year."),),
        (), (totals, lines),
    )


def _collaborations(report: StatusReport) -> Section:
    return Section(
        "collaborations", _("Collaborations with other clusters"), _("Collaborations"),
        (_("Activities held with another cluster organisation as co-organiser, and projects "
           "starting in the period with one as partner (KPI 2)."),),
        (Fact(_("Collaborations"), len(report.collaborations), INT),),
        (Table(
            _("Collaborations"),
            (Column(_("Date"), DATE), Column(_("Kind")), Column(_("Title")),
             Column(_("Type")), Column(_("Other clusters"), LONG)),
            tuple((c.day, c.kind, c.title, c.detail, c.clusters)
                  for c in report.collaborations),
            _("No collaborations with other clusters in the period."),
        ),),
    )


def _international(report: StatusReport) -> Section:
    return Section(
        "international", _("International activities"), _("International"),
        (_("Held activities of type internationalisation, with their attended participants."),),
        (Fact(_("International activities"), len(report.international), INT),),
        (Table(
            _("International activities"),
            (Column(_("Date"), DATE), Column(_("Activity")), Column(_("Format")),
             Column(_("Hub")), Column(_("People"), INT), Column(_("Organisations"), INT)),
            tuple((a.day, a.title, a.format, a.hub, a.participants, a.organisations)
                  for a in report.international),
            _("No international activities were held in the period."),
        ),),
    )


def _eu_applications(report: StatusReport) -> Section:
    return Section(
        "eu_applications", _("EU applications"), _("EU applications"),
        (_("EU applications submitted in the period, whatever their later status."),),
        (Fact(_("EU applications"), len(report.eu_applications), INT),),
        (Table(
            _("EU applications"),
            (Column(_("Submitted"), DATE), Column(_("Application")), Column(_("Programme")),
             Column(_("Call")), Column(_("Status")), Column(_("Partners"), INT),
             Column(_("Company partners"), INT)),
            tuple((e.submitted_on, e.title, e.programme, e.call, e.status, e.partners,
                   e.companies) for e in report.eu_applications),
            _("No EU applications were submitted in the period."),
        ),),
    )


def sections(report: StatusReport) -> list[Section]:
    """The report's sections in reading order."""
    return [
        _summary(report), _kpis(report), _activities(report), _participants(report),
        _evaluations(report), _grant_rules(report), _budgets(report),
        _collaborations(report), _international(report), _eu_applications(report),
    ]
