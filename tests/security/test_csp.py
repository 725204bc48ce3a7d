"""The Content-Security-Policy: every page sends it, and no page relies on inline code.

A sample of the product's pages, one per kind (dashboard with charts, lists, details, KPI and
report pages, the public sign-up, the member portal, the public directory, the API docs), is
fetched and parsed: each must send the policy, and its HTML must hold no inline script, inline
event handler, <style> block or style="" attribute, unless the element carries the nonce the
policy of that very response allows (only the API docs do).
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from klynge.core.roles import Role
from tests.activities.factories import ActivityFactory
from tests.factories import OrganisationFactory, PersonFactory, user_with_role
from tests.kpis.test_views import small_dataset

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
DATA_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCode(HTMLParser):
    """Collect the inline code of a page: what a strict CSP would block."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.nonced: list[str] = []
        self._open: tuple[str, dict] | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.found.append(f"<{tag} style=\"{attributes['style']}\">")
        for name in attributes:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
        if tag in ("script", "style"):
            self._open, self._text = (tag, attributes), ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if not self._open or tag != self._open[0]:
            return
        name, attributes = self._open
        self._open = None
        if name == "script" and ("src" in attributes or attributes.get("type") in DATA_TYPES):
            return
        if not self._text.strip():
            return
        description = f"<{name}> {self._text.strip()[:60]!r}"
        (self.nonced if attributes.get("nonce") else self.found).append(
            f"{description} nonce={attributes.get('nonce')}"
        )


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1]
            for part in (p.strip() for p in header.split(";")) if part}


def _inline(response) -> InlineCode:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


def _assert_strict_page(response, url):
    assert response.status_code == 200, f"{url}: {response.status_code}"
    policy = _policy(response)
    for directive, value in POLICY.items():
        assert policy[directive] == value, f"{url}: {directive} is {policy.get(directive)!r}"
    inline = _inline(response)
    assert inline.found == [], f"{url} has inline code: {inline.found}"
    assert inline.nonced == [], f"{url} uses a nonce: {inline.nonced}"


@pytest.fixture
def world(db):
    organisation = OrganisationFactory(name="Robotics ApS", directory_listed=True,
                                       directory_fields=["name", "city"])
    person = PersonFactory(first_name="Rikke", last_name="Robot")
    activity = ActivityFactory(title="Robots for SMEs", is_public=True)
    return {"organisation": organisation, "person": person, "activity": activity}


def _signed_in(role: str, **extra) -> Client:
    client = Client()
    client.force_login(user_with_role(role, **extra))
    return client


@pytest.mark.django_db
def test_the_staff_pages_send_the_policy_and_hold_no_inline_code(world):
    small_dataset()
    management = _signed_in(Role.MANAGEMENT)
    organisation, activity = world["organisation"], world["activity"]
    for url in ("/", "/kpis/dashboard/?year=2025", "/ecosystem/organisations/",
                f"/ecosystem/organisations/{organisation.pk}/",
                f"/ecosystem/people/{world['person'].pk}/", "/kpis/", "/kpis/kpi/1/?year=2025",
                "/reports/status/", "/reports/excellence/", f"/activities/{activity.pk}/",
                "/evaluations/", "/b2b/", "/matchmaking/introductions/"):
        _assert_strict_page(management.get(url), url)


@pytest.mark.django_db
def test_the_dashboard_charts_are_data_drawn_by_the_static_script():
    small_dataset()

    response = _signed_in(Role.MANAGEMENT).get("/kpis/dashboard/?year=2025")
    html = response.content.decode()

    charts = re.findall(r'<div class="plotly-graph-div js-plotly"></div>'
                        r'<script type="application/json">', html)
    assert len(charts) >= 5
    assert "Plotly.newPlot" not in html
    assert '<script src="/funding/plotly.js"></script>' in html
    assert '<script src="/static/klynge/klynge.js" defer></script>' in html


@pytest.mark.django_db
def test_the_public_member_and_directory_pages_send_the_policy(world):
    anonymous = Client()
    member = _signed_in(Role.MEMBER)
    for client, url in ((anonymous, "/accounts/login/"),
                        (anonymous, f"/events/{world['activity'].pk}/"),
                        (anonymous, "/members/"),
                        (member, "/portal/")):
        _assert_strict_page(client.get(url), url)


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_indicator_styles(world):
    html = Client().get("/accounts/login/").content.decode()

    assert ('<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, '
            '"allowEval": false}\'>') in html


@pytest.mark.django_db
def test_swagger_ui_runs_its_start_up_code_only_with_the_nonce_of_its_own_response():
    first, second = Client().get("/api/docs/"), Client().get("/api/docs/")

    policy = _policy(first)
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    inline = _inline(first)
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
    assert inline.found == []
    assert [entry.rsplit("nonce=", 1)[1] for entry in inline.nonced] == [nonce, nonce]
    assert nonce not in _policy(second)["script-src"]  # a fresh nonce per response


@pytest.mark.django_db
def test_redoc_alone_may_use_inline_styles_and_loads_no_web_fonts():
    response = Client().get("/api/redoc/")

    policy = _policy(response)
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert policy["worker-src"] == "'self' blob:"
    assert "fonts.googleapis.com" not in response.content.decode()
    assert _inline(response).found == ["<style> 'body { margin: 0; padding: 0; }' nonce=None"]


@pytest.mark.django_db
def test_no_template_of_the_product_writes_inline_code():
    """The templates themselves, beyond the sampled pages (the two standalone report
    downloads are files saved to disk, outside any policy, and keep their own styles)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "klynge"
    downloads = {"reports/status_document.html", "reports/excellence_export.html"}
    offenders = []
    for template in sorted(root.glob("**/templates/**/*.html")):
        name = template.as_posix().split("/templates/", 1)[1]
        if name in downloads or name.startswith("drf_spectacular/"):
            continue
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{name}: inline <script>")
        if re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(f"{name}: inline style or handler")

    assert offenders == []


def test_the_static_plotly_stylesheet_matches_the_installed_plotly():
    """Plotly's styles are served from plotly.css (it may not inject a <style>): after an
    upgrade of plotly, regenerate the file with klynge.core.charts.plotly_css."""
    from pathlib import Path

    from plotly.offline import get_plotlyjs

    from klynge.core.charts import plotly_css

    static = Path(__file__).resolve().parents[2] / "klynge/core/static/klynge/plotly.css"
    expected = plotly_css(get_plotlyjs())

    assert static.read_text(encoding="utf-8") == expected
    assert ".js-plotly-plot .plotly .modebar {" in expected
