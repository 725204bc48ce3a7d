"""The member portal end to end in a real browser (issue 7's check): a member is invited, opens
the link from the e-mail, chooses a password and is signed in, edits the organisation's
profile, asks for an introduction to a suggested partner, signs up for an activity and
downloads their data; a member of another organisation is refused the first organisation's
private pages (403 or 404).

Interface texts are avoided in selectors (field names and links are used), so the test holds
whether or not a text is translated yet; what is asserted on is data the test wrote.
"""

import io
import json
import re
import zipfile

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from klynge.activities.models import Registration
from klynge.core.roles import Role
from klynge.matchmaking.models import Introduction
from klynge.portal import services as portal_services
from tests.activities.factories import ActivityFactory
from tests.browser.conftest import TIMEOUT_MS, login
from tests.factories import (
    AffiliationFactory,
    HubFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    user_with_role,
)

LEAD = "Fjordlys Robotics ApS"
PARTNER = "Aalborg Universitet"
PASSWORD = "Fjordlys-portal-2026!"
PHONE = {"width": 375, "height": 812}


def _cluster():
    hub = HubFactory(name="Hub Aalborg", email="aalborg@cluster.test")
    lead = OrganisationFactory(name=LEAD, hub=hub, competences="Robot cells for welding",
                               directory_listed=True, directory_fields=["description"])
    MembershipFactory(organisation=lead)
    partner = OrganisationFactory(
        name=PARTNER, kind="university", cvr=None, employee_band="250+",
        competences="Computer vision for quality control in manufacturing. Deep learning "
                    "for image recognition.",
        description="Research in computer vision.", directory_listed=True,
        directory_fields=["description"])
    MembershipFactory(organisation=partner)
    mette = PersonFactory(first_name="Mette", last_name="Lund", email="mette@fjordlys.dk",
                          language="da")
    AffiliationFactory(person=mette, organisation=lead)
    jonas = PersonFactory(first_name="Jonas", last_name="Berg", email="jonas@aau.dk")
    AffiliationFactory(person=jonas, organisation=partner)
    activity = ActivityFactory(title="Computersyn i produktionen", capacity=20)
    return {"hub": hub, "lead": lead, "partner": partner, "mette": mette, "jonas": jonas,
            "activity": activity}


def _invitation_path() -> str:
    body = mail.outbox[-1].body
    found = re.search(r"https?://[^/\s]+(/portal/join/[^\s]+/)", body)
    assert found, body
    return found.group(1)


def test_a_member_is_invited_edits_the_profile_asks_signs_up_and_downloads_their_data(
        page, live_server, browser):
    world = _cluster()
    staff = user_with_role(Role.STAFF, hub=world["hub"])

    # The cluster team invites Mette; the e-mail holds her personal link.
    portal_services.invitation_create(person=world["mette"], organisation=world["lead"],
                                      actor=staff)
    assert mail.outbox[-1].to == ["mette@fjordlys.dk"]

    # She opens it, chooses a password and is signed in on the portal's home page.
    page.goto(f"{live_server.url}{_invitation_path()}")
    page.locator("input[name='password1']").fill(PASSWORD)
    page.locator("input[name='password2']").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name='password1']) button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))

    # She describes what her organisation seeks in its profile.
    page.goto(f"{live_server.url}{reverse('portal:organisation')}")
    page.locator("textarea[name='seeks']").fill("Computer vision for quality control of "
                                                "welds")
    with page.expect_navigation():
        page.locator("form:has(textarea[name='seeks']) button[type='submit']").click()
    world["lead"].refresh_from_db()
    assert world["lead"].seeks == "Computer vision for quality control of welds"

    # The university is suggested; she asks the cluster for an introduction.
    page.goto(f"{live_server.url}{reverse('portal:partners')}")
    first = page.locator("article.suggestion").first
    expect(first.locator("h3")).to_have_text(PARTNER)
    mail.outbox.clear()
    with page.expect_navigation():
        first.locator("a[href*='/introduction/']").click()
    page.locator("textarea[name='message']").fill("Vi vil gerne tale om computersyn.")
    with page.expect_navigation():
        page.locator("form:has(textarea[name='message']) button[type='submit']").click()
    introduction = Introduction.objects.get()
    assert (introduction.organisation_a, introduction.person_a, introduction.organisation_b,
            introduction.person_b, introduction.sent_at) == (
        world["lead"], world["mette"], world["partner"], world["jonas"], None)
    expect(page.locator("#requests")).to_contain_text(PARTNER)
    assert [m.to for m in mail.outbox] == [["aalborg@cluster.test"]]

    # She signs up for the activity from the list.
    page.goto(f"{live_server.url}{reverse('portal:activities')}")
    with page.expect_navigation():
        page.locator(".portal-activities a", has_text="Computersyn i produktionen").click()
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('portal:activity_signup', args=[world['activity'].pk])}']"
                     ).click()
    with page.expect_navigation():
        page.locator("form.signup button[type='submit']").click()
    registration = Registration.objects.get()
    assert (registration.person, registration.organisation, registration.status,
            registration.source) == (world["mette"], world["lead"], "registered", "portal")
    expect(page.locator(".portal-signups")).to_contain_text("Mette Lund")

    # She downloads her data: a zip whose data.json holds her, her sign-up and her request.
    page.goto(f"{live_server.url}{reverse('portal:data')}")
    with page.expect_download() as download_info:
        page.locator("main form button[type='submit']").click()
    with open(download_info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert "data.json" in names
    data = json.loads(archive.read("data.json"))
    text = json.dumps(data, ensure_ascii=False)
    assert "mette@fjordlys.dk" in text
    assert "Computersyn i produktionen" in text
    assert PARTNER in text

    # A member of another organisation is refused Fjordlys's private pages.
    other = OrganisationFactory(name="Skovbryn Energi A/S")
    MembershipFactory(organisation=other)
    sara = PersonFactory(first_name="Sara", email="sara@skovbryn.dk")
    AffiliationFactory(person=sara, organisation=other)
    stranger = user_with_role(Role.MEMBER, organisation=other, person=sara)
    context = browser.new_context(locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        login(tab, live_server, stranger)
        private = [
            world["lead"].get_absolute_url(),
            world["mette"].get_absolute_url(),
            introduction.get_absolute_url(),
            reverse("portal:invitation_list"),
        ]
        for url in private:
            assert tab.goto(f"{live_server.url}{url}").status == 403, url
        # Fjordlys's sign-up cannot be cancelled by her (it does not exist for her: 404).
        tab.goto(f"{live_server.url}{reverse('portal:activity', args=[world['activity'].pk])}")
        expect(tab.locator("main")).not_to_contain_text("Mette Lund")
        cancel = reverse("portal:activity_cancel",
                         args=[world["activity"].pk, registration.pk])
        answer = tab.request.post(f"{live_server.url}{cancel}", headers={
            "X-CSRFToken": next(c["value"] for c in context.cookies()
                                if c["name"] == "csrftoken"),
            "Referer": f"{live_server.url}/"})
        assert answer.status == 404
        # Her own partners page lists none of Fjordlys's requests.
        tab.goto(f"{live_server.url}{reverse('portal:partners')}")
        expect(tab.locator("#requests")).not_to_contain_text(PARTNER)
    finally:
        context.close()
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_portal_pages_fit_a_phone(browser, live_server):
    """At 375 px nothing of the portal's pages scrolls sideways."""
    world = _cluster()
    user = user_with_role(Role.MEMBER, organisation=world["lead"], person=world["mette"])
    Registration.objects.create(activity=world["activity"], person=world["mette"],
                                organisation=world["lead"])
    context = browser.new_context(viewport=PHONE, locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        login(tab, live_server, user)
        for url in (reverse("portal:partners"), reverse("portal:activities"),
                    reverse("portal:activity", args=[world["activity"].pk]),
                    reverse("portal:activity_signup", args=[world["activity"].pk]),
                    reverse("portal:evaluations"), reverse("directory:list"),
                    reverse("directory:detail", args=[world["partner"].pk]),
                    reverse("portal:introduction_request", args=[world["partner"].pk])):
            assert tab.goto(f"{live_server.url}{url}").status == 200, url
            width = tab.evaluate("document.scrollingElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width}px wide"
    finally:
        context.close()
