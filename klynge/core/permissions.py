"""Who may use which page: every view declares it, and AccessMiddleware enforces it.

A view without a declaration is refused (fail closed), and the URL-walk test fails for it,
so a new page cannot ship without saying who it is for.

    @access(CLUSTER_TEAM)
    def organisation_list(request): ...

    @access(PUBLIC)
    def directory(request): ...
"""

from collections.abc import Callable, Iterable
from functools import wraps

from klynge.core.roles import Role

PUBLIC = "public"

ATTRIBUTE = "klynge_access"


def access(*groups: Iterable[str] | str) -> Callable:
    """Declare the roles (or PUBLIC) that may use a view."""
    roles: set[str] = set()
    for group in groups:
        roles.update([group] if isinstance(group, str) else group)
    declared = frozenset(str(role) for role in roles)

    def decorate(view: Callable) -> Callable:
        setattr(view, ATTRIBUTE, declared)
        return view

    return decorate


def declared_access(view: Callable) -> frozenset[str] | None:
    """The roles a view declared, looking through wrappers such as login_required."""
    seen = view
    while seen is not None:
        if hasattr(seen, ATTRIBUTE):
            return getattr(seen, ATTRIBUTE)
        # The class first: a REST framework viewset's view wraps `dispatch`, not the class.
        seen = (getattr(seen, "cls", None) or getattr(seen, "view_class", None)
                or getattr(seen, "__wrapped__", None))
    return None


def is_api_view(view: Callable) -> bool:
    """Whether a view is a REST framework view (its access is checked after authentication)."""
    from rest_framework.views import APIView

    target = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return isinstance(target, type) and issubclass(target, APIView)


def user_may(user, declared: frozenset[str]) -> bool:
    """Whether a signed-in user's role grants one of the declared roles."""
    if PUBLIC in declared:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.MEMBER:
        return Role.MEMBER in declared and user.has_member_access()
    return user.role in declared


def requires(view: Callable, roles: Iterable[str]) -> Callable:
    """Wrap a third-party view (e.g. the admin) so it carries a declaration."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    setattr(wrapper, ATTRIBUTE, frozenset(str(r) for r in roles))
    return wrapper
