"""The public sign-up pages of public activities: no login. Sign up, thanks, cancel by link."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from klynge.activities import registrations
from klynge.activities.choices import RegistrationStatus
from klynge.activities.models import Activity, Registration
from klynge.activities.registration_forms import PublicSignupForm
from klynge.core.errors import ApplicationError
from klynge.core.permissions import PUBLIC, access

SESSION_KEY = "klynge_signups"


def _public_activity(pk: int) -> Activity:
    """A public activity; internal ones do not exist for the public (404)."""
    return get_object_or_404(Activity, pk=pk, is_public=True)


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _apply_error(form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def signup(request, pk: int):
    activity = _public_activity(pk)
    closed = registrations.signup_closed_reason(activity)
    questions = list(activity.questions.all())
    form = None if closed else PublicSignupForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_bot:
            form.add_error(None, translation.gettext("Your sign-up could not be accepted."))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                registration = registrations.public_signup(
                    activity=activity, first_name=data["first_name"],
                    last_name=data["last_name"], email=data["email"],
                    organisation_name=data["organisation_name"], cvr=data["cvr"],
                    job_title=data["job_title"], answers=form.answers(),
                    language=(translation.get_language() or "da")[:2],
                    site_url=_site_url(request),
                )
            except ApplicationError as error:
                _apply_error(form, error)
            else:
                done = request.session.get(SESSION_KEY, [])
                request.session[SESSION_KEY] = [*done[-9:], registration.pk]
                return redirect("public_activities:signup_done", pk=activity.pk)
    context = {"activity": activity, "form": form, "closed": closed}
    return render(request, "activities/public_signup.html", context, status=status)


@access(PUBLIC)
@require_http_methods(["GET"])
def signup_done(request, pk: int):
    """The confirmation page, for the browser that just signed up (kept in its session)."""
    activity = _public_activity(pk)
    mine = request.session.get(SESSION_KEY, [])
    registration = (
        Registration.objects.filter(activity=activity, pk__in=mine).select_related("person")
        .order_by("-pk").first()
    )
    if registration is None:
        return redirect("public_activities:signup", pk=activity.pk)
    waitlisted = registration.status == RegistrationStatus.WAITLISTED
    return render(
        request, "activities/public_done.html",
        {"activity": activity, "registration": registration, "waitlisted": waitlisted},
    )


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    """Cancel by the link in the e-mail: the GET asks, the POST cancels."""
    try:
        registration = registrations.registration_for_token(token)
    except ApplicationError as error:
        return render(request, "activities/public_link_refused.html",
                      {"reason": error.message}, status=400)
    activity = registration.activity
    if not activity.is_public:
        raise Http404
    if registration.status == RegistrationStatus.CANCELLED:
        return render(request, "activities/public_cancel.html",
                      {"registration": registration, "activity": activity, "done": True})
    if request.method == "POST":
        try:
            registrations.registration_cancel(
                registration=registration, site_url=_site_url(request)
            )
        except ApplicationError as error:
            return render(request, "activities/public_link_refused.html",
                          {"reason": error.message}, status=400)
        return render(request, "activities/public_cancel.html",
                      {"registration": registration, "activity": activity, "done": True})
    return render(request, "activities/public_cancel.html",
                  {"registration": registration, "activity": activity, "done": False})
