"""Plotly charts of the funding pages, rendered as HTML fragments.

The page loads Plotly's JavaScript from the installed package (views.plotly_js), so the
fragments do not include it and nothing is fetched from the internet.
"""

from django.utils.translation import gettext as _

from klynge.core.charts import plotly_html
from klynge.funding.selectors import PlanAgainstActual


def _bars(rows, title: str):
    import plotly.graph_objects as go  # loaded on the first chart, not at start-up

    labels = [row.label for row in rows]
    figure = go.Figure(data=[
        go.Bar(name=_("Planned"), x=labels, y=[float(row.planned) for row in rows],
               marker_color="#8aa4c8"),
        go.Bar(name=_("Actual"), x=labels, y=[float(row.actual) for row in rows],
               marker_color="#1f4e8c"),
    ])
    figure.update_layout(
        title=title, barmode="group", height=340, margin={"l": 50, "r": 10, "t": 40, "b": 80},
        yaxis_title="DKK", legend={"orientation": "h"}, paper_bgcolor="rgba(0,0,0,0)",
    )
    return figure


def plan_against_actual_chart(result: PlanAgainstActual) -> str:
    """Planned against actual per budget line and per planned activity; "" with no data."""
    parts = []
    if result.lines:
        parts.append(_bars(result.lines, _("Budget lines: planned and actual")))
    if result.activities:
        parts.append(_bars(result.activities, _("Planned activities: budget and actual")))
    # The figures as JSON data drawn by klynge.js: no inline script under the CSP.
    return "".join(
        plotly_html(figure, {"displaylogo": False, "responsive": True}) for figure in parts
    )
