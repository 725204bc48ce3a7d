"""The personal-link answer page: no login, the token is the key."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from klynge.core.errors import ApplicationError
from klynge.core.permissions import PUBLIC, access
from klynge.evaluations import services
from klynge.evaluations.forms import AnswerForm
from klynge.evaluations.models import Response

MAX_TOKEN_LENGTH = 64


def _language(request, response: Response) -> str:
    """The person's language, unless the visitor chose one in the header (the cookie)."""
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES or response.person is None:
        return translation.get_language()
    return response.person.language or translation.get_language()


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """Show the survey with the earlier answers; save all answers in one transaction."""
    response = None
    if len(token) <= MAX_TOKEN_LENGTH:
        response = (
            Response.objects.select_related("survey", "survey__activity", "person")
            .filter(token=token, person__isnull=False).first()
        )
    if response is None:
        return render(request, "evaluations/survey_unknown.html", status=404)
    with translation.override(_language(request, response)):
        return _answer_page(request, response)


def _answer_page(request, response: Response):
    survey = response.survey
    if not survey.is_open():
        return render(request, "evaluations/survey_closed.html", {"survey": survey},
                      status=410)
    previous = {a.question_id: a.value for a in response.answers.select_related("question")}
    form = AnswerForm(request.POST if request.method == "POST" else None,
                      questions=survey.questions.all(), previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_answer(response=response, values=form.values())
        except ApplicationError as error:
            survey.refresh_from_db()
            if not survey.is_open():
                return render(request, "evaluations/survey_closed.html", {"survey": survey},
                              status=410)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(request, "evaluations/survey_thanks.html",
                          {"survey": survey, "response": response, "again": bool(previous)})
    return render(request, "evaluations/survey_answer.html", {
        "survey": survey, "response": response, "form": form, "again": bool(previous),
    })
