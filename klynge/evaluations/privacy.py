"""How evaluations take part in access requests and erasure (see klynge/ecosystem/privacy.py).

Responses and their yes/no, agreement and 0–10 answers are kept: KPIs 1, 3 and 6 count them
per organisation. Free-text answers are blanked (they can name or describe the person) and the
personal link is replaced, so an old e-mail no longer opens the response.
"""

from django.db.models import Q

from klynge.ecosystem.models import Person
from klynge.evaluations.models import Answer, Response, new_token


def export_person(person) -> dict[str, list[dict]]:
    responses, answers = [], []
    for response in Response.objects.filter(person=person).select_related(
            "survey", "organisation"):
        responses.append({
            "response_id": response.pk, "survey": response.survey.title,
            "organisation": response.organisation.name if response.organisation else "",
            "sent_at": response.sent_at, "reminded_at": response.reminded_at,
            "answered_at": response.answered_at,
        })
    for answer in Answer.objects.filter(response__person=person).select_related(
            "question", "response__survey").order_by("response_id", "question__position", "pk"):
        answers.append({
            "response_id": answer.response_id, "survey": answer.response.survey.title,
            "question": answer.question.text_en or answer.question.text_da,
            "value": answer.value, "updated_at": answer.updated_at,
        })
    return {"survey_responses": responses, "survey_answers": answers}


def erase_person(person, *, actor=None) -> dict:
    texts = Answer.objects.filter(response__person=person).exclude(text="").update(text="")
    links = 0
    for response in Response.objects.filter(person=person):
        Response.objects.filter(pk=response.pk).update(token=new_token())
        links += 1
    return {"responses_kept": links, "free_text_answers_blanked": texts}


def active_person_ids(*, since):
    """People who answered a survey on or after `since`."""
    return Person.objects.filter(
        Q(survey_responses__answered_at__gte=since) | Q(survey_responses__updated_at__gte=since)
    ).values("pk")
