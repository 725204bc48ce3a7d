"""The grant rules' verdicts in words: message codes (klynge.funding.domain.rules) to text.

Each text says what the rule asks and, when it is not met, what is still needed, so a
planner reads "Needs a knowledge institution" rather than a red dot.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.ecosystem.choices import Region
from klynge.funding.choices import ActivityType
from klynge.funding.domain.rules import Verdict


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    rounded = (Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, decimal_pos=0)} %"


def _type_label(code: str) -> str:
    try:
        return str(ActivityType(code).label)
    except ValueError:
        return code


def _regions(codes) -> str:
    return ", ".join(str(Region(code).label) for code in codes)


def _money(value) -> str:
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number_format(rounded, decimal_pos=0, use_l10n=True, force_grouping=True)} DKK"


def _type_eligible(p):
    return _("The activity type “%(type)s” is eligible.") % {"type": _type_label(p["type"])}


def _type_not_eligible(p):
    return _("The activity type “%(type)s” is not eligible for this grant.") % {
        "type": _type_label(p["type"])
    }


def _has_knowledge_institutions(p):
    return ngettext(
        "Has %(count)d knowledge institution (needs %(required)d).",
        "Has %(count)d knowledge institutions (needs %(required)d).", p["count"],
    ) % p


def _needs_knowledge_institutions(p):
    if p["count"] == 0:
        return ngettext(
            "Needs a knowledge institution.", "Needs %(missing)d knowledge institutions.",
            p["missing"],
        ) % p
    return ngettext(
        "Needs %(missing)d more knowledge institution.",
        "Needs %(missing)d more knowledge institutions.", p["missing"],
    ) % p


def _has_companies(p):
    return ngettext(
        "Has %(count)d company (needs %(required)d).",
        "Has %(count)d companies (needs %(required)d).", p["count"],
    ) % p


def _needs_companies(p):
    if p["count"] == 0:
        return ngettext("Needs a company.", "Needs %(missing)d companies.", p["missing"]) % p
    return ngettext(
        "Needs %(missing)d more company.", "Needs %(missing)d more companies.", p["missing"]
    ) % p


def _has_actors(p):
    return ngettext(
        "Has %(count)d actor (needs %(required)d).",
        "Has %(count)d actors (needs %(required)d).", p["count"],
    ) % p


def _needs_actors(p):
    if p["count"] == 0:
        return ngettext(
            "Needs an actor (an organisation taking part).",
            "Needs %(missing)d actors (organisations taking part).", p["missing"],
        ) % p
    return ngettext(
        "Needs %(missing)d more actor (organisation taking part).",
        "Needs %(missing)d more actors (organisations taking part).", p["missing"],
    ) % p


def _spend_words(p) -> dict:
    return {"share": percent(p.get("share")), "required": percent(p["required"]),
            "amount": _money(p["amount"]), "total": _money(p["total"])}


def _knowledge_spend_ok(p):
    return _(
        "Knowledge institutions spent %(share)s of the money (%(amount)s of %(total)s), "
        "more than the required %(required)s."
    ) % _spend_words(p)


def _knowledge_spend_low(p):
    return _(
        "Knowledge institutions spent only %(share)s of the money (%(amount)s of %(total)s); "
        "more than %(required)s is required."
    ) % _spend_words(p)


def _knowledge_spend_none(p):
    return _(
        "No costs or hours are recorded yet; knowledge institutions must spend more than "
        "%(required)s of the money."
    ) % _spend_words(p)


def _regions_all(p):
    return _("Participants come from all five regions.")


def _regions_missing(p):
    return ngettext(
        "No participants yet from %(count)d region: %(regions)s.",
        "No participants yet from %(count)d regions: %(regions)s.", len(p["missing"]),
    ) % {"count": len(p["missing"]), "regions": _regions(p["missing"])}


def _share_words(p) -> dict:
    return {"share": percent(p.get("share")), "required": percent(p["required"]),
            "count": p["count"], "total": p["total"]}


def _green_ok(p):
    if p["required"] <= 0:
        return _("%(count)d of %(total)d activities (%(share)s) have a green focus.") % (
            _share_words(p)
        )
    return _(
        "%(count)d of %(total)d activities (%(share)s) have a green focus; at least "
        "%(required)s is required."
    ) % _share_words(p)


def _green_low(p):
    return _(
        "Only %(count)d of %(total)d activities (%(share)s) have a green focus; at least "
        "%(required)s is required."
    ) % _share_words(p)


def _green_none(p):
    return _("No activities yet, so no green share.")


def _innovation_ok(p):
    return _(
        "%(count)d of %(total)d activities (%(share)s) are tied to concrete innovation "
        "projects; at least %(required)s is required."
    ) % _share_words(p)


def _innovation_low(p):
    return _(
        "Only %(count)d of %(total)d activities (%(share)s) are tied to concrete innovation "
        "projects; at least %(required)s is required."
    ) % _share_words(p)


def _innovation_none(p):
    return _(
        "No activities yet; at least %(required)s must be tied to concrete innovation projects."
    ) % _share_words(p)


MESSAGES = {
    "type_eligible": _type_eligible,
    "type_not_eligible": _type_not_eligible,
    "has_knowledge_institutions": _has_knowledge_institutions,
    "needs_knowledge_institutions": _needs_knowledge_institutions,
    "has_companies": _has_companies,
    "needs_companies": _needs_companies,
    "has_actors": _has_actors,
    "needs_actors": _needs_actors,
    "knowledge_spend_ok": _knowledge_spend_ok,
    "knowledge_spend_low": _knowledge_spend_low,
    "knowledge_spend_none": _knowledge_spend_none,
    "regions_all": _regions_all,
    "regions_missing": _regions_missing,
    "green_ok": _green_ok,
    "green_low": _green_low,
    "green_none": _green_none,
    "innovation_ok": _innovation_ok,
    "innovation_low": _innovation_low,
    "innovation_none": _innovation_none,
}


def message_for(verdict: Verdict) -> str:
    """The verdict in the active language."""
    return MESSAGES[verdict.code](verdict.params)
