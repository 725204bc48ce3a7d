"""Writes of the KPI app: freezing a period's figures, and editing targets."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.kpis import hooks, selectors
from klynge.kpis.domain.counting import Period
from klynge.kpis.models import KpiSnapshot


def _frozen_rows(period: Period) -> dict:
    """Per indicator its figure and, for a flow within a programme period, the figure to
    date from the programme's start (what the year's target measures), frozen with it."""
    frozen = {}
    for row in selectors.kpi_rows(period):
        data = row.figure.as_json()
        if row.cumulative is not None:
            to_date = row.cumulative_period
            data["to_date"] = {"start": str(to_date.start), "end": str(to_date.end),
                               **row.cumulative.as_json()}
        frozen[row.key] = data
    return frozen


@transaction.atomic
def snapshot_freeze(*, period: Period, actor=None, note: str = "") -> KpiSnapshot:
    """Freeze the period's seven figures (with what counted), each flow's figure to date
    from its programme period's start, and the period's unique participants.

    Rule: one snapshot per period; a frozen figure never changes afterwards, whatever is
    edited or erased later. Side effects: audit entry klynge.kpis.snapshot.frozen; every hook
    in klynge.kpis.hooks.FROZEN runs in the same transaction (the reports app stores the
    period's report as frozen).
    """
    if selectors.snapshot_for(period) is not None:
        raise ApplicationError(_("The figures for %(period)s are already frozen.")
                               % {"period": period.label})
    try:
        with transaction.atomic():
            snapshot = KpiSnapshot.objects.create(
                period_start=period.start, period_end=period.end, label=period.label,
                figures=_frozen_rows(period),
                participants=selectors.participants(period).as_json(),
                note=note, frozen_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as error:  # a second freeze of the same period at the same moment
        raise ApplicationError(_("The figures for %(period)s are already frozen.")
                               % {"period": period.label}) from error
    log_action(snapshot, "klynge.kpis.snapshot.frozen", actor=actor,
               data={"period": [str(period.start), str(period.end)],
                     "values": {key: data["value"] for key, data in snapshot.figures.items()}})
    for hook in hooks.FROZEN:
        hook(snapshot, actor)
    return snapshot


# --- targets (B2: the target pages) --------------------------------------------------------


def _overlapping_period(start, end, *, exclude_pk=None):
    from klynge.kpis.models import TargetPeriod

    periods = TargetPeriod.objects.filter(start__year__lte=end.year, end__year__gte=start.year)
    if exclude_pk:
        periods = periods.exclude(pk=exclude_pk)
    return periods.first()


@transaction.atomic
def target_period_create(*, name: str, start, end, actor=None):
    """Add a programme period (e.g. 2029–2032) that targets can then be set for.

    Rules: a unique name; the end after the start; no calendar year shared with another
    period (a year's targets must belong to one period). Side effect: audit entry
    klynge.kpis.target_period.created.
    """
    from klynge.kpis.models import TargetPeriod

    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the programme period a name."), field="name")
    if end <= start:
        raise ApplicationError(_("The end must be after the start."), field="end")
    if TargetPeriod.objects.filter(name__iexact=name).exists():
        raise ApplicationError(_("A programme period named “%(name)s” exists already.")
                               % {"name": name}, field="name")
    other = _overlapping_period(start, end)
    if other is not None:
        raise ApplicationError(
            _("The period shares a year with the programme period %(other)s "
              "(%(start)s–%(end)s); a year's targets must belong to one period.")
            % {"other": other.name, "start": other.start.year, "end": other.end.year},
            field="start",
        )
    period = TargetPeriod.objects.create(name=name, start=start, end=end)
    log_action(period, "klynge.kpis.target_period.created", actor=actor,
               data={"name": name, "start": str(start), "end": str(end)})
    return period


def _target_error(kpi: str, year: int, value, high) -> str | None:
    from decimal import Decimal

    from klynge.kpis.domain import keys

    if value is None and high is not None:
        return _("%(year)s: an upper target needs a target.") % {"year": year}
    for number in (value, high):
        if number is not None and number < 0:
            return _("%(year)s: a target cannot be negative.") % {"year": year}
        if number is not None and kpi in keys.SHARES and number > Decimal(100):
            return _("%(year)s: a share cannot be more than 100 %%.") % {"year": year}
    if value is not None and high is not None and high < value:
        return _("%(year)s: the upper target must be at least the target.") % {"year": year}
    return None


@transaction.atomic
def targets_update(*, period, targets: dict, actor=None) -> int:
    """Set a programme period's targets: `targets` maps (kpi, year) to (value, value_high),
    a value of None removing that year's target.

    Rules: known indicators and years within the period; targets are not negative, a share
    is at most 100 % and an upper target at least the target. Nothing is saved when one is
    wrong. Side effect: audit entry klynge.kpis.targets.updated with the changes. Returns
    the number of targets changed.
    """
    from klynge.kpis.choices import Kpi
    from klynge.kpis.models import KpiTarget

    errors = []
    for (kpi, year), (value, high) in targets.items():
        if kpi not in Kpi.values or year not in period.years:
            errors.append(_("%(kpi)s %(year)s is not a target of this period.")
                          % {"kpi": kpi, "year": year})
            continue
        problem = _target_error(kpi, year, value, high)
        if problem:
            errors.append(f"{Kpi(kpi).label}: {problem}")
    if errors:
        raise ApplicationError(" ".join(errors))
    existing = {(t.kpi, t.year): t for t in KpiTarget.objects.filter(period=period)}
    changes = {}
    for (kpi, year), (value, high) in sorted(targets.items()):
        target = existing.get((kpi, year))
        before = None if target is None else (target.value, target.value_high)
        after = None if value is None else (value, high)
        if before == after:
            continue
        if value is None:
            target.delete()
        elif target is None:
            KpiTarget.objects.create(period=period, kpi=kpi, year=year, value=value,
                                     value_high=high)
        else:
            target.value, target.value_high = value, high
            target.save(update_fields=["value", "value_high"])
        changes[f"{kpi} {year}"] = [_pair(before), _pair(after)]
    if changes:
        log_action(period, "klynge.kpis.targets.updated", actor=actor, data={"changes": changes})
    return len(changes)


def _pair(pair) -> list | None:
    if pair is None:
        return None
    return [None if number is None else str(number) for number in pair]
