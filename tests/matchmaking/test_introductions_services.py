"""Introductions: making one (each rule), e-mailing both sides in their languages with working
answer links, answering (changing one's mind, refusal after both answered), the e-mails that
follow an answer, outcomes over time (an EU application becomes a project) and deleting."""

import re
import time
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.utils import timezone

from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.matchmaking.choices import IntroductionStatus, Response
from klynge.matchmaking.models import CallTopic, Introduction, IntroductionOutcome
from klynge.matchmaking.services import introductions as services
from klynge.projects.choices import OutcomeKind, PartnerRole, ProjectKind, ProjectStatus
from klynge.projects.models import Project
from tests.factories import AffiliationFactory, HubFactory, OrganisationFactory, user_with_role
from tests.matchmaking.factories_introductions import (
    contact,
    introduce,
    made_on,
    pair,
    withdraw_visibility,
)
from tests.projects.factories import ProjectFactory, ProjectPartnerFactory

pytestmark = pytest.mark.django_db

REASONS = [
    {"code": "shared_terms", "text": "Shared topics: computer vision, quality control",
     "contribution": 0.310661},
    {"code": "region", "text": "Same country as Vision Robotics ApS (DK)",
     "contribution": 0.2},
    {"code": "complementary_kinds",
     "text": "Complementary kinds: Company ↔ University or college", "contribution": 0.2},
]
EXPLANATION = ("– Shared topics: computer vision, quality control\n"
               "– Same country as Vision Robotics ApS (DK)\n"
               "– Complementary kinds: Company ↔ University or college")


@pytest.fixture
def staff():
    user = user_with_role(Role.STAFF, first_name="Sofie", last_name="Staff")
    user.email = "sofie@klynge.test"
    user.save()
    return user


def _links(body: str) -> tuple[str, str]:
    """The accept and decline links of an invitation, as paths with their query."""
    urls = re.findall(r"http://testserver(/matchmaking/introductions/answer/\S+)", body)
    accept = next(u for u in urls if u.endswith("?answer=accept"))
    decline = next(u for u in urls if u.endswith("?answer=decline"))
    return accept, decline


def _token(url: str) -> str:
    return url.split("/answer/")[1].split("/")[0]


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KLYNGE_BASE_URL = "http://testserver"
    settings.KLYNGE_CLUSTER_NAME = "Klynge Test"


# --- making one -------------------------------------------------------------------------------


def test_an_introduction_keeps_the_recommenders_score_reasons_and_explanation(staff):
    a, anna, b, bo = pair()

    intro = introduce(staff, a, anna, b, bo, message="You two should talk about inspection.")

    intro.refresh_from_db()
    assert (intro.organisation_a, intro.person_a, intro.organisation_b, intro.person_b) == (
        a, anna, b, bo)
    assert intro.score == pytest.approx(0.710661)
    assert intro.reasons == REASONS
    assert intro.explanation == EXPLANATION
    assert intro.message == "You two should talk about inspection."
    assert (intro.purpose, intro.hub, intro.created_by) == ("knowledge", staff.hub, staff)
    assert (intro.status, intro.sent_at) == (IntroductionStatus.DRAFT, None)
    entry = AuditEntry.objects.get(action="klynge.matchmaking.introduction.created")
    assert (entry.actor, entry.object_id) == (staff, str(intro.pk))
    assert entry.data["organisation_a"] == "Vision Robotics ApS"


def test_the_hub_given_wins_over_the_actors(staff):
    a, anna, b, bo = pair()
    north = HubFactory(name="Hub Aalborg")

    intro = introduce(staff, a, anna, b, bo, hub=north)

    assert intro.hub == north


def test_two_different_organisations_are_needed(staff):
    a, anna, _b, _bo = pair()

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, anna, a, anna)

    assert error.value.message == "An introduction needs two different organisations."
    assert error.value.field == "organisation_b"


def test_a_contact_must_be_affiliated_with_its_organisation(staff):
    a, anna, b, bo = pair()

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, bo, b, bo)

    assert error.value.message == "Bo Berg is not affiliated with Vision Robotics ApS."
    assert error.value.field == "person_a"


def test_a_contact_whose_affiliation_ended_is_refused(staff):
    a, anna, b, bo = pair()
    bo.affiliations.update(end_date=timezone.localdate() - timedelta(days=1))

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, anna, b, bo)

    assert error.value.message == "Bo Berg is not affiliated with Aalborg University."


def test_a_contact_who_withdrew_matchmaking_visibility_is_refused(staff):
    a, anna, b, bo = pair()
    withdraw_visibility(bo)

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, anna, b, bo)

    assert error.value.message == ("Bo Berg has withdrawn consent to being visible in "
                                   "matchmaking; choose someone else.")
    assert error.value.field == "person_b"
    assert not Introduction.objects.exists()


def test_a_contact_must_be_chosen_where_someone_can_be_emailed(staff):
    a, anna, b, _bo = pair()

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, anna, b, None)

    assert error.value.message == "Choose the contact person at Aalborg University."
    assert error.value.field == "person_b"


def test_without_anyone_to_email_the_draft_is_saved_but_sending_is_refused(staff):
    a, anna, b, _bo = pair()
    nobody = OrganisationFactory(name="Quiet Labs ApS", competences="Computer vision")

    intro = introduce(staff, a, anna, nobody, None, purpose="any")

    with pytest.raises(ApplicationError) as error:
        services.introduction_send(introduction=intro, actor=staff)
    assert error.value.message == ("Choose a contact person at Quiet Labs ApS before sending: "
                                   "the introduction cannot be e-mailed to nobody.")
    assert mail.outbox == []
    intro.refresh_from_db()
    assert intro.sent_at is None


def test_a_second_open_introduction_of_the_same_pair_is_refused_in_either_order(staff):
    a, anna, b, bo = pair()
    first = introduce(staff, a, anna, b, bo)

    with pytest.raises(ApplicationError) as error:
        introduce(staff, b, bo, a, anna)

    day = timezone.localtime(first.created_at).date().isoformat()
    assert error.value.message == (
        f"Aalborg University and Vision Robotics ApS already have an open introduction "
        f"(Not sent, made {day}); finish or delete that one first.")
    assert Introduction.objects.count() == 1


def test_after_a_decline_the_pair_may_be_introduced_again(staff):
    a, anna, b, bo = pair()
    first = introduce(staff, a, anna, b, bo)
    services.introduction_send(introduction=first, actor=staff)
    services.introduction_respond(token=services.respond_token(first, "b"), accept=False)

    second = introduce(staff, a, anna, b, bo)

    assert Introduction.objects.count() == 2
    assert second.status == IntroductionStatus.DRAFT


def test_a_pair_the_recommender_does_not_know_is_explained_by_the_message(staff, monkeypatch):
    a, anna, b, bo = pair()
    monkeypatch.setattr(services.reads, "pair_suggestion", lambda *args, **kw: None)

    with pytest.raises(ApplicationError) as error:
        introduce(staff, a, anna, b, bo, message="  ")
    intro = introduce(staff, a, anna, b, bo, message="Both work on vision for food.")

    assert error.value.field == "message"
    assert error.value.message.startswith("The recommender has no reasons for this pair yet")
    assert (intro.score, intro.reasons) == (None, [])
    assert intro.explanation == "Both work on vision for food."


def test_a_call_topic_is_kept(staff):
    a, anna, b, bo = pair()
    call = CallTopic.objects.create(identifier="HORIZON-CL4-2025-01-01",
                                    title="Computer vision for quality control")

    intro = introduce(staff, a, anna, b, bo, call_topic=call)

    assert intro.call_topic == call
    assert intro.reasons[0]["code"] == "shared_terms"


# --- sending ----------------------------------------------------------------------------------


def test_sending_emails_each_side_in_its_language_with_the_other_side_and_the_reasons(staff):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo, message="You two should talk about inspection.")

    sent_to = services.introduction_send(introduction=intro, actor=staff)

    assert sent_to == ["anna@example.dk", "bo@example.dk"]
    to_anna, to_bo = mail.outbox
    assert (to_anna.to, to_bo.to) == (["anna@example.dk"], ["bo@example.dk"])
    assert to_anna.subject == "Introduction: Aalborg University"
    assert to_anna.body.startswith("Dear Anna,")
    assert "Klynge Test would like to introduce Vision Robotics ApS to Aalborg University." \
        in to_anna.body
    assert EXPLANATION in to_anna.body
    assert "You two should talk about inspection." in to_anna.body
    assert "The links work for 90 days." in to_anna.body
    assert to_bo.body.startswith("Kære Bo,")  # Bo reads Danish
    assert "You two should talk about inspection." in to_bo.body
    # no contact details before both have accepted
    assert "bo@example.dk" not in to_anna.body and "anna@example.dk" not in to_bo.body
    intro.refresh_from_db()
    assert intro.sent_at is not None and intro.status == IntroductionStatus.WAITING
    entry = AuditEntry.objects.get(action="klynge.matchmaking.introduction.sent")
    assert (entry.actor, entry.data) == (staff, {"to": ["anna@example.dk", "bo@example.dk"]})


def test_the_links_in_the_email_open_the_answer_page_and_accept(staff, client):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo)
    services.introduction_send(introduction=intro, actor=staff)
    accept, decline = _links(mail.outbox[0].body)

    page = client.get(accept)
    answered = client.post(accept.split("?")[0], {"answer": "accept"})

    assert page.status_code == 200
    assert "Vision Robotics ApS meets Aalborg University?" in page.content.decode()
    assert answered.status_code == 200
    intro.refresh_from_db()
    assert (intro.response_a, intro.response_b) == (Response.ACCEPTED, Response.PENDING)
    assert services.introduction_for_token(_token(decline)) == (intro, "a")
    assert services.introduction_for_token(_token(_links(mail.outbox[1].body)[0])) == (
        intro, "b")


def test_resending_emails_only_the_side_that_has_not_answered(staff):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo)
    services.introduction_send(introduction=intro, actor=staff)
    first_sent = Introduction.objects.get().sent_at
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)
    mail.outbox.clear()
    intro.refresh_from_db()

    sent_to = services.introduction_send(introduction=intro, actor=staff)

    assert sent_to == ["bo@example.dk"]
    assert [m.to for m in mail.outbox] == [["bo@example.dk"]]
    intro.refresh_from_db()
    assert intro.sent_at == first_sent
    entry = AuditEntry.objects.get(action="klynge.matchmaking.introduction.resent")
    assert entry.data == {"to": ["bo@example.dk"]}


def test_sending_is_refused_once_answered_and_to_a_contact_who_withdrew_since(staff):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo)
    withdraw_visibility(anna)

    with pytest.raises(ApplicationError) as withdrawn:
        services.introduction_send(introduction=intro, actor=staff)
    Introduction.objects.filter(pk=intro.pk).update(response_a=Response.DECLINED)
    intro.refresh_from_db()
    with pytest.raises(ApplicationError) as answered:
        services.introduction_send(introduction=intro, actor=staff)

    assert withdrawn.value.message == ("Anna Berg has withdrawn consent to being visible in "
                                       "matchmaking; the introduction cannot be sent to them.")
    assert answered.value.message == ("This introduction has been answered (Declined); there "
                                      "is nothing to send.")
    assert mail.outbox == []


# --- answering --------------------------------------------------------------------------------


def _sent(staff):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo)
    services.introduction_send(introduction=intro, actor=staff)
    mail.outbox.clear()
    return intro


def test_a_side_may_change_its_mind_until_the_other_side_answers(staff):
    intro = _sent(staff)
    token_a = services.respond_token(intro, "a")

    services.introduction_respond(token=token_a, accept=True)
    changed, side = services.introduction_respond(token=token_a, accept=False)

    assert side == "a"
    assert (changed.response_a, changed.response_b) == (Response.DECLINED, Response.PENDING)
    assert changed.responded_a_at is not None
    entries = AuditEntry.objects.filter(action="klynge.matchmaking.introduction.answered")
    assert [(e.actor, e.data["answer"], e.data["previous"]) for e in entries.order_by("pk")] == [
        (None, "accepted", "pending"), (None, "declined", "accepted")]


def test_after_both_answered_an_answer_can_no_longer_be_changed(staff):
    intro = _sent(staff)
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)
    services.introduction_respond(token=services.respond_token(intro, "b"), accept=False)

    with pytest.raises(ApplicationError) as error:
        services.introduction_respond(token=services.respond_token(intro, "a"), accept=False)

    assert error.value.message == ("Both sides have answered, so the answer can no longer be "
                                   "changed. Please contact Klynge Test if something has "
                                   "changed.")
    intro.refresh_from_db()
    assert (intro.response_a, intro.response_b) == (Response.ACCEPTED, Response.DECLINED)


def test_when_both_accept_each_side_gets_the_others_contact_details(
        staff, django_capture_on_commit_callbacks):
    intro = _sent(staff)
    intro.person_b.phone = "+45 12 34 56 78"
    intro.person_b.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)
    assert mail.outbox == []  # one yes is not enough
    with django_capture_on_commit_callbacks(execute=True):
        done, _side = services.introduction_respond(token=services.respond_token(intro, "b"),
                                                    accept=True)

    assert done.status == IntroductionStatus.ACCEPTED
    to_anna, to_bo = mail.outbox
    assert to_anna.to == ["anna@example.dk"]
    assert to_anna.subject == "Aalborg University would like to meet you too"
    assert "Bo Berg" in to_anna.body and "E-mail: bo@example.dk" in to_anna.body
    assert "Phone: +45 12 34 56 78" in to_anna.body
    assert to_bo.to == ["bo@example.dk"]
    assert "anna@example.dk" in to_bo.body and to_bo.body.startswith("Kære Bo,")


def test_a_decline_is_emailed_to_the_staff_member_who_made_the_introduction(
        staff, django_capture_on_commit_callbacks):
    intro = _sent(staff)

    with django_capture_on_commit_callbacks(execute=True):
        services.introduction_respond(token=services.respond_token(intro, "b"), accept=False)

    (message,) = mail.outbox
    assert message.to == ["sofie@klynge.test"]
    assert message.subject == "Introduction declined: Aalborg University"
    assert "Aalborg University has declined the introduction to Vision Robotics ApS." \
        in message.body
    assert "Answered by Bo Berg." in message.body
    assert f"http://testserver/matchmaking/introductions/{intro.pk}/" in message.body


def test_a_forged_expired_or_orphaned_link_is_refused(staff):
    intro = _sent(staff)
    token = services.respond_token(intro, "a")
    ninety_one_days_ago = time.time() - 91 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=ninety_one_days_ago):
        expired_token = services.respond_token(intro, "a")

    with pytest.raises(ApplicationError) as forged:
        services.introduction_respond(token=token[:-2] + "xx", accept=True)
    with pytest.raises(ApplicationError) as other_salt:
        services.introduction_respond(
            token=signing.dumps({"i": intro.pk, "s": "a"}, salt="another"), accept=True)
    with pytest.raises(ApplicationError) as expired:
        services.introduction_respond(token=expired_token, accept=True)
    Introduction.objects.filter(pk=intro.pk).delete()
    with pytest.raises(ApplicationError) as gone:
        services.introduction_respond(token=token, accept=True)

    assert forged.value.message == other_salt.value.message == "This link is not valid."
    assert expired.value.message == "This link has expired: answer links work for 90 days."
    assert gone.value.message == "This introduction no longer exists."


# --- outcomes ---------------------------------------------------------------------------------


def _accepted(staff, **extra):
    a, anna, b, bo = pair()
    intro = introduce(staff, a, anna, b, bo, **extra)
    services.introduction_send(introduction=intro, actor=staff)
    services.introduction_respond(token=services.respond_token(intro, "a"), accept=True)
    services.introduction_respond(token=services.respond_token(intro, "b"), accept=True)
    return made_on(intro, datetime(2025, 1, 10, 9, 0, tzinfo=ZoneInfo("Europe/Copenhagen")))


def test_outcomes_are_dated_not_in_the_future_and_not_before_the_introduction(staff):
    intro = _accepted(staff)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ApplicationError) as future:
        services.introduction_outcome_record(introduction=intro, kind=OutcomeKind.MET,
                                             date=tomorrow, actor=staff)
    with pytest.raises(ApplicationError) as before:
        services.introduction_outcome_record(introduction=intro, kind=OutcomeKind.MET,
                                             date=date(2025, 1, 9), actor=staff)
    with pytest.raises(ApplicationError) as no_date:
        services.introduction_outcome_record(introduction=intro, kind=OutcomeKind.MET,
                                             date=None, actor=staff)
    with pytest.raises(ApplicationError) as no_kind:
        services.introduction_outcome_record(introduction=intro, kind="party",
                                             date=date(2025, 2, 1), actor=staff)

    assert future.value.message == (f"{tomorrow.isoformat()} is in the future; record an "
                                    "outcome once it has happened.")
    assert before.value.message == ("2025-01-09 is before the introduction was made "
                                    "(2025-01-10).")
    assert (future.value.field, before.value.field, no_date.value.field) == ("date",) * 3
    assert no_kind.value.field == "kind"
    assert not IntroductionOutcome.objects.exists()


def test_outcomes_come_in_any_order_and_are_listed_by_date(staff):
    intro = _accepted(staff)

    services.introduction_outcome_record(introduction=intro, kind=OutcomeKind.JOINT_PROJECT,
                                         date=date(2025, 6, 1), actor=staff)
    services.introduction_outcome_record(introduction=intro, kind=OutcomeKind.MET,
                                         date=date(2025, 2, 1), description=" Coffee in Aarhus ",
                                         actor=staff)

    assert [(o.kind, o.date, o.description, o.project) for o in intro.outcomes.all()] == [
        ("met", date(2025, 2, 1), "Coffee in Aarhus", None),
        ("joint_project", date(2025, 6, 1), "", None)]
    assert AuditEntry.objects.filter(
        action="klynge.matchmaking.introduction.outcome_recorded").count() == 2


def test_an_eu_application_outcome_creates_the_application_with_both_partners(staff):
    call = CallTopic.objects.create(identifier="HORIZON-CL4-2025-01-01",
                                    title="Computer vision for quality control",
                                    programme="Horizon Europe")
    intro = _accepted(staff, call_topic=call)

    outcome = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.EU_APPLICATION_SUBMITTED, date=date(2025, 3, 14),
        actor=staff)

    project = outcome.project
    assert (project.kind, project.status, project.submitted_on) == (
        ProjectKind.EU_APPLICATION, ProjectStatus.SUBMITTED, date(2025, 3, 14))
    assert project.title == ("EU application for HORIZON-CL4-2025-01-01: Vision Robotics ApS "
                             "and Aalborg University")
    assert (project.call_identifier, project.programme, project.hub) == (
        "HORIZON-CL4-2025-01-01", "Horizon Europe", staff.hub)
    assert sorted((p.organisation.name, p.role) for p in project.partnerships.all()) == [
        ("Aalborg University", PartnerRole.PARTNER),
        ("Vision Robotics ApS", PartnerRole.COORDINATOR)]
    assert AuditEntry.objects.filter(action="klynge.projects.project.created",
                                     object_id=str(project.pk)).exists()


def test_funded_after_submitted_marks_the_same_application_funded(staff):
    intro = _accepted(staff)
    submitted = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.EU_APPLICATION_SUBMITTED, date=date(2025, 3, 14),
        actor=staff)

    funded = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.EU_APPLICATION_FUNDED, date=date(2025, 9, 1),
        actor=staff)

    assert funded.project == submitted.project
    assert Project.objects.count() == 1
    project = Project.objects.get()
    assert (project.status, project.submitted_on) == (ProjectStatus.FUNDED, date(2025, 3, 14))


def test_funded_without_an_earlier_application_creates_a_funded_one(staff):
    intro = _accepted(staff)

    outcome = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.EU_APPLICATION_FUNDED, date=date(2025, 9, 1),
        actor=staff)

    assert (outcome.project.status, outcome.project.submitted_on) == (
        ProjectStatus.FUNDED, date(2025, 9, 1))
    assert outcome.project.title == "EU application: Vision Robotics ApS and Aalborg University"


def test_a_given_project_is_linked_and_gets_the_missing_partner(staff):
    intro = _accepted(staff)
    project = ProjectFactory(title="Vision pilot", kind=ProjectKind.COLLABORATION)
    ProjectPartnerFactory(project=project, organisation=intro.organisation_b,
                          role=PartnerRole.COORDINATOR)

    outcome = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.JOINT_PROJECT, date=date(2025, 4, 1),
        project=project, actor=staff)

    assert outcome.project == project
    assert sorted((p.organisation.name, p.role) for p in project.partnerships.all()) == [
        ("Aalborg University", PartnerRole.COORDINATOR),
        ("Vision Robotics ApS", PartnerRole.PARTNER)]
    assert Project.objects.count() == 1


def test_deleting_an_outcome_keeps_the_application_it_created(staff):
    intro = _accepted(staff)
    outcome = services.introduction_outcome_record(
        introduction=intro, kind=OutcomeKind.EU_APPLICATION_SUBMITTED, date=date(2025, 3, 14),
        actor=staff)

    services.introduction_outcome_delete(outcome=outcome, actor=staff)

    assert not IntroductionOutcome.objects.exists()
    assert Project.objects.count() == 1
    entry = AuditEntry.objects.get(action="klynge.matchmaking.introduction.outcome_deleted")
    assert entry.data["kind"] == "eu_application_submitted"


# --- deleting ---------------------------------------------------------------------------------


def test_only_a_draft_can_be_deleted(staff):
    a, anna, b, bo = pair()
    draft = introduce(staff, a, anna, b, bo)
    other = OrganisationFactory(name="Pixel Start ApS")
    AffiliationFactory(organisation=other)
    sent = introduce(staff, a, anna, other, other.people.get())
    services.introduction_send(introduction=sent, actor=staff)

    services.introduction_delete(introduction=draft, actor=staff)
    with pytest.raises(ApplicationError) as error:
        services.introduction_delete(introduction=sent, actor=staff)

    day = timezone.localtime(sent.sent_at).date().isoformat()
    assert error.value.message == (f"This introduction was sent on {day} and can no longer be "
                                   "deleted; record its outcome instead.")
    assert list(Introduction.objects.all()) == [sent]
    entry = AuditEntry.objects.get(action="klynge.matchmaking.introduction.deleted")
    assert entry.data["organisation_b"] == "Aalborg University"


def test_a_contact_added_later_can_be_chosen(staff):
    a, anna, _b, _bo = pair()
    quiet = OrganisationFactory(name="Quiet Labs ApS")
    person = contact(quiet, first_name="Carl")

    intro = introduce(staff, a, anna, quiet, person, purpose="any",
                      message="Both build robots.")

    assert intro.person_b == person
