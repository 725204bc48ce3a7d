"""The retention pages (managers): the rules, editing one, and a rule's dry run."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import export_response, paginate, search_terms
from klynge.core.permissions import access
from klynge.core.roles import MANAGERS
from klynge.ecosystem.models import Affiliation
from klynge.privacy.forms import RetentionRuleForm, RetentionSearchForm
from klynge.privacy.models import RetentionRule
from klynge.privacy.selectors_retention import retention_candidates, window_start
from klynge.privacy.services_retention import (
    retention_apply,
    retention_rule_create,
    retention_rule_update,
)


def _save(request, form, rule=None):
    try:
        if rule is None:
            return retention_rule_create(data=form.cleaned_data, actor=request.user)
        # The model form has already set its values on `rule`: the service gets the saved
        # record, so its audit entry shows the change.
        saved = RetentionRule.objects.get(pk=rule.pk)
        return retention_rule_update(rule=saved, data=form.cleaned_data, actor=request.user)
    except ApplicationError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def rule_list(request):
    form = RetentionRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("The retention rule was added."))
        return redirect("privacy:retention_rules")
    rules = [{"rule": rule, "count": retention_candidates(rule).count()}
             for rule in RetentionRule.objects.all()]
    return render(request, "privacy/retention_rules.html", {"rules": rules, "form": form},
                  status=400 if form.errors else 200)


@access(MANAGERS)
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int):
    rule = get_object_or_404(RetentionRule, pk=pk)
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid() and _save(request, form, rule):
        messages.success(request, _("The retention rule was saved."))
        return redirect("privacy:retention_rules")
    rule.refresh_from_db()
    return render(request, "privacy/retention_rule_edit.html", {"rule": rule, "form": form},
                  status=400 if form.errors else 200)


def _rows(people):
    for person in people:
        names = ", ".join(a.organisation.name for a in person.affiliations.all())
        yield person, names


@access(MANAGERS)
def dry_run(request, pk: int):
    rule = get_object_or_404(RetentionRule, pk=pk)
    search = RetentionSearchForm(request.GET or None)
    people = retention_candidates(rule).prefetch_related(
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organisation")))
    query = search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
    if query:
        people = search_terms(people, ["first_name", "last_name", "email"], query)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            basename=f"retention-{rule.pk}", fmt=request.GET["format"],
            headers=[_("Id"), _("Name"), _("E-mail"), _("Organisations"), _("Created")],
            rows=([p.pk, p.full_name, p.email, names, p.created_at.date()]
                  for p, names in _rows(people)),
        )
    listing = paginate(request, people)
    return render(request, "privacy/retention_dry_run.html", {
        "rule": rule, "search": search, "listing": listing,
        "rows": list(_rows(listing.rows)), "since": window_start(rule, timezone.localdate()),
    })


@access(MANAGERS)
@require_POST
def rule_apply(request, pk: int):
    """Apply a rule now (what the scheduled run does), after confirmation in the page."""
    rule = get_object_or_404(RetentionRule, pk=pk)
    count = retention_apply(rule=rule, actor=request.user)[rule.name]
    messages.success(request, ngettext(
        "%(count)s person was anonymised by “%(rule)s”.",
        "%(count)s people were anonymised by “%(rule)s”.", count)
        % {"count": count, "rule": rule.name})
    return redirect("privacy:retention_rules")
