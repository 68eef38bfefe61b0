"""Passwords: the policy a new password must meet, argon2id hashes, and temporary passwords."""

from __future__ import annotations

import contextlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from redline.errors import ErrorCode, Problem

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("redline: no such user")
MIN_LENGTH = 8
MAX_LENGTH = 200
# zxcvbn's guessability score (0-4): below this a password is among the common ones, a
# keyboard walk, a dictionary word with digits, or the username with a suffix.
MIN_STRENGTH = 2
STRENGTH_CHECKED_CHARS = 100  # zxcvbn's time grows with length; the rest only adds strength


def password_problems(
    password: str, *, username: str = "", display_name: str = "", field: str = "password"
) -> list[Problem]:
    """Why ``password`` may not be chosen (empty: it may): too short or long, or easy to guess
    (a common password, or one made of the user's own name)."""
    if len(password) < MIN_LENGTH:
        return [Problem(field, f"must be at least {MIN_LENGTH} characters", ErrorCode.INVALID)]
    if len(password) > MAX_LENGTH:
        return [Problem(field, f"must be at most {MAX_LENGTH} characters", ErrorCode.INVALID)]
    hints = [h for h in (username, display_name) if h]
    verdict = zxcvbn(password[:STRENGTH_CHECKED_CHARS], user_inputs=hints)
    if verdict["score"] >= MIN_STRENGTH:
        return []
    warning = verdict["feedback"].get("warning") or "it is easy to guess"
    return [
        Problem(
            field,
            f"is too easy to guess ({warning.rstrip('.').lower()}): "
            "use a longer password, or a few unrelated words",
            ErrorCode.INVALID,
        )
    ]


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (the policy is the caller's: ``password_problems``)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """Whether ``password`` matches the hash (None: no such account, checked as slowly), and a
    new hash when the stored one was made with weaker parameters."""
    if password_hash is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return False, None
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if _hasher.check_needs_rehash(password_hash):
        return True, _hasher.hash(password)
    return True, None


def temporary_password() -> str:
    """A password an admin hands over once, to be changed at the next sign-in: four groups of
    four letters and digits without look-alikes (easy to read out, about 82 bits)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
