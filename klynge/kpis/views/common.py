"""What the KPI pages share: the chosen period, the hub view, and one indicator's line."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klynge.core.roles import MANAGERS, Role
from klynge.ecosystem.models import Hub
from klynge.kpis import selectors
from klynge.kpis.definitions import DEFINITIONS, Definition
from klynge.kpis.domain.counting import Difference, difference
from klynge.kpis.forms import ChosenPeriod, PeriodForm


def may_manage(user) -> bool:
    return user.role in MANAGERS


@dataclass
class PeriodChoice:
    form: PeriodForm
    chosen: ChosenPeriod
    params: str  # the query string that chooses this period again

    @property
    def period(self):
        return self.chosen.period

    @property
    def title(self) -> str:
        period, programme = self.chosen.period, self.chosen.programme
        dates = {"start": date_format(period.start), "end": date_format(period.end)}
        if programme:
            text = (_("%(name)s to date (%(start)s – %(end)s)") if self.chosen.to_date
                    else _("%(name)s (%(start)s – %(end)s)"))
            return text % {"name": programme.name, **dates}
        if self.chosen.to_date and (period.start.month, period.start.day) == (1, 1):
            return _("%(year)s, year to date (%(start)s – %(end)s)") % {
                "year": period.start.year, **dates}
        if period.is_calendar_year:
            return period.label
        if self.chosen.to_date:
            return _("%(start)s – %(end)s (today)") % dates
        return f"{dates['start']} – {dates['end']}"


PERIOD_FIELDS = ("kind", "year", "programme", "start", "end")


def period_choice(request) -> PeriodChoice:
    """The period of the request (?year=, ?programme=, ?start=&end=), by default this year
    to date. An invalid choice keeps the form's errors and shows this year to date."""
    given = {name: request.GET[name] for name in PERIOD_FIELDS if request.GET.get(name)}
    form = PeriodForm(request.GET if given else None)
    chosen = form.period_or_default()
    params = urlencode(given) if form.is_bound and form.is_valid() else ""
    return PeriodChoice(form, chosen, params)


def params_for(period) -> str:
    """The query string that shows exactly this period (used for snapshots)."""
    if period.is_calendar_year:
        return urlencode({"year": period.start.year})
    return urlencode({"kind": PeriodForm.CUSTOM, "start": period.start.isoformat(),
                      "end": period.end.isoformat()})


@dataclass
class HubChoice:
    hub: Hub | None
    hubs: list
    default: bool  # the user's own hub, chosen for them


def hub_choice(request) -> HubChoice:
    """The hub whose participants and activities the page shows: ?hub=<pk>, ?hub= for the
    whole cluster, and by default a staff member's own hub."""
    hubs = list(Hub.objects.order_by("name"))
    by_pk = {str(hub.pk): hub for hub in hubs}
    if "hub" in request.GET:
        return HubChoice(by_pk.get(request.GET["hub"]), hubs, False)
    user = request.user
    if user.role == Role.STAFF and user.hub_id:
        return HubChoice(by_pk.get(str(user.hub_id)), hubs, True)
    return HubChoice(None, hubs, False)


@dataclass
class Line:
    """One indicator on a page: its row, definition, progress, and the change since a
    snapshot when the period is frozen."""

    row: selectors.Row
    definition: Definition
    frozen: selectors.Figure | None = None
    change: Difference | None = None
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def progress(self):
        return self.row.progress

    @property
    def reached_percent(self) -> Decimal | None:
        reached = self.progress.reached
        return None if reached is None else (reached * 100).quantize(Decimal("1"))


def lines_for(rows, snapshot=None) -> list[Line]:
    lines = [Line(row, DEFINITIONS[row.key]) for row in rows]
    if snapshot is None:
        return lines
    frozen = selectors.frozen_figures(snapshot)
    for line in lines:
        figure = frozen.get(line.row.key)
        if figure is None:
            continue
        line.frozen = figure
        line.change = difference(figure.value, figure.counted, line.row.figure.value,
                                 line.row.figure.counted)
    moved = {key for line in lines if line.change
             for key in (*line.change.added, *line.change.removed)}
    labels = selectors.labels_for_keys(moved) if moved else {}
    for line in lines:
        if line.change:
            line.added = [labels[key] for key in line.change.added]
            line.removed = [labels[key] for key in line.change.removed]
    return lines
