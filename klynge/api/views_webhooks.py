"""Webhook pages (administrators): subscriptions, their delivery log, test and resend."""

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klynge.api import webhooks_selectors as selectors
from klynge.api import webhooks_services as services
from klynge.api.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from klynge.api.webhooks_forms import DeliveryFilterForm, SubscriptionForm
from klynge.core.audit import audit_entries_for
from klynge.core.errors import ApplicationError
from klynge.core.listing import paginate
from klynge.core.permissions import access
from klynge.core.roles import Role

ADMINISTRATORS = {Role.ADMINISTRATOR}
# The secret is shown once, on the page right after it was generated (then only its end).
SHOWN_SECRET = "klynge_webhook_secret"


def _apply_error(form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _outcome_message(request, delivery: WebhookDelivery) -> None:
    if delivery.status == DeliveryStatus.SUCCEEDED:
        messages.success(request, _("Delivered: the receiver answered %(code)s.")
                         % {"code": delivery.response_code})
        return
    answer = delivery.response_code or delivery.error or _("no answer")
    if delivery.status == DeliveryStatus.PENDING:
        messages.error(request, _("Not delivered (%(answer)s). It will be tried again at "
                                  "%(when)s.") % {"answer": answer,
                                                  "when": date_format(localtime(
                                                      delivery.next_attempt_at),
                                                      "DATETIME_FORMAT")})
    else:
        messages.error(request, _("Not delivered (%(answer)s).") % {"answer": answer})


@access(ADMINISTRATORS)
def webhook_list(request):
    return render(request, "api/webhook_list.html",
                  {"subscriptions": selectors.subscription_list()})


@access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscription_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            request.session[SHOWN_SECRET] = [subscription.pk, subscription.secret]
            messages.success(request, _("The subscription “%(name)s” was created.")
                             % {"name": subscription.name})
            return redirect("api:webhook_detail", pk=subscription.pk)
    return render(request, "api/webhook_form.html", {"form": form})


@access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    initial = {"name": subscription.name, "url": subscription.url,
               "events": subscription.events, "is_active": subscription.is_active}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(subscription=subscription, actor=request.user,
                                         **form.cleaned_data)
        except ApplicationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The subscription “%(name)s” was saved.")
                             % {"name": subscription.name})
            return redirect("api:webhook_detail", pk=subscription.pk)
    return render(request, "api/webhook_form.html", {"form": form, "subscription": subscription})


@access(ADMINISTRATORS)
def webhook_detail(request, pk: int):
    """The subscription and its delivery log, filtered by status and event, 50 a page."""
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    filters = DeliveryFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    deliveries = selectors.delivery_list(subscription, status=chosen.get("status", ""),
                                         event=chosen.get("event", ""))
    shown = request.session.pop(SHOWN_SECRET, None)
    return render(request, "api/webhook_detail.html", {
        "subscription": subscription, "filters": filters,
        "listing": paginate(request, deliveries),
        "counts": selectors.delivery_counts(subscription),
        "secret": shown[1] if shown and shown[0] == subscription.pk else None,
        "audit": audit_entries_for(subscription, limit=20),
    })


@access(ADMINISTRATORS)
@require_POST
def webhook_toggle(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    services.subscription_set_active(subscription=subscription, actor=request.user,
                                     active=not subscription.is_active)
    messages.success(request, _("The subscription is enabled.") if subscription.is_active
                     else _("The subscription is disabled: it receives nothing until enabled."))
    return redirect("api:webhook_detail", pk=subscription.pk)


@access(ADMINISTRATORS)
@require_POST
def webhook_rotate_secret(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    secret = services.subscription_rotate_secret(subscription=subscription, actor=request.user)
    request.session[SHOWN_SECRET] = [subscription.pk, secret]
    messages.success(request, _("A new secret was generated; the old one no longer signs "
                                "requests."))
    return redirect("api:webhook_detail", pk=subscription.pk)


@access(ADMINISTRATORS)
@require_http_methods(["GET", "POST"])
def webhook_delete(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    if request.method == "POST":
        name = subscription.name
        services.subscription_delete(subscription=subscription, actor=request.user)
        messages.success(request, _("The subscription “%(name)s” was deleted.") % {"name": name})
        return redirect("api:webhook_list")
    return render(request, "api/webhook_confirm_delete.html", {
        "subscription": subscription, "deliveries": subscription.deliveries.count()})


@access(ADMINISTRATORS)
@require_POST
def webhook_send_test(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    try:
        delivery = services.delivery_send_test(subscription=subscription, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        _outcome_message(request, delivery)
    return redirect("api:webhook_detail", pk=subscription.pk)


@access(ADMINISTRATORS)
@require_POST
def webhook_delivery_resend(request, pk: int, delivery_pk: int):
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("subscription"),
                                 pk=delivery_pk, subscription_id=pk)
    try:
        delivery = services.delivery_resend(delivery=delivery, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        _outcome_message(request, delivery)
    return redirect("api:webhook_delivery", pk=pk, delivery_pk=delivery.pk)


@access(ADMINISTRATORS)
def webhook_delivery(request, pk: int, delivery_pk: int):
    """One delivery: its payload as sent and the latest answer."""
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("subscription"),
                                 pk=delivery_pk, subscription_id=pk)
    return render(request, "api/webhook_delivery.html", {
        "delivery": delivery, "subscription": delivery.subscription,
        "body": json.dumps(delivery.payload, indent=2, sort_keys=True, ensure_ascii=False),
    })
