"""How matchmaking takes part in access requests and erasure (see klynge/ecosystem/privacy.py).

Introductions are kept (KPI 5 counts their outcomes; the organisations keep their history)
with the anonymised person as contact; the person's name, e-mail and phone are removed from
the explanation and the personal message.
"""

from django.db.models import Q

from klynge.core.audit import redact_value
from klynge.ecosystem.models import Person
from klynge.ecosystem.privacy import person_needles
from klynge.matchmaking.models import Introduction


def _mine(person):
    return Introduction.objects.filter(Q(person_a=person) | Q(person_b=person))


def export_person(person) -> dict[str, list[dict]]:
    rows = []
    for i in _mine(person).select_related("organisation_a", "organisation_b").order_by("pk"):
        side_a = i.person_a_id == person.pk
        rows.append({
            "introduction_id": i.pk, "created_at": i.created_at, "sent_at": i.sent_at,
            "your_organisation": (i.organisation_a if side_a else i.organisation_b).name,
            "introduced_to": (i.organisation_b if side_a else i.organisation_a).name,
            "purpose": i.purpose, "explanation": i.explanation, "message": i.message,
            "your_answer": i.response_a if side_a else i.response_b,
        })
    return {"introductions": rows}


def erase_person(person, *, actor=None) -> dict:
    needles, scrubbed = person_needles(person), 0
    for introduction in _mine(person):
        texts = {field: redact_value(getattr(introduction, field), needles)
                 for field in ("explanation", "message")}
        if any(getattr(introduction, field) != text for field, text in texts.items()):
            Introduction.objects.filter(pk=introduction.pk).update(**texts)
            scrubbed += 1
    return {"introductions_kept": _mine(person).count(), "introductions_scrubbed": scrubbed}


def active_person_ids(*, since):
    """People in an introduction made, sent or answered on or after `since`."""
    a = Q(created_at__gte=since) | Q(sent_at__gte=since) | Q(responded_a_at__gte=since)
    b = Q(created_at__gte=since) | Q(sent_at__gte=since) | Q(responded_b_at__gte=since)
    return Person.objects.filter(
        Q(pk__in=Introduction.objects.filter(a, person_a__isnull=False).values("person_a"))
        | Q(pk__in=Introduction.objects.filter(b, person_b__isnull=False).values("person_b"))
    ).values("pk")
