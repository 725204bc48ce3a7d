"""Small helpers shared by the registry's views."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from klynge.core.errors import ApplicationError
from klynge.ecosystem.forms import MergeForm


def apply_error(form, error: ApplicationError) -> None:
    """Show a service's error on the form field it names, or on the form as a whole."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def default_hub_params(request):
    """Staff lists start filtered to the staff member's hub; management sees every hub.

    An explicit choice (including "All hubs", an empty value) wins over the default.
    """
    params = request.GET.copy()
    user = request.user
    if "hub" not in params and user.hub_id and not user.sees_all_hubs:
        params["hub"] = str(user.hub_id)
    return params


def flash_saved(request, text) -> None:
    messages.success(request, text)


@dataclass(frozen=True)
class MergeSpec:
    """What differs between merging two organisations and merging two people.

    `candidates(record)` and `search(text, record)` give (pk, label, detail) rows to pick the
    duplicate from; `counts(record)` gives (label, number) rows of relations that will move.
    """

    model: type
    merge: Callable
    fields: tuple[str, ...]
    candidates: Callable
    search: Callable
    help_text: str
    counts: Callable = lambda record: []


def merge_page(request, record, spec: MergeSpec):
    """Pick a duplicate, compare side by side, choose the survivor, confirm, merge."""
    other = None
    other_id = request.POST.get("other") or request.GET.get("other")
    if other_id and str(other_id).isdigit():
        other = spec.model.objects.filter(pk=int(other_id)).exclude(pk=record.pk).first()
    form = MergeForm(request.POST or None, initial={"other": other.pk if other else None})
    if request.method == "POST" and other is not None and form.is_valid():
        keep_this = form.cleaned_data["keep"] == "this"
        survivor, duplicate = (record, other) if keep_this else (other, record)
        try:
            spec.merge(survivor=survivor, duplicate=duplicate, actor=request.user)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                _("%(duplicate)s was merged into %(survivor)s.")
                % {"duplicate": duplicate, "survivor": survivor},
            )
            return redirect(survivor)
    search = request.GET.get("q", "").strip()
    comparison = [
        (spec.model._meta.get_field(name).verbose_name, getattr(record, name),
         getattr(other, name) if other else None)
        for name in spec.fields
    ]
    if other is not None:
        comparison += [
            (label, mine, theirs)
            for (label, mine), (_label, theirs) in zip(
                spec.counts(record), spec.counts(other), strict=True
            )
        ]
    return render(request, "ecosystem/merge.html", {
        "record": record, "other": other, "form": form, "search": search,
        "candidates": spec.candidates(record), "results": spec.search(search, record)
        if search else [], "comparison": comparison, "help_text": spec.help_text,
    })
