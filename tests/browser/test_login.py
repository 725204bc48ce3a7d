"""Signing in through the real pages: the login form, the language switch and the TOTP step."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from klynge.core.roles import Role
from tests.browser.conftest import login, text_in
from tests.factories import user_with_role


def _current_totp_code(user) -> str:
    """The code the user's authenticator app would show now (never one about to expire)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def _switch_language(page, code: str) -> None:
    with page.expect_navigation():
        page.locator(f"header form button[name='language'][value='{code}']").click()


def test_staff_logs_in_lands_on_the_overview_and_switches_language(page, live_server):
    staff = user_with_role(Role.STAFF)

    login(page, live_server, staff)

    assert page.url == f"{live_server.url}/"
    current = page.locator("header nav a[aria-current='page']")
    assert current.inner_text() == text_in("da", "Overview")
    assert page.locator("html").get_attribute("lang") == "da"

    _switch_language(page, "en")

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert current.inner_text() == "Overview"
    assert page.locator("button[value='en']").get_attribute("aria-pressed") == "true"

    _switch_language(page, "da")

    assert page.locator("html").get_attribute("lang") == "da"
    log_out_da = text_in("da", "Log out")
    assert page.get_by_role("button", name=log_out_da, exact=True).is_visible()
    assert page.locator("button[value='da']").get_attribute("aria-pressed") == "true"


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server):
    staff = user_with_role(Role.STAFF)

    login(page, live_server, staff, password="not-the-password")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("input[name='login']").is_visible()


def test_an_administrator_is_asked_for_the_totp_code_and_gets_in(page, live_server):
    administrator = user_with_role(Role.ADMINISTRATOR)

    login(page, live_server, administrator)

    assert page.url == f"{live_server.url}/accounts/2fa/authenticate/"
    code_field = page.locator("input[name='code']")
    code_field.fill(_current_totp_code(administrator))
    with page.expect_navigation():
        code_field.press("Enter")

    assert page.url == f"{live_server.url}/"
    who = page.locator("header .who").inner_text()
    assert re.search(str(text_in("da", "Administrator")), who)
