"""MFA: administrators and management must use TOTP, for pages and for the API alike.

Staff, members and grant givers are not forced (they may still set it up). A session or a
token of a required role without TOTP gets nothing: pages send them to the set-up, the API
answers 403 JSON (a program cannot follow a set-up page). Recovery codes work once each.
"""

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from rest_framework.authtoken.models import Token

from klynge.core.roles import Role
from tests.factories import PASSWORD, UserFactory, user_with_role

TOTP_SET_UP = "/accounts/2fa/totp/activate/?required=1"
MFA_STEP = "/accounts/2fa/authenticate/"
REQUIRED = [Role.ADMINISTRATOR, Role.MANAGEMENT]
NOT_REQUIRED = [Role.STAFF, Role.MEMBER, Role.GRANT_GIVER]
# A page each role may use, to show it gets in without TOTP.
HOME_OF = {Role.STAFF: "/ecosystem/organisations/", Role.MEMBER: "/portal/",
           Role.GRANT_GIVER: "/reports/", Role.ADMINISTRATOR: "/ecosystem/organisations/",
           Role.MANAGEMENT: "/ecosystem/organisations/"}
API_LIST = "/api/v1/organisations/"
MFA_MESSAGE = ("Your role requires two-factor authentication. Set up an authenticator app under "
               "Security (/accounts/2fa/) before using the API.")


def _without_totp(role):
    user = user_with_role(role)
    Authenticator.objects.filter(user=user).delete()
    return user


def _totp_code(user) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def _log_in(client, user):
    return client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})


def _signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


# --- who is forced -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED)
def test_a_required_role_without_totp_is_sent_to_set_it_up_from_every_page(client, role):
    client.force_login(_without_totp(role))

    for url in ("/", HOME_OF[role], "/kpis/dashboard/", "/api/tokens/", "/api/webhooks/"):
        response = client.get(url)
        assert (response.status_code, response.get("Location")) == (302, TOTP_SET_UP), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED)
def test_a_required_role_without_totp_gets_403_json_from_the_api_with_a_session(client, role):
    client.force_login(_without_totp(role))

    response = client.get(API_LIST)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": MFA_MESSAGE, "code": "mfa_required"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED)
def test_a_token_of_a_required_role_without_totp_gets_403_json(client, role):
    user = _without_totp(role)
    token = Token.objects.create(user=user)

    response = client.get(API_LIST, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 403
    assert response.json() == {"detail": MFA_MESSAGE}


@pytest.mark.django_db
@pytest.mark.parametrize("role", REQUIRED)
def test_with_totp_the_same_token_and_session_work(client, role):
    user = user_with_role(role)
    token = Token.objects.create(user=user)

    by_token = client.get(API_LIST, HTTP_AUTHORIZATION=f"Token {token.key}")
    client.force_login(user)
    by_session = client.get(API_LIST)

    assert (by_token.status_code, by_session.status_code) == (200, 200)
    assert client.get(HOME_OF[role]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", NOT_REQUIRED)
def test_staff_members_and_grant_givers_are_not_forced(client, role):
    user = user_with_role(role)
    assert not Authenticator.objects.filter(user=user).exists()
    client.force_login(user)

    page = client.get(HOME_OF[role])
    api = client.get(API_LIST)

    assert page.status_code == 200
    if role == Role.GRANT_GIVER:  # the registry API is not theirs: refused for the role
        assert api.status_code == 403
        assert api.json()["detail"] != MFA_MESSAGE
    else:
        assert api.status_code == 200


@pytest.mark.django_db
def test_the_set_up_pages_and_the_log_out_stay_open_without_totp(client):
    administrator = _without_totp(Role.ADMINISTRATOR)
    signed_in = _log_in(client, administrator)  # no second factor yet: the password signs in
    assert _signed_in_as(client) == str(administrator.pk)
    assert client.get(signed_in["Location"])["Location"] == TOTP_SET_UP

    # allauth asks for the password again before an authenticator is added.
    asked = client.get(TOTP_SET_UP)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(asked["Location"], {"password": PASSWORD})
    assert confirmed.status_code == 302
    set_up = client.get(TOTP_SET_UP)
    log_out = client.post("/accounts/logout/")

    assert set_up.status_code == 200
    assert b'name="code"' in set_up.content
    assert log_out.status_code == 302
    assert _signed_in_as(client) is None


# --- signing in with the second factor -----------------------------------------------------


@pytest.mark.django_db
def test_the_password_alone_does_not_sign_in_an_administrator(client):
    administrator = user_with_role(Role.ADMINISTRATOR)

    response = _log_in(client, administrator)

    assert (response.status_code, response["Location"]) == (302, MFA_STEP)
    assert _signed_in_as(client) is None


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_right_totp_code_signs_in(client):
    administrator = user_with_role(Role.ADMINISTRATOR)
    _log_in(client, administrator)

    wrong = client.post(MFA_STEP, {"code": "000000"})
    assert wrong.status_code == 200
    assert _signed_in_as(client) is None

    right = client.post(MFA_STEP, {"code": _totp_code(administrator)})

    assert right.status_code == 302
    assert _signed_in_as(client) == str(administrator.pk)


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_and_never_again(client):
    manager = user_with_role(Role.MANAGEMENT)
    codes = RecoveryCodes.activate(manager).generate_codes()

    _log_in(client, manager)
    first = client.post(MFA_STEP, {"code": codes[0]})
    assert first.status_code == 302
    assert _signed_in_as(client) == str(manager.pk)

    client.post("/accounts/logout/")
    _log_in(client, manager)
    reused = client.post(MFA_STEP, {"code": codes[0]})
    assert reused.status_code == 200
    assert _signed_in_as(client) is None

    other = client.post(MFA_STEP, {"code": codes[1]})
    assert other.status_code == 302
    assert _signed_in_as(client) == str(manager.pk)
    unused = RecoveryCodes(Authenticator.objects.get(
        user=manager, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    assert unused == codes[2:]


@pytest.mark.django_db
def test_staff_sign_in_with_the_password_alone(client):
    staff = UserFactory(role=Role.STAFF)

    response = _log_in(client, staff)

    assert response.status_code == 302
    assert response["Location"] != MFA_STEP
    assert _signed_in_as(client) == str(staff.pk)
