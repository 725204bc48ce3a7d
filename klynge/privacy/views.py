"""The consent pages: the public unsubscribe page and the staff page per person."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.permissions import PUBLIC, access
from klynge.core.roles import CLUSTER_TEAM
from klynge.ecosystem.models import Person
from klynge.privacy import selectors, services
from klynge.privacy.choices import ConsentSource, Purpose
from klynge.privacy.forms import GIVE, ConsentChangeForm
from klynge.privacy.tokens import read_unsubscribe_token


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks for confirmation (mail scanners follow links); POST withdraws."""
    asked = read_unsubscribe_token(token)
    person = Person.objects.filter(pk=asked.person_id).first() if asked else None
    if person is None:
        return render(request, "privacy/unsubscribe_invalid.html", status=400)
    context = {"person": person, "purpose_label": Purpose(asked.purpose).label}
    if request.method == "POST":
        try:
            services.consent_withdraw_by_token(token=token)
        except ApplicationError:
            return render(request, "privacy/unsubscribe_invalid.html", status=400)
        return render(request, "privacy/unsubscribe_done.html", context)
    context["already"] = not selectors.has_consent(person, asked.purpose) and (
        selectors.consent_in_force(person, asked.purpose) is not None
    )
    return render(request, "privacy/unsubscribe.html", context)


@access(CLUSTER_TEAM)
@require_http_methods(["GET", "POST"])
def person_consents(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    form = ConsentChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == GIVE:
                services.consent_give(
                    person=person, purpose=data["purpose"], source=ConsentSource.STAFF,
                    legal_basis=data["legal_basis"] or "consent", note=data["note"],
                    actor=request.user,
                )
                text = _("Consent to “%(purpose)s” was recorded.")
            else:
                services.consent_withdraw(
                    person=person, purpose=data["purpose"], source=ConsentSource.STAFF,
                    note=data["note"], actor=request.user,
                )
                text = _("The withdrawal of “%(purpose)s” was recorded.")
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, text % {"purpose": Purpose(data["purpose"]).label})
            return redirect("privacy:person_consents", pk=person.pk)
    elif request.method == "POST":
        messages.error(request, _("The change could not be recorded; please try again."))
    return render(request, "privacy/person_consents.html", {
        "person": person, "overview": selectors.consent_overview(person),
        "history": selectors.consent_history(person), "form": ConsentChangeForm(),
    })
