"""The staff privacy pages: a person's privacy page (export, erase, log) and the overview.

Viewing is for the cluster team; exporting and erasing for managers (administrator,
management), who answer the data subject's requests.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klynge.core.errors import ApplicationError
from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import CLUSTER_TEAM, MANAGERS
from klynge.ecosystem.models import Person
from klynge.privacy import selectors, selectors_access
from klynge.privacy.choices import Purpose
from klynge.privacy.forms import ErasureForm
from klynge.privacy.models import Consent, RetentionRule
from klynge.privacy.selectors_retention import pending_retention_count
from klynge.privacy.services_access import person_export_zip
from klynge.privacy.services_erasure import person_erase


def _may_manage(user) -> bool:
    return getattr(user, "role", None) in MANAGERS


def _person_page(request, person, erasure_form=None, status=200):
    return render(request, "privacy/person_privacy.html", {
        "person": person, "overview": selectors.consent_overview(person),
        "log": selectors_access.privacy_log(person)[:50],
        "may_manage": _may_manage(request.user),
        "erasure_form": erasure_form or ErasureForm(),
        "account": selectors_access.account_of(person),
    }, status=status)


@access(CLUSTER_TEAM)
def person_privacy(request, pk: int):
    return _person_page(request, get_object_or_404(Person, pk=pk))


@access(MANAGERS)
@require_POST
def person_export(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    try:
        filename, content = person_export_zip(person=person, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("privacy:person_privacy", pk=person.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access(MANAGERS)
@require_POST
def person_erase_view(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, form, status=400)
    try:
        report = person_erase(person=person, actor=request.user,
                              reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return _person_page(request, person, form, status=400)
        messages.error(request, error.message)
        return redirect("privacy:person_privacy", pk=person.pk)
    messages.success(request, _("The person was anonymised everywhere; %(count)s log entries "
                                "were redacted.") % {"count": report.audit_entries_redacted})
    return redirect("privacy:person_privacy", pk=person.pk)


def _consent_counts() -> list[dict]:
    people = Person.objects.filter(erased_at__isnull=True)
    rows = []
    for purpose, label in Purpose.choices:
        given = selectors.people_with_consent(people, purpose).count()
        withdrawn = selectors.annotate_consent(people, purpose, "_state").filter(
            _state=False).count()
        rows.append({"label": label, "given": given, "withdrawn": withdrawn})
    return rows


@access(MANAGERS)
def overview(request):
    events = selectors_access.privacy_events()
    query = request.GET.get("q", "").strip()
    if query:
        events = events.filter(Q(object_repr__icontains=query) | Q(action__icontains=query))
    return render(request, "privacy/overview.html", {
        "erased": Person.objects.filter(erased_at__isnull=False).count(),
        "pending": pending_retention_count(),
        "exports_30_days": selectors_access.recent_exports(30).count(),
        "consents": _consent_counts(),
        "people_with_consents": Consent.objects.values("person").distinct().count(),
        "rules": RetentionRule.objects.all(),
        "listing": paginate(request, events, per_page=25), "q": query,
    })
