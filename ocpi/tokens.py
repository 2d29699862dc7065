"""OCPI credentials tokens: generation, hashing, encryption at rest and the Authorization header.

Tokens partners use towards us are stored only as a SHA-256 hash. The tokens we send to partners
must be recoverable, so they are encrypted (Fernet) with a key from the environment.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import string

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

TOKEN_ALPHABET = string.ascii_letters + string.digits
_PRINTABLE_TOKEN = re.compile(r"[!-~]+")


def new_token() -> str:
    """A fresh random token: 43 letters and digits (256 bits), inside the spec's 64 characters.

    Letters and digits only, so that a token never reads as an option on a command line.
    """
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(43))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), token_hash)


def _fernet() -> Fernet:
    key = settings.OCPI_TOKEN_ENCRYPTION_KEY
    if not key:
        digest = hashlib.sha256(("ocpi-token-key:" + settings.SECRET_KEY).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key)


def encrypt_token(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def decrypt_token(ciphertext: str) -> str:
    try:
        return _fernet().decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "stored token cannot be decrypted: wrong OCPI_TOKEN_ENCRYPTION_KEY?"
        ) from exc


def authorization_header(token: str, *, plain: bool) -> str:
    """`Token <base64(token)>` as OCPI 2.2.1 requires; `Token <token>` for plain-token partners."""
    if plain:
        return f"Token {token}"
    return "Token " + base64.b64encode(token.encode()).decode()


def token_candidates(header_value: str) -> list[str]:
    """The tokens an Authorization header may carry: base64-decoded (2.2.1) and as sent (2.1.1).

    Partners differ: some send the plain token, some base64 with a trailing newline encoded
    (the spec's own examples do). Both readings are tried; the hash lookup decides.
    """
    scheme, _, credential = header_value.strip().partition(" ")
    credential = credential.strip()
    # A token is printable, non-whitespace ASCII (transport_and_format); anything else is no token.
    if scheme.lower() != "token" or not credential or not _PRINTABLE_TOKEN.fullmatch(credential):
        return []
    candidates = [credential]
    try:
        decoded = base64.b64decode(credential, validate=True).decode().strip()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    if decoded and decoded != credential:
        candidates.insert(0, decoded)
    return candidates
