"""Identifiers of organisations: the Danish CVR number and foreign VAT numbers.

Pure functions; the messages are returned as (code, text) so callers can translate them.
"""

from dataclasses import dataclass

from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError


@dataclass(frozen=True)
class CvrCheck:
    """The outcome of checking a CVR number: the clean 8 digits, or why it is wrong."""

    value: str | None
    error: str | None  # "format", "length", "checksum" or None


def check_cvr(raw: str | None) -> CvrCheck:
    """Clean and check a CVR number by the modulus-11 rule.

    Accepts the forms people type: spaces, a "DK" prefix (a Danish VAT number is DK + CVR),
    dashes. An empty value is no CVR (not an error).
    """
    text = (raw or "").strip().upper().replace(" ", "").replace("-", "").replace(".", "")
    if text.startswith("DK"):
        text = text[2:]
    if not text:
        return CvrCheck(None, None)
    try:
        return CvrCheck(stdnum_cvr.validate(text), None)
    except InvalidLength:
        return CvrCheck(None, "length")
    except InvalidFormat:
        return CvrCheck(None, "format")
    except InvalidChecksum:
        return CvrCheck(None, "checksum")
    except ValidationError:
        return CvrCheck(None, "format")


def cvr_from_vat(vat: str | None) -> str | None:
    """The CVR number inside a Danish VAT number (DK12345678), if it is a valid one."""
    text = (vat or "").strip().upper().replace(" ", "")
    if not text.startswith("DK"):
        return None
    return check_cvr(text).value


def cvr_check_digit_for(seven_digits: str) -> str | None:
    """Complete seven digits to a valid CVR number, or None when no digit can (mod 11 = 10).

    Used by the demo to make plausible, valid numbers.
    """
    weights = (2, 7, 6, 5, 4, 3, 2)
    total = sum(int(d) * w for d, w in zip(seven_digits, weights, strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        return None
    return f"{seven_digits}{check}"
