"""An activity end to end in a real browser: staff plan a UFS-funded seminar and read that it
needs a knowledge institution; a visitor signs up on the public page; staff check them in and
mark the activity held; the evaluation e-mail goes out, is answered (and answered again)
through its personal link; and the answer shows in the activity's evaluation.

Staff read the UI in English (the header's DA/EN switcher); the visitor keeps the Danish
default, so their texts are looked up in the catalogue (text_in). Everything else asserted on
is data the test wrote itself.
"""

import re
from datetime import datetime, time, timedelta
from time import sleep

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from klynge.activities.models import Activity, Registration
from klynge.core.roles import Role
from klynge.evaluations.models import Answer, Question, Response
from tests.activities.factories import GrantFactory
from tests.browser.conftest import TIMEOUT_MS, login, text_in
from tests.factories import next_cvr, user_with_role

TITLE = "Fjordlys seminar om robotceller"
VISITOR = {"first_name": "Mette", "last_name": "Kragh", "email": "mette.kragh@fjordlys.test"}
ORGANISATION = "Fjordlys Robotics ApS"
SURVEY_LINK = re.compile(r"https?://[^\s]+(/survey/[^/\s]+/)")
CANCEL_LINK = re.compile(r"https?://[^\s]+/events/cancel/[^/\s]+/")


def _switch_to_english(page) -> None:
    with page.expect_navigation():
        page.locator("header form button[name='language'][value='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _start_today():
    """A start later today (sign-up closes at the start; attendance opens on its day).

    In the last minutes of a day there is no room for that: wait for the next day rather
    than skip, since CI must run every browser test.
    """
    now = timezone.localtime()
    latest = timezone.make_aware(datetime.combine(now.date(), time(23, 59)))
    if latest - now < timedelta(minutes=4):
        sleep((latest - now).total_seconds() + 61)
        return _start_today()
    return min(now + timedelta(hours=2), latest).replace(second=0, microsecond=0)


def _fill_datetime(page, name: str, moment) -> None:
    page.locator(f"input[name='{name}']").fill(timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M"))


def _plan_activity(page, grant, starts_at) -> Activity:
    page.goto(reverse("activities:activity_create"))
    expect(page.get_by_role("heading", level=1, name="New activity")).to_be_visible()
    form = page.locator("main form.form")
    form.locator("input[name='title']").fill(TITLE)
    form.locator("textarea[name='description']").fill("Hvordan små virksomheder kommer i gang.")
    form.locator("select[name='type']").select_option("knowledge_dissemination")
    form.locator("select[name='format']").select_option("seminar")
    form.locator("select[name='status']").select_option("open")
    form.locator("input[name='place']").fill("Navitas, Aarhus")
    _fill_datetime(form, "starts_at", starts_at)
    _fill_datetime(form, "ends_at", starts_at + timedelta(hours=2))
    form.locator("input[name='is_public']").check()
    form.locator("select[name='grant_0']").select_option(str(grant.pk))
    form.locator("input[name='share_0']").fill("100")
    with page.expect_navigation():
        form.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(r"/activities/\d+/$"))
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    return Activity.objects.get(title=TITLE)


def _sign_up(visitor_page, activity, cvr: str) -> None:
    visitor_page.goto(reverse("public_activities:signup", args=[activity.pk]))
    expect(visitor_page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    form = visitor_page.locator("main form.signup")
    for name, value in VISITOR.items():
        form.locator(f"input[name='{name}']").fill(value)
    form.locator("input[name='organisation_name']").fill(ORGANISATION)
    form.locator("input[name='cvr']").fill(cvr)
    form.locator("input[name='job_title']").fill("Produktionschef")
    form.locator("input[name='consent']").check()
    with visitor_page.expect_navigation():
        form.locator("button[type='submit']").click()
    expect(visitor_page).to_have_url(re.compile(rf"/events/{activity.pk}/registered/$"))
    expect(visitor_page.locator("main .msg.success")).to_contain_text(
        text_in("da", "Thank you: you are registered.")
    )
    expect(visitor_page.locator("main")).to_contain_text(VISITOR["email"])


def _answer_survey(visitor_page, path: str, values: dict[str, str]) -> None:
    """Tick the answers (by question key) on the personal-link page and send them."""
    visitor_page.goto(path)
    form = visitor_page.locator("main form.form")
    for key, value in values.items():
        question = Question.objects.get(survey__activity__title=TITLE, key=key)
        form.locator(f"input[name='q{question.pk}'][value='{value}']").check()
    with visitor_page.expect_navigation():
        form.locator("button[type='submit']").click()


ANSWERS = {
    "satisfaction": "9",
    "knowledge_gained": "agree",
    "innovation_started": "yes",
    "new_contacts": "yes",
    "green_contacts": "no",
    "international_visibility": "neutral",
}


def test_staff_plan_a_ufs_seminar_a_visitor_signs_up_attends_and_evaluates_it(
    page, browser, live_server
):
    staff = user_with_role(Role.STAFF)
    grant = GrantFactory(code="UFS-BROWSER", name="UFS browser grant")
    starts_at = _start_today()
    cvr = next_cvr()
    mail.outbox.clear()

    # Staff plan the seminar through the real form, in English.
    login(page, live_server, staff)
    _switch_to_english(page)
    activity = _plan_activity(page, grant, starts_at)
    assert activity.status == "open" and activity.is_public
    assert [(f.grant_id, f.share) for f in activity.fundings.all()] == [(grant.pk, 100)]
    verdicts = page.locator("section[aria-labelledby='verdicts-heading']")
    expect(verdicts.locator(".msg.warning")).to_contain_text(str(grant))
    expect(verdicts.locator(".msg.warning")).to_contain_text("Needs a knowledge institution.")

    # A visitor (no login, Danish) signs up on the public page.
    visitor = browser.new_context(locale="da-DK", base_url=live_server.url)
    visitor.set_default_timeout(TIMEOUT_MS)
    visitor_page = visitor.new_page()
    try:
        _sign_up(visitor_page, activity, cvr)
        registration = Registration.objects.get(activity=activity)
        assert registration.person.email == VISITOR["email"]
        assert registration.organisation.cvr == cvr
        assert registration.status == "registered"
        confirmations = [m for m in mail.outbox if m.to == [VISITOR["email"]]]
        assert len(confirmations) == 1, [m.subject for m in mail.outbox]
        assert CANCEL_LINK.search(confirmations[0].body), confirmations[0].body

        # Staff check the visitor in on the check-in list (the row updates through htmx).
        page.goto(reverse("activities:activity_detail", args=[activity.pk]))
        page.get_by_role("link", name="Registrations and check-in").click()
        page.get_by_role("link", name="Check-in list").click()
        expect(page).to_have_url(re.compile(rf"/activities/{activity.pk}/checkin/$"))
        row = page.locator(f"li#reg-{registration.pk}")
        expect(row).to_contain_text("Mette Kragh")
        expect(row).to_contain_text(ORGANISATION)
        url_before = page.url
        row.get_by_role("button", name="Attended", exact=True).click()
        row = page.locator(f"li#reg-{registration.pk}")
        expect(row).to_have_class(re.compile(r"\bis-attended\b"))
        expect(row.locator(".badge.ok")).to_have_text("Attended")
        expect(row.get_by_role("button", name="Undo")).to_be_visible()
        assert page.url == url_before  # swapped in place, no page load
        registration.refresh_from_db()
        assert registration.attended is True

        # ... and mark the activity held (the button asks first): the evaluation goes out.
        page.get_by_role("link", name=TITLE).click()
        expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation():
            page.get_by_role("button", name="Mark as held").click()
        expect(page.locator("main .msg.success").first).to_contain_text(
            "The activity is marked as held."
        )
        activity.refresh_from_db()
        assert activity.status == "held"

        invitations = [m for m in mail.outbox if "/survey/" in m.body]
        assert len(invitations) == 1, [m.subject for m in mail.outbox]
        assert invitations[0].to == [VISITOR["email"]]
        link = SURVEY_LINK.search(invitations[0].body)
        assert link, invitations[0].body
        survey_path = link.group(1)
        response = Response.objects.get(survey__activity=activity, person__email=VISITOR["email"])
        assert survey_path == reverse("surveys:answer", args=[response.token])

        # The visitor answers through the link ...
        _answer_survey(visitor_page, survey_path, ANSWERS)
        expect(visitor_page.locator("main .msg.success")).to_have_text(
            text_in("da", "Your answers were saved.")
        )
        answers = Answer.objects.filter(response=response)
        count = answers.count()
        assert count == len(ANSWERS)
        assert answers.get(question__key="satisfaction").number == 9

        # ... opens it again: the earlier answers are filled in; answering again updates them.
        visitor_page.goto(survey_path)
        expect(visitor_page.locator("main")).to_contain_text(text_in(
            "da", "You have answered before. Your earlier answers are filled in; saving again "
            "updates them."
        ))
        form = visitor_page.locator("main form.form")
        for key, value in ANSWERS.items():
            question = Question.objects.get(survey__activity=activity, key=key)
            expect(form.locator(f"input[name='q{question.pk}'][value='{value}']")).to_be_checked()
        _answer_survey(visitor_page, survey_path, {"new_contacts": "no"})
        expect(visitor_page.locator("main .msg.success")).to_have_text(
            text_in("da", "Your answers were updated.")
        )
        assert Answer.objects.filter(response=response).count() == count
        assert answers.get(question__key="new_contacts").value == "no"
        assert answers.get(question__key="satisfaction").number == 9
    finally:
        visitor.close()

    # Staff see the answer in the activity's evaluation: 1 of 1 answered, satisfaction 9.
    page.goto(reverse("evaluations:activity_evaluation", args=[activity.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    _expect_one_answer_of_one(page.locator("main section.evaluation-panel"))

    # The activity page shows the same panel once it is wired in (klynge.activities.hooks).
    page.goto(reverse("activities:activity_detail", args=[activity.pk]))
    panel = page.locator("main section.evaluation-panel")
    assert panel.count() == 1, "the evaluation panel is on the activity page"
    if panel.count():
        _expect_one_answer_of_one(panel)
        panel.get_by_role("link", name="Results").click()
        expect(page).to_have_url(re.compile(rf"/evaluations/activity/{activity.pk}/$"))


def _expect_one_answer_of_one(panel) -> None:
    row = panel.locator("tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("1")  # sent
    expect(cells.nth(2)).to_have_text("1")  # answered
    # Rates and averages keep one decimal (klynge.evaluations.domain.calendar.response_rate).
    expect(cells.nth(3)).to_have_text(re.compile(r"^\s*100(\.0)? %\s*$"))  # response rate
    expect(cells.nth(4)).to_have_text(re.compile(r"^\s*9(\.0)? / 10\s*$"))  # satisfaction
