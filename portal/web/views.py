"""Partner connections (list, handshake, token A, actions), and where "/" leads each user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ocpi.check import PartnerCheckNotPossible, partner_check_request
from ocpi.credentials.ownership import PartyMoveError, party_move
from ocpi.credentials.services import (
    HandshakeError,
    connection_credentials_rotate,
    connection_register,
    connection_token_a_issue,
    connection_unregister,
)
from ocpi.endpoints import versions_url
from ocpi.models import Connection, PartnerCheck
from ocpi.sync.selectors import recent_push_deliveries
from portal.staff.roles import OPERATIONS, is_staff_member, staff_view
from portal.staff.services import StaffActionError, connection_pull_now, connection_push_now
from portal.staff.wording import handshake_error_in_words
from portal.web import selectors
from portal.web.forms import HandshakeForm, PartyMoveForm, TokenAForm
from portal.web.services import ConnectionStateError, connection_resume, connection_suspend


@login_required
def home(request):
    """Staff go to the back office's dashboard, drivers to their own space."""
    if is_staff_member(request.user):
        return redirect("staff:dashboard")
    return redirect("driver:sessions")


def _partners_page(request, *, handshake_form=None, token_a_form=None, issued=None, status=200):
    context = {
        "connections": selectors.connection_list(),
        "handshake_form": handshake_form or HandshakeForm(),
        "token_a_form": token_a_form or TokenAForm(),
        "issued": issued,
        "versions_url": versions_url(),
    }
    return render(request, "portal/partners.html", context, status=status)


@staff_view()
def partners(request):
    return _partners_page(request)


@staff_view(OPERATIONS)
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
        form.add_error(None, handshake_error_in_words(exc))
        return _partners_page(request, handshake_form=form, status=400)
    messages.success(request, _("Registered with %(name)s.") % {"name": connection.name})
    return redirect("portal:partner", connection_id=connection.pk)


@staff_view(OPERATIONS)
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
        "latest_check": selectors.connection_latest_check(connection=connection),
    }
    return render(request, "portal/partner.html", context, status=status)


@staff_view()
def partner(request, connection_id: int):
    return _partner_page(request, _connection_or_404(connection_id))


@staff_view(OPERATIONS)
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
            messages.success(
                request,
                _("Moved to %(name)s: %(parties)s.") % {"name": connection.name, "parties": moved},
            )
            return redirect("portal:partner", connection_id=connection.pk)
    return _partner_page(request, connection, move_form=form, status=400)


def _rotate(connection: Connection) -> str:
    connection_credentials_rotate(connection=connection)
    return _("Credentials rotated: both sides now use new tokens.")


def _suspend(connection: Connection) -> str:
    connection_suspend(connection=connection)
    return _("Suspended: no traffic either way until resumed.")


def _resume(connection: Connection) -> str:
    connection_resume(connection=connection)
    return _("Resumed.")


def _unregister(connection: Connection) -> str:
    connection_unregister(connection=connection)
    return _("Unregistered: the partner's credentials and ours are gone.")


def _pull(connection: Connection) -> str:
    modules = connection_pull_now(connection=connection)
    return _("Pull started for %(modules)s.") % {"modules": ", ".join(modules)}


def _push(connection: Connection) -> str:
    count = connection_push_now(connection=connection)
    return _("%(count)s waiting or failed deliveries sent again.") % {"count": count}


def _check(connection: Connection) -> str:
    partner_check_request(connection=connection)
    return _("Partner check queued: reload this page to see its report.")


PARTNER_ACTIONS = {
    "rotate": _rotate,
    "suspend": _suspend,
    "resume": _resume,
    "unregister": _unregister,
    "pull": _pull,
    "push": _push,
    "check": _check,
}
# Actions that change the connection for both sides are confirmed on a page of their own first
# (no script: the confirmation works in every browser).
CONFIRMED_ACTIONS = {
    "rotate": gettext_lazy("Exchange new tokens with %(name)s? Both sides switch to them at once."),
    "suspend": gettext_lazy(
        "Suspend %(name)s? Their calls are refused and ours stop until resumed."
    ),
    "unregister": gettext_lazy("End the connection with %(name)s? This cannot be undone."),
}


@staff_view(OPERATIONS)
@require_POST
def partner_action(request, connection_id: int, action: str):
    if action not in PARTNER_ACTIONS:
        raise Http404("No such action")
    connection = _connection_or_404(connection_id)
    if action in CONFIRMED_ACTIONS and request.POST.get("confirmed") != "yes":
        context = {
            "connection": connection,
            "action": action,
            "question": CONFIRMED_ACTIONS[action] % {"name": connection.name},
        }
        return render(request, "portal/partner_confirm.html", context)
    try:
        messages.success(request, PARTNER_ACTIONS[action](connection))
    except HandshakeError as exc:
        messages.error(request, handshake_error_in_words(exc))
    except (ConnectionStateError, StaffActionError, PartnerCheckNotPossible) as exc:
        messages.error(request, str(exc))
    return redirect("portal:partner", connection_id=connection.pk)


@staff_view()
def partner_check(request, connection_id: int, check_id: int):
    """One partner check's report: a line per check, pass, warn or fail, and what was seen."""
    connection = _connection_or_404(connection_id)
    try:
        check = selectors.partner_check_get(connection=connection, check_id=check_id)
    except PartnerCheck.DoesNotExist:
        raise Http404("No such partner check") from None
    return render(request, "portal/partner_check.html", {"connection": connection, "check": check})
