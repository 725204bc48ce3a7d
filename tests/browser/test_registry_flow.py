"""The registry end to end in a real browser: import a file, fix it, find an organisation,
log an interaction and follow it up; and the organisation list on a phone.

The texts asserted on are English (the UI is switched with the header's DA/EN buttons) or data
the test itself wrote into the file, so that translations added later do not break it.
"""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from klynge.core.roles import Role
from klynge.ecosystem.models import Organisation
from tests.browser.conftest import login
from tests.factories import OrganisationFactory, next_cvr, user_with_role

HEADER = "Navn;CVR-nummer;Postnr;By"
NAMES = ["Fjordlys Robotics ApS", "Skovbryn Energi A/S", "Havnesensorik Nord IVS"]


def _wrong_check_digit(cvr: str) -> str:
    """`cvr` with its last (check) digit changed, so the modulus-11 check fails."""
    return cvr[:-1] + str((int(cvr[-1]) + 1) % 10)


def _write_csv(path, cvrs: list[str]) -> None:
    rows = [
        f"{NAMES[0]};{cvrs[0]};8000;Aarhus C",
        f"{NAMES[1]};{cvrs[1]};5000;Odense C",
        f"{NAMES[2]};{cvrs[2]};9000;Aalborg",
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def _switch_to_english(page) -> None:
    with page.expect_navigation():
        page.locator("header form button[name='language'][value='en']").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _upload_and_map(page, path) -> None:
    """Upload `path` on the import page and run the dry run with the guessed mapping."""
    page.locator("header nav").get_by_role("link", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/imports/$"))
    page.locator("input[name='target'][value='organisations']").check()
    page.locator("input[name='file']").set_input_files(str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and map the columns").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))

    # Step 1: Klynge guessed the fields from the Danish headers.
    mapping = page.locator("form:has(input[name='action'][value='map'])")
    expect(mapping.locator("select[name='col_0']")).to_have_value("name")
    expect(mapping.locator("select[name='col_1']")).to_have_value("cvr")
    expect(mapping.locator("select[name='col_2']")).to_have_value("postcode")
    expect(mapping.locator("select[name='col_3']")).to_have_value("city")
    with page.expect_navigation():
        mapping.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_role("heading", name="2. Dry run: what the import would do")).to_be_visible()


def _organisation_names_listed(page) -> list[str]:
    return [name.strip() for name in page.locator("main table tbody tr td:first-child a")
            .all_inner_texts()]


def test_staff_imports_a_file_fixes_a_bad_row_and_follows_up_an_organisation(
    page, live_server, tmp_path
):
    staff = user_with_role(Role.STAFF)
    # Something already in the staff member's hub, so the list is not empty to begin with.
    OrganisationFactory(name="Eksisterende Hub ApS", hub=staff.hub)
    good = [next_cvr() for _ in NAMES]
    bad_file = tmp_path / "medlemmer.csv"
    _write_csv(bad_file, [good[0], _wrong_check_digit(good[1]), good[2]])

    login(page, live_server, staff)
    assert page.url == f"{live_server.url}/"
    _switch_to_english(page)

    # The file with a bad row: the dry run names its line, column and what is wrong.
    _upload_and_map(page, bad_file)
    bad_rows = page.locator("tr.bad-row")
    expect(bad_rows).to_have_count(1)
    cells = bad_rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("CVR-nummer")
    expect(cells.nth(2)).to_have_text(_wrong_check_digit(good[1]))
    expect(cells.nth(3)).to_contain_text("check digit")
    expect(page.get_by_text("Nothing has been written yet.")).to_be_visible()

    # ... and nothing was written: none of the names is in the registry (all hubs).
    page.goto(f"{live_server.url}{reverse('ecosystem:organisation_list')}?hub=")
    listed = _organisation_names_listed(page)
    assert "Eksisterende Hub ApS" in listed
    assert not set(NAMES) & set(listed)
    assert not Organisation.objects.filter(name__in=NAMES).exists()

    # The fixed file: no bad rows, imported all or nothing.
    fixed_file = tmp_path / "medlemmer-rettet.csv"
    _write_csv(fixed_file, good)
    _upload_and_map(page, fixed_file)
    expect(page.locator("tr.bad-row")).to_have_count(0)
    commit = page.locator("form#import-commit")
    commit.locator("input[name='mode'][value='all_or_nothing']").check()
    commit.get_by_role("button", name="Import", exact=True).click()
    # The job runs at once in tests; were it still running, the page polls and reloads itself.
    expect(page.locator("main .msg.success")).to_contain_text(
        "Imported: 3 new, 0 changed.", timeout=30_000
    )
    expect(page.locator("main .badge.ok")).to_have_text("Imported")
    assert Organisation.objects.filter(name__in=NAMES, hub=None).count() == 3

    # Find one of them: the list starts at the staff member's hub, the import set none.
    page.locator("header nav").get_by_role("link", name="Organisations", exact=True).click()
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    filters = page.locator("form.filters")
    expect(filters.locator("select[name='hub']")).to_have_value(str(staff.hub_id))
    filters.locator("input[name='q']").fill("Skovbryn")
    filters.locator("select[name='hub']").select_option(label="All hubs")
    with page.expect_navigation():
        filters.get_by_role("button", name="Filter").click()
    assert _organisation_names_listed(page) == [NAMES[1]]
    expect(page.locator("main table tbody tr").first.locator("td").nth(2)).to_have_text(good[1])
    page.get_by_role("link", name=NAMES[1], exact=True).click()
    expect(page.get_by_role("heading", level=1, name=NAMES[1])).to_be_visible()
    expect(page.locator("dl.facts").first).to_contain_text(good[1])

    # Log an interaction with a next step.
    page.get_by_role("link", name="Log interaction").click()
    expect(page).to_have_url(re.compile(r"/organisations/\d+/interactions/new/$"))
    follow_up = timezone.localdate() + timedelta(days=7)
    subject = "Kickoff om robotcelle i Odense"
    next_step = "Send tilbud på testforløb"
    page.locator("select[name='kind']").select_option("meeting")
    page.locator("input[name='subject']").fill(subject)
    page.locator("textarea[name='notes']").fill("Mødtes med CTO; interesse for testfaciliteten.")
    page.locator("input[name='next_step']").fill(next_step)
    page.locator("input[name='follow_up_date']").fill(follow_up.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    # Back on the organisation: the interaction is on its timeline.
    expect(page).to_have_url(re.compile(r"/organisations/\d+/$"))
    expect(page.locator("ol.timeline")).to_contain_text(subject)

    # And on the staff member's follow-ups.
    page.locator("header nav").get_by_role("link", name="Follow-ups").click()
    expect(page.get_by_role("heading", level=1, name="My follow-ups")).to_be_visible()
    row = page.locator("main table tbody tr", has_text=next_step)
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=NAMES[1])).to_be_visible()
    expect(row).to_contain_text(subject)
    expect(row.get_by_role("button", name="Done")).to_be_visible()


def test_the_organisation_list_fits_a_phone_and_its_filters_work(browser, live_server):
    staff = user_with_role(Role.STAFF)
    OrganisationFactory(name="Lillebælt Vindteknik og Bæredygtige Løsninger ApS", hub=staff.hub)
    OrganisationFactory(name="Mols Maritime Data ApS", hub=staff.hub)
    context = browser.new_context(
        locale="da-DK", base_url=live_server.url, viewport={"width": 375, "height": 740},
        is_mobile=True, has_touch=True, device_scale_factor=2,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, live_server, staff)
        _switch_to_english(page)
        page.goto(f"{live_server.url}{reverse('ecosystem:organisation_list')}")

        assert _organisation_names_listed(page) == [
            "Lillebælt Vindteknik og Bæredygtige Løsninger ApS", "Mols Maritime Data ApS"
        ]
        overflow = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert overflow[0] <= overflow[1] + 1, f"page is {overflow[0]}px wide on a 375px screen"

        filters = page.locator("form.filters")
        search = filters.locator("input[name='q']")
        button = filters.get_by_role("button", name="Filter")
        expect(search).to_be_visible()
        expect(button).to_be_visible()
        for control in (search, button, filters.locator("select[name='hub']")):
            box = control.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 376, box
        search.tap()
        search.fill("Mols")
        with page.expect_navigation():
            button.tap()
        assert _organisation_names_listed(page) == ["Mols Maritime Data ApS"]
        expect(search).to_have_value("Mols")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 376
    finally:
        context.close()
