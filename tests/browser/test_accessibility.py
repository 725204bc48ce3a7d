"""axe-core on the main pages, at a desktop and a phone viewport (375×812): no violation of
impact "serious" or "critical", and at the phone's width no page scrolls sideways.

Pages: login, the member portal's home, organisation profile, the public member directory
(list and detail), an activity's portal sign-up, the staff overview and dashboard, and the
organisation list. Each runs with data in it, so tables, filters and cards are checked too.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from klynge.core.roles import Role
from tests.activities.factories import ActivityFactory
from tests.browser.conftest import TIMEOUT_MS, login
from tests.factories import (
    AffiliationFactory,
    FocusAreaFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    user_with_role,
)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
FAILING_IMPACTS = {"serious", "critical"}


def _data():
    area = FocusAreaFactory(name_en="Robotics", name_da="Robotter")
    own = OrganisationFactory(name="Fjordlys Robotics ApS", directory_listed=True,
                              directory_fields=["description", "city", "focus_areas"],
                              description="Robot cells for welding, with a long description "
                                          "that wraps on a phone.",
                              competences="Welding", city="Aarhus C")
    own.focus_areas.add(area)
    MembershipFactory(organisation=own)
    for number in range(3):
        other = OrganisationFactory(name=f"Member {number} A/S", directory_listed=True,
                                    directory_fields=["description", "city"],
                                    description="Another member of the cluster.")
        MembershipFactory(organisation=other)
    person = PersonFactory(first_name="Mette", last_name="Lund", email="mette@fjordlys.dk")
    AffiliationFactory(person=person, organisation=own)
    member = user_with_role(Role.MEMBER, organisation=own, person=person)
    staff = user_with_role(Role.STAFF)
    activity = ActivityFactory(title="Vision seminar", capacity=30)
    activity.questions.create(text="Dietary needs", kind="text")
    activity.questions.create(text="Vegetarian?", kind="yes_no")
    return {"member": member, "staff": staff, "own": own, "activity": activity}


def _pages(data):
    return {
        "member": [
            reverse("portal:home"),
            reverse("portal:organisation"),
            reverse("directory:list"),
            reverse("directory:detail", args=[data["own"].pk]),
            reverse("portal:activity_signup", args=[data["activity"].pk]),
            reverse("portal:partners"),
            reverse("portal:activities"),
            reverse("portal:evaluations"),
        ],
        "staff": [
            reverse("core:home"),
            reverse("kpis:dashboard"),
            reverse("ecosystem:organisation_list"),
        ],
    }


def _violations(page) -> list[str]:
    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in FAILING_IMPACTS:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{page.url}: {violation['id']} ({violation['impact']}): "
                         f"{violation['help']} at {targets}")
    return found


def _overflow(page, width: int) -> str | None:
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    return None if scroll <= width else f"{page.url}: {scroll}px wide at {width}px"


def _check(browser, live_server, viewport, user, urls, *, first_url=None):
    context = browser.new_context(viewport=viewport, locale="en-GB",
                                  base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = []
    try:
        if first_url:  # the login page, signed out
            page.goto(f"{live_server.url}{first_url}")
            problems += _violations(page)
            if viewport == PHONE and (wide := _overflow(page, PHONE["width"])):
                problems.append(wide)
        login(page, live_server, user)
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, f"{url} answered {response.status}"
            problems += _violations(page)
            if viewport == PHONE and (wide := _overflow(page, PHONE["width"])):
                problems.append(wide)
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, settings,
                                                             viewport):
    if browser is None:
        pytest.skip("no browser")
    settings.LANGUAGE_CODE = "en"
    data = _data()
    pages = _pages(data)
    problems = _check(browser, live_server, viewport, data["member"], pages["member"],
                      first_url=reverse("account_login"))
    problems += _check(browser, live_server, viewport, data["staff"], pages["staff"])
    assert problems == []
