"""The staff portal: dashboard, partner connections, the handshake form and partner actions."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ocpi.credentials.ownership import PartyMoveError, party_move
from ocpi.credentials.services import (
    HandshakeError,
    connection_credentials_rotate,
    connection_register,
    connection_token_a_issue,
    connection_unregister,
)
from ocpi.endpoints import versions_url
from ocpi.models import Connection
from ocpi.sync.selectors import recent_push_deliveries
from portal.web import selectors
from portal.web.forms import HandshakeForm, PartyMoveForm, TokenAForm
from portal.web.services import ConnectionStateError, connection_resume, connection_suspend


def staff_required(view):
    """Anonymous users go to the login page; logged-in users who are not staff get a 403."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Staff only")
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def home(request):
    """Staff see the dashboard; a driver sees their tokens and charging sessions."""
    if request.user.is_staff:
        return render(request, "portal/home.html", {"dashboard": selectors.dashboard()})
    context = {
        "tokens": selectors.driver_tokens(user=request.user),
        "charges": selectors.driver_charges(user=request.user),
    }
    return render(request, "portal/driver.html", context)


def _partners_page(request, *, handshake_form=None, token_a_form=None, issued=None, status=200):
    context = {
        "connections": selectors.connection_list(),
        "handshake_form": handshake_form or HandshakeForm(),
        "token_a_form": token_a_form or TokenAForm(),
        "issued": issued,
        "versions_url": versions_url(),
    }
    return render(request, "portal/partners.html", context, status=status)


@staff_required
def partners(request):
    return _partners_page(request)


@staff_required
@require_POST
def partner_handshake(request):
    form = HandshakeForm(request.POST)
    if not form.is_valid():
        return _partners_page(request, handshake_form=form, status=400)
    try:
        connection = connection_register(
            versions_url=form.cleaned_data["versions_url"],
            token_a=form.cleaned_data["token_a"],
            name=form.cleaned_data["name"] or None,
            plain_token=form.cleaned_data["plain_token"],
        )
    except HandshakeError as exc:
        form.add_error(None, f"Handshake failed at step “{exc.step}”: {exc.message}")
        return _partners_page(request, handshake_form=form, status=400)
    messages.success(request, f"Registered with {connection.name}.")
    return redirect("portal:partner", connection_id=connection.pk)


@staff_required
@require_POST
@never_cache
def partner_token_a(request):
    """Issue a token A; the answer shows it once (and no cache keeps it)."""
    form = TokenAForm(request.POST)
    if not form.is_valid():
        return _partners_page(request, token_a_form=form, status=400)
    connection, token = connection_token_a_issue(name=form.cleaned_data["name"])
    return _partners_page(request, issued={"connection": connection, "token": token})


def _connection_or_404(connection_id: int) -> Connection:
    try:
        return selectors.connection_get(connection_id=connection_id)
    except Connection.DoesNotExist:
        raise Http404("No such partner") from None


def _partner_page(request, connection: Connection, *, move_form=None, status=200):
    context = {
        "connection": connection,
        "traffic": selectors.connection_traffic_page(
            connection=connection, page_number=request.GET.get("page")
        ),
        "sync_states": selectors.connection_sync_states(connection=connection),
        "deliveries": recent_push_deliveries(connection=connection),
        "warnings": selectors.connection_warnings(connection=connection),
        "move_form": move_form or PartyMoveForm(),
    }
    return render(request, "portal/partner.html", context, status=status)


@staff_required
def partner(request, connection_id: int):
    return _partner_page(request, _connection_or_404(connection_id))


@staff_required
@require_POST
def partner_move_party(request, connection_id: int):
    """Give a party to this partner, taking it from the connection that holds it (audited)."""
    connection = _connection_or_404(connection_id)
    form = PartyMoveForm(request.POST)
    if form.is_valid():
        country_code, party_id = form.cleaned_data["party"]
        try:
            moves = party_move(
                country_code=country_code,
                party_id=party_id,
                role=form.cleaned_data["role"],
                to_connection=connection,
                reason=form.cleaned_data["reason"],
                moved_by=request.user.get_username(),
            )
        except PartyMoveError as exc:
            form.add_error(None, str(exc))
        else:
            moved = ", ".join(f"{move.code} {move.role}" for move in moves)
            messages.success(request, f"Moved to {connection.name}: {moved}.")
            return redirect("portal:partner", connection_id=connection.pk)
    return _partner_page(request, connection, move_form=form, status=400)


def _rotate(connection: Connection) -> str:
    connection_credentials_rotate(connection=connection)
    return "Credentials rotated: both sides now use new tokens."


def _suspend(connection: Connection) -> str:
    connection_suspend(connection=connection)
    return "Suspended: no traffic either way until resumed."


def _resume(connection: Connection) -> str:
    connection_resume(connection=connection)
    return "Resumed."


def _unregister(connection: Connection) -> str:
    connection_unregister(connection=connection)
    return "Unregistered: the partner's credentials and ours are gone."


PARTNER_ACTIONS = {
    "rotate": _rotate,
    "suspend": _suspend,
    "resume": _resume,
    "unregister": _unregister,
}


@staff_required
@require_POST
def partner_action(request, connection_id: int, action: str):
    if action not in PARTNER_ACTIONS:
        raise Http404("No such action")
    connection = _connection_or_404(connection_id)
    try:
        messages.success(request, PARTNER_ACTIONS[action](connection))
    except HandshakeError as exc:
        messages.error(request, f"{action.capitalize()} failed at step “{exc.step}”: {exc.message}")
    except ConnectionStateError as exc:
        messages.error(request, str(exc))
    return redirect("portal:partner", connection_id=connection.pk)
