"""Writes to activities and focus networks. Each service validates, saves, writes the audit log.

Errors a user can cause are ApplicationErrors naming the offending field. Registrations and
attendance are written by `klynge.activities.registrations`, not here.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klynge.activities import hooks
from klynge.activities.choices import ActivityStatus, ActivityType
from klynge.activities.models import Activity, ActivityFunding, FocusNetwork, FocusNetworkMember
from klynge.core.audit import assign_fields, changes, field_values, log_action
from klynge.core.errors import ApplicationError
from klynge.core.locking import check_current, save_if_current
from klynge.ecosystem.models import Organisation, Person
from klynge.funding.models import Grant

ACTIVITY_FIELDS = (
    "title", "description", "type", "format", "focus_network", "hub", "place", "online_link",
    "starts_at", "ends_at", "capacity", "registration_deadline", "status", "is_public",
    "green_focus", "innovation_project", "responsible",
)
FOCUS_NETWORK_FIELDS = ("name", "description", "hub", "is_active")

#: Statuses a form may set; held and cancelled have their own services (and side effects).
EDITABLE_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.OPEN, ActivityStatus.CLOSED)

#: One funding row: the grant and its share in per cent (None: the whole rest, 100 %).
FundingRow = tuple[Grant, Decimal | None]


# --- rules -------------------------------------------------------------------------------------


def _check_activity(activity: Activity) -> None:
    """The rules on an activity's own fields (dates, deadline, capacity, title)."""
    if not (activity.title or "").strip():
        raise ApplicationError(_("An activity needs a title."), field="title")
    if activity.starts_at is None:
        raise ApplicationError(_("Give the date and time the activity starts."), field="starts_at")
    if activity.ends_at is None:
        raise ApplicationError(_("Give the date and time the activity ends."), field="ends_at")
    if activity.ends_at <= activity.starts_at:
        raise ApplicationError(_("An activity must end after it starts."), field="ends_at")
    deadline = activity.registration_deadline
    if deadline is not None and deadline > activity.starts_at:
        raise ApplicationError(
            _("The registration deadline must be before the activity starts."),
            field="registration_deadline",
        )
    if activity.capacity is not None and activity.capacity < 1:
        raise ApplicationError(
            _("The capacity must be at least 1 (leave it empty for no limit)."), field="capacity"
        )


def _normalise_fundings(fundings: Sequence[FundingRow]) -> list[tuple[Grant, Decimal]]:
    """Give a lone grant without a share 100 %; refuse a grant named twice."""
    rows = list(fundings)
    seen: set[int] = set()
    for grant, _share in rows:
        if grant.pk in seen:
            raise ApplicationError(
                _("%(grant)s is named twice in the funding split.") % {"grant": grant},
                field="fundings",
            )
        seen.add(grant.pk)
    if len(rows) == 1 and rows[0][1] is None:
        return [(rows[0][0], Decimal("100"))]
    out = []
    for grant, share in rows:
        if share is None:
            raise ApplicationError(
                _("Give the share of %(grant)s in per cent.") % {"grant": grant},
                field="fundings",
            )
        out.append((grant, Decimal(share)))
    return out


def _check_fundings(activity: Activity, fundings: Sequence[tuple[Grant, Decimal]]) -> None:
    """Rules: shares sum to 100 %; each grant's period covers the activity's date; the
    activity's type is eligible under each grant."""
    if not fundings:
        return
    for _grant, share in fundings:
        if share <= 0 or share > 100:
            raise ApplicationError(
                _("A grant's share must be more than 0 and at most 100 %."), field="fundings"
            )
    total = sum((share for _grant, share in fundings), Decimal("0"))
    if total != Decimal("100"):
        raise ApplicationError(
            _("The funding shares add up to %(total)s %%; they must add up to 100 %%.")
            % {"total": f"{total.normalize():f}"},
            field="fundings",
        )
    day = timezone.localtime(activity.starts_at).date()
    for grant, _share in fundings:
        if not (grant.period_start <= day <= grant.period_end):
            raise ApplicationError(
                _("%(grant)s runs from %(start)s to %(end)s; the activity on %(day)s is outside "
                  "its period.")
                % {"grant": grant, "start": grant.period_start, "end": grant.period_end,
                   "day": day},
                field="fundings",
            )
        if activity.type not in (grant.eligible_types or []):
            raise ApplicationError(
                _("%(type)s is not eligible under %(grant)s.")
                % {"type": ActivityType(activity.type).label, "grant": grant},
                field="type" if len(fundings) == 1 else "fundings",
            )


def _check_status_in_form(activity: Activity, before: str | None) -> None:
    if activity.status == before:
        return
    if before in (ActivityStatus.HELD, ActivityStatus.CANCELLED):
        raise ApplicationError(
            _("A held or cancelled activity keeps its status."), field="status"
        )
    if activity.status not in EDITABLE_STATUSES:
        raise ApplicationError(
            _("Use the buttons on the activity's page to mark it held or to cancel it."),
            field="status",
        )


def _save_fundings(activity: Activity, fundings: Sequence[tuple[Grant, Decimal]]) -> None:
    activity.fundings.all().delete()
    ActivityFunding.objects.bulk_create(
        [ActivityFunding(activity=activity, grant=grant, share=share) for grant, share in fundings]
    )


def _funding_snapshot(activity: Activity) -> list[list]:
    return [
        [f.grant_id, f"{f.share.normalize():f}"]
        for f in activity.fundings.order_by("grant_id")
    ]


def _ids(items) -> list[int]:
    return sorted(item.pk for item in items)


# --- activities --------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *, actor, data: dict[str, Any], focus_areas: Iterable | None = None,
    fundings: Sequence[FundingRow] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
) -> Activity:
    """Plan an activity.

    Rules: it ends after it starts; the registration deadline is before the start; capacity
    is at least 1; the funding shares add up to 100 % when any are given; each grant's
    period covers the activity's date and its type is eligible under the grant.
    Side effects: audit entry klynge.activities.activity.created.
    """
    activity = Activity()
    assign_fields(activity, ACTIVITY_FIELDS, data)
    if not activity.status:
        activity.status = ActivityStatus.PLANNED
    _check_activity(activity)
    _check_status_in_form(activity, ActivityStatus.PLANNED)
    rows = _normalise_fundings(fundings or [])
    _check_fundings(activity, rows)
    activity.save()
    if focus_areas is not None:
        activity.focus_areas.set(focus_areas)
    if co_organisers is not None:
        activity.co_organisers.set(list(co_organisers))
    _save_fundings(activity, rows)
    log_action(
        activity, "klynge.activities.activity.created", actor=actor,
        data={**field_values(activity, ACTIVITY_FIELDS), "fundings": _funding_snapshot(activity),
              "co_organisers": _ids(activity.co_organisers.all()),
              "focus_areas": _ids(activity.focus_areas.all())},
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, actor, data: dict[str, Any], focus_areas: Iterable | None = None,
    fundings: Sequence[FundingRow] | None = None,
    co_organisers: Iterable[Organisation] | None = None, version: int | None = None,
) -> Activity:
    """Change an activity. The same rules as activity_create; the existing funding split is
    checked again when only the date or type changes (None: leave that relation as it is).

    `version`: the version the edit form was opened on; a newer save since then refuses this
    one with klynge.core.locking.StaleEdit (None: no check). Every save raises the version.
    Side effects: audit entry klynge.activities.activity.updated with each changed field.
    """
    check_current(activity, version)
    before = field_values(activity, ACTIVITY_FIELDS)
    before_fundings = _funding_snapshot(activity)
    before_partners = _ids(activity.co_organisers.all())
    before_areas = _ids(activity.focus_areas.all())
    assign_fields(activity, ACTIVITY_FIELDS, data)
    _check_activity(activity)
    _check_status_in_form(activity, before["status"])
    if fundings is None:
        rows = [(f.grant, f.share) for f in activity.fundings.select_related("grant")]
    else:
        rows = _normalise_fundings(fundings)
    _check_fundings(activity, rows)
    save_if_current(activity, version)
    if fundings is not None:
        _save_fundings(activity, rows)
    if focus_areas is not None:
        activity.focus_areas.set(focus_areas)
    if co_organisers is not None:
        activity.co_organisers.set(list(co_organisers))
    diff = changes(before, field_values(activity, ACTIVITY_FIELDS))
    for key, old, new in (
        ("fundings", before_fundings, _funding_snapshot(activity)),
        ("co_organisers", before_partners, _ids(activity.co_organisers.all())),
        ("focus_areas", before_areas, _ids(activity.focus_areas.all())),
    ):
        if old != new:
            diff[key] = [old, new]
    if diff:
        log_action(
            activity, "klynge.activities.activity.updated", actor=actor, data={"changes": diff}
        )
    return activity


@transaction.atomic
def activity_set_status(*, activity: Activity, actor, status: str) -> Activity:
    """Move an activity between planned, open and closed; held and cancelled go through
    activity_mark_held and activity_cancel (they have side effects).

    Rule: a held or cancelled activity keeps its status.
    Side effects: audit entry klynge.activities.activity.status_changed.
    """
    if status == ActivityStatus.HELD:
        return activity_mark_held(activity=activity, actor=actor)
    if status == ActivityStatus.CANCELLED:
        return activity_cancel(activity=activity, actor=actor)
    if status not in EDITABLE_STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    if activity.status in (ActivityStatus.HELD, ActivityStatus.CANCELLED):
        raise ApplicationError(
            _("This activity is %(status)s; its status can no longer change.")
            % {"status": activity.get_status_display().lower()},
            field="status",
        )
    if activity.status == status:
        return activity
    old = activity.status
    activity.status = status
    activity.save(update_fields=["status", "updated_at"])
    log_action(
        activity, "klynge.activities.activity.status_changed", actor=actor,
        data={"changes": {"status": [old, status]}},
    )
    return activity


@transaction.atomic
def activity_mark_held(*, activity: Activity, actor) -> Activity:
    """Record that the activity took place.

    Rule: a cancelled or already held activity cannot be marked held.
    Side effects: status held and held_at now; audit entry klynge.activities.activity.held;
    after the transaction commits, every callable in klynge.activities.hooks.HELD is called
    with the activity's id (the evaluations app sends its surveys from there).
    """
    if activity.status == ActivityStatus.CANCELLED:
        raise ApplicationError(_("A cancelled activity cannot be marked held."), field="status")
    if activity.status == ActivityStatus.HELD:
        raise ApplicationError(_("This activity is already marked held."), field="status")
    old = activity.status
    activity.status = ActivityStatus.HELD
    activity.held_at = timezone.now()
    activity.save(update_fields=["status", "held_at", "updated_at"])
    log_action(
        activity, "klynge.activities.activity.held", actor=actor,
        data={"changes": {"status": [old, ActivityStatus.HELD]}},
    )
    for hook in list(hooks.HELD):
        transaction.on_commit(partial(hook, activity.pk))
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, actor, reason: str = "") -> Activity:
    """Cancel an activity. Rule: a held activity cannot be cancelled (nor one twice).

    Side effects: status cancelled; audit entry klynge.activities.activity.cancelled with the
    reason. Registrations are kept as they are (their owners decide what to tell people).
    """
    if activity.status == ActivityStatus.HELD:
        raise ApplicationError(_("A held activity cannot be cancelled."), field="status")
    if activity.status == ActivityStatus.CANCELLED:
        raise ApplicationError(_("This activity is already cancelled."), field="status")
    old = activity.status
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    log_action(
        activity, "klynge.activities.activity.cancelled", actor=actor,
        data={"changes": {"status": [old, ActivityStatus.CANCELLED]}, "reason": reason},
    )
    return activity


@transaction.atomic
def activity_add_co_organiser(*, activity: Activity, organisation: Organisation, actor) -> None:
    """Add a co-organiser (another cluster, a business hub, an international partner).

    Rule: an organisation co-organises an activity once.
    Side effects: audit entry klynge.activities.activity.co_organiser_added.
    """
    if activity.co_organisers.filter(pk=organisation.pk).exists():
        raise ApplicationError(
            _("%(name)s already co-organises this activity.") % {"name": organisation.name},
            field="organisation",
        )
    activity.co_organisers.add(organisation)
    log_action(
        activity, "klynge.activities.activity.co_organiser_added", actor=actor,
        data={"organisation_id": organisation.pk, "organisation": organisation.name},
    )


@transaction.atomic
def activity_remove_co_organiser(
    *, activity: Activity, organisation: Organisation, actor
) -> None:
    """Remove a co-organiser. Side effects: audit entry ...activity.co_organiser_removed."""
    if not activity.co_organisers.filter(pk=organisation.pk).exists():
        raise ApplicationError(
            _("%(name)s does not co-organise this activity.") % {"name": organisation.name},
            field="organisation",
        )
    activity.co_organisers.remove(organisation)
    log_action(
        activity, "klynge.activities.activity.co_organiser_removed", actor=actor,
        data={"organisation_id": organisation.pk, "organisation": organisation.name},
    )


# --- focus networks ----------------------------------------------------------------------------


def _check_network(network: FocusNetwork) -> None:
    network.name = (network.name or "").strip()
    if not network.name:
        raise ApplicationError(_("A focus network needs a name."), field="name")
    clash = FocusNetwork.objects.filter(name__iexact=network.name).exclude(pk=network.pk)
    if clash.exists():
        raise ApplicationError(
            _("There is already a focus network called %(name)s.") % {"name": network.name},
            field="name",
        )


@transaction.atomic
def focus_network_create(
    *, actor, data: dict[str, Any], focus_areas: Iterable | None = None
) -> FocusNetwork:
    """Start a focus network. Rule: a name, unique (case aside).

    Side effects: audit entry klynge.activities.focus_network.created.
    """
    network = FocusNetwork()
    assign_fields(network, FOCUS_NETWORK_FIELDS, data)
    _check_network(network)
    network.save()
    if focus_areas is not None:
        network.focus_areas.set(focus_areas)
    log_action(
        network, "klynge.activities.focus_network.created", actor=actor,
        data=field_values(network, FOCUS_NETWORK_FIELDS),
    )
    return network


@transaction.atomic
def focus_network_update(
    *, network: FocusNetwork, actor, data: dict[str, Any], focus_areas: Iterable | None = None
) -> FocusNetwork:
    """Change a focus network. Side effects: audit entry ...focus_network.updated."""
    before = field_values(network, FOCUS_NETWORK_FIELDS)
    before_areas = _ids(network.focus_areas.all())
    assign_fields(network, FOCUS_NETWORK_FIELDS, data)
    _check_network(network)
    network.save()
    diff = changes(before, field_values(network, FOCUS_NETWORK_FIELDS))
    if focus_areas is not None:
        network.focus_areas.set(focus_areas)
        after_areas = _ids(network.focus_areas.all())
        if after_areas != before_areas:
            diff["focus_areas"] = [before_areas, after_areas]
    if diff:
        log_action(
            network, "klynge.activities.focus_network.updated", actor=actor,
            data={"changes": diff},
        )
    return network


@transaction.atomic
def focus_network_add_member(
    *, network: FocusNetwork, person: Person, actor, joined_on=None
) -> FocusNetworkMember:
    """Add a person to a focus network (again, if they left earlier).

    Rule: a current member is not added twice.
    Side effects: audit entry klynge.activities.focus_network.member_added.
    """
    joined_on = joined_on or timezone.localdate()
    member = FocusNetworkMember.objects.filter(network=network, person=person).first()
    if member is not None and member.left_on is None:
        raise ApplicationError(
            _("%(name)s is already a member.") % {"name": person.full_name}, field="person"
        )
    if member is None:
        member = FocusNetworkMember.objects.create(
            network=network, person=person, joined_on=joined_on
        )
    else:
        member.joined_on, member.left_on = joined_on, None
        member.save(update_fields=["joined_on", "left_on"])
    log_action(
        network, "klynge.activities.focus_network.member_added", actor=actor,
        data={"person_id": person.pk, "joined_on": joined_on},
    )
    return member


@transaction.atomic
def focus_network_remove_member(
    *, network: FocusNetwork, person: Person, actor, left_on=None
) -> FocusNetworkMember:
    """End a person's membership of a focus network; the row stays as history (left_on).

    Side effects: audit entry klynge.activities.focus_network.member_removed.
    """
    member = FocusNetworkMember.objects.filter(
        network=network, person=person, left_on__isnull=True
    ).first()
    if member is None:
        raise ApplicationError(
            _("%(name)s is not a member.") % {"name": person.full_name}, field="person"
        )
    member.left_on = left_on or timezone.localdate()
    member.save(update_fields=["left_on"])
    log_action(
        network, "klynge.activities.focus_network.member_removed", actor=actor,
        data={"person_id": person.pk, "left_on": member.left_on},
    )
    return member
