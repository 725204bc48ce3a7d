"""Walk every URL of the URL conf and check, role by role, who gets in.

The expected answer for a Klynge page comes from the page's own declaration
(`klynge.core.permissions.access`): a role the declaration grants must get past the access
check (anything but 403 or a redirect to the login), every other role must be refused (403
when signed in, the login page when signed out). A Klynge view without a declaration fails
the walk. Views of other packages are listed in THIRD_PARTY with the behaviour they must show;
a package that is not listed fails the walk too, so nobody adds a URL without saying who it
is for.

URLs are discovered from the URL conf, so the walk grows with the project. Path parameters
are filled with SHARED_PK, and one record of each registry model is created with exactly that
primary key (see `registry`), so whatever model a URL refers to, the record exists. A page of
a model the walk does not create answers 404, which counts as "got past the access check"
only for a role the page is declared for: refused roles never reach the view.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import (
    URLPattern,
    URLResolver,
    converters,
    get_resolver,
    include,
    path,
    resolve,
    reverse,
)
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from klynge.core.models import Job
from klynge.core.permissions import PUBLIC, access, declared_access, is_api_view, user_may
from klynge.core.roles import Role
from klynge.ecosystem.models import (
    Affiliation,
    FocusArea,
    Hub,
    ImportBatch,
    IndustryCode,
    Interaction,
    Membership,
    MembershipTier,
    Organisation,
    Person,
)
from tests.factories import UserFactory, next_cvr, user_with_role

SHARED_PK = 4242
SHARED_UUID = uuid.UUID("00000000-0000-4000-8000-000000004242")
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]
FIRST_PARTY = ("klynge.", "config.")


# --- discovering the URLs ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the URL conf, with a concrete URL that resolves to it."""

    route: str
    url: str | None
    name: str | None
    namespaces: tuple[str, ...]
    callback: object
    error: str | None = None

    @property
    def module(self) -> str:
        target = getattr(self.callback, "view_class", None) or self.callback
        return getattr(target, "__module__", "") or ""

    @property
    def view_name(self) -> str:
        target = getattr(self.callback, "view_class", None) or self.callback
        return f"{self.module}.{getattr(target, '__qualname__', repr(target))}"

    @property
    def first_party(self) -> bool:
        return self.module.startswith(FIRST_PARTY)

    def __str__(self) -> str:
        return self.url or self.route


class CannotFill(Exception):
    pass


def _value_for(name: str, regex: str) -> str:
    """A value for one path parameter: the shared primary key wherever the pattern takes it."""
    candidates = [str(SHARED_PK), str(SHARED_UUID)]
    if re.fullmatch(r"[\w|]+", regex):  # an alternation of literals, as the admin's app_label
        candidates += regex.split("|")
    for candidate in candidates:
        if re.fullmatch(regex, candidate):
            return candidate
    raise CannotFill(f"no value for parameter {name!r} (pattern {regex!r})")


def _fill_route(pattern: RoutePattern) -> str:
    def fill(match: re.Match) -> str:
        converter = pattern.converters[match["name"]]
        if isinstance(converter, converters.UUIDConverter):
            return str(SHARED_UUID)
        return _value_for(match["name"], converter.regex)

    return re.sub(r"<(?:[^>:]+:)?(?P<name>[^>]+)>", fill, str(pattern._route))


def _fill_regex(pattern: RegexPattern) -> str:
    regex = str(pattern._regex).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    out, i = [], 0
    while i < len(regex):
        if regex.startswith("(?P<", i):
            name_end = regex.index(">", i)
            depth, j = 1, name_end + 1
            while depth:
                if regex[j] == "\\":
                    j += 2
                    continue
                depth += {"(": 1, ")": -1}.get(regex[j], 0)
                j += 1
            out.append(_value_for(regex[i + 4 : name_end], regex[name_end + 1 : j - 1]))
            i = j
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif regex[i] in "()[]{}*+?|^$":
            raise CannotFill(f"cannot build a URL for the pattern {regex!r}")
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _fill(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _fill_route(pattern)
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    return _fill_regex(pattern)


def _walk(patterns, url: str | None = "/", route: str = "", namespaces: tuple = ()):
    for entry in patterns:
        error = None
        try:
            here = url + _fill(entry.pattern) if url is not None else None
        except CannotFill as exc:
            here, error = None, str(exc)
        here_route = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, here, here_route, inner)
            continue
        assert isinstance(entry, URLPattern)
        name = ":".join((*namespaces, entry.name)) if entry.name else None
        if here is not None and error is None:
            match = resolve(here)
            if match.func is not entry.callback:
                error = f"the URL built for {here_route!r}, {here}, resolves to another view"
        yield Route(here_route, here, name, namespaces, entry.callback, error)


ROUTES = list(_walk(get_resolver().url_patterns))
FIRST_PARTY_ROUTES = [route for route in ROUTES if route.first_party]


# --- the records the URLs point at -------------------------------------------------------------


@dataclass
class Registry:
    hub: Hub
    organisation: Organisation
    person: Person
    membership: Membership
    interaction: Interaction
    batch: ImportBatch


@pytest.fixture
def registry(db) -> Registry:
    """One record of each registry model, every one with primary key SHARED_PK and linked to
    the others (the membership, affiliation and interaction belong to the organisation)."""
    pk = SHARED_PK
    hub = Hub.objects.create(pk=pk, name="Hub Aarhus", city="Aarhus", region="midtjylland")
    area = FocusArea.objects.create(pk=pk, name_da="Robotter", name_en="Robots",
                                    kind="focus_area")
    industry = IndustryCode.objects.create(code=str(pk), level=1, title="Software")
    organisation = Organisation.objects.create(
        pk=pk, name="Walk ApS", cvr=next_cvr(), postcode="8000", city="Aarhus C",
        region="midtjylland", hub=hub, industry=industry, employee_band="10-49",
    )
    organisation.focus_areas.add(area)
    person = Person.objects.create(pk=pk, first_name="Walther", last_name="Walk",
                                   email="walther@walk.dk")
    Affiliation.objects.create(pk=pk, person=person, organisation=organisation, role="CEO")
    tier = MembershipTier.objects.create(pk=pk, name="Walk tier", annual_fee=5000)
    membership = Membership.objects.create(
        pk=pk, organisation=organisation, tier=tier, annual_fee=5000,
        start_date=date(2021, 1, 1), status="paying",
    )
    someone = UserFactory(pk=pk, email="walk-staff@klynge.test", role=Role.STAFF, hub=hub)
    interaction = Interaction.objects.create(
        pk=pk, kind="call", date=date(2025, 3, 1), organisation=organisation, staff=someone,
        hub=hub, subject="Walk call", next_step="Send the offer", follow_up_date=date(2025, 4, 1),
    )
    interaction.people.add(person)
    job = Job.objects.create(pk=pk, kind="import", total=1, done=1, status="succeeded")
    batch = ImportBatch(
        pk=pk, target="organisations", original_name="walk.csv", job=job, created_by=someone,
        status="previewed", mapping={"name": "Navn"},
        report={"rows": 1, "good": 1, "bad": 0, "errors": []},
    )
    batch.file.save("walk.csv", ContentFile(b"Navn;CVR\nWalk ApS;\n"), save=False)
    batch.error_file.save("walk-errors.csv", ContentFile(b"Navn;CVR;Fejl\n"), save=False)
    batch.save()
    return Registry(hub, organisation, person, membership, interaction, batch)


def _sign_in(client, role: str, registry: Registry):
    if role == ANONYMOUS:
        return AnonymousUser()
    extra = {"organisation": registry.organisation} if role == Role.MEMBER else {}
    user = user_with_role(role, **extra)
    client.force_login(user)
    return user


def _is_login_redirect(response, url: str) -> bool:
    """The access check's refusal of a signed-out visitor: the login page, coming back here."""
    if response.status_code != 302:
        return False
    location = urlsplit(response["Location"])
    return (
        location.path == resolve_url(settings.LOGIN_URL)
        and parse_qs(location.query).get("next") == [url]
    )


def _describe(response) -> str:
    where = f" to {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


# --- Klynge's own pages: the declaration decides ---------------------------------------------


@pytest.mark.parametrize("route", FIRST_PARTY_ROUTES, ids=str)
def test_every_klynge_view_declares_who_may_use_it(route):
    assert declared_access(route.callback) is not None, (
        f"{route.view_name} ({route}) declares no access: decorate it with "
        "@access(...) from klynge.core.permissions"
    )


def _check_declared(route: Route, role: str, user, client) -> None:
    declared = declared_access(route.callback)
    assert declared is not None, f"{route.view_name} ({route}) declares no access"
    allowed = user_may(user, declared)
    response = client.get(route.url)
    said = f"{route} ({route.view_name}, declared {sorted(declared)}) gave {role}"
    if is_api_view(route.callback):
        _check_api_answer(response, said, allowed=allowed, anonymous=role == ANONYMOUS)
        return
    if allowed:
        assert response.status_code != 403, f"{said} 403, but the role is declared"
        assert not _is_login_redirect(response, route.url), (
            f"{said} the login page, but the role is declared"
        )
    elif role == ANONYMOUS:
        assert _is_login_redirect(response, route.url), (
            f"{said} {_describe(response)}, expected a redirect to the login"
        )
    else:
        assert response.status_code == 403, f"{said} {_describe(response)}, expected 403"


def _check_api_answer(response, said: str, *, allowed: bool, anonymous: bool) -> None:
    """An API view (REST framework) refuses with JSON, never with the login page: 401 with a
    WWW-Authenticate challenge when signed out (token authentication comes first), 403 when
    the role is not declared."""
    if allowed:
        assert response.status_code not in (401, 403), (
            f"{said} {response.status_code}, but the role is declared"
        )
        assert response.status_code < 500, f"{said} {response.status_code}"
    elif anonymous:
        assert response.status_code == 401, f"{said} {_describe(response)}, expected 401"
        assert response.has_header("WWW-Authenticate"), f"{said} 401 without WWW-Authenticate"
        assert response["Content-Type"] == "application/json", f"{said} a non-JSON 401"
    else:
        assert response.status_code == 403, f"{said} {_describe(response)}, expected 403"
        assert response["Content-Type"] == "application/json", f"{said} a non-JSON 403"


# --- other packages' pages: their expected behaviour, listed ---------------------------------


def _check_admin(route: Route, role: str, user, client) -> None:
    """The admin is for administrators; everyone else ends on the admin's login page."""
    response = client.get(route.url, follow=True)
    landed = response.request["PATH_INFO"]
    admin_login = reverse("admin:login")
    if role == Role.ADMINISTRATOR:
        assert landed != admin_login, f"{route}: an administrator was sent to the admin login"
        # The admin may refuse a page itself (a read-only model has no "add" page, the
        # autocomplete wants its query), but Klynge's access check never refuses the admin.
        templates = {template.name for template in response.templates}
        assert "core/403.html" not in templates, f"{route}: Klynge refused an administrator"
        assert response.status_code in (200, 403, 404, 405), f"{route}: {response.status_code}"
    else:
        assert (landed, response.status_code) == (admin_login, 200), (
            f"{route} gave {role} {response.status_code} at {landed}, expected the admin login"
        )


# allauth pages whose answer is exact: {url name: {role or "signed_in": status}}.
ALLAUTH_EXACT = {
    "account_login": {ANONYMOUS: 200, "signed_in": 302},
    "account_reset_password": {ANONYMOUS: 200},
    "account_signup": {ANONYMOUS: 200},  # allauth's "sign-up is closed" page
    "account_logout": {ANONYMOUS: 302, "signed_in": 200},  # a GET asks; only a POST logs out
    "mfa_index": {ANONYMOUS: "login", "signed_in": 200},
    "account_email": {ANONYMOUS: "login", "signed_in": 200},
    "account_change_password": {ANONYMOUS: "login", "signed_in": 200},
}


def _check_allauth(route: Route, role: str, user, client) -> None:
    """allauth guards its own pages: Klynge never refuses them, and they never fail."""
    response = client.get(route.url)
    assert response.status_code != 403, f"{route} gave {role} 403"
    assert response.status_code < 500, f"{route} gave {role} {response.status_code}"
    exact = ALLAUTH_EXACT.get(route.name, {})
    expected = exact.get(role, exact.get("signed_in") if role != ANONYMOUS else None)
    if expected == "login":
        assert response.status_code == 302, f"{route} gave {role} {_describe(response)}"
        assert urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
    elif expected is not None:
        assert response.status_code == expected, f"{route} gave {role} {_describe(response)}"


def _check_set_language(route: Route, role: str, user, client) -> None:
    """Django's language switch answers a GET by sending the visitor back (it sets on POST)."""
    response = client.get(route.url)
    assert response.status_code in (204, 302), f"{route} gave {role} {_describe(response)}"


def _check_static(route: Route, role: str, user, client) -> None:
    response = client.get(route.url)
    assert response.status_code in (200, 404), f"{route} gave {role} {_describe(response)}"


# (what, how to recognise it, the check). A view that is neither Klynge's nor listed fails.
THIRD_PARTY = [
    ("django.contrib.admin", lambda r: r.namespaces[:1] == ("admin",), _check_admin),
    ("django-allauth", lambda r: r.module.startswith("allauth."), _check_allauth),
    ("django.views.i18n", lambda r: r.module == "django.views.i18n", _check_set_language),
    (
        "static files",
        lambda r: r.module.startswith(("django.views.static", "django.contrib.staticfiles")),
        _check_static,
    ),
]


def _third_party_check(route: Route):
    for _what, recognise, check in THIRD_PARTY:
        if recognise(route):
            return check
    return None


# --- the walk ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(route, role, client, registry):
    assert route.error is None, route.error
    user = _sign_in(client, role, registry)
    if route.first_party:
        _check_declared(route, role, user, client)
        return
    check = _third_party_check(route)
    assert check is not None, (
        f"{route} is served by {route.view_name}, which is neither Klynge's nor listed in "
        "THIRD_PARTY: declare its access or list its expected behaviour"
    )
    check(route, role, user, client)


def test_the_walk_finds_the_url_conf():
    names = {route.name for route in ROUTES}
    assert {"core:home", "account_login", "admin:index", "set_language"} <= names
    assert all(route.url for route in ROUTES if route.error is None)


def test_the_walk_fails_an_undeclared_klynge_view_and_an_unlisted_package():
    def page(request):
        return HttpResponse()

    page.__module__ = "klynge.ecosystem.views.new_page"
    undeclared = Route("new/", "/new/", "ecosystem:new", ("ecosystem",), page)
    other = Route("api/", "/api/", "api", (), type("APIView", (), {"__module__": "rest_framework"}))

    assert undeclared.first_party
    with pytest.raises(AssertionError, match="declares no access"):
        test_every_klynge_view_declares_who_may_use_it(undeclared)
    assert not other.first_party
    assert _third_party_check(other) is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_get_the_admin(role, client, registry):
    _sign_in(client, role, registry)
    response = client.get("/admin/")
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- fail closed: a page without a declaration --------------------------------------------------


def _undeclared(request):
    return HttpResponse("the secret")


@access(PUBLIC)
def _declared_public(request):
    return HttpResponse("hello")


@access(Role.STAFF)
def _declared_staff(request):
    return HttpResponse("staff only")


urlpatterns = [
    path("throwaway/undeclared/", _undeclared),
    path("throwaway/public/", _declared_public),
    path("throwaway/staff/", _declared_staff),
    path("", include("config.urls")),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("role", [ANONYMOUS, Role.STAFF, Role.ADMINISTRATOR])
def test_a_view_without_declaration_is_refused_to_everyone(role, client, registry):
    _sign_in(client, role, registry)

    response = client.get("/throwaway/undeclared/")

    assert response.status_code == 403
    assert response.context["reason"] == "undeclared"
    assert b"the secret" not in response.content


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_declared_views_in_a_throwaway_url_conf_follow_their_declaration(client, registry):
    assert client.get("/throwaway/public/").content == b"hello"
    assert _is_login_redirect(client.get("/throwaway/staff/"), "/throwaway/staff/")
    _sign_in(client, Role.MEMBER, registry)
    assert client.get("/throwaway/staff/").status_code == 403
    _sign_in(client, Role.STAFF, registry)
    assert client.get("/throwaway/staff/").content == b"staff only"


# --- API views: refused with JSON, and fail closed too ----------------------------------------


def test_the_walk_fails_an_undeclared_api_view():
    from rest_framework.views import APIView

    class Undeclared(APIView):
        def get(self, request):
            return HttpResponse("the secret")

    Undeclared.__module__ = "klynge.ecosystem.api"
    route = Route("api/v1/new/", "/api/v1/new/", "api:new", ("api",), Undeclared.as_view())

    assert route.first_party and is_api_view(route.callback)
    with pytest.raises(AssertionError, match="declares no access"):
        test_every_klynge_view_declares_who_may_use_it(route)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [ANONYMOUS, Role.STAFF, Role.ADMINISTRATOR])
def test_an_undeclared_api_view_is_refused_to_everyone(role, registry):
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    class Undeclared(APIView):
        def get(self, request):
            return HttpResponse("the secret")

    request = APIRequestFactory().get("/api/v1/new/")
    if role != ANONYMOUS:
        force_authenticate(request, user=user_with_role(role))

    response = Undeclared.as_view()(request)

    assert response.status_code == (401 if role == ANONYMOUS else 403)
    assert b"the secret" not in response.rendered_content
