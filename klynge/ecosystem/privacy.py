"""How the ecosystem registry takes part in access requests and erasure (GDPR art. 15, 17).

The privacy app (klynge/privacy/registry.py) collects `export_person`, `erase_person` and
`active_person_ids` from every app's privacy.py. `erase_person` receives the person as they
were before the erasure began (the privacy app passes each app its own copy), so every app
can still find the name and e-mail it must remove.

Erasure keeps the Person row (registrations, introductions and meetings point to it and the
KPIs count them) and anonymises it: the name becomes "Anonymised person", the e-mail a unique
invalid address, phone, job title and notes are blanked. Affiliations stay (the organisation
keeps its history) with their role text blanked; interactions stay, with the person's name,
e-mail and phone removed from their text.
"""

from django.db.models import F
from django.utils import timezone

from klynge.core.audit import redact_value
from klynge.ecosystem.models import Affiliation, Interaction, Person

ANONYMISED_NAME = "Anonymised person"


def erased_email(person) -> str:
    """The unique, undeliverable address an anonymised person keeps (RFC 2606 domain)."""
    return f"erased-{person.pk}@invalid.example"


def person_needles(person) -> list[str]:
    """The texts that identify a person in free text: full name, e-mail and phone."""
    found = [person.full_name, person.email, person.phone]
    return [text for text in found if text and len(text.strip()) >= 3]


def export_person(person) -> dict[str, list[dict]]:
    record = {
        "id": person.pk, "first_name": person.first_name, "last_name": person.last_name,
        "email": person.email, "phone": person.phone, "job_title": person.job_title,
        "language": person.language, "notes": person.notes, "created_at": person.created_at,
        "updated_at": person.updated_at, "erased_at": person.erased_at,
    }
    affiliations = [
        {"organisation": a.organisation.name, "organisation_id": a.organisation_id,
         "role": a.role, "is_primary": a.is_primary, "start_date": a.start_date,
         "end_date": a.end_date}
        for a in Affiliation.objects.filter(person=person).select_related("organisation")
    ]
    interactions = [
        {"date": i.date, "kind": i.kind, "organisation": i.organisation.name,
         "subject": i.subject, "notes": i.notes, "next_step": i.next_step,
         "staff": i.staff.get_full_name() if i.staff else ""}
        for i in Interaction.objects.filter(people=person).select_related("organisation", "staff")
    ]
    return {"person": [record], "affiliations": affiliations, "interactions": interactions}


def erase_person(person, *, actor=None) -> dict:
    """Anonymise the person record; blank affiliation roles; scrub interaction texts."""
    needles = person_needles(person)
    Person.objects.filter(pk=person.pk).update(
        first_name=ANONYMISED_NAME, last_name="", email=erased_email(person), phone="",
        job_title="", notes="", erased_at=timezone.now(), version=F("version") + 1,
        updated_at=timezone.now(),
    )
    roles = Affiliation.objects.filter(person=person).exclude(role="").update(role="")
    scrubbed = 0
    for interaction in Interaction.objects.filter(people=person):
        texts = {field: redact_value(getattr(interaction, field), needles)
                 for field in ("subject", "notes", "next_step")}
        if any(getattr(interaction, field) != text for field, text in texts.items()):
            Interaction.objects.filter(pk=interaction.pk).update(**texts)
            scrubbed += 1
    return {"person": 1, "affiliation_roles_blanked": roles, "interactions_scrubbed": scrubbed}


def active_person_ids(*, since):
    """The pks of people in an interaction dated on or after `since` (a datetime), for the
    retention rules (klynge/privacy/selectors_retention.py)."""
    return Person.objects.filter(interactions__date__gte=since.date()).values("pk")
