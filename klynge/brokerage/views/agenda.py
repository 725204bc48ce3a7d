"""The participant's agenda by their personal link (the key is the credential): the page, the
.ics file and a printable PDF. An unknown key or a withdrawn participant answers 404."""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import path, reverse

from klynge.brokerage import agenda_files
from klynge.brokerage import selectors_agenda as agendas
from klynge.core.permissions import PUBLIC, access

ME_NAV = "brokerage/_me_nav.html"


def _nav_template() -> str | None:
    """The participant pages' navigation (the portal's), when it is there."""
    try:
        get_template(ME_NAV)
    except TemplateDoesNotExist:
        return None
    return ME_NAV


@access(PUBLIC)
def me_agenda(request, key):
    participant = agendas.participant_for_key(key)
    event = participant.event
    published = agendas.is_published(event)
    return render(request, "brokerage/me_agenda.html", {
        "participant": participant, "event": event, "activity": event.activity,
        "published": published,
        "items": agendas.agenda(participant, published=True) if published else [],
        "waiting": agendas.accepted_unplaced(participant),
        "nav_template": _nav_template(),
    })


@access(PUBLIC)
def me_agenda_ics(request, key):
    participant = agendas.participant_for_key(key)
    event = participant.event
    items = agendas.agenda(participant, published=True) if agendas.is_published(event) else []
    domain = urlsplit(agendas.base_url()).hostname or "klynge"
    content = agenda_files.agenda_ics(
        items=items, activity=event.activity, participant=participant, domain=domain,
        url=request.build_absolute_uri(reverse("brokerage:me_agenda", args=[participant.key])))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="b2b-agenda.ics"'
    return response


@access(PUBLIC)
def me_agenda_pdf(request, key):
    participant = agendas.participant_for_key(key)
    event = participant.event
    items = agendas.agenda(participant, published=True) if agendas.is_published(event) else []
    content = agenda_files.agenda_pdf(activity=event.activity, agendas=[(participant, items)])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="b2b-agenda.pdf"'
    return response


urlpatterns = [
    path("me/<uuid:key>/agenda/", me_agenda, name="me_agenda"),
    path("me/<uuid:key>/agenda.ics", me_agenda_ics, name="me_agenda_ics"),
    path("me/<uuid:key>/agenda.pdf", me_agenda_pdf, name="me_agenda_pdf"),
]
