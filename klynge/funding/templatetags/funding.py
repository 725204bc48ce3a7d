"""Template helpers of the funding pages."""

from django import template
from django.urls import NoReverseMatch

from klynge.funding.messages import percent as _percent

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.4 as "40 %"; None as a dash."""
    return _percent(None if value is None or value == "" else float(value))


@register.filter
def url_of(obj) -> str:
    """The record's page, or "" while the page does not exist (yet)."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""
