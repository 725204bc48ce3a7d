"""Template helpers for list pages: sortable column headers and page links."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, field: str, label: str):
    """A column header that sorts by `field`, and the other way round on a second click."""
    request = context["request"]
    current = request.GET.get("ordering", "") or context.get("default_ordering", "")
    if current == field:
        target, arrow = f"-{field}", " ▲"
    elif current == f"-{field}":
        target, arrow = field, " ▼"
    else:
        target, arrow = field, ""
    params = request.GET.copy()
    params["ordering"] = target
    params.pop("page", None)
    return format_html(
        '<a href="?{}">{}{}</a>', params.urlencode(), label, arrow
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int):
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str):
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["format"] = fmt
    return "?" + params.urlencode()
