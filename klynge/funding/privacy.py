"""How grant accounting takes part in access requests and erasure (klynge/ecosystem/privacy.py).

Time registrations are bookkeeping the cluster must keep for its grant givers (GDPR art.
17(3)(b): a legal obligation), so erasure keeps the hours and costs and replaces only the
free-text name where it is the person's ("Anonymised person"); hours of the person's login
account stay linked to the (scrubbed) account.
"""

from django.db.models import Q

from klynge.ecosystem.privacy import ANONYMISED_NAME
from klynge.funding.models import TimeRegistration


def _mine(person):
    mine = Q(person_name__iexact=person.full_name) if person.full_name else Q(pk__in=[])
    return TimeRegistration.objects.filter(mine | Q(user__person_id=person.pk))


def export_person(person) -> dict[str, list[dict]]:
    return {"time_registrations": [
        {"grant": t.grant.name, "date": t.date, "hours": t.hours,
         "hourly_rate": t.hourly_rate, "description": t.description,
         "organisation": t.organisation.name if t.organisation else ""}
        for t in _mine(person).select_related("grant", "organisation").order_by("date", "pk")
    ]}


def erase_person(person, *, actor=None) -> dict:
    kept = _mine(person).count()
    named = TimeRegistration.objects.filter(person_name__iexact=person.full_name).update(
        person_name=ANONYMISED_NAME) if person.full_name else 0
    return {"time_registrations_kept": kept, "names_replaced": named}
