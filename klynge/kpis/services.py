"""Writes of the KPI app: freezing a period's figures, and editing targets."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.kpis import selectors
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import KpiSnapshot


@transaction.atomic
def snapshot_freeze(*, period: Period, actor=None, note: str = "") -> KpiSnapshot:
    """Freeze the period's seven figures (with what counted) and its unique participants.

    Rule: one snapshot per period; a frozen figure never changes afterwards, whatever is
    edited or erased later. Side effect: audit entry klynge.kpis.snapshot.frozen.
    """
    if selectors.snapshot_for(period) is not None:
        raise ApplicationError(_("The figures for %(period)s are already frozen.")
                               % {"period": period.label})
    figures = selectors.kpi_figures(period)
    try:
        with transaction.atomic():
            snapshot = KpiSnapshot.objects.create(
                period_start=period.start, period_end=period.end, label=period.label,
                figures={key: figure.as_json() for key, figure in figures.items()},
                participants=selectors.participants(period).as_json(),
                note=note, frozen_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as error:  # a second freeze of the same period at the same moment
        raise ApplicationError(_("The figures for %(period)s are already frozen.")
                               % {"period": period.label}) from error
    log_action(snapshot, "klynge.kpis.snapshot.frozen", actor=actor,
               data={"period": [str(period.start), str(period.end)],
                     "values": {key: data["value"] for key, data in snapshot.figures.items()}})
    return snapshot
