"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked `browser` (so `make test` leaves them out and CI runs them
with `pytest -m browser`). The browser is the system's Chromium (/usr/bin/chromium, or
KLYNGE_CHROMIUM); Playwright never downloads one. Without Chromium the tests are skipped with
a message, unless KLYNGE_REQUIRE_BROWSER=1 (as in CI), where every one of them fails instead.
"""

import os
from pathlib import Path

import pytest
from django.utils import translation

from tests.factories import PASSWORD

BROWSER_DIR = Path(__file__).parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def chromium_path() -> str:
    return os.environ.get("KLYNGE_CHROMIUM", "/usr/bin/chromium")


def _chromium_missing() -> str | None:
    """Why the browser cannot run, or None when it can."""
    path = chromium_path()
    if not os.access(path, os.X_OK):
        return (
            f"Chromium not found at {path}: install it (apt-get install chromium) or set "
            "KLYNGE_CHROMIUM"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def _browser_required() -> bool:
    return os.environ.get("KLYNGE_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}


@pytest.hookimpl(tryfirst=True)  # before `-m browser` / `-m "not browser"` select by marker
def pytest_collection_modifyitems(config, items):
    missing = _chromium_missing()
    for item in items:
        if BROWSER_DIR not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing is None:
            continue
        if _browser_required():
            # Fail the test itself (not an error in set-up, not a skip): CI must run them.
            item.obj = _failing(missing)
        else:
            item.add_marker(pytest.mark.skip(reason=missing))


def _failing(reason: str):
    def test(**_fixtures):
        pytest.fail(f"KLYNGE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)

    return test


@pytest.fixture(scope="session")
def _playwright():
    if _chromium_missing():
        yield None  # the test itself fails or was skipped (see pytest_collection_modifyitems)
        return
    # Playwright's sync API keeps an event loop running in this thread; Django would then
    # refuse ORM calls from the test body as "async-unsafe". The tests do not share them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    """Debian's Chromium, headless."""
    if _playwright is None:
        yield None
        return
    browser = _playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser tab (its own cookies) on the live server, in Danish like a new visitor.

    The product's own default (Danish) applies here, not the English the other tests read.
    """
    settings.LANGUAGE_CODE = "da"
    if browser is None:
        yield None
        return
    context = browser.new_context(locale="da-DK", base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def login(page, live_server, user, password: str = PASSWORD) -> None:
    """Sign in through allauth's real login form and wait for the next page."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form:has(input[name='login'])")
    form.locator("input[name='login']").fill(user.email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("button[type='submit']").click()


def text_in(language: str, message: str) -> str:
    """A message as Klynge's catalogue has it in `language` (itself when untranslated)."""
    with translation.override(language):
        return translation.gettext(message)
