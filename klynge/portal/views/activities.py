"""Activities in the member portal: upcoming published activities (search, filters, pages),
one activity with the member's sign-ups, signing up oneself or a colleague through the
activities app's registration service (capacity, waitlist, deadline, duplicates, questions),
and cancelling a sign-up."""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klynge.activities.choices import ActivityFormat, ActivityType, RegistrationStatus
from klynge.activities.registration_forms import QuestionsMixin
from klynge.activities.registrations import answer_display, signup_closed_reason
from klynge.core.errors import ApplicationError
from klynge.core.listing import build_listing, search_terms
from klynge.core.permissions import access
from klynge.core.roles import Role
from klynge.ecosystem.models import FocusArea
from klynge.portal import selectors_public as reads
from klynge.portal import services_public as services


def _month_choices():
    return [(day.strftime("%Y-%m"), formats.date_format(day, "YEAR_MONTH_FORMAT"))
            for day in reads.activity_months()]


class PortalActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search")
    focus_area = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Focus area"), queryset=FocusArea.objects.filter(is_active=True),
        field_name="focus_areas", distinct=True, empty_label=gettext_lazy("All focus areas"))
    format = django_filters.ChoiceFilter(label=gettext_lazy("Format"),
                                         choices=ActivityFormat.choices,
                                         empty_label=gettext_lazy("All formats"))
    type = django_filters.ChoiceFilter(label=gettext_lazy("Type"), choices=ActivityType.choices,
                                       empty_label=gettext_lazy("All types"))
    month = django_filters.ChoiceFilter(label=gettext_lazy("Month"), choices=[],
                                        empty_label=gettext_lazy("Any month"),
                                        method="filter_month")
    ordering = django_filters.OrderingFilter(
        label=gettext_lazy("Sort by"), fields=(("starts_at", "starts"), ("title", "title")),
        field_labels={"starts_at": gettext_lazy("Date"), "title": gettext_lazy("Title")})

    class Meta:
        model = reads.Activity
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["month"].extra["choices"] = _month_choices()

    def search(self, queryset, name, value):
        return search_terms(queryset, ["title", "description", "place"], value)

    def filter_month(self, queryset, name, value):
        year, _sep, month = value.partition("-")
        if not (year.isdigit() and month.isdigit()):
            return queryset
        from django.utils import timezone

        local = timezone.get_current_timezone()
        return queryset.annotate(
            start_year=ExtractYear("starts_at", tzinfo=local),
            start_month=ExtractMonth("starts_at", tzinfo=local),
        ).filter(start_year=int(year), start_month=int(month))


FILTER_KEYS = ("q", "focus_area", "format", "type", "month")


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


@access({Role.MEMBER})
@require_GET
def activity_list(request):
    """Upcoming activities, with the member's and colleagues' sign-ups marked."""
    listing = build_listing(request, PortalActivityFilter, reads.portal_activities(),
                            default_ordering="starts")
    rows = list(listing.page.object_list)
    seats = reads.seats_by_activity(rows)
    mine = reads.organisation_registrations(request.user.organisation,
                                            person=request.user.person)
    signed = {}
    for registration in mine:
        signed.setdefault(registration.activity_id, []).append(registration)
    return render(request, "portal/activities_list.html", {
        "listing": listing,
        "rows": [(a, seats[a.pk], signed.get(a.pk, [])) for a in rows],
        "my_registrations": mine,
        "filtered": any(request.GET.get(key, "").strip() for key in FILTER_KEYS),
    })


def _activity_or_404(request, pk: int):
    activity = reads.portal_activity(pk, person=request.user.person)
    if activity is None:
        raise Http404
    return activity


def _registration_rows(registrations, questions):
    return [(r, [(q.text, answer_display(q, r.answers)) for q in questions])
            for r in registrations]


@access({Role.MEMBER})
@require_GET
def activity_detail(request, pk: int):
    """One activity: facts, seats, whether sign-up is open, and the member's sign-ups."""
    activity = _activity_or_404(request, pk)
    questions = list(activity.questions.all())
    registrations = reads.organisation_registrations(
        request.user.organisation, person=request.user.person, activity=activity)
    return render(request, "portal/activities_detail.html", {
        "activity": activity, "seats": reads.seats_by_activity([activity])[activity.pk],
        "closed": signup_closed_reason(activity),
        "published": reads.portal_activities().filter(pk=activity.pk).exists(),
        "registrations": _registration_rows(registrations, questions),
    })


class PortalSignupForm(QuestionsMixin, forms.Form):
    person = forms.TypedChoiceField(label=gettext_lazy("Who is coming?"), coerce=int)

    def __init__(self, *args, people=(), questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, label) for p, label in people]
        self.add_questions(questions, enforce_required=True)


def _people(user):
    """The member first ("Me"), then current colleagues at the organisation."""
    people = []
    if user.person is not None:
        people.append((user.person, _("Me (%(name)s)") % {"name": user.person.full_name}))
    for colleague in reads.colleagues(user.organisation):
        if colleague.pk != user.person_id:
            people.append((colleague, colleague.full_name))
    return people


@access({Role.MEMBER})
@require_http_methods(["GET", "POST"])
def activity_signup(request, pk: int):
    """Sign up oneself or a colleague, answering the activity's registration questions."""
    activity = _activity_or_404(request, pk)
    closed = signup_closed_reason(activity)
    if not reads.portal_activities().filter(pk=activity.pk).exists():
        closed = closed or _("This activity is not open for sign-up in the portal.")
    people = _people(request.user)
    form = None
    if not closed and people:
        form = PortalSignupForm(request.POST or None, people=people,
                                questions=activity.questions.all())
    if request.method == "POST" and form is not None and form.is_valid():
        chosen = {p.pk: p for p, _label in people}[form.cleaned_data["person"]]
        try:
            registration = services.activity_signup(
                user=request.user, activity=activity, person=chosen, answers=form.answers(),
                site_url=_site_url(request))
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if registration.status == RegistrationStatus.WAITLISTED:
                messages.warning(request, _("The activity is full: %(name)s is on the waitlist "
                                            "and gets an e-mail if a seat frees up.")
                                 % {"name": chosen.full_name})
            else:
                messages.success(request, _("%(name)s is signed up. A confirmation is on its "
                                            "way by e-mail.") % {"name": chosen.full_name})
            return redirect("portal:activity", pk=activity.pk)
    return render(request, "portal/activities_signup.html", {
        "activity": activity, "form": form, "closed": closed, "no_person": not people,
        "seats": reads.seats_by_activity([activity])[activity.pk],
    })


@access({Role.MEMBER})
@require_POST
def activity_cancel(request, pk: int, registration: int):
    """Cancel the member's or a colleague's sign-up (confirmed in the page first)."""
    activity = _activity_or_404(request, pk)
    # another organisation's sign-up does not exist for this member
    visible = reads.organisation_registrations(request.user.organisation,
                                               person=request.user.person, activity=activity)
    found = get_object_or_404(visible, pk=registration)
    try:
        services.activity_signup_cancel(user=request.user, registration=found,
                                        site_url=_site_url(request))
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The sign-up of %(name)s is cancelled.")
                         % {"name": found.person.full_name})
    return redirect("portal:activity", pk=activity.pk)
