"""Signing webhook requests, and checking a signature the way a receiver does.

Header: `X-Klynge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed
with the subscription's secret. The time inside the signed text lets a receiver refuse old
requests replayed by someone who captured one (docs/api.md, "Webhooks").
"""

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Klynge-Signature"
DEFAULT_TOLERANCE = 300  # seconds a receiver should accept between signing and receiving


def new_secret() -> str:
    """A fresh secret: 32 random bytes, URL-safe text with a recognisable prefix."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>"."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The X-Klynge-Signature value for a body signed now (or at `timestamp`)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, body, timestamp)}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = DEFAULT_TOLERANCE,
           now: float | None = None) -> bool:
    """Whether `header` signs `body` with `secret`, no more than `tolerance` seconds ago."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, body, timestamp), parts.get("v1", ""))
