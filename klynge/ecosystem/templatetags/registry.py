"""Template filters for registry values that arrive as raw codes (annotations)."""

from django import template

from klynge.ecosystem.choices import MembershipStatus

register = template.Library()


@register.filter
def membership_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        return MembershipStatus(code).label
    except ValueError:
        return code
