"""Introduction pages: the create page prefilled from a suggestion (draft or send), the list
with filters, sorting and exports, the detail with outcomes (add, delete), resend and delete,
the public answer page (GET changes nothing, POST answers) and the organisation timeline."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from klynge.core.models import AuditEntry
from klynge.matchmaking.choices import Response
from klynge.matchmaking.models import CallTopic, Introduction, IntroductionOutcome
from klynge.matchmaking.services import introductions as services
from klynge.projects.models import Project
from tests.factories import AffiliationFactory, HubFactory, OrganisationFactory
from tests.matchmaking.factories_introductions import (
    contact,
    introduce,
    made_on,
    pair,
    withdraw_visibility,
)

pytestmark = pytest.mark.django_db

NEW = "/matchmaking/introductions/new/"
LIST = "/matchmaking/introductions/"
CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KLYNGE_BASE_URL = "http://testserver"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- create -----------------------------------------------------------------------------------


def test_the_create_page_is_prefilled_from_the_suggestion_with_its_reasons(staff_client):
    a, anna, b, bo = pair()
    withdrawn = contact(b, first_name="Vera")
    withdraw_visibility(withdrawn)
    former = contact(b, first_name="Frida")
    former.affiliations.update(end_date=date(2020, 1, 1))

    response = staff_client.get(f"{NEW}?a={a.pk}&b={b.pk}&purpose=knowledge")

    text = _text(response)
    assert response.status_code == 200
    assert "Introduce Vision Robotics ApS to Aalborg University" in text
    assert "Score 0.71" in text
    assert "Shared topics: computer vision, quality control" in text
    assert "Complementary kinds: Company ↔ University or college" in text
    form = response.context["form"]
    assert list(form.fields["person_a"].queryset) == [anna]
    assert list(form.fields["person_b"].queryset) == [bo]  # not Vera (withdrew), not Frida
    assert form.initial["purpose"] == "knowledge"


def test_save_as_draft_keeps_it_unsent(staff_client):
    a, anna, b, bo = pair()

    response = staff_client.post(f"{NEW}?a={a.pk}&b={b.pk}&purpose=knowledge", {
        "person_a": anna.pk, "person_b": bo.pk, "purpose": "knowledge",
        "message": "Meet at the fair?", "action": "draft"}, follow=True)

    intro = Introduction.objects.get()
    assert response.redirect_chain[-1][0] == f"/matchmaking/introductions/{intro.pk}/"
    assert "The introduction was saved as a draft." in _text(response)
    assert (intro.sent_at, intro.message, intro.created_by) == (
        None, "Meet at the fair?", staff_client.user)
    assert mail.outbox == []


def test_save_and_send_emails_both_sides(staff_client):
    a, anna, b, bo = pair()
    call = CallTopic.objects.create(identifier="HORIZON-CL4-2025-01-01",
                                    title="Computer vision for quality control")

    response = staff_client.post(f"{NEW}?a={a.pk}&b={b.pk}&purpose=knowledge&call={call.pk}", {
        "person_a": anna.pk, "person_b": bo.pk, "purpose": "knowledge", "message": "",
        "action": "send"}, follow=True)

    intro = Introduction.objects.get()
    assert "The introduction was sent to anna@example.dk, bo@example.dk." in _text(response)
    assert intro.sent_at is not None and intro.call_topic == call
    assert [m.to for m in mail.outbox] == [["anna@example.dk"], ["bo@example.dk"]]


def test_validation_messages_are_shown_per_field(staff_client):
    a, anna, b, bo = pair()

    response = staff_client.post(f"{NEW}?a={a.pk}&b={b.pk}", {
        "person_a": anna.pk, "person_b": "", "purpose": "knowledge", "action": "draft"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "person_b": ["Choose the contact person at Aalborg University."]}
    assert not Introduction.objects.exists()


def test_a_contact_outside_the_choices_is_refused_by_the_form(staff_client):
    a, anna, b, bo = pair()

    response = staff_client.post(f"{NEW}?a={a.pk}&b={b.pk}", {
        "person_a": bo.pk, "person_b": bo.pk, "purpose": "knowledge", "action": "draft"})

    assert list(response.context["form"].errors) == ["person_a"]
    assert not Introduction.objects.exists()


def test_without_a_pair_the_page_asks_for_the_two_organisations_first(staff_client):
    a, _anna, b, _bo = pair()

    asked = staff_client.get(NEW)
    same = staff_client.get(NEW, {"pick": "1", "a": f"{a.name} [#{a.pk}]",
                                  "b": f"{a.name} [#{a.pk}]", "purpose": "any"})
    picked = staff_client.get(NEW, {"pick": "1", "a": f"{a.name} [#{a.pk}]",
                                    "b": f"{b.name} [#{b.pk}]", "purpose": "knowledge"})

    assert asked.status_code == 200 and "Continue" in asked.content.decode()
    assert same.context["form"].errors == {
        "b": ["Choose a different organisation: an introduction needs two."]}
    assert picked.status_code == 302
    assert picked["Location"] == f"{NEW}?a={a.pk}&b={b.pk}&purpose=knowledge"


def test_an_open_introduction_of_the_pair_is_pointed_out(staff_client):
    a, anna, b, bo = pair()
    existing = introduce(staff_client.user, a, anna, b, bo)

    response = staff_client.get(f"{NEW}?a={b.pk}&b={a.pk}")

    assert "These two already have an open introduction (Not sent" in _text(response)
    assert f'href="/matchmaking/introductions/{existing.pk}/"' in response.content.decode()


# --- list -------------------------------------------------------------------------------------


def _three(user):
    """Draft (A–B), waiting (A–C, made in 2024), accepted with a commercial outcome (B–C)."""
    a, anna, b, bo = pair()
    c = OrganisationFactory(name="Pixel Start ApS", competences="Image recognition")
    carl = contact(c, first_name="Carl")
    draft = introduce(user, a, anna, b, bo)
    waiting = introduce(user, a, anna, c, carl, purpose="any", message="Pixels")
    services.introduction_send(introduction=waiting, actor=user)
    made_on(waiting, datetime(2024, 5, 1, 10, tzinfo=CPH))
    accepted = introduce(user, b, bo, c, carl, purpose="any", message="Images")
    services.introduction_send(introduction=accepted, actor=user)
    for side in "ab":
        services.introduction_respond(token=services.respond_token(accepted, side), accept=True)
    services.introduction_outcome_record(introduction=accepted, kind="commercial_use",
                                         date=timezone.localdate(), actor=user)
    return draft, waiting, accepted


def _ids(response):
    return [intro.pk for intro in response.context["listing"].rows]


def test_the_list_filters_by_derived_status(staff_client):
    draft, waiting, accepted = _three(staff_client.user)

    assert _ids(staff_client.get(LIST, {"status": "draft"})) == [draft.pk]
    assert _ids(staff_client.get(LIST, {"status": "waiting"})) == [waiting.pk]
    assert _ids(staff_client.get(LIST, {"status": "accepted"})) == [accepted.pk]
    assert _ids(staff_client.get(LIST, {"status": "declined"})) == []


def test_the_list_searches_names_and_filters_purpose_outcome_and_dates(staff_client):
    draft, waiting, accepted = _three(staff_client.user)

    assert sorted(_ids(staff_client.get(LIST, {"q": "pixel"}))) == sorted(
        [waiting.pk, accepted.pk])
    assert _ids(staff_client.get(LIST, {"purpose": "knowledge"})) == [draft.pk]
    assert _ids(staff_client.get(LIST, {"outcome": "commercial_use"})) == [accepted.pk]
    assert _ids(staff_client.get(LIST, {"made_to": "2024-12-31"})) == [waiting.pk]
    assert sorted(_ids(staff_client.get(LIST, {"made_from": "2025-01-01"}))) == sorted(
        [draft.pk, accepted.pk])


def test_staff_start_on_their_hub_and_may_choose_all_hubs(staff_client):
    draft, waiting, accepted = _three(staff_client.user)
    elsewhere = HubFactory(name="Hub Odense")
    Introduction.objects.filter(pk=draft.pk).update(hub=elsewhere)

    own = staff_client.get(LIST)
    every = staff_client.get(LIST, {"hub": ""})

    assert sorted(_ids(own)) == sorted([waiting.pk, accepted.pk])
    assert len(_ids(every)) == 3


def test_the_list_sorts_by_made_and_by_organisation(staff_client):
    draft, waiting, accepted = _three(staff_client.user)

    assert _ids(staff_client.get(LIST, {"ordering": "made"})) == [
        waiting.pk, draft.pk, accepted.pk]
    assert _ids(staff_client.get(LIST)) == [accepted.pk, draft.pk, waiting.pk]  # newest first
    # organisation A: Aalborg University (accepted) before Vision Robotics ApS
    assert _ids(staff_client.get(LIST, {"ordering": "organisation"}))[0] == accepted.pk
    # introduced to: Aalborg University (draft) before Pixel Start ApS
    assert _ids(staff_client.get(LIST, {"ordering": "other"}))[0] == draft.pk


def test_the_list_exports_what_is_filtered_as_csv_and_xlsx(staff_client):
    draft, waiting, accepted = _three(staff_client.user)

    csv_response = staff_client.get(LIST, {"status": "accepted", "format": "csv"})
    xlsx_response = staff_client.get(LIST, {"format": "xlsx", "ordering": "made"})

    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["id", "made", "made_by", "hub", "purpose", "call_topic",
                           "organisation"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["organisation"], row["introduced_to"], row["status"]) == (
        "Aalborg University", "Pixel Start ApS", "Accepted by both")
    assert row["outcomes"].endswith("Commercial use of research results")
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    values = list(sheet.values)
    assert [r[0] for r in values[1:]] == [waiting.pk, draft.pk, accepted.pk]


def test_an_empty_list_says_how_to_start(staff_client):
    response = staff_client.get(LIST)

    assert "No introductions yet." in _text(response)


# --- detail -----------------------------------------------------------------------------------


def _sent(user):
    a, anna, b, bo = pair()
    intro = introduce(user, a, anna, b, bo, message="Meet at the fair?")
    services.introduction_send(introduction=intro, actor=user)
    return made_on(intro, datetime(2025, 1, 10, 9, tzinfo=CPH))


def test_the_detail_shows_both_sides_reasons_message_and_history(staff_client):
    intro = _sent(staff_client.user)
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)

    text = _text(staff_client.get(f"/matchmaking/introductions/{intro.pk}/"))

    assert "Vision Robotics ApS ↔ Aalborg University" in text
    assert "Anna Berg" in text and "Accepted" in text and "Waiting for an answer" in text
    assert "Shared topics: computer vision, quality control" in text
    assert "Meet at the fair?" in text
    assert "klynge.matchmaking.introduction.answered" in text
    assert "Resend e-mail" in text


def test_recording_an_eu_application_links_the_created_project(staff_client):
    intro = _sent(staff_client.user)

    response = staff_client.post(f"/matchmaking/introductions/{intro.pk}/outcomes/", {
        "kind": "eu_application_submitted", "date": "2025-03-14", "description": "",
        "project": ""}, follow=True)

    project = Project.objects.get()
    text = _text(response)
    assert "The outcome “EU application submitted” was recorded." in text
    assert f"The EU application {project} is linked to it." in text
    assert f'href="/projects/{project.pk}/"' in response.content.decode()


def test_an_invalid_outcome_comes_back_with_the_message_on_its_field(staff_client):
    intro = _sent(staff_client.user)

    response = staff_client.post(f"/matchmaking/introductions/{intro.pk}/outcomes/", {
        "kind": "met", "date": "2025-01-01", "description": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date": ["2025-01-01 is before the introduction was made (2025-01-10)."]}
    assert not IntroductionOutcome.objects.exists()


def test_deleting_an_outcome_is_confirmed_and_posted(staff_client):
    intro = _sent(staff_client.user)
    outcome = services.introduction_outcome_record(introduction=intro, kind="met",
                                                   date=date(2025, 2, 1),
                                                   actor=staff_client.user)
    page = staff_client.get(f"/matchmaking/introductions/{intro.pk}/").content.decode()

    refused = staff_client.get(f"/matchmaking/introductions/outcomes/{outcome.pk}/delete/")
    deleted = staff_client.post(f"/matchmaking/introductions/outcomes/{outcome.pk}/delete/")

    assert 'data-confirm="Delete this outcome?"' in page
    assert refused.status_code == 405
    assert deleted.status_code == 302
    assert not IntroductionOutcome.objects.exists()


def test_resend_emails_the_side_still_waiting(staff_client):
    intro = _sent(staff_client.user)
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)
    mail.outbox.clear()

    response = staff_client.post(f"/matchmaking/introductions/{intro.pk}/send/", follow=True)

    assert "The introduction was sent to bo@example.dk." in _text(response)
    assert [m.to for m in mail.outbox] == [["bo@example.dk"]]


def test_a_draft_is_deleted_after_confirmation_and_a_sent_one_is_refused(staff_client):
    a, anna, b, bo = pair()
    draft = introduce(staff_client.user, a, anna, b, bo)
    c = OrganisationFactory(name="Pixel Start ApS")
    AffiliationFactory(organisation=c)
    sent = introduce(staff_client.user, a, anna, c, c.people.get(), purpose="any",
                     message="Pixels")
    services.introduction_send(introduction=sent, actor=staff_client.user)

    ask = staff_client.get(f"/matchmaking/introductions/{draft.pk}/delete/")
    staff_client.post(f"/matchmaking/introductions/{draft.pk}/delete/")
    refused = staff_client.post(f"/matchmaking/introductions/{sent.pk}/delete/", follow=True)

    assert 'data-confirm="Delete this introduction for good?"' in ask.content.decode()
    assert list(Introduction.objects.all()) == [sent]
    assert "can no longer be deleted" in _text(refused)


# --- the public answer page ---------------------------------------------------------------------


def test_opening_the_link_changes_nothing_and_posting_answers(client, staff_client):
    intro = _sent(staff_client.user)
    url = f"/matchmaking/introductions/answer/{services.respond_token(intro, 'b')}/"

    page = client.get(url + "?answer=accept")
    intro.refresh_from_db()
    unchanged = (intro.response_a, intro.response_b)
    answered = client.post(url, {"answer": "accept"})

    assert page.status_code == 200
    assert unchanged == (Response.PENDING, Response.PENDING)
    assert "Would you like to meet?" in _text(page)
    assert "Shared topics: computer vision, quality control" in _text(page)
    intro.refresh_from_db()
    assert intro.response_b == Response.ACCEPTED
    text = _text(answered)
    assert "Thank you for your answer. You said yes: you would like to meet." in text
    assert "The other side has not answered yet. You can change your answer until they do." \
        in text
    assert AuditEntry.objects.filter(action="klynge.matchmaking.introduction.answered",
                                     actor=None).count() == 1


def test_after_both_answered_the_page_says_it_can_no_longer_change(client, staff_client):
    intro = _sent(staff_client.user)
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=False)
    services.introduction_respond(token=services.respond_token(intro, "b"), accept=True)
    url = f"/matchmaking/introductions/answer/{services.respond_token(intro, 'a')}/"

    page = client.get(url)
    refused = client.post(url, {"answer": "accept"})

    assert "the answer can no longer be changed here" in _text(page)
    assert refused.status_code == 400
    assert "Both sides have answered, so the answer can no longer be changed." \
        in _text(refused)
    intro.refresh_from_db()
    assert intro.response_a == Response.DECLINED


def test_a_bad_link_is_a_clear_not_found_page(client):
    response = client.get("/matchmaking/introductions/answer/not-a-token/")

    assert response.status_code == 404
    assert "This link cannot be used" in _text(response)
    assert "This link is not valid." in _text(response)


# --- the organisation timeline ------------------------------------------------------------------


def test_the_organisation_timeline_shows_the_introduction_answers_and_outcomes(staff_client):
    intro = _sent(staff_client.user)
    services.introduction_respond(token=services.respond_token(intro, "b"), accept=True)
    services.introduction_outcome_record(introduction=intro, kind="met", date=date(2025, 2, 1),
                                         description="Coffee", actor=staff_client.user)
    from klynge.ecosystem.selectors import organisation_timeline

    entries = [(e.kind, e.title) for e in organisation_timeline(intro.organisation_a)]

    assert ("Introduction", "Introduced to Aalborg University") in entries
    assert ("Introduction", "Aalborg University accepted the introduction") in entries
    assert ("Outcome of an introduction", "Met") in entries
    page = staff_client.get(intro.organisation_a.get_absolute_url())
    assert page.status_code == 200
    assert "Introduced to Aalborg University" in _text(page)
