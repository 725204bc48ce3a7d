"""B2B meetings end to end in a real browser (issue 6's check): one participant requests a
meeting through their personal page (opened by the key in their link, no login), the other
accepts it on theirs, the organiser (signed in as staff) runs the scheduler and publishes,
and each participant sees the meeting in their agenda and downloads it as an .ics file that
names the other person at the published time and table.

Interface texts are looked up in the catalogue (text_in), so they hold whether or not a text
is translated yet; everything else asserted on is data the test wrote.
"""

import re
from pathlib import Path

from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from klynge.brokerage.models import Meeting, ScheduleRun
from klynge.core.roles import Role
from tests.brokerage.factories import ParticipantFactory, event_with_slots
from tests.browser.conftest import login, text_in
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

REQUESTER = ("Mette", "Fjordlys", "mette@fjordlys.dk", "Fjordlys Robotics ApS")
RECIPIENT = ("Jonas", "Brink", "jonas@au.dk", "Aarhus Universitet")


def _participant(event, first, last, email, organisation):
    person = PersonFactory(first_name=first, last_name=last, email=email, language="da")
    return ParticipantFactory(event=event, person=person,
                              organisation=OrganisationFactory(name=organisation),
                              headline=f"{organisation}: robotter og computersyn")


def _visitor(page, live_server):
    """A tab of its own (own cookies, no login), as a participant opening their link."""
    context = page.context.browser.new_context(locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _download_ics(tab) -> Calendar:
    with tab.expect_download() as info:
        tab.get_by_role("link", name=text_in("da", "Add to calendar (.ics)")).click()
    download = info.value
    assert download.suggested_filename == "b2b-agenda.ics"
    return Calendar.from_ical(Path(download.path()).read_bytes())


def test_two_participants_meet_and_each_downloads_the_meeting_in_their_agenda(
        page, live_server):
    event = event_with_slots(slots=3, tables=2, participants=0)
    mette = _participant(event, *REQUESTER)
    jonas = _participant(event, *RECIPIENT)
    staff = user_with_role(Role.STAFF)

    # Mette finds Jonas in the marketplace of her personal page and asks for a meeting.
    context_a, tab_a = _visitor(page, live_server)
    tab_a.goto(f"/b2b/me/{mette.key}/marketplace/")
    card = tab_a.locator(f"#participant-{jonas.pk}")
    expect(card).to_contain_text("Jonas Brink")
    with tab_a.expect_navigation():
        card.get_by_role("link", name=text_in("da", "Request a meeting")).click()
    tab_a.locator("textarea[name='message']").fill("Vi søger computersyn til kvalitetskontrol.")
    tab_a.locator("input[name='priority'][value='3']").check()
    with tab_a.expect_navigation():
        tab_a.get_by_role("button", name=text_in("da", "Send the request")).click()
    expect(tab_a).to_have_url(re.compile(rf"/b2b/me/{mette.key}/$"))
    meeting = Meeting.objects.get()
    assert (meeting.requester, meeting.recipient, meeting.status, meeting.priority) == (
        mette, jonas, "requested", 3)
    expect(tab_a.locator(f"#meeting-{meeting.pk}")).to_contain_text("Jonas Brink")

    # Jonas accepts on his page (by his key, no login).
    context_b, tab_b = _visitor(page, live_server)
    tab_b.goto(f"/b2b/me/{jonas.key}/")
    request = tab_b.locator(f"#meeting-{meeting.pk}")
    expect(request).to_contain_text("Mette Fjordlys")
    expect(request).to_contain_text("Vi søger computersyn")
    with tab_b.expect_navigation():
        request.get_by_role("button", name=text_in("da", "Accept"), exact=True).click()
    meeting.refresh_from_db()
    assert meeting.status == "accepted"

    # The organiser schedules and publishes (publishing asks first: it e-mails people).
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/b2b/{event.pk}/schedule/")
    with page.expect_navigation():
        page.get_by_role("button", name=text_in("da", "Optimise"), exact=True).click()
    run = ScheduleRun.objects.get()
    assert (run.scheduled, run.accepted, run.violations) == (1, 1, 0)
    mail.outbox.clear()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("form[action$='/schedule/publish/'] button").click()
    meeting.refresh_from_db()
    assert meeting.published_slot_id is not None and meeting.published_table_id is not None
    assert sorted(m.to[0] for m in mail.outbox) == ["jonas@au.dk", "mette@fjordlys.dk"]

    # Each sees the meeting in their agenda and downloads it: the .ics names the other.
    slot, table = meeting.published_slot, meeting.published_table
    for tab, me, other in ((tab_a, mette, "Jonas Brink"), (tab_b, jonas, "Mette Fjordlys")):
        tab.goto(f"/b2b/me/{me.key}/agenda/")
        row = tab.locator("table tbody tr")
        expect(row).to_have_count(1)
        expect(row.first).to_contain_text(other)
        expect(row.first).to_contain_text(table.name)
        calendar = _download_ics(tab)
        (entry,) = calendar.walk("VEVENT")
        assert other in str(entry.get("summary"))
        assert entry.decoded("dtstart") == slot.starts_at
        assert entry.decoded("dtend") == slot.ends_at
        assert table.name in str(entry.get("location"))
    context_a.close()
    context_b.close()
