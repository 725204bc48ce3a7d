"""Webhooks: subscriptions, the audit-log event mapping, signed delivery to a REAL local HTTP
server, retries with backoff through `klynge deliver_webhooks`, and the administrators' pages."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from klynge.activities.registrations import registration_cancel, registration_create
from klynge.activities.services import activity_mark_held
from klynge.api import webhooks_services as services
from klynge.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from klynge.api.webhooks_signing import signature_header, verify
from klynge.core.errors import ApplicationError
from klynge.core.models import AuditEntry
from klynge.core.roles import Role
from klynge.ecosystem.services import organisation_create, organisation_update
from tests.activities.factories import ActivityFactory
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

BASE = "https://klynge.example.dk"


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers with the next
    status of `statuses` (the last one repeats)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses = [200]
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                status = receiver.statuses[min(len(receiver.requests), len(receiver.statuses))
                                           - 1]
                answer = b"thanks" if status < 300 else b"receiver is down"
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/klynge"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.KLYNGE_BASE_URL = BASE


@pytest.fixture
def admin(db):
    return user_with_role(Role.ADMINISTRATOR)


def subscribe(admin, receiver, events, **extra):
    return services.subscription_create(actor=admin, name="Member CRM", url=receiver.url,
                                        events=events, **extra)


def create_organisation(admin, capture, name="Nordic Robotics ApS"):
    with capture(execute=True):
        return organisation_create(actor=admin, data={
            "name": name, "kind": "company", "country": "DK", "postcode": "8000",
            "city": "Aarhus C"})


# --- subscriptions ------------------------------------------------------------------------------


def test_a_subscription_gets_a_generated_secret_and_an_audit_entry(admin):
    subscription = services.subscription_create(
        actor=admin, name="  Member CRM ", url="https://crm.example.dk/hooks",
        events=["activity.held", "organisation.created"])

    subscription.refresh_from_db()
    assert (subscription.name, subscription.url, subscription.events, subscription.is_active) == (
        "Member CRM", "https://crm.example.dk/hooks", ["organisation.created", "activity.held"],
        True)
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) == 49
    entry = AuditEntry.objects.get(action="klynge.api.webhook_subscription.created")
    assert (entry.object_id, entry.actor, entry.data["url"]) == (
        str(subscription.pk), admin, "https://crm.example.dk/hooks")


@pytest.mark.parametrize(("url", "field"), [
    ("http://crm.example.dk/hooks", "url"),
    ("ftp://crm.example.dk/hooks", "url"),
    ("crm.example.dk", "url"),
])
def test_a_url_without_https_is_refused_and_nothing_is_written(admin, url, field):
    with pytest.raises(ApplicationError) as refused:
        services.subscription_create(actor=admin, name="CRM", url=url,
                                     events=["organisation.created"])

    assert refused.value.field == field
    assert WebhookSubscription.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="klynge.api.").exists()


def test_plain_http_is_allowed_for_a_receiver_on_this_machine(admin):
    for url in ("http://127.0.0.1:9000/hooks", "http://localhost/hooks"):
        services.subscription_create(actor=admin, name="local", url=url,
                                     events=["activity.held"])

    assert WebhookSubscription.objects.count() == 2


def test_plain_http_is_allowed_on_a_development_server(admin, settings):
    settings.DEBUG = True

    subscription = services.subscription_create(actor=admin, name="dev", url="http://dev.lan/h",
                                                events=["activity.held"])

    assert subscription.url == "http://dev.lan/h"


@pytest.mark.parametrize(("events", "message"), [
    ([], "Choose at least one event."),
    (["organisation.deleted"], "Unknown event: organisation.deleted."),
])
def test_events_must_be_chosen_from_the_known_ones(admin, events, message):
    with pytest.raises(ApplicationError, match=message):
        services.subscription_create(actor=admin, name="CRM", url="https://crm.example.dk/",
                                     events=events)

    assert WebhookSubscription.objects.count() == 0


def test_rotating_the_secret_replaces_it_and_is_audited(admin):
    subscription = services.subscription_create(actor=admin, name="CRM",
                                                url="https://crm.example.dk/",
                                                events=["activity.held"])
    old = subscription.secret

    new = services.subscription_rotate_secret(subscription=subscription, actor=admin)

    subscription.refresh_from_db()
    assert subscription.secret == new != old
    assert AuditEntry.objects.filter(
        action="klynge.api.webhook_subscription.secret_rotated",
        object_id=str(subscription.pk)).count() == 1


# --- the event mapping and delivery -------------------------------------------------------------


def test_creating_an_organisation_sends_one_signed_delivery_with_its_payload(
        admin, receiver, django_capture_on_commit_callbacks):
    subscription = subscribe(admin, receiver, ["organisation.created"])

    organisation = create_organisation(admin, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    entry = AuditEntry.objects.get(action="klynge.ecosystem.organisation.created")
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/hooks/klynge"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["X-Klynge-Event"] == "organisation.created"
    assert request["headers"]["X-Klynge-Delivery"] == str(delivery.uuid)
    assert verify(subscription.secret, request["headers"]["X-Klynge-Signature"], request["body"])
    assert not verify("whsec_other", request["headers"]["X-Klynge-Signature"], request["body"])
    payload = json.loads(request["body"])
    api_url = payload["object"].pop("api_url")
    assert api_url in (None, f"{BASE}/api/v1/organisations/{organisation.pk}/")
    assert payload == {
        "id": f"evt_{entry.pk}", "event": "organisation.created",
        "occurred_at": entry.timestamp.isoformat(), "delivery": str(delivery.uuid),
        "object": {"type": "organisation", "id": organisation.pk, "name": "Nordic Robotics ApS",
                   "cvr": None, "url": f"{BASE}/ecosystem/organisations/{organisation.pk}/"},
    }
    assert (delivery.status, delivery.attempts, delivery.response_code,
            delivery.response_excerpt, delivery.next_attempt_at, delivery.error) == (
        DeliveryStatus.SUCCEEDED, 1, 200, "thanks", None, "")
    assert delivery.duration_ms is not None


def test_a_changed_organisation_names_the_changed_fields(
        admin, receiver, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name="Old name ApS")
    subscribe(admin, receiver, ["organisation.changed"])

    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(organisation=organisation, actor=admin,
                            data={"name": "New name ApS", "city": "Aarhus N"})

    payload = json.loads(receiver.requests[0]["body"])
    assert (payload["event"], payload["object"]["name"], payload["object"]["changed_fields"]) == (
        "organisation.changed", "New name ApS", ["city", "name"])


def test_registrations_and_a_held_activity_become_their_events(
        admin, receiver, django_capture_on_commit_callbacks):
    subscribe(admin, receiver, ["registration.created", "registration.cancelled",
                                "activity.held"])
    activity = ActivityFactory(title="AI in production")
    person = PersonFactory()

    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(activity=activity, person=person, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        activity_mark_held(activity=activity, actor=admin)

    payloads = [json.loads(request["body"]) for request in receiver.requests]
    assert [payload["event"] for payload in payloads] == [
        "registration.created", "registration.cancelled", "activity.held"]
    created = payloads[0]["object"]
    assert (created["type"], created["id"], created["person_id"], created["activity"]["id"],
            created["activity"]["title"]) == (
        "registration", registration.pk, person.pk, activity.pk, "AI in production")
    assert payloads[1]["object"]["status"] == "cancelled"
    held = payloads[2]["object"]
    assert (held["type"], held["id"], held["status"], held["url"]) == (
        "activity", activity.pk, "held", f"{BASE}/activities/{activity.pk}/")
    assert "email" not in json.dumps(payloads)
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 3


def test_an_event_nobody_subscribed_to_creates_no_delivery(
        admin, receiver, django_capture_on_commit_callbacks):
    subscribe(admin, receiver, ["activity.held"])

    create_organisation(admin, django_capture_on_commit_callbacks)

    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_every_active_subscription_gets_its_own_delivery(
        admin, receiver, django_capture_on_commit_callbacks):
    first = subscribe(admin, receiver, ["organisation.created"])
    second = subscribe(admin, receiver, ["organisation.created", "activity.held"])

    create_organisation(admin, django_capture_on_commit_callbacks)

    deliveries = WebhookDelivery.objects.order_by("subscription_id")
    assert [d.subscription_id for d in deliveries] == [first.pk, second.pk]
    assert len({d.uuid for d in deliveries}) == 2
    signatures = {request["headers"]["X-Klynge-Delivery"]: request for request in
                  receiver.requests}
    assert verify(first.secret, signatures[str(deliveries[0].uuid)]["headers"][
        "X-Klynge-Signature"], signatures[str(deliveries[0].uuid)]["body"])
    assert verify(second.secret, signatures[str(deliveries[1].uuid)]["headers"][
        "X-Klynge-Signature"], signatures[str(deliveries[1].uuid)]["body"])


def test_a_disabled_subscription_gets_nothing(admin, receiver, django_capture_on_commit_callbacks):
    subscription = subscribe(admin, receiver, ["organisation.created"], is_active=False)

    create_organisation(admin, django_capture_on_commit_callbacks)
    out = StringIO()
    call_command("deliver_webhooks", stdout=out)

    assert WebhookDelivery.objects.filter(subscription=subscription).count() == 0
    assert receiver.requests == []
    assert out.getvalue() == "0 sent: 0 delivered, 0 to retry, 0 failed\n"


def test_pending_deliveries_wait_while_their_subscription_is_disabled(
        admin, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [500, 200]
    subscription = subscribe(admin, receiver, ["organisation.created"])
    create_organisation(admin, django_capture_on_commit_callbacks)
    services.subscription_set_active(subscription=subscription, actor=admin, active=False)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    call_command("deliver_webhooks", stdout=StringIO())
    assert len(receiver.requests) == 1

    services.subscription_set_active(subscription=subscription, actor=admin, active=True)
    call_command("deliver_webhooks", stdout=StringIO())

    assert len(receiver.requests) == 2
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_a_500_is_retried_on_the_backoff_schedule_then_failed(
        admin, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [500]
    subscribe(admin, receiver, ["organisation.created"])
    create_organisation(admin, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    delays = []
    outputs = []

    while delivery.status == DeliveryStatus.PENDING:
        delays.append(delivery.next_attempt_at - delivery.last_attempt_at)
        # the clock moves on: the next attempt is due
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1))
        out = StringIO()
        call_command("deliver_webhooks", stdout=out)
        outputs.append(out.getvalue())
        delivery.refresh_from_db()

    assert delays == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                      timedelta(hours=2), timedelta(hours=12)]
    assert (delivery.status, delivery.attempts, delivery.response_code,
            delivery.response_excerpt, delivery.next_attempt_at) == (
        DeliveryStatus.FAILED, 6, 500, "receiver is down", None)
    assert len(receiver.requests) == 6
    assert len({request["headers"]["X-Klynge-Delivery"] for request in receiver.requests}) == 1
    assert outputs[-1] == "1 sent: 0 delivered, 0 to retry, 1 failed\n"
    assert outputs[0] == "1 sent: 0 delivered, 1 to retry, 0 failed\n"
    call_command("deliver_webhooks", stdout=StringIO())
    assert len(receiver.requests) == 6


def test_a_retry_that_gets_2xx_is_delivered(admin, receiver, django_capture_on_commit_callbacks):
    receiver.statuses = [503, 204]
    subscribe(admin, receiver, ["organisation.created"])
    create_organisation(admin, django_capture_on_commit_callbacks)

    call_command("deliver_webhooks", stdout=StringIO())  # not due yet: nothing sent
    assert len(receiver.requests) == 1
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    call_command("deliver_webhooks", stdout=StringIO())

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code,
            delivery.next_attempt_at) == (DeliveryStatus.SUCCEEDED, 2, 204, None)


def test_an_unreachable_receiver_is_recorded_as_an_error_and_retried(
        admin, django_capture_on_commit_callbacks):
    closed = Receiver()
    url = closed.url
    closed.stop()
    services.subscription_create(actor=admin, name="gone", url=url,
                                 events=["organisation.created"])

    create_organisation(admin, django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.PENDING, 1, None)
    assert "refused" in delivery.error.lower()
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(minutes=1)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(admin, receiver):
    receiver.statuses = [302]
    subscription = subscribe(admin, receiver, ["activity.held"])

    delivery = services.delivery_send_test(subscription=subscription, actor=admin)

    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.PENDING, 1, 302)
    assert len(receiver.requests) == 1


def test_old_finished_deliveries_are_pruned(admin, receiver):
    subscription = subscribe(admin, receiver, ["activity.held"])
    old = services.delivery_send_test(subscription=subscription, actor=admin)
    recent = services.delivery_send_test(subscription=subscription, actor=admin)
    WebhookDelivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=91))
    out = StringIO()

    call_command("deliver_webhooks", "--prune-days", "90", stdout=out)

    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [recent.pk]
    assert out.getvalue().endswith("1 old deliveries deleted\n")


# --- signing ------------------------------------------------------------------------------------


def test_a_signature_is_refused_for_another_body_or_when_too_old():
    body = b'{"event":"ping"}'
    header = signature_header("whsec_abc", body, timestamp=1_700_000_000)

    assert verify("whsec_abc", header, body, now=1_700_000_100)
    assert not verify("whsec_abc", header, body + b" ", now=1_700_000_100)
    assert not verify("whsec_abc", header, body, now=1_700_000_301)
    assert not verify("whsec_abc", "v1=abc", body, now=1_700_000_100)
    assert header == ("t=1700000000,v1=" + __import__("hmac").new(
        b"whsec_abc", b"1700000000." + body, "sha256").hexdigest())


# --- pages --------------------------------------------------------------------------------------


def test_only_administrators_open_the_webhook_pages(client, db):
    for role in (Role.STAFF, Role.MANAGEMENT, Role.MEMBER, Role.GRANT_GIVER):
        client.force_login(user_with_role(role))
        assert client.get("/api/webhooks/").status_code == 403
    client.logout()
    assert client.get("/api/webhooks/").status_code == 302


def test_an_administrator_creates_a_subscription_and_sees_the_secret_once(admin_client):
    response = admin_client.post("/api/webhooks/new/", {
        "name": "Member CRM", "url": "https://crm.example.dk/hooks",
        "events": ["organisation.created", "registration.created"], "is_active": "on"})

    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/api/webhooks/{subscription.pk}/"
    first = admin_client.get(response["Location"]).content.decode()
    assert subscription.secret in first
    assert "Copy the secret now" in first
    second = admin_client.get(response["Location"]).content.decode()
    assert subscription.secret not in second
    assert subscription.secret[-4:] in second
    listing = admin_client.get("/api/webhooks/").content.decode()
    assert "Member CRM" in listing and "Organisation created, Registration created" in listing


def test_the_form_shows_the_rule_it_broke(admin_client):
    response = admin_client.post("/api/webhooks/new/", {
        "name": "CRM", "url": "http://crm.example.dk/hooks", "events": ["activity.held"]})

    assert response.status_code == 200
    assert "The URL must use https" in response.content.decode()
    assert WebhookSubscription.objects.count() == 0


def test_an_administrator_edits_disables_and_deletes_a_subscription(admin_client):
    subscription = services.subscription_create(
        actor=admin_client.user, name="CRM", url="https://crm.example.dk/",
        events=["activity.held"])

    admin_client.post(f"/api/webhooks/{subscription.pk}/edit/", {
        "name": "CRM sync", "url": "https://crm.example.dk/v2", "events": ["activity.held"],
        "is_active": "on"})
    admin_client.post(f"/api/webhooks/{subscription.pk}/toggle/")
    subscription.refresh_from_db()
    assert (subscription.name, subscription.url, subscription.is_active) == (
        "CRM sync", "https://crm.example.dk/v2", False)

    confirm = admin_client.get(f"/api/webhooks/{subscription.pk}/delete/")
    assert "Delete the subscription “CRM sync”?" in confirm.content.decode()
    assert WebhookSubscription.objects.count() == 1
    response = admin_client.post(f"/api/webhooks/{subscription.pk}/delete/")

    assert response["Location"] == "/api/webhooks/"
    assert WebhookSubscription.objects.count() == 0
    assert list(AuditEntry.objects.filter(object_id=str(subscription.pk),
                                          action__startswith="klynge.api.webhook_subscription")
                .order_by("id").values_list("action", flat=True)) == [
        "klynge.api.webhook_subscription.created", "klynge.api.webhook_subscription.updated",
        "klynge.api.webhook_subscription.disabled", "klynge.api.webhook_subscription.deleted"]


def test_send_a_test_event_from_the_page(admin_client, receiver):
    subscription = subscribe(admin_client.user, receiver, ["activity.held"])

    response = admin_client.post(f"/api/webhooks/{subscription.pk}/test/", follow=True)

    assert "Delivered: the receiver answered 200." in response.content.decode()
    payload = json.loads(receiver.requests[0]["body"])
    assert (payload["event"], payload["object"]) == (
        "ping", {"type": "subscription", "id": subscription.pk, "name": "Member CRM"})
    assert WebhookDelivery.objects.get().event == "ping"


def test_a_disabled_subscription_refuses_a_test_event(admin_client, receiver):
    subscription = subscribe(admin_client.user, receiver, ["activity.held"], is_active=False)

    response = admin_client.post(f"/api/webhooks/{subscription.pk}/test/", follow=True)

    assert "Enable the subscription before sending anything to it." in response.content.decode()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_send_again_restarts_a_failed_delivery(admin_client, receiver):
    receiver.statuses = [500, 500, 200]
    subscription = subscribe(admin_client.user, receiver, ["activity.held"])
    delivery = services.delivery_send_test(subscription=subscription, actor=admin_client.user)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED,
                                                          attempts=6, next_attempt_at=None)
    url = f"/api/webhooks/{subscription.pk}/deliveries/{delivery.pk}/resend/"

    first = admin_client.post(url, follow=True).content.decode()
    assert "Not delivered (500). It will be tried again" in first
    admin_client.post(url)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        DeliveryStatus.SUCCEEDED, 1, 200)
    assert len({request["headers"]["X-Klynge-Delivery"] for request in receiver.requests}) == 1
    assert AuditEntry.objects.filter(action="klynge.api.webhook_delivery.resent").count() == 2


def test_the_delivery_log_filters_by_status_and_shows_one_delivery(admin_client, receiver):
    receiver.statuses = [500, 200]
    subscription = subscribe(admin_client.user, receiver, ["activity.held"])
    failing = services.delivery_send_test(subscription=subscription, actor=admin_client.user)
    services.delivery_send_test(subscription=subscription, actor=admin_client.user)

    retrying = admin_client.get(f"/api/webhooks/{subscription.pk}/?status=pending")
    delivered = admin_client.get(f"/api/webhooks/{subscription.pk}/?status=succeeded")
    detail = admin_client.get(f"/api/webhooks/{subscription.pk}/deliveries/{failing.pk}/")

    assert [d.pk for d in retrying.context["listing"].rows] == [failing.pk]
    assert len(delivered.context["listing"].rows) == 1
    assert retrying.context["counts"] == {"pending": 1, "succeeded": 1, "failed": 0}
    assert "Retrying" in retrying.content.decode()
    page = detail.content.decode()
    assert str(failing.uuid) in page and "receiver is down" in page


def test_the_delivery_log_is_empty_before_anything_is_sent(admin_client):
    subscription = services.subscription_create(
        actor=admin_client.user, name="CRM", url="https://crm.example.dk/",
        events=["activity.held"])

    page = admin_client.get(f"/api/webhooks/{subscription.pk}/").content.decode()

    assert "Nothing sent yet." in page


def test_a_delivery_of_another_subscription_is_not_found(admin_client, receiver):
    first = subscribe(admin_client.user, receiver, ["activity.held"])
    second = subscribe(admin_client.user, receiver, ["activity.held"])
    delivery = services.delivery_send_test(subscription=first, actor=admin_client.user)

    assert admin_client.get(
        f"/api/webhooks/{second.pk}/deliveries/{delivery.pk}/").status_code == 404


# --- the health probe ---------------------------------------------------------------------------


def test_the_health_probe_answers_without_the_database(client):
    # no `db` fixture: any query would raise
    response = client.get("/api/health/")
    head = client.head("/api/health/")

    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert "no-cache" in response["Cache-Control"]
    assert head.status_code == 200
