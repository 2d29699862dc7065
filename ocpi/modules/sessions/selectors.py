"""Reading sessions."""

from django.db.models import QuerySet

from ocpi.models import Connection, OwnParty
from ocpi.modules.cdrs.selectors import token_owned_by
from ocpi.modules.sessions.models import Session
from ocpi.objects import object_key


def sessions_for_partner(*, party: OwnParty, connection: Connection) -> QuerySet[Session]:
    """Our party's sessions that the partner may read (its drivers' charging)."""
    return Session.objects.filter(
        source__isnull=True,
        country_code=party.country_code.upper(),
        party_id=party.party_id.upper(),
    ).filter(token_owned_by(connection))


def session_by_key(*, country_code: str, party_id: str, session_id: str) -> QuerySet[Session]:
    return Session.objects.filter(**object_key(country_code, party_id, session_id))


def own_session(*, party: OwnParty, session_id: str) -> Session | None:
    """One of our CPO's sessions (never a partner's with the same codes), or None."""
    return Session.objects.filter(
        **object_key(party.country_code, party.party_id, session_id), source__isnull=True
    ).first()


def session_belongs_to(session: Session, connection: Connection) -> bool:
    """Whether the session's token was issued by one of the connection's eMSP parties."""
    token = session.document.get("cdr_token") or {}
    return connection.owns_party(token.get("country_code", ""), token.get("party_id", ""))
