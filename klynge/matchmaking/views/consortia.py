"""The consortium builder for a call topic, and the composition rules it builds by.

Staff (the cluster team) build consortia and turn them into EU applications; managers and
administrators edit the composition rules (everyone on the team reads them).
"""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.audit import audit_entries_for
from klynge.core.errors import ApplicationError
from klynge.core.permissions import access, user_may
from klynge.core.roles import CLUSTER_TEAM, MANAGERS
from klynge.ecosystem.forms import organisation_label
from klynge.ecosystem.models import Organisation
from klynge.ecosystem.views.common import apply_error
from klynge.matchmaking import consortia as selectors
from klynge.matchmaking.forms_consortia import ConsortiumForm, RoleFormSet, RulesForm, roles_from
from klynge.matchmaking.models import CallTopic, CompositionRules
from klynge.matchmaking.services import consortia as services

SWAP_PARAM = re.compile(r"^s(\d{1,2})$")


def _swaps(params) -> dict[int, str]:
    """{slot position: profile id} from the URL's s1=cordis:7&s3=org:12."""
    swaps = {}
    for key, value in params.items():
        match = SWAP_PARAM.match(key)
        if match and re.fullmatch(r"(org|cordis):\d+", value or ""):
            swaps[int(match.group(1))] = value
    return swaps


@access(CLUSTER_TEAM)
def consortium(request, pk: int):
    """The call's facts, the question (lead, rules), and the proposal with its checks;
    per-slot alternatives swap a member (the swaps stay in the URL)."""
    call = get_object_or_404(CallTopic, pk=pk)
    default = selectors.default_rules()
    asked = "lead" in request.GET
    data = request.GET.copy()
    if asked and not data.get("rules") and default is not None:
        data["rules"] = default.pk  # a link with only the lead builds by the default rules
    form = ConsortiumForm(data if asked else None,
                          initial={"rules": default.pk if default else None})
    proposal = None
    if asked and form.is_valid():
        proposal = selectors.propose(call, form.cleaned_data["lead"],
                                     form.cleaned_data["rules"], _swaps(request.GET))
    return render(request, "matchmaking/consortium_builder.html", {
        "call": call, "form": form, "proposal": proposal,
        "lead": form.cleaned_data["lead"] if proposal else None,
        "rules": form.cleaned_data["rules"] if proposal else None,
        "lead_value": form.data.get("lead", ""),
        "query": request.GET.urlencode(),
        "has_rules": CompositionRules.objects.exists(),
        "may_manage": user_may(request.user, MANAGERS),
    })


@access(CLUSTER_TEAM)
@require_POST
def consortium_application(request, pk: int):
    """Create the EU application from the consortium shown (asked for confirmation)."""
    call = get_object_or_404(CallTopic, pk=pk)
    back = reverse("matchmaking:consortium", args=[call.pk])
    query = request.POST.get("query", "")
    if query:
        back += "?" + query
    lead_pk = request.POST.get("lead", "")
    lead = Organisation.objects.filter(pk=int(lead_pk)).first() if lead_pk.isdigit() else None
    try:
        project = services.consortium_to_application(
            call=call, lead=lead, members=request.POST.getlist("member"), actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(back)
    messages.success(request, _("The EU application %(name)s was created with %(count)s "
                                "partners.") % {"name": project,
                                                "count": project.partnerships.count()})
    return redirect(project)


# --- composition rules ----------------------------------------------------------------------


@access(CLUSTER_TEAM)
def rules_list(request):
    rules = list(selectors.rules_list())
    for item in rules:
        item.role_lines = [(role.label, selectors.role_summary(role)) for role in item.roles.all()]
    return render(request, "matchmaking/rules_list.html", {
        "rules_list": rules, "may_manage": user_may(request.user, MANAGERS),
    })


def _rules_initial(rules: CompositionRules) -> tuple[dict, list[dict]]:
    data = {"name": rules.name, "min_partners": rules.min_partners,
            "max_partners": rules.max_partners, "min_countries": rules.min_countries,
            "eligible_countries": " ".join(rules.eligible_countries),
            "is_default": rules.is_default}
    roles = [{"label": r.label, "min_count": r.min_count, "kinds": r.kinds, "size": r.size}
             for r in rules.roles.all()]
    return data, roles


def _rules_form(request, rules: CompositionRules | None):
    """GET: the form; POST "preset": the form again with the EU preset filled in; POST: save."""
    if rules is not None:
        initial, roles_initial = _rules_initial(rules)
    else:
        initial, roles_initial = {"is_default": not CompositionRules.objects.exists()}, []
    data = request.POST if request.method == "POST" else None
    if data is not None and "preset" in data:
        # The form again, unbound (no errors yet), with what was typed and the preset.
        typed = {name: data.get(name, "") for name in RulesForm.base_fields}
        typed["is_default"] = bool(data.get("is_default"))
        typed["eligible_countries"] = " ".join(services.EU_AND_ASSOCIATED)
        form = RulesForm(initial=typed)
        formset = RoleFormSet(data, initial=roles_initial, prefix="roles")
        return None, form, formset, True
    form = RulesForm(data, initial=initial)
    formset = RoleFormSet(data, initial=roles_initial, prefix="roles")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            if rules is None:
                saved = services.rules_create(actor=request.user, data=form.cleaned_data,
                                              roles=roles_from(formset))
            else:
                saved = services.rules_update(rules=rules, actor=request.user,
                                              data=form.cleaned_data, roles=roles_from(formset))
        except ApplicationError as error:
            if error.field == "roles":
                formset._non_form_errors = formset.error_class([error.message])
            else:
                apply_error(form, error)
        else:
            return saved, form, formset, False
    return None, form, formset, False


def _render_rules_form(request, form, formset, rules, preset):
    return render(request, "matchmaking/rules_form.html", {
        "form": form, "formset": formset, "rules": rules, "preset_applied": preset,
        "audit": audit_entries_for(rules, limit=50) if rules else [],
    })


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def rules_create(request):
    saved, form, formset, preset = _rules_form(request, None)
    if saved is not None:
        messages.success(request, _("The rules %(name)s were created.") % {"name": saved})
        return redirect("matchmaking:rules_list")
    return _render_rules_form(request, form, formset, None, preset)


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def rules_edit(request, pk: int):
    rules = get_object_or_404(CompositionRules, pk=pk)
    saved, form, formset, preset = _rules_form(request, rules)
    if saved is not None:
        messages.success(request, _("Your changes were saved."))
        return redirect("matchmaking:rules_list")
    return _render_rules_form(request, form, formset, rules, preset)


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def rules_delete(request, pk: int):
    rules = get_object_or_404(CompositionRules, pk=pk)
    if request.method == "POST":
        name = str(rules)
        try:
            services.rules_delete(rules=rules, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The rules %(name)s were deleted.") % {"name": name})
        return redirect("matchmaking:rules_list")
    return render(request, "matchmaking/rules_confirm_delete.html", {"rules": rules})


def builder_url(call: CallTopic, lead: Organisation, rules: CompositionRules | None = None,
                swaps: dict[int, str] | None = None) -> str:
    """The builder's address for this call and lead (for links from other pages)."""
    params = {"lead": organisation_label(lead)}
    if rules is not None:
        params["rules"] = rules.pk
    params.update({f"s{position}": value for position, value in (swaps or {}).items()})
    return reverse("matchmaking:consortium", args=[call.pk]) + "?" + urlencode(params)


urlpatterns: list = [
    path("calls/<int:pk>/consortium/", consortium, name="consortium"),
    path("calls/<int:pk>/consortium/application/", consortium_application,
         name="consortium_application"),
    path("consortium-rules/", rules_list, name="rules_list"),
    path("consortium-rules/new/", rules_create, name="rules_create"),
    path("consortium-rules/<int:pk>/edit/", rules_edit, name="rules_edit"),
    path("consortium-rules/<int:pk>/delete/", rules_delete, name="rules_delete"),
]
