"""Object-level permissions: a member of organisation A against organisation B's records.

Every URL of the URL conf that takes an object key is tried by a signed-in member of A, with
GET and POST (and, for the REST API, PUT, PATCH and DELETE), the key pointing at B's record;
every page and API list the member may use is read too. As in tests/core/test_access_walk.py
(whose URL discovery this reuses), every record of B's world has primary key SHARED_PK, so
whatever model a URL refers to, the key names B's record (B's organisation, person,
affiliation, membership, interaction, registration, the internal activity B is registered for,
B's introduction, project, partner and outcome, brokerage event, participant and meeting).

A request fails the walk when
- it answers 2xx and the body holds one of B's private markers (B is unlisted in the
  directory and invisible in matchmaking, so even its name is not A's to see), or
- it changes B's data: a row about B (primary key SHARED_PK in a model of B's world, or a
  foreign key to such a row) is changed, deleted or created, unless the new row is about A too
  (A asking the cluster for an introduction to B is A's own request).

URLs with a secret in them (tokens, UUID keys) are tried with a key that is not B's: holding
B's secret is holding B's access. The API and portal grow while this runs: the walk covers
whatever the URL conf holds.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from klynge.activities.models import Activity
from klynge.core.permissions import declared_access
from klynge.core.roles import Role
from klynge.ecosystem.models import (
    Affiliation,
    Interaction,
    Membership,
    MembershipTier,
    Organisation,
    Person,
)
from klynge.matchmaking.models import Introduction
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.brokerage.factories import BrokerageEventFactory, MeetingFactory, ParticipantFactory
from tests.core.test_access_walk import ROUTES, SHARED_PK, SHARED_UUID, Route
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)
from tests.projects.factories import (
    ProjectFactory,
    ProjectOutcomeFactory,
    ProjectPartnerFactory,
)

B_NAME = "Bravo Hemmelig Robotik ApS"
MARKERS = (
    B_NAME,
    "bo.bravo@bravo-hemmelig.example",  # B's person's e-mail
    "+45 4242 0042",  # B's person's phone
    "Hemmeligvej 42",  # B's address
    "BRAVOSECRET",  # notes, subjects, messages of B's records
)
# Apps whose rows the walk watches for changes (not sessions, axes, the audit log, jobs).
WATCHED_APPS = ("ecosystem", "activities", "matchmaking", "projects", "brokerage", "privacy",
                "portal", "evaluations", "outreach", "funding")
API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")


# --- the two organisations ----------------------------------------------------------------------


@dataclass
class World:
    a: Organisation
    a_person: Person
    member: object
    b_rows: set = field(default_factory=set)  # (model label, pk) of B's records


def _b_world() -> set:
    """B's records, all with primary key SHARED_PK, and their partner C (other keys)."""
    pk = SHARED_PK
    b = OrganisationFactory(pk=pk, name=B_NAME, address="Hemmeligvej 42", postcode="8000",
                            vat_number="DK42424242", description="BRAVOSECRET description",
                            offers="BRAVOSECRET offers", seeks="BRAVOSECRET seeks",
                            directory_listed=False, directory_fields=[])
    bo = PersonFactory(pk=pk, first_name="Bo", last_name="Bravo",
                       email="bo.bravo@bravo-hemmelig.example", phone="+45 4242 0042",
                       notes="BRAVOSECRET person notes")
    Affiliation.objects.create(pk=pk, person=bo, organisation=b, role="BRAVOSECRET role")
    tier = MembershipTier.objects.create(pk=pk, name="Walk tier", annual_fee=4242)
    Membership.objects.create(pk=pk, organisation=b, tier=tier, annual_fee=4242,
                              start_date="2020-01-01", status="paying",
                              notes="BRAVOSECRET membership notes")
    staff = UserFactory(role=Role.STAFF, email="walk-staff@klynge.test")
    Interaction.objects.create(pk=pk, kind="call", date="2025-03-01", organisation=b,
                               staff=staff, subject="BRAVOSECRET call",
                               notes="BRAVOSECRET interaction notes")
    UserFactory(role=Role.MEMBER, email="bravo-login@bravo-hemmelig.example",
                organisation=b, person=bo)

    # A public activity both may see in the portal: B's registration must stay B's.
    activity = ActivityFactory(pk=pk, title="Robots for SMEs", is_public=True)
    RegistrationFactory(pk=pk, activity=activity, person=bo, organisation=b)

    c = OrganisationFactory(name="Charlie Partner A/S")
    cille = PersonFactory(first_name="Cille", email="cille@charlie.example")
    Affiliation.objects.create(person=cille, organisation=c)
    Introduction.objects.create(
        pk=pk, organisation_a=b, person_a=bo, organisation_b=c, person_b=cille,
        purpose="knowledge", explanation="BRAVOSECRET explanation",
        message="BRAVOSECRET introduction message",
    )
    project = ProjectFactory(pk=pk, title="BRAVOSECRET project",
                             description="BRAVOSECRET project description")
    ProjectPartnerFactory(pk=pk, project=project, organisation=b)
    ProjectPartnerFactory(project=project, organisation=c)
    ProjectOutcomeFactory(pk=pk, project=project, description="BRAVOSECRET outcome")

    event = BrokerageEventFactory(pk=pk)
    mine = ParticipantFactory(pk=pk, event=event, person=bo, organisation=b,
                              headline="BRAVOSECRET headline", key=uuid.uuid4())
    theirs = ParticipantFactory(event=event, person=cille, organisation=c)
    MeetingFactory(pk=pk, event=event, requester=mine, recipient=theirs,
                   message="BRAVOSECRET meeting message")
    return _rows_about_b()


@pytest.fixture
def world(db) -> World:
    b_rows = _b_world()
    a = OrganisationFactory(name="Alfa Robotik ApS")
    MembershipFactory(organisation=a)
    anna = PersonFactory(first_name="Anna", email="anna@alfa.example")
    Affiliation.objects.create(person=anna, organisation=a)
    member = user_with_role(Role.MEMBER, organisation=a, person=anna)
    assert member.has_member_access()
    return World(a, anna, member, b_rows)


# --- watching B's data --------------------------------------------------------------------------


def _watched_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in WATCHED_APPS]


def _b_models() -> set[type[models.Model]]:
    return {m for m in _watched_models() if m.objects.filter(pk=SHARED_PK).exists()}


def _foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def _rows_about_b() -> set:
    return set(_snapshot(None))


def _about_b_queries() -> list[tuple[type[models.Model], models.Q, list]]:
    """Per watched model: the filter for its rows about B, and its keys to A's records."""
    b_models = _b_models()
    queries = []
    for model in _watched_models():
        keys = _foreign_keys(model)
        condition = models.Q(pk=SHARED_PK) if model in b_models else models.Q()
        for key in (f for f in keys if f.related_model in b_models):
            condition |= models.Q(**{key.attname: SHARED_PK})
        if condition:
            queries.append((model, condition, keys))
    return queries


def _snapshot(world: World | None) -> dict:
    """{(model, pk): values} of every watched row about B and not about A."""
    rows = {}
    for model, condition, keys in _about_b_queries():
        for values in model.objects.filter(condition).order_by("pk").values():
            if world is not None and any(
                (f.related_model is Organisation and values[f.attname] == world.a.pk)
                or (f.related_model is Person and values[f.attname] == world.a_person.pk)
                for f in keys
            ):
                continue
            rows[(model._meta.label, values[model._meta.pk.attname])] = values
    return rows


def _changes(before: dict, after: dict) -> list[str]:
    said = []
    for key in sorted(set(before) | set(after), key=str):
        if key not in after:
            said.append(f"deleted {key}")
        elif key not in before:
            said.append(f"created {key}")
        elif before[key] != after[key]:
            changed = sorted(k for k in before[key] if before[key][k] != after[key].get(k))
            said.append(f"changed {key} {changed}")
    return said


# --- the requests -------------------------------------------------------------------------------


def _takes_key(route: Route) -> bool:
    return "<" in route.route or "(?P<" in route.route


def _secret_in_url(route: Route) -> bool:
    return any(k in route.route for k in ("<uuid:", "<str:token", "token>", "<str:key"))


def _walkable(route: Route) -> bool:
    # Not the router's format-suffix twins (".json"): the same views.
    return bool(route.error is None and route.url and route.first_party
                and ".(?P<format>" not in route.route)


def _url(route: Route) -> str:
    url = route.url
    if _secret_in_url(route):
        # Not B's secret: a made-up one of the same shape.
        url = url.replace(str(SHARED_UUID), str(uuid.UUID(int=SHARED_PK * 7919)))
    return url


def _is_api(route: Route) -> bool:
    return route.url.startswith("/api/v1/")


def _declared_for_member(route: Route) -> bool:
    declared = declared_access(route.callback) or frozenset()
    return Role.MEMBER in declared or "public" in declared


def _request(client: Client, method: str, url: str, api: bool):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data=json.dumps({}), content_type="application/json")
    return client.post(url, {})


def _leaks(response) -> list[str]:
    if not 200 <= response.status_code < 300:
        return []
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode("utf-8", "replace")
    else:
        body = response.content.decode("utf-8", "replace")
    return [marker for marker in MARKERS if marker in body]


def _try(world: World, client: Client, route: Route, methods, before: dict):
    """Findings of `methods` on the route, and the snapshot after the last request.

    A route not declared for members is refused by the access check before its view runs
    (tests/core/test_access_walk.py proves which): the walk still asks, and requires the
    refusal, but need not look at the database.
    """
    findings = []
    url = _url(route)
    runs_the_view = _declared_for_member(route)
    for method in methods:
        response = _request(client, method, url, _is_api(route))
        where = f"{method.upper()} {url} ({route.view_name}) -> {response.status_code}"
        for marker in _leaks(response):
            findings.append(f"{where}: shows B's {marker!r}")
        if not runs_the_view:
            if response.status_code != 403:
                findings.append(f"{where}: expected 403 (not declared for members)")
            continue
        after = _snapshot(world)
        for change in _changes(before, after):
            findings.append(f"{where}: {change}")
        before = after
    return findings, before


# --- the walk, one test per area -------------------------------------------------------------


def _area(route: Route) -> str:
    parts = route.url.strip("/").split("/")
    if parts[0] == "api" and len(parts) > 2 and parts[1] == "v1":
        return f"api-{parts[2]}"
    return parts[0] or "root"


WALKED = [r for r in ROUTES if _walkable(r) and not r.url.startswith("/admin/")]
AREAS = sorted({_area(r) for r in WALKED})


@pytest.mark.django_db
@pytest.mark.parametrize("area", AREAS)
def test_a_member_of_a_never_reads_or_changes_b_s_records(area, world, client):
    client.force_login(world.member)
    findings, before = [], _snapshot(world)
    for route in (r for r in WALKED if _area(r) == area):
        if _takes_key(route):
            methods = API_METHODS if _is_api(route) else PAGE_METHODS
        elif _declared_for_member(route):
            methods = ("get",)  # a list or page of the member's own: read it
        else:
            continue
        found, before = _try(world, client, route, methods, before)
        findings += found

    assert findings == [], "\n".join(findings)


# --- the walk itself ------------------------------------------------------------------------------


def test_the_walk_covers_the_api_and_the_portal():
    urls = {r.url for r in WALKED}
    assert "/portal/" in urls
    assert any(u.startswith("/api/v1/") for u in urls)
    assert any(_takes_key(r) for r in WALKED if r.url.startswith("/portal/"))


@pytest.mark.django_db
def test_every_record_of_b_s_world_has_the_shared_key(world):
    labels = {label for label, _pk in world.b_rows}
    assert {"ecosystem.Organisation", "ecosystem.Person", "ecosystem.Affiliation",
            "ecosystem.Membership", "ecosystem.Interaction", "activities.Activity",
            "activities.Registration", "matchmaking.Introduction", "projects.Project",
            "projects.ProjectPartner", "projects.ProjectOutcome", "brokerage.BrokerageEvent",
            "brokerage.Participant", "brokerage.Meeting"} <= labels
    assert Activity.objects.get(pk=SHARED_PK).is_public is True


@pytest.mark.django_db
def test_the_walk_sees_a_leak_and_a_change(world, client):
    """The checks themselves: B's data in a 2xx body, and a change to B's row, are found."""
    from django.http import HttpResponse

    assert _leaks(HttpResponse(f"<p>{B_NAME}</p>")) == [B_NAME]
    assert _leaks(HttpResponse(f"<p>{B_NAME}</p>", status=404)) == []
    before = _snapshot(world)
    Person.objects.filter(pk=SHARED_PK).update(notes="changed")
    Interaction.objects.filter(pk=SHARED_PK).delete()
    assert _changes(before, _snapshot(world)) == [
        "deleted ('ecosystem.Interaction', 4242)",
        "changed ('ecosystem.Person', 4242) ['notes']",
    ]


@pytest.mark.django_db
def test_the_keys_point_at_b_s_records_so_the_cluster_team_sees_them(world, client):
    """The control: the same URLs, opened by staff, do show B's data (the walk would notice)."""
    client.force_login(user_with_role(Role.STAFF))
    urls = ["/ecosystem/organisations/4242/", "/ecosystem/people/4242/",
            "/matchmaking/introductions/4242/", "/projects/4242/", "/b2b/meetings/4242/",
            "/api/v1/people/4242/", "/api/v1/introductions/4242/"]

    shown = {url: _leaks(client.get(url)) != [] for url in urls}

    assert shown == dict.fromkeys(urls, True)


@pytest.mark.django_db
def test_the_member_does_see_its_own_organisation(world, client):
    client.force_login(world.member)

    own = client.get(f"/api/v1/organisations/{world.a.pk}/")
    other = client.get(f"/api/v1/organisations/{SHARED_PK}/")

    assert own.status_code == 200
    assert own.json()["name"] == "Alfa Robotik ApS"
    assert other.status_code == 404
