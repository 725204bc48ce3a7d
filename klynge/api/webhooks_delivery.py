"""Sending one webhook request over HTTP (urllib, 5 s timeout, redirects not followed)."""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from klynge.api.webhooks_signing import SIGNATURE_HEADER, signature_header

TIMEOUT_SECONDS = 5
EXCERPT_CHARS = 1000
USER_AGENT = "Klynge-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What came back: the status code (None when no answer came), its body's start, the
    reason when the request failed before an answer, and how long it took."""

    code: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET without the body: the receiver must give its
    # final URL, so a 3xx answer counts as a failure.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def encode(payload: dict) -> bytes:
    """The request body: compact JSON, keys sorted, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def post(url: str, *, body: bytes, secret: str, event: str, delivery_id: str) -> Outcome:
    """POST the signed body to url; never raises for network or HTTP failures."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Klynge-Event": event,
        "X-Klynge-Delivery": delivery_id,
        SIGNATURE_HEADER: signature_header(secret, body),
    })
    start = time.perf_counter()
    code, excerpt, error = None, "", ""
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            code = response.status
            excerpt = _read(response)
    except urllib.error.HTTPError as exc:
        code, excerpt = exc.code, _read(exc)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        error = (str(reason) or type(exc).__name__)[:255]
    duration_ms = int(round(1000 * (time.perf_counter() - start)))
    return Outcome(code=code, excerpt=excerpt, error=error, duration_ms=duration_ms)


def _read(response) -> str:
    try:
        data = response.read(EXCERPT_CHARS * 4)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
