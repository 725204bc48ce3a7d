"""Who gets in: member access through the organisation's membership, MFA for the people who
run the cluster, and the lock after repeated wrong passwords."""

from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from klynge.core.permissions import PUBLIC, access, declared_access, user_may
from klynge.core.roles import CLUSTER_TEAM, SIGNED_IN, Role
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_for,
    user_with_role,
)

TOTP_SET_UP = "/accounts/2fa/totp/activate/?required=1"


@access(Role.MEMBER)
def _member_page(request):
    return HttpResponse("for members")


# The real URL conf plus a member-only page (Klynge has no member page of its own yet).
urlpatterns = [
    path("throwaway/members/", _member_page),
    path("", include("config.urls")),
]
pytestmark = pytest.mark.urls(__name__)


def _today() -> date:
    return timezone.localdate()


# --- declarations --------------------------------------------------------------------------


def test_access_records_the_declared_roles_and_sees_through_wrappers():
    @access(CLUSTER_TEAM, Role.GRANT_GIVER)
    def view(request):
        return None

    def wrapper(request):
        return view(request)

    wrapper.__wrapped__ = view

    assert declared_access(wrapper) == frozenset(
        {"administrator", "management", "staff", "grant_giver"}
    )
    assert declared_access(lambda request: None) is None


@pytest.mark.django_db
def test_user_may_follows_the_role_and_public_admits_everyone():
    staff = user_with_role(Role.STAFF)
    grant_giver = user_with_role(Role.GRANT_GIVER)

    assert user_may(staff, frozenset(CLUSTER_TEAM))
    assert not user_may(grant_giver, frozenset(CLUSTER_TEAM))
    assert not user_may(AnonymousUser(), frozenset(SIGNED_IN))
    assert user_may(AnonymousUser(), frozenset({PUBLIC}))


@pytest.mark.django_db
def test_an_inactive_user_is_refused_even_for_a_declared_role():
    staff = user_with_role(Role.STAFF)
    staff.is_active = False

    assert not user_may(staff, frozenset(CLUSTER_TEAM))


# --- member access is inherited from the organisation's current membership ------------------


@pytest.mark.django_db
def test_a_member_of_an_organisation_with_a_current_membership_gets_member_pages(client):
    organisation = MembershipFactory(start_date=date(2021, 1, 1), end_date=None).organisation
    member = user_with_role(Role.MEMBER, organisation=organisation)
    client.force_login(member)

    assert member.has_member_access()
    response = _get_member_page(client)
    assert response.status_code == 200
    assert response.content == b"for members"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ending",
    ["ended yesterday", "lapsed", "starts tomorrow"],
)
def test_a_member_whose_organisation_membership_is_not_current_is_refused(client, ending):
    today = _today()
    organisation = OrganisationFactory()
    if ending == "ended yesterday":
        MembershipFactory(organisation=organisation, start_date=date(2021, 1, 1),
                          end_date=today - timedelta(days=1))
    elif ending == "lapsed":
        MembershipFactory(organisation=organisation, start_date=date(2021, 1, 1),
                          status="lapsed")
    else:
        MembershipFactory(organisation=organisation, start_date=today + timedelta(days=1))
    member = user_with_role(Role.MEMBER, organisation=organisation)
    client.force_login(member)

    assert not member.has_member_access()
    assert not user_may(member, frozenset({Role.MEMBER}))
    response = _get_member_page(client)
    assert response.status_code == 403
    assert response.context["reason"] == "role"


@pytest.mark.django_db
def test_member_access_lapses_with_the_membership_and_returns_with_a_renewal(client):
    today = _today()
    organisation = OrganisationFactory()
    membership = MembershipFactory(organisation=organisation, start_date=date(2021, 1, 1),
                                   end_date=today + timedelta(days=30))
    member = user_with_role(Role.MEMBER, organisation=organisation)
    client.force_login(member)
    assert _get_member_page(client).status_code == 200

    membership.end_date = today - timedelta(days=1)
    membership.save()
    assert _get_member_page(client).status_code == 403

    MembershipFactory(organisation=organisation, start_date=today, end_date=None)
    assert _get_member_page(client).status_code == 200


@pytest.mark.django_db
def test_a_member_without_an_organisation_is_refused(client):
    member = UserFactory(role=Role.MEMBER, organisation=None)
    client.force_login(member)

    assert not member.has_member_access()
    assert _get_member_page(client).status_code == 403


@pytest.mark.django_db
def test_member_access_is_for_members_only_not_the_team(client):
    client.force_login(user_with_role(Role.STAFF))

    assert _get_member_page(client).status_code == 403


@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_the_login_from_a_member_page(client):
    response = _get_member_page(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/throwaway/members/"


def _get_member_page(client):
    return client.get("/throwaway/members/")


# --- MFA for administrators and management ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGEMENT])
def test_the_people_who_run_the_cluster_must_set_up_totp_first(client, role):
    user = UserFactory(role=role)
    client.force_login(user)

    for url in ("/", "/ecosystem/organisations/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == TOTP_SET_UP, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGEMENT])
def test_the_totp_set_up_and_the_language_switch_stay_open_without_totp(client, role):
    client.force_login(UserFactory(role=role))

    set_up = client.get("/accounts/2fa/totp/activate/")
    language = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert not set_up.get("Location", "").startswith("/accounts/2fa/totp/activate/")
    assert set_up.status_code in (200, 302)
    assert language.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.MANAGEMENT])
def test_with_totp_set_up_they_get_in(client, role):
    user = UserFactory(role=role)
    totp_for(user)
    client.force_login(user)

    assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STAFF, Role.GRANT_GIVER])
def test_staff_and_grant_givers_need_no_totp(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get("/").status_code == 200


# --- django-axes: the lock after repeated failures ---------------------------------------------


@pytest.fixture
def axes_on(settings):
    """django-axes switched on, with allauth's own login rate limit (kept in the cache, so it
    would leak between tests and answer before axes does) switched off and a clean cache."""
    settings.AXES_ENABLED = True
    settings.ACCOUNT_RATE_LIMITS = False
    cache.clear()
    yield settings
    cache.clear()


def _log_in(client, email: str, password: str):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.mark.django_db
def test_the_right_password_works_while_axes_is_on(client, axes_on):
    user = user_with_role(Role.STAFF)

    response = _log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


@pytest.mark.django_db
def test_a_login_is_locked_after_the_failure_limit_and_then_refuses_the_right_password(
    client, axes_on
):
    limit = axes_on.AXES_FAILURE_LIMIT
    user = user_with_role(Role.STAFF)

    answers = [_log_in(client, user.email, f"wrong-{n}").status_code for n in range(limit)]
    locked = _log_in(client, user.email, PASSWORD)

    assert answers == [200] * (limit - 1) + [429]  # the limit-th failure locks
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start >= limit


@pytest.mark.django_db
def test_axes_records_the_account_it_locks(client, axes_on):
    user = user_with_role(Role.STAFF)

    _log_in(client, user.email.upper(), "wrong")

    assert AccessAttempt.objects.get().username == user.email


@pytest.mark.django_db
def test_the_lock_is_per_account_and_address_so_another_account_still_gets_in(client, axes_on):
    victim = user_with_role(Role.STAFF)
    colleague = user_with_role(Role.STAFF)
    for n in range(axes_on.AXES_FAILURE_LIMIT):
        _log_in(client, victim.email, f"wrong-{n}")

    response = _log_in(client, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(colleague.pk)


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, axes_on):
    user = user_with_role(Role.STAFF)

    for attempt in range(axes_on.AXES_FAILURE_LIMIT - 1):
        _log_in(client, user.email, f"wrong-{attempt}")
    response = _log_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
