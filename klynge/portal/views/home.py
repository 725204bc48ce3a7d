"""The member's home page and their organisation's participation history."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klynge.brokerage.selectors_portal import my_participations
from klynge.core.listing import export_response, paginate
from klynge.core.permissions import access
from klynge.core.roles import Role
from klynge.portal import selectors

HISTORY_KINDS = (("activity", _("Activities")), ("project", _("Projects")),
                 ("introduction", _("Introductions")))


@access({Role.MEMBER})
def home(request):
    """Where a member lands: their organisation and membership, what is coming up for them,
    what waits for an answer, and the ways into the rest of the portal."""
    user = request.user
    organisation, person = user.organisation, user.person
    introductions = selectors.open_introductions(organisation)
    events = my_participations(user).filter(event__activity__ends_at__gte=timezone.now())
    return render(request, "portal/home.html", {
        "organisation": organisation,
        "person": person,
        "membership": selectors.current_membership(organisation),
        "registrations": selectors.upcoming_registrations(person)[:10],
        "evaluations_open": selectors.open_evaluations(person).count(),
        "introductions": introductions[:5],
        "introductions_open": introductions.count(),
        "events": events[:5],
        "events_count": events.count(),
    })


def _year(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 1900 < int(value) < 3000 else None


@access({Role.MEMBER})
def history(request):
    """The organisation's activities (who took part, attended or not), projects and
    introductions; by year and kind, a page at a time, or all of it as CSV."""
    organisation = request.user.organisation
    year = _year(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(HISTORY_KINDS) else ""
    rows = selectors.participation_history(organisation, year=year, kind=kind)
    if request.GET.get("format") == "csv":
        return export_response(
            basename="participation-history", fmt="csv",
            headers=["date", "kind", "title", "who", "detail"],
            rows=([row.when, row.kind, row.title, row.who, row.detail] for row in rows))
    return render(request, "portal/history.html", {
        "organisation": organisation, "listing": paginate(request, rows),
        "years": selectors.history_years(organisation), "year": year,
        "kinds": HISTORY_KINDS, "kind": kind,
    })
