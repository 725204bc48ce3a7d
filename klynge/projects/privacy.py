"""How projects take part in access requests and erasure (see klynge/ecosystem/privacy.py).

Projects belong to organisations, not people: partners are organisations, and the people in a
project are staff users (responsible, outcome recorded by). An access request lists the
projects the person's login account is responsible for or recorded an outcome of; erasure keeps
every project (KPIs 2, 4 and 5 count them) and removes the person's name, e-mail and phone from
the descriptions of the projects of their organisations and of their own.
"""

from django.db.models import Q

from klynge.core.audit import redact_value
from klynge.ecosystem.privacy import person_needles
from klynge.projects.models import Project, ProjectOutcome


def _account_id(person):
    from klynge.core.models import User

    return User.objects.filter(person_id=person.pk).values_list("pk", flat=True).first()


def export_person(person) -> dict[str, list[dict]]:
    user_id = _account_id(person)
    if user_id is None:
        return {"projects_responsible": [], "project_outcomes_recorded": []}
    return {
        "projects_responsible": [
            {"project": p.title, "kind": p.kind, "status": p.status}
            for p in Project.objects.filter(responsible_id=user_id).order_by("pk")
        ],
        "project_outcomes_recorded": [
            {"project": o.project.title, "outcome": o.kind, "date": o.date,
             "description": o.description}
            for o in ProjectOutcome.objects.filter(recorded_by_id=user_id)
            .select_related("project").order_by("pk")
        ],
    }


def _scrub(queryset, needles) -> int:
    changed = 0
    for row in queryset:
        text = redact_value(row.description, needles)
        if text != row.description:
            type(row).objects.filter(pk=row.pk).update(description=text)
            changed += 1
    return changed


def erase_person(person, *, actor=None) -> dict:
    needles, user_id = person_needles(person), _account_id(person)
    mine = Q(partners__affiliations__person=person)
    if user_id is not None:
        mine |= Q(responsible_id=user_id)
    projects = Project.objects.filter(mine).distinct()
    outcomes = ProjectOutcome.objects.filter(project__in=projects.values("pk"))
    return {"project_descriptions_scrubbed": _scrub(projects, needles) + _scrub(outcomes, needles)}
