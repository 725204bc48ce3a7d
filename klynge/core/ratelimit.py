"""Rate limits for what anonymous visitors can do: public forms and links that carry a token.

Guessing is the attack: addresses on a public sign-up form ("is this person registered?"),
tokens in invitation, cancellation, survey and unsubscribe links. A visitor address gets
KLYNGE_PUBLIC_RATE_LIMIT counted requests per KLYNGE_PUBLIC_RATE_WINDOW seconds, then 429
until the window ends. Counted are POSTs to a public form (per page, so per activity), and
*refused* token links (per kind of link): a crowd on one venue's Wi-Fi answering a survey with
valid links is never stopped, a script trying tokens is.
Counts live in Django's cache (per process with the default local-memory cache; a shared cache
makes them cluster-wide, see docs/operations.md "Security").

`client_ip` is the one place that decides who a visitor is, for these limits and for
django-axes (AXES_CLIENT_IP_CALLABLE): behind KLYNGE_PROXY_COUNT trusted reverse proxies it is
the address the outermost trusted proxy saw, never a value the client could forge.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The visitor's address: REMOTE_ADDR, or the proxies' X-Forwarded-For entry."""
    proxies = getattr(settings, "KLYNGE_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    # Each trusted proxy appends the address it saw; the client may have sent anything before.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return forwarded[0] if forwarded else remote


def _key(bucket: str, window: int) -> tuple[str, int]:
    now = int(time.time())
    start = now - now % window
    return f"klynge:ratelimit:{bucket}:{start}", start + window - now


def consume(bucket: str, *, limit: int, window: int) -> int | None:
    """Count one request in `bucket`; None while under `limit`, else seconds until it resets."""
    key, remaining = _key(bucket, window)
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    return max(1, remaining) if count > limit else None


def exceeded(bucket: str, *, limit: int, window: int) -> int | None:
    """Whether `bucket` already holds `limit` counts: seconds until it resets, else None."""
    key, remaining = _key(bucket, window)
    return max(1, remaining) if (cache.get(key) or 0) >= limit else None


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked login (AXES_LOCKOUT_CALLABLE): a page that says why,
    for how long, and how to get back in; 429, like the other limits."""
    from axes.helpers import get_cool_off
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "core/lockout.html", context, status=429)
