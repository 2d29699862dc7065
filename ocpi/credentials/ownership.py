"""Which connection a party belongs to: claims by credentials, release on close, staff moves.

A party code (country_code-party_id) is held by one side only: one open connection, in any
roles its credentials list, or us. The stored OCPI objects are keyed by country code and party
id without the role, so a code split between two owners would let one write the other's
locations or tokens. The database backs the rule with a partial unique constraint on the held
rows of a party (code and role); claims of a code are serialized by a lock on that code, so that
two registrations at the same moment cannot both pass the check.
"""

from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import Q
from django.utils import timezone

from ocpi.models import Connection, ConnectionParty, OwnParty, PartyMove
from ocpi.transport import status
from ocpi.transport.exceptions import OcpiError

# A closed connection holds nothing, whatever its rows say.
HOLDING_STATUSES = (
    Connection.Status.PENDING,
    Connection.Status.REGISTERED,
    Connection.Status.SUSPENDED,
)


class PartyClaimed(OcpiError):
    """Credentials name a party that belongs to another connection or to us.

    3001 is the spec's status for a registration the server cannot complete. Like every OCPI
    error on valid JSON, it is told by the OCPI status with HTTP 200.
    """

    ocpi_status = status.UNABLE_TO_USE_CLIENT_API
    default_detail = "A party of these credentials belongs to someone else"


class PartyMoveError(Exception):
    """A staff move that cannot be made; the message says why."""


def _code(country_code: str, party_id: str) -> tuple[str, str]:
    return country_code.strip().upper(), party_id.strip().upper()


def _wanted(roles: Iterable[dict]) -> list[tuple[str, str, str]]:
    """(country_code, party_id, role) of each CredentialsRole, upper-cased, in a stable order."""
    return sorted({(*_code(r["country_code"], r["party_id"]), r["role"]) for r in roles})


def _code_filter(codes: Iterable[tuple[str, str]]) -> Q:
    query = Q(pk__in=[])
    for country_code, party_id in codes:
        query |= Q(country_code__iexact=country_code, party_id__iexact=party_id)
    return query


def _lock_codes(codes: Iterable[tuple[str, str]]) -> None:
    """Serialize the claims of these codes until the transaction ends (PostgreSQL; SQLite
    writes one transaction at a time anyway). Sorted, so two claimants never deadlock."""
    if db_connection.vendor != "postgresql":
        return
    with db_connection.cursor() as cursor:
        for country_code, party_id in sorted(set(codes)):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                [f"ocpi-party:{country_code}-{party_id}"],
            )


def _holders(codes: Iterable[tuple[str, str]], *, besides: Connection | None):
    """The held party rows of open connections with these codes, except `besides`'s."""
    rows = ConnectionParty.objects.filter(
        _code_filter(codes), released_at__isnull=True, connection__status__in=HOLDING_STATUSES
    )
    return rows.exclude(connection=besides) if besides is not None else rows


def connection_parties_check(*, connection: Connection, roles: Iterable[dict]) -> None:
    """PartyClaimed naming each party of `roles` that is ours or another connection's."""
    wanted = _wanted(roles)
    codes = {(country_code, party_id) for country_code, party_id, _ in wanted}
    ours = {_code(p.country_code, p.party_id) for p in OwnParty.objects.filter(_code_filter(codes))}
    taken = {
        _code(country_code, party_id)
        for country_code, party_id in _holders(codes, besides=connection).values_list(
            "country_code", "party_id"
        )
    }
    problems = []
    for country_code, party_id, role in wanted:
        party = f"party {country_code}-{party_id} ({role})"
        if (country_code, party_id) in ours:
            problems.append(f"{party} is one of our own parties")
        elif (country_code, party_id) in taken:
            problems.append(f"{party} belongs to another connection")
    if problems:
        raise PartyClaimed("; ".join(problems))


def own_parties_check(*, parties: Iterable[tuple[str, str, str]]) -> None:
    """ImproperlyConfigured if an open connection holds the code of one of our parties."""
    codes = {_code(country_code, party_id) for country_code, party_id, _ in parties}
    held = _holders(codes, besides=None).select_related("connection").order_by("id")
    if held:
        taken = ", ".join(
            f"{row.country_code}-{row.party_id} (held by {row.connection})" for row in held
        )
        raise ImproperlyConfigured(
            f"OCPI_OWN_PARTIES names a party code that belongs to a partner connection: {taken}"
        )


def connection_parties_claim(*, connection: Connection, roles: list[dict]) -> None:
    """Make the roles of the connection's credentials its parties, replacing those it had;
    PartyClaimed, and nothing changed, if one of them is someone else's."""
    wanted = _wanted(roles)
    codes = {(country_code, party_id) for country_code, party_id, _ in wanted}
    with transaction.atomic():
        _lock_codes(codes)
        connection_parties_check(connection=connection, roles=roles)
        # Rows a closed connection left held (closed outside the handshake) are free.
        ConnectionParty.objects.filter(
            _code_filter(codes),
            released_at__isnull=True,
            connection__status=Connection.Status.CLOSED,
        ).update(released_at=timezone.now())
        connection.parties.all().delete()
        details = {
            (*_code(r["country_code"], r["party_id"]), r["role"]): r["business_details"]
            for r in roles
        }
        try:
            with transaction.atomic():
                ConnectionParty.objects.bulk_create(
                    ConnectionParty(
                        connection=connection,
                        country_code=country_code,
                        party_id=party_id,
                        role=role,
                        business_details=details[(country_code, party_id, role)],
                    )
                    for country_code, party_id, role in wanted
                )
        except IntegrityError as exc:  # the constraint, should a claim slip past the lock
            raise PartyClaimed(
                "a party of these credentials belongs to another connection"
            ) from exc


def connection_parties_release(*, connection: Connection) -> None:
    """A closing connection gives its parties up; the rows stay as a record."""
    connection.parties.filter(released_at__isnull=True).update(released_at=timezone.now())


@transaction.atomic
def party_move(
    *,
    country_code: str,
    party_id: str,
    role: str,
    to_connection: Connection,
    reason: str,
    moved_by: str,
) -> list[PartyMove]:
    """Give a party to another open connection, explicitly and on record (one PartyMove per
    role moved).

    The party leaves the connection that held it, if one did. A party code is not split between
    connections: the roles the old holder has under the same code move along. Our own parties
    never move to a partner.
    """
    country_code, party_id = _code(country_code, party_id)
    code = f"{country_code}-{party_id}"
    if not reason.strip():
        raise PartyMoveError("A reason is required")
    if not moved_by.strip():
        raise PartyMoveError("Who moves the party is required")
    _lock_codes([(country_code, party_id)])
    target = Connection.objects.select_for_update().get(pk=to_connection.pk)
    if target.status not in HOLDING_STATUSES:
        raise PartyMoveError(f"{target} is {target.status}: it cannot hold a party")
    if OwnParty.objects.filter(_code_filter([(country_code, party_id)])).exists():
        raise PartyMoveError(f"{code} is one of our own parties")
    party_rows = _code_filter([(country_code, party_id)])
    if target.parties.filter(party_rows, role=role, released_at__isnull=True).exists():
        raise PartyMoveError(f"{code} ({role}) belongs to {target} already")
    held = list(_holders([(country_code, party_id)], besides=target).select_related("connection"))
    holders = {row.connection for row in held}
    if len(holders) > 1:
        names = ", ".join(sorted(str(c) for c in holders))
        raise PartyMoveError(f"{code} is held by several connections ({names})")
    moving = {row.role: row for row in held}
    moving.setdefault(role, None)
    moves = []
    for moved_role, row in sorted(moving.items()):
        if row is not None:
            row.delete()
        ConnectionParty.objects.update_or_create(
            connection=target,
            country_code=country_code,
            party_id=party_id,
            role=moved_role,
            defaults={"released_at": None, "business_details": row.business_details if row else {}},
        )
        moves.append(
            PartyMove.objects.create(
                country_code=country_code,
                party_id=party_id,
                role=moved_role,
                from_connection=row.connection if row else None,
                to_connection=target,
                reason=reason.strip(),
                moved_by=moved_by.strip(),
            )
        )
    return moves
