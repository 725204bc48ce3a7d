"""Small helpers shared by the registry's views."""

from django.contrib import messages

from klynge.core.errors import ApplicationError


def apply_error(form, error: ApplicationError) -> None:
    """Show a service's error on the form field it names, or on the form as a whole."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def default_hub_params(request):
    """Staff lists start filtered to the staff member's hub; management sees every hub.

    An explicit choice (including "All hubs", an empty value) wins over the default.
    """
    params = request.GET.copy()
    user = request.user
    if "hub" not in params and user.hub_id and not user.sees_all_hubs:
        params["hub"] = str(user.hub_id)
    return params


def flash_saved(request, text) -> None:
    messages.success(request, text)
