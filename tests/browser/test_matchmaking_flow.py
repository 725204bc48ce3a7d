"""Matchmaking end to end in a real browser (issue 5's check): staff open an organisation and
see suggested partners with their reasons, introduce one of them, the other side accepts
through the link in its e-mail (no login), staff record "EU application submitted", and the
KPI 4 drill-down lists the company with the application that came from the introduction.

Interface texts are looked up in the catalogue (text_in), so they hold whether or not a text
is translated yet; everything else asserted on is data the test wrote.
"""

import re

from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from klynge.core.roles import Role
from klynge.matchmaking.models import Introduction
from klynge.projects.choices import ProjectKind, ProjectStatus
from tests.browser.conftest import login, text_in
from tests.factories import AffiliationFactory, HubFactory, PersonFactory, user_with_role
from tests.kpis.factories import company, university

LEAD = "Fjordlys Robotics ApS"
PARTNER = "Aarhus Universitet"
OTHER = "Skovbryn Energi A/S"


def _cluster():
    """An SME that seeks computer vision (in Danish), a university that does it (in English),
    and a company in another field; a contact with an e-mail address at each."""
    hub = HubFactory(name="Hub Aarhus")
    lead = company(name=LEAD, hub=hub, employee_band="10-49", region="midtjylland",
                   seeks="Vi søger computersyn og maskinlæring til kvalitetskontrol i "
                         "produktionen.",
                   competences="Robotceller til svejsning")
    partner = university(name=PARTNER, hub=hub, region="midtjylland",
                         competences="Computer vision and machine learning for quality "
                                     "control in manufacturing")
    other = company(name=OTHER, hub=hub, employee_band="50-249",
                    competences="Vindmøller og service af havvind")
    people = {}
    for organisation, first, email in ((lead, "Mette", "mette@fjordlys.dk"),
                                       (partner, "Jonas", "jonas@au.dk"),
                                       (other, "Sara", "sara@skovbryn.dk")):
        person = PersonFactory(first_name=first, email=email, language="da")
        AffiliationFactory(person=person, organisation=organisation)
        people[organisation.pk] = person
    return hub, lead, partner, people


def test_staff_introduce_a_suggested_partner_who_accepts_and_the_application_counts(
        page, live_server):
    hub, lead, partner, people = _cluster()
    staff = user_with_role(Role.STAFF, hub=hub)
    login(page, live_server, staff)

    # The organisation's page suggests the university first, with readable reasons.
    page.goto(f"{live_server.url}{lead.get_absolute_url()}")
    panel = page.locator("#suggested-partners")
    first = panel.locator("article.suggestion").first
    expect(first.locator("h3")).to_have_text(PARTNER)
    reasons = first.locator("ul.reasons")
    expect(reasons).to_contain_text("computer vision")
    expect(panel).not_to_contain_text(OTHER)

    # Introduce them: the form shows the reasons that will be sent.
    with page.expect_navigation():
        first.get_by_role("link", name=text_in("da", "Introduce")).click()
    expect(page.locator("ul.reasons")).to_contain_text("computer vision")
    page.locator("select[name='person_a']").select_option(str(people[lead.pk].pk))
    page.locator("select[name='person_b']").select_option(str(people[partner.pk].pk))
    page.locator("textarea[name='message']").fill("I har meget at tale om.")
    with page.expect_navigation():
        page.get_by_role("button", name=text_in("da", "Save and send")).click()
    introduction = Introduction.objects.get()
    expect(page).to_have_url(re.compile(rf"/matchmaking/introductions/{introduction.pk}/$"))

    # Both sides got an e-mail; the university answers through its link, without a login.
    assert sorted(m.to[0] for m in mail.outbox) == ["jonas@au.dk", "mette@fjordlys.dk"]
    to_partner = next(m for m in mail.outbox if m.to == ["jonas@au.dk"])
    assert "computer vision" in to_partner.body
    links = re.findall(rf"{re.escape(settings.KLYNGE_BASE_URL)}(\S+)", to_partner.body)
    assert len(links) == 2  # accept, then decline
    visitor = page.context.browser.new_context(locale="da-DK")
    answer = visitor.new_page()
    answer.goto(f"{live_server.url}{links[0]}")
    expect(answer.locator("body")).to_contain_text(LEAD)
    with answer.expect_navigation():
        answer.get_by_role("button", name=text_in("da", "Yes, I would like to meet")).click()
    visitor.close()
    introduction.refresh_from_db()
    assert introduction.response_b == "accepted"

    # Staff record that an EU application was submitted.
    page.reload()
    page.locator("details", has=page.locator("form[action$='/outcomes/']")).locator(
        "summary").click()
    outcome_form = page.locator("form[action$='/outcomes/']")
    outcome_form.locator("select[name='kind']").select_option("eu_application_submitted")
    today = timezone.localdate()
    outcome_form.locator("input[name='date']").fill(today.isoformat())
    with page.expect_navigation():
        outcome_form.get_by_role("button", name=text_in("da", "Record")).click()
    project = introduction.outcomes.get().project
    assert (project.kind, project.status, project.submitted_on) == (
        ProjectKind.EU_APPLICATION, ProjectStatus.SUBMITTED, today)

    # KPI 4 for this year lists the company (the university is no company), with the
    # application and the introduction it came from.
    page.goto(f"{live_server.url}/kpis/kpi/4/?kind=year&year={today.year}")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(LEAD)
    expect(rows.first).to_contain_text(str(project))
    expect(rows.first).to_contain_text(PARTNER)
