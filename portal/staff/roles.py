"""Staff roles: Django groups, and the one check every staff view makes.

- support: reads every staff page, changes nothing;
- finance: support, plus settles disputed CDRs (and later issues invoices and credit notes);
- operations: support, plus partners (pull, push, rotate, suspend), tariffs, drivers and tokens.

A superuser holds every role. A logged-in user with none of them is a driver.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

SUPPORT = "support"
FINANCE = "finance"
OPERATIONS = "operations"
ROLES = (SUPPORT, FINANCE, OPERATIONS)


def user_roles(user) -> frozenset[str]:
    """The staff roles of a user, computed once per request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(ROLES)
        else:
            cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def is_staff_member(user) -> bool:
    return bool(user_roles(user))


def staff_view(role: str | None = None):
    """Decorate a staff view: anonymous users go to the login page; a user without any staff
    role, or without `role` when one is named, gets the 403 page."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            roles = user_roles(request.user)
            if not roles or (role is not None and role not in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.staff_role = role or SUPPORT
        return wrapped

    return decorate


def staff_roles(request) -> dict:
    """Template context: `roles`, the reader's staff roles (empty for drivers and visitors)."""
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    return {
        "roles": roles,
        "is_staff_member": bool(roles),
        "can_finance": FINANCE in roles,
        "can_operate": OPERATIONS in roles,
    }
