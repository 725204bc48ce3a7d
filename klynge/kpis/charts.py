"""Plotly charts of the management dashboard, rendered as HTML fragments.

Like klynge/funding/charts.py: the page loads Plotly's JavaScript from the installed package
(funding's plotly_js view), so the fragments do not include it and work offline. Every
fragment sits in a div with a stable id, so tests and the page can find it.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from klynge.core.charts import plotly_html

ACTUAL = "#1f4e8c"
TARGET = "#c77d1a"
PALETTE = ["#1f4e8c", "#8aa4c8", "#2e8b57", "#c77d1a", "#7b5ea7", "#b33f3f", "#5f7a8a"]
CONFIG = {"displaylogo": False, "responsive": True}


def _go():
    import plotly.graph_objects as go  # loaded on the first chart, not at start-up

    return go


def _layout(figure, title: str, *, height: int = 300, **extra) -> None:
    figure.update_layout(
        title=title, height=height, margin={"l": 50, "r": 10, "t": 40, "b": 50},
        legend={"orientation": "h"}, paper_bgcolor="rgba(0,0,0,0)", **extra,
    )


def _html(figure, chart_id: str) -> str:
    # The figure as JSON data drawn by klynge.js: no inline script under the CSP.
    inner = plotly_html(figure, CONFIG)
    return format_html('<div class="chart" id="{}">{}</div>', chart_id, mark_safe(inner))


def trajectory_chart(key: str, title: str, points: list[dict], *, unit: str = "") -> str:
    """One indicator's target per year (a line) against its actual figure (bars)."""
    go = _go()
    years = [str(p["year"]) for p in points]
    figure = go.Figure(data=[
        go.Bar(name=_("Actual"), x=years,
               y=[None if p["actual"] is None else float(p["actual"]) for p in points],
               marker_color=ACTUAL),
        go.Scatter(name=_("Target"), x=years,
                   y=[None if p["target"] is None else float(p["target"]) for p in points],
                   mode="lines+markers", line={"color": TARGET, "dash": "dash"}),
    ])
    _layout(figure, title, height=260, yaxis_title=unit)
    return _html(figure, f"chart-trajectory-{key}")


def members_chart(points) -> str:
    """Paying members on the last day of every month."""
    go = _go()
    figure = go.Figure(data=[go.Scatter(
        name=_("Paying members"), x=[day.isoformat() for day, _count in points],
        y=[count for _day, count in points], mode="lines+markers", line={"color": ACTUAL},
    )])
    _layout(figure, _("Paying members at the end of each month"),
            yaxis={"rangemode": "tozero"})
    return _html(figure, "chart-members")


def breakdown_chart(chart_id: str, title: str, rows: list[tuple[str, int]]) -> str:
    """A horizontal bar per label (participants by region, size or kind)."""
    go = _go()
    figure = go.Figure(data=[go.Bar(
        x=[count for _label, count in rows], y=[label for label, _count in rows],
        orientation="h", marker_color=ACTUAL,
    )])
    _layout(figure, title, height=max(220, 60 + 28 * len(rows)), yaxis={"automargin": True})
    return _html(figure, chart_id)


def activities_chart(months: list[str], series: list[tuple[str, list[float]]]) -> str:
    """Held activities per month, stacked by grant (a split activity by its shares)."""
    go = _go()
    figure = go.Figure(data=[
        go.Bar(name=label, x=months, y=values, marker_color=PALETTE[i % len(PALETTE)])
        for i, (label, values) in enumerate(series)
    ])
    _layout(figure, _("Activities held per month by grant"), barmode="stack")
    return _html(figure, "chart-activities")


def budget_chart(rows) -> str:
    """Planned against actual spending per grant for the year."""
    go = _go()
    labels = [row.grant.code for row in rows]
    figure = go.Figure(data=[
        go.Bar(name=_("Planned"), x=labels, y=[float(row.planned_total) for row in rows],
               marker_color="#8aa4c8"),
        go.Bar(name=_("Actual"), x=labels, y=[float(row.actual_total) for row in rows],
               marker_color=ACTUAL),
    ])
    _layout(figure, _("Budget: planned and actual per grant"), barmode="group",
            yaxis_title="DKK")
    return _html(figure, "chart-budget")
