"""The KPIs and the reports end to end in a real browser: management read the seven KPIs,
how one is counted and what counts for it, and freeze the year; the dashboard draws its
Plotly charts offline; a grant giver previews and downloads the status report; staff see the
effect-measurement export but may not take it out of Klynge.

The page language stays Danish (the product's default): interface texts are looked up in the
catalogue (text_in), so they hold whether or not a text is translated yet. Everything else
asserted on is data the test wrote itself, with figures counted by hand below.
"""

import re
import time
from datetime import date
from decimal import Decimal

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from klynge.activities.choices import ActivityType
from klynge.core.roles import Role
from klynge.ecosystem.models import Organisation
from klynge.kpis.definitions import DEFINITIONS
from klynge.kpis.domain import keys
from klynge.kpis.models import KpiSnapshot, TargetPeriod
from klynge.projects.choices import ProjectKind
from tests.activities.factories import ActivityFundingFactory, GrantFactory
from tests.browser.conftest import login, text_in
from tests.factories import HubFactory, PersonFactory, user_with_role
from tests.kpis.factories import (
    company,
    foreign_company,
    held,
    member,
    project_with,
    took_part,
    university,
    yes,
)

YEAR = 2025
ALPHA, BETA, GAMMA = "Fjordlys Robotics ApS", "Skovbryn Energi A/S", "Havnesensorik Nord IVS"
NORDIC, UNI = "Nordic Sensing AB", "Aarhus Universitet"
SEMINAR, MISSION, APPLICATION = "Robotceller i praksis", "Handelsmission Hamburg", "DIGI-GREEN"
GRANT_CODE = "UFS-KPI"


def small_year():
    """2025 in a small cluster, each figure counted by hand.

    Paying members on 31 Dec 2025: Fjordlys and Skovbryn (Havnesensorik left on 30 June) and
    the university → KPI 7 = 3.  KPI 1: Fjordlys said yes to starting innovation → 1 of 3 =
    33.3 %; Havnesensorik's yes does not count (no member at the year's end).
    KPI 4: Fjordlys and the Swedish Nordic Sensing in one EU application (the university is
    no company) → 2.
    Held: the seminar (UFS-KPI funded, Fjordlys with two people, the university with one,
    Nordic Sensing a no-show) and the trade mission (Skovbryn's one person) → 2 activities,
    4 people, 3 organisations.
    """
    aarhus = HubFactory(name="Hub Aarhus")
    alpha = member(company(name=ALPHA, hub=aarhus))
    beta = member(company(name=BETA, hub=aarhus))
    gamma = member(company(name=GAMMA, hub=aarhus), end=date(YEAR, 6, 30))
    uni = member(university(name=UNI, hub=aarhus))
    nordic = foreign_company(name=NORDIC)

    yes(alpha, "innovation_started", date(YEAR, 3, 1))
    yes(gamma, "innovation_started", date(YEAR, 3, 2))

    grant = GrantFactory(code=GRANT_CODE, name="Fjordlys UFS",
                         period_start=date(2021, 1, 1), period_end=date(2028, 12, 31))
    seminar = held(date(YEAR, 2, 4), title=SEMINAR, hub=aarhus)
    ActivityFundingFactory(activity=seminar, grant=grant, share=Decimal("100"))
    took_part(seminar, alpha)
    took_part(seminar, alpha)
    took_part(seminar, uni)
    took_part(seminar, nordic, attended=False)
    mission = held(date(YEAR, 5, 5), title=MISSION, hub=aarhus,
                   type=ActivityType.INTERNATIONALISATION)
    took_part(mission, beta, PersonFactory())

    project_with(alpha, nordic, uni, kind=ProjectKind.EU_APPLICATION, title=APPLICATION,
                 submitted_on=date(YEAR, 3, 1))
    return grant


def _in_danish(text) -> str:
    with translation.override("da"):
        return str(text)


def _totp_code(user) -> str:
    """The code the user's authenticator app would show now (never one about to expire)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def _login_with_totp(page, live_server, user) -> None:
    """Management and administrators sign in with their password and then a TOTP code."""
    login(page, live_server, user)
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    code = page.locator("input[name='code']")
    code.fill(_totp_code(user))
    with page.expect_navigation():
        code.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")


def _nav_hrefs(page) -> list[str]:
    return page.locator("header nav a").evaluate_all("links => links.map(a => a.pathname)")


def _choose_year(page, year: int) -> None:
    """Choose a calendar year in the KPI page's period form and show it."""
    form = page.locator("form.filters", has=page.locator("select[name='kind']"))
    form.locator("select[name='kind']").select_option("year")
    form.locator("input[name='year']").fill(str(year))
    with page.expect_navigation():
        form.get_by_role("button", name=text_in("da", "Show"), exact=True).click()


def test_management_read_the_kpis_drill_down_and_freeze_the_year(page, live_server):
    small_year()
    manager = user_with_role(Role.MANAGEMENT)

    _login_with_totp(page, live_server, manager)
    page.locator("header nav").get_by_role("link", name=text_in("da", "KPIs"),
                                           exact=True).click()
    expect(page).to_have_url(re.compile(r"/kpis/$"))
    _choose_year(page, YEAR)
    expect(page).to_have_url(re.compile(rf"/kpis/\?.*year={YEAR}"))
    expect(page.locator("main")).to_contain_text(
        text_in("da", "Figures for %(title)s.") % {"title": YEAR})

    # The seven indicators, in Table 1's order, with the hand-counted figures.
    rows = page.locator("table.kpis tbody tr")
    expect(rows).to_have_count(7)
    titles = [f"{number}. {_in_danish(DEFINITIONS[key].title)}"
              for number, key in enumerate(keys.ORDER, start=1)]
    for number, title in enumerate(titles, start=1):
        expect(page.locator(f"tr#kpi-{number} td").first.locator("strong")).to_have_text(title)
    figure = "tr#kpi-{} td.value .figure"
    expect(page.locator(figure.format(1))).to_have_text(re.compile(r"^\s*33,3 %\s*$"))
    expect(page.locator("tr#kpi-1 td.value")).to_contain_text(
        text_in("da", "%(n)s of %(total)s members") % {"n": 1, "total": 3})
    expect(page.locator(figure.format(4))).to_have_text(re.compile(r"^\s*2\s*$"))
    expect(page.locator(figure.format(7))).to_have_text(re.compile(r"^\s*3\s*$"))

    # "How it is counted" folds out with the written definition.
    four = page.locator("tr#kpi-4")
    counting = four.locator("details dd").nth(1)
    expect(counting).to_be_hidden()
    four.locator("details summary").click()
    expect(counting).to_be_visible()
    expect(counting).to_have_text(_in_danish(DEFINITIONS[keys.EU_APPLICATIONS].counting))

    # What counts for KPI 4: exactly the two companies in the EU application.
    with page.expect_navigation():
        four.get_by_role("link", name=text_in("da", "What counts")).click()
    expect(page).to_have_url(re.compile(rf"/kpis/kpi/4/\?.*year={YEAR}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[3])
    expect(page.locator("main .stat")).to_have_text(re.compile(r"^\s*2\s*$"))
    names = page.locator("main table tbody tr td:first-child > :first-child")
    expect(names).to_have_text([ALPHA, NORDIC])
    expect(page.locator("main table tbody")).to_contain_text(APPLICATION)

    # Back on the KPI page, freeze the year (the browser asks first) ...
    with page.expect_navigation():
        page.get_by_role("link", name=text_in("da", "All KPIs")).click()
    freeze = page.locator("main form[data-confirm]")
    freeze.locator("input[name='note']").fill("Som indberettet i statusrapporten 2025")
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        freeze.get_by_role("button", name=text_in("da", "Freeze these figures")).click()
    assert questions == [text_in("da", "Freeze these figures? This cannot be undone.")]

    # ... and the page shows the frozen figures beside the current ones, unchanged.
    expect(page.locator("main .messages .msg.success")).to_have_text(
        text_in("da", "The figures for %(period)s are frozen.") % {"period": YEAR}
    )
    expect(page.locator("main form[data-confirm]")).to_have_count(0)
    headers = page.locator("table.kpis thead th")
    expect(headers.nth(1)).to_have_text(text_in("da", "Frozen"))
    expect(page.locator("tr#kpi-7 td").nth(1)).to_have_text(re.compile(r"^\s*3\s*$"))
    expect(page.locator("tr#kpi-4 td").nth(1)).to_have_text(re.compile(r"^\s*2\s*$"))
    expect(page.locator("tr#kpi-1 td").nth(1)).to_have_text(re.compile(r"^\s*33,3 %\s*$"))
    expect(page.locator("tr#kpi-7 td").nth(3)).to_have_text(
        re.compile(rf"^\s*{re.escape(text_in('da', 'unchanged'))}\s*$"))
    expect(page.locator("main")).to_contain_text("Som indberettet i statusrapporten 2025")
    snapshot = KpiSnapshot.objects.get()
    assert (snapshot.period_start, snapshot.period_end) == (date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert snapshot.frozen_by == manager


CHARTS = ("chart-members", "chart-activities", "chart-region", "chart-size", "chart-kind",
          "chart-budget", "chart-trajectory-paying_members")


def _console_error(message) -> str:
    """A console error's text with where it came from; "" for anything else."""
    if message.type != "error":
        return ""
    return f"{message.text} ({message.location.get('url')})"


def _plotted(page, chart_id: str) -> list[dict]:
    """The traces Plotly drew in a chart (x and y of each, with its name)."""
    return page.evaluate(
        """id => document.querySelector(`#${id} .plotly-graph-div`).data.map(
            trace => ({name: trace.name || "", x: Array.from(trace.x), y: Array.from(trace.y)}))""",
        chart_id,
    )


def test_the_dashboard_draws_its_plotly_charts_offline_without_errors(page, live_server):
    small_year()
    if not TargetPeriod.objects.filter(start__lte=date(YEAR, 12, 31),
                                       end__gte=date(YEAR, 1, 1)).exists():
        # The seeded programme periods are gone once an earlier test flushed the database.
        TargetPeriod.objects.create(name="2025–2028", start=date(2025, 1, 1),
                                    end=date(2028, 12, 31))
    manager = user_with_role(Role.MANAGEMENT)
    errors, failed, requests = [], [], []
    page.on("console", lambda message: errors.append(_console_error(message)))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)

    _login_with_totp(page, live_server, manager)
    page.goto(reverse("kpis:kpi_list"))
    page.locator("nav.actions").get_by_role("link", name=text_in("da", "Dashboard"),
                                            exact=True).click()
    expect(page).to_have_url(re.compile(r"/kpis/dashboard/$"))
    filters = page.locator("main form.filters")
    filters.locator("select[name='year']").select_option(str(YEAR))
    with page.expect_navigation():
        filters.get_by_role("button", name=text_in("da", "Show"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(YEAR))

    # Every chart is drawn by Plotly in the browser (its SVG), not just shipped as a div.
    for chart in CHARTS:
        expect(page.locator(f"div#{chart} .main-svg").first).to_be_attached()
    assert page.evaluate("() => typeof window.Plotly") == "object"
    # What the charts drew: three paying members at the end of December, and the seminar
    # stacked under its grant in February, the unfunded trade mission in May.
    expect(page.locator("div#chart-members")).to_contain_text(
        text_in("da", "Paying members at the end of each month"))
    members = _plotted(page, "chart-members")
    assert members[0]["x"][-1] == f"{YEAR}-12-31" and members[0]["y"][-1] == 3, members
    activities = {trace["name"]: dict(zip(trace["x"], trace["y"], strict=True))
                  for trace in _plotted(page, "chart-activities")}
    assert set(activities) == {GRANT_CODE, text_in("da", "No grant")}
    assert {m: n for m, n in activities[GRANT_CODE].items() if n} == {f"{YEAR}-02": 1}
    assert {m: n for m, n in activities[text_in("da", "No grant")].items() if n} == {
        f"{YEAR}-05": 1}
    expect(page.locator("div#chart-activities .legend")).to_contain_text(GRANT_CODE)
    # The KPI table beside the charts has the same figures as the KPI page.
    expect(page.locator("table#kpi-table tbody tr").nth(6).locator("td").nth(1)).to_have_text(
        re.compile(r"^\s*3\s*$"))

    assert [error for error in errors if error] == []
    assert failed == []
    outside = [url for url in requests if not url.startswith(live_server.url)]
    assert outside == [], "the dashboard loads everything from Klynge itself (offline)"


def _pdf_text(path) -> str:
    return "\n".join(sheet.extract_text() or "" for sheet in PdfReader(str(path)).pages)


def _rows_of(path, sheet: str) -> list[tuple]:
    workbook = load_workbook(path, read_only=True)
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]


def test_a_grant_giver_previews_and_downloads_the_status_report(page, live_server, tmp_path):
    small_year()
    giver = user_with_role(Role.GRANT_GIVER)

    login(page, live_server, giver)
    # The grant giver's menu has the reports, never the registry or the KPI pages.
    hrefs = _nav_hrefs(page)
    assert reverse("reports:index") in hrefs
    for forbidden in (reverse("ecosystem:organisation_list"), reverse("kpis:kpi_list"),
                      reverse("kpis:target_list"), reverse("kpis:dashboard")):
        assert not any(href.startswith(forbidden) for href in hrefs), (forbidden, hrefs)

    page.locator("header nav").get_by_role("link", name=text_in("da", "Reports"),
                                           exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text_in("da", "Reports"))
    page.get_by_role("heading", level=2).get_by_role(
        "link", name=text_in("da", "Cluster status report and final report")).click()
    expect(page).to_have_url(re.compile(r"/reports/status/$"))

    form = page.locator("main form.filters")
    form.locator("select[name='period']").select_option(str(YEAR))
    with page.expect_navigation():
        form.get_by_role("button", name=text_in("da", "Show report")).click()

    # The preview: two held activities, four people, the EU application with its partners.
    preview = page.locator("main .status-report")
    summary = preview.locator("#report-summary dl.facts")
    expect(summary.locator("dt", has_text=text_in("da", "Held activities"))
           .locator("xpath=following-sibling::dd[1]")).to_have_text("2")
    expect(summary.locator("dt", has_text=text_in("da", "Unique participants (people)"))
           .locator("xpath=following-sibling::dd[1]")).to_have_text("4")
    application = preview.locator("#report-eu_applications tbody tr", has_text=APPLICATION)
    expect(application).to_have_count(1)
    expect(application.locator("td").nth(5)).to_have_text("3")  # partners
    expect(application.locator("td").nth(6)).to_have_text("2")  # of which companies
    expect(preview.locator("#report-international tbody tr")).to_contain_text(MISSION)

    # The PDF and the workbook have the same figures.
    files = {}
    for fmt, label in (("pdf", "PDF"), ("xlsx", "Excel (XLSX)")):
        link = page.locator("main .actions").get_by_role(
            "link", name=text_in("da", "Download %(label)s") % {"label": label})
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(f".{fmt}"), download.suggested_filename
        files[fmt] = tmp_path / download.suggested_filename
        download.save_as(files[fmt])

    text = _pdf_text(files["pdf"])
    assert APPLICATION in text and MISSION in text
    # The last table's row: the application, then its 3 partners, 2 of them companies.
    assert re.search(rf"{APPLICATION}\n.*\n\s*3\n\s*2\n?$", text, re.S), text

    facts = {row[0]: row[1] for row in _rows_of(files["xlsx"], text_in("da", "About"))
             if row and row[0]}
    assert facts[text_in("da", "Held activities")] == 2
    assert facts[text_in("da", "Unique participants (people)")] == 4
    eu_rows = [row for row in _rows_of(files["xlsx"], text_in("da", "EU applications"))
               if APPLICATION in row]
    assert len(eu_rows) == 1
    assert eu_rows[0][5:7] == (3, 2)
    kpi_rows = {}  # the first table (figures against targets), not the definitions after it
    for row in _rows_of(files["xlsx"], text_in("da", "KPIs")):
        if row and isinstance(row[0], int):
            kpi_rows.setdefault(row[0], row)
    assert kpi_rows[7][2] == 3
    assert kpi_rows[4][2] == 2

    # Nor do the registry's and the KPI pages' addresses open for the grant giver.
    for forbidden in (reverse("ecosystem:organisation_list"), reverse("kpis:kpi_list")):
        assert page.goto(forbidden).status == 403, forbidden


def test_staff_see_the_effect_export_but_only_takers_may_download_it(page, live_server):
    grant = small_year()
    staff = user_with_role(Role.STAFF)

    login(page, live_server, staff)
    page.goto(reverse("reports:index"))
    page.get_by_role("heading", level=2).get_by_role(
        "link", name=text_in("da", "Effect-measurement export")).click()
    expect(page).to_have_url(re.compile(r"/reports/exports/effect/"))

    form = page.locator("main form.form")
    form.locator("select[name='grant']").select_option(str(grant.pk))
    form.locator("input[name='year']").fill(str(YEAR))
    with page.expect_navigation():
        form.get_by_role("button", name=text_in("da", "Show"), exact=True).click()

    # The seminar the grant funded, one row per company (the university is none): Fjordlys
    # came with two people, by its CVR number; the Swedish Nordic Sensing did not come.
    rows = page.locator("main table tbody tr")
    expect(rows.locator("td:nth-child(2)")).to_have_text([ALPHA, NORDIC])
    alpha = rows.filter(has_text=ALPHA)
    expect(alpha.locator("td").first).to_have_text(Organisation.objects.get(name=ALPHA).cvr)
    expect(alpha.locator("td").nth(4)).to_have_text(SEMINAR)
    expect(alpha.locator(".badge")).to_have_text(text_in("da", "yes"))
    nordic = rows.filter(has_text=NORDIC)
    expect(nordic.locator("td").first).to_have_text("—")
    expect(nordic.locator(".badge")).to_have_text(text_in("da", "no"))

    # Staff are told who downloads, see no download link, and the address itself is refused.
    expect(page.locator("main")).to_contain_text(
        text_in("da", "Management, administrators and grant givers download the export."))
    download = reverse("reports:effect_export_download")
    expect(page.locator(f"main a[href^='{download}']")).to_have_count(0)
    response = page.goto(f"{download}?grant={grant.pk}&year={YEAR}&format=xlsx")
    assert response.status == 403
