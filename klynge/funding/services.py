"""Writes of the funding app. Each service validates, saves and writes the audit log.

Errors a person can cause are ApplicationErrors naming the form field.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from klynge.core.audit import log_action
from klynge.core.errors import ApplicationError
from klynge.funding.models import (
    ActionPlan,
    BudgetLine,
    Cost,
    Grant,
    PlannedActivity,
    TimeRegistration,
)
from klynge.funding.selectors import ZERO


def _check_year(grant: Grant, year: int, *, field: str = "year") -> None:
    if year not in grant.years:
        raise ApplicationError(
            _("%(grant)s runs from %(start)d to %(end)d; %(year)d is outside it.")
            % {"grant": grant.code, "start": grant.period_start.year,
               "end": grant.period_end.year, "year": year},
            field=field,
        )


def _check_amount(value, field: str, *, positive: bool = False) -> None:
    if value is None:
        raise ApplicationError(_("Enter an amount."), field=field)
    if positive and value <= 0:
        raise ApplicationError(_("Must be more than zero."), field=field)
    if value < 0:
        raise ApplicationError(_("Must not be negative."), field=field)


def _check_activity(grant: Grant, activity, field: str = "activity") -> None:
    """An activity can only carry costs of a grant that funds it."""
    if activity is not None and not activity.fundings.filter(grant=grant).exists():
        raise ApplicationError(
            _("“%(activity)s” is not funded by %(grant)s. Add the grant to the activity's "
              "funding first, or leave the activity empty.")
            % {"activity": activity, "grant": grant.code},
            field=field,
        )


def _check_booking(grant: Grant, *, day: date, budget_line, activity) -> None:
    """A cost or an hour belongs to the grant's period, and to a budget line of its year."""
    if not grant.period_start <= day <= grant.period_end:
        raise ApplicationError(
            _("The date must lie within the grant's period, %(start)s to %(end)s.")
            % {"start": grant.period_start, "end": grant.period_end},
            field="date",
        )
    if budget_line is not None:
        if budget_line.plan.grant_id != grant.pk:
            raise ApplicationError(
                _("The budget line belongs to another grant."), field="budget_line"
            )
        if budget_line.plan.year != day.year:
            raise ApplicationError(
                _("The budget line is in the %(line_year)d plan, but the date is in "
                  "%(year)d.") % {"line_year": budget_line.plan.year, "year": day.year},
                field="budget_line",
            )
    _check_activity(grant, activity)


@transaction.atomic
def action_plan_create(*, grant: Grant, year: int, description: str = "", actor=None
                       ) -> ActionPlan:
    """Rule: one action plan per grant and year, within the grant's period."""
    _check_year(grant, year)
    if ActionPlan.objects.filter(grant=grant, year=year).exists():
        raise ApplicationError(
            _("%(grant)s already has an action plan for %(year)d.")
            % {"grant": grant.code, "year": year},
            field="year",
        )
    plan = ActionPlan.objects.create(grant=grant, year=year, description=description)
    log_action(plan, "klynge.funding.action_plan.created", actor=actor,
               data={"grant": grant.code, "year": year})
    return plan


@transaction.atomic
def budget_line_create(*, plan: ActionPlan, name: str, category: str,
                       planned_amount: Decimal, actor=None) -> BudgetLine:
    """Rule: a named line, unique within its plan, with a planned amount of zero or more."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the budget line a name."), field="name")
    _check_amount(planned_amount, "planned_amount")
    if plan.budget_lines.filter(name__iexact=name).exists():
        raise ApplicationError(
            _("The %(year)d plan already has a budget line called “%(name)s”.")
            % {"year": plan.year, "name": name},
            field="name",
        )
    line = BudgetLine.objects.create(plan=plan, name=name, category=category,
                                     planned_amount=planned_amount)
    log_action(line, "klynge.funding.budget_line.created", actor=actor,
               data={"plan": str(plan), "category": category, "planned_amount": planned_amount})
    return line


@transaction.atomic
def planned_activity_create(*, plan: ActionPlan, title: str, type: str,
                            target_participants: int = 0, budget: Decimal = ZERO,
                            activity=None, actor=None) -> PlannedActivity:
    """Rule: the activity type must be eligible for the plan's grant; a linked activity must
    be funded by the grant."""
    grant = plan.grant
    if grant.rules.has_rules and type not in grant.eligible_types:
        raise ApplicationError(
            _("This activity type is not eligible for %(grant)s.") % {"grant": grant.code},
            field="type",
        )
    _check_amount(budget, "budget")
    _check_activity(grant, activity)
    planned = PlannedActivity.objects.create(
        plan=plan, title=title.strip(), type=type, target_participants=target_participants or 0,
        budget=budget, activity=activity,
    )
    log_action(planned, "klynge.funding.planned_activity.created", actor=actor,
               data={"plan": str(plan), "type": type, "budget": budget})
    return planned


@transaction.atomic
def time_registration_create(*, grant: Grant, day: date, hours: Decimal,
                             hourly_rate: Decimal, user=None, person_name: str = "",
                             organisation=None, budget_line=None, activity=None,
                             description: str = "", actor=None) -> TimeRegistration:
    """Rule: hours above zero at a rate of zero or more, by a staff member or a named person,
    dated within the grant's period (and the budget line's year)."""
    if user is None and not (person_name or "").strip():
        raise ApplicationError(
            _("Choose the staff member, or write the name of the person whose hours these are."),
            field="person_name",
        )
    _check_amount(hours, "hours", positive=True)
    _check_amount(hourly_rate, "hourly_rate")
    _check_booking(grant, day=day, budget_line=budget_line, activity=activity)
    registration = TimeRegistration.objects.create(
        grant=grant, date=day, hours=hours, hourly_rate=hourly_rate, user=user,
        person_name=(person_name or "").strip(), organisation=organisation,
        budget_line=budget_line, activity=activity, description=description,
    )
    log_action(registration, "klynge.funding.time_registration.created", actor=actor,
               data={"grant": grant.code, "date": day, "hours": hours,
                     "hourly_rate": hourly_rate})
    return registration


@transaction.atomic
def cost_create(*, grant: Grant, day: date, amount: Decimal, description: str,
                organisation=None, budget_line=None, activity=None, actor=None) -> Cost:
    """Rule: an amount above zero with a description, dated within the grant's period (and
    the budget line's year)."""
    if not (description or "").strip():
        raise ApplicationError(_("Describe the cost."), field="description")
    _check_amount(amount, "amount", positive=True)
    _check_booking(grant, day=day, budget_line=budget_line, activity=activity)
    cost = Cost.objects.create(
        grant=grant, date=day, amount=amount, description=description.strip(),
        organisation=organisation, budget_line=budget_line, activity=activity,
    )
    log_action(cost, "klynge.funding.cost.created", actor=actor,
               data={"grant": grant.code, "date": day, "amount": amount})
    return cost
