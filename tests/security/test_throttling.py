"""Throttling: django-axes on the login, the API's throttles, and the public pages' limits.

- Login: N wrong passwords lock the account from that address (429, the lockout page), even
  for the right password; another address or another account is unaffected; the lock lifts
  after the cool-off or with `klynge axes_reset`.
- API: over the rate, 429 with a JSON body and Retry-After.
- Public forms and token links (klynge.core.ratelimit): POSTs to a public form and refused
  token links are counted per address; over KLYNGE_PUBLIC_RATE_LIMIT the page answers 429.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from klynge.activities.models import Registration
from klynge.activities.registrations import cancel_token
from klynge.core.ratelimit import client_ip
from klynge.core.roles import Role
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import PASSWORD, user_with_role

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture
def axes_on(settings):
    """django-axes on, with allauth's own login rate limit (cache based, answering before axes
    does) off, and a clean cache."""
    settings.AXES_ENABLED = True
    settings.ACCOUNT_RATE_LIMITS = False
    cache.clear()
    yield settings
    cache.clear()


def _log_in(client, email, password, address=HOME):
    return client.post("/accounts/login/", {"login": email, "password": password},
                       REMOTE_ADDR=address)


def _lock(client, user, limit, address=HOME):
    for attempt in range(limit):
        _log_in(client, user.email, f"wrong-{attempt}", address)


# --- django-axes ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_after_the_failure_limit_the_right_password_gets_the_lockout_page(client, axes_on):
    user = user_with_role(Role.STAFF)
    _lock(client, user, axes_on.AXES_FAILURE_LIMIT)

    response = _log_in(client, user.email, PASSWORD)

    assert response.status_code == 429
    assert "core/lockout.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "The password was wrong 5 times in a row" in text
    assert "Try again in 60 minutes." in text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_holds_for_that_address_only(client, axes_on):
    user = user_with_role(Role.STAFF)
    _lock(client, user, axes_on.AXES_FAILURE_LIMIT)

    from_elsewhere = _log_in(client, user.email, PASSWORD, ELSEWHERE)

    assert from_elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_another_account_from_the_same_address_is_unaffected(client, axes_on):
    victim, colleague = user_with_role(Role.STAFF), user_with_role(Role.STAFF)
    _lock(client, victim, axes_on.AXES_FAILURE_LIMIT)

    response = _log_in(client, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, axes_on):
    user = user_with_role(Role.STAFF)
    _lock(client, user, axes_on.AXES_FAILURE_LIMIT)
    assert _log_in(client, user.email, PASSWORD).status_code == 429

    an_hour_ago = timezone.now() - timedelta(hours=axes_on.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=an_hour_ago)
    response = _log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_axes_reset_lifts_the_lock_at_once(client, axes_on):
    user = user_with_role(Role.STAFF)
    _lock(client, user, axes_on.AXES_FAILURE_LIMIT)

    call_command("axes_reset", verbosity=0)
    response = _log_in(client, user.email, PASSWORD)

    assert AccessAttempt.objects.filter(failures_since_start__gte=1).count() == 0
    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_the_lock_follows_the_forwarded_address_not_the_proxy(client, axes_on):
    axes_on.KLYNGE_PROXY_COUNT = 1
    user = user_with_role(Role.STAFF)
    for attempt in range(axes_on.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": user.email, "password": f"wrong-{attempt}"},
                    REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")

    other_visitor = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD},
                                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert other_visitor.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_the_client_address_cannot_be_forged_in_front_of_the_trusted_proxy(settings):
    factory = RequestFactory()
    forged = factory.get("/", REMOTE_ADDR="127.0.0.1",
                         HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")

    settings.KLYNGE_PROXY_COUNT = 0
    assert client_ip(forged) == "127.0.0.1"
    settings.KLYNGE_PROXY_COUNT = 1
    assert client_ip(forged) == "198.51.100.7"
    settings.KLYNGE_PROXY_COUNT = 2
    assert client_ip(forged) == "1.2.3.4"


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_429_json_to_anonymous_callers_over_the_rate(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})

    answers = [client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code
               for _ in range(2)]
    over = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert answers == [200, 200]
    assert over.status_code == 429
    assert over["Content-Type"].startswith("application/json")
    assert over.json()["detail"].startswith("Request was throttled. Expected available in ")
    assert 1 <= int(over["Retry-After"]) <= 60


@pytest.mark.django_db
def test_the_api_throttles_each_signed_in_user_on_its_own(client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute"})
    busy, other = user_with_role(Role.STAFF), user_with_role(Role.STAFF)

    client.force_login(busy)
    answers = [client.get("/api/v1/organisations/").status_code for _ in range(3)]
    client.force_login(other)
    others = client.get("/api/v1/organisations/")

    assert answers == [200, 200, 429]
    assert others.status_code == 200


# --- public forms and token links ---------------------------------------------------------------


@pytest.fixture
def limit(settings):
    settings.KLYNGE_PUBLIC_RATE_LIMIT = 3
    cache.clear()
    return 3


def _sign_up(client, activity, n, address=HOME):
    return client.post(f"/events/{activity.pk}/", {
        "first_name": "Sara", "last_name": f"Signup{n}", "email": f"sara{n}@example.dk",
        "organisation_name": "", "cvr": "", "job_title": "", "consent": "on",
    }, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_the_public_sign_up_form_is_limited_per_address(client, limit):
    activity = ActivityFactory(is_public=True, capacity=None)

    answers = [_sign_up(client, activity, n).status_code for n in range(limit + 1)]
    elsewhere = _sign_up(client, activity, 99, ELSEWHERE)

    assert answers == [302] * limit + [429]
    assert Registration.objects.filter(activity=activity).count() == limit + 1
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_the_429_page_says_when_to_come_back(client, limit):
    activity = ActivityFactory(is_public=True, capacity=None)
    for n in range(limit):
        _sign_up(client, activity, n)

    refused = _sign_up(client, activity, limit)

    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 600
    assert f"Please try again in {seconds} seconds" in refused.content.decode()


@pytest.mark.django_db
def test_guessing_invitation_tokens_is_stopped_after_the_limit(client, limit):
    answers = [client.get(f"/portal/join/guess-{n}/").status_code for n in range(limit + 1)]

    assert answers == [404] * limit + [429]


@pytest.mark.django_db
def test_valid_token_links_are_never_counted(client, limit):
    registrations = RegistrationFactory.create_batch(limit + 2, activity__is_public=True)

    answers = [client.get(f"/events/cancel/{cancel_token(r)}/").status_code
               for r in registrations]

    assert answers == [200] * (limit + 2)


@pytest.mark.django_db
def test_refused_token_links_then_block_even_a_valid_one_from_that_address(client, limit):
    registration = RegistrationFactory(activity__is_public=True)
    for n in range(limit):
        client.get(f"/events/cancel/forged-{n}/")

    blocked = client.get(f"/events/cancel/{cancel_token(registration)}/")
    elsewhere = client.get(f"/events/cancel/{cancel_token(registration)}/",
                           REMOTE_ADDR=ELSEWHERE)

    assert blocked.status_code == 429
    assert elsewhere.status_code == 200


@pytest.mark.django_db
def test_signed_in_people_are_not_counted(client, limit):
    client.force_login(user_with_role(Role.STAFF))

    answers = [client.get(f"/portal/join/guess-{n}/").status_code for n in range(limit + 2)]

    assert 429 not in answers
