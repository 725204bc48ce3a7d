"""The evaluations open to the member's person: the survey invitations the evaluations app
sent them, each linking to its personal answer page under /survey/; answered ones marked."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from klynge.core.permissions import access
from klynge.core.roles import Role
from klynge.portal import selectors_public as reads


@access({Role.MEMBER})
@require_GET
def evaluation_list(request):
    evaluations = reads.person_evaluations(request.user.person)
    return render(request, "portal/evaluations_list.html", {
        "evaluations": evaluations,
        "to_answer": sum(1 for e in evaluations if e.state == "open"),
        "no_person": request.user.person_id is None,
    })
