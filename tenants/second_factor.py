"""The second factor: time-based one-time codes (RFC 6238, as authenticator apps make them)."""

from __future__ import annotations

import time

import pyotp

ISSUER = "Redline"
STEP_SECONDS = 30
VALID_WINDOW = 1  # a code of the step before or after is taken too (clocks drift)


def new_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads (shown as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def accepted_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step ``code`` belongs to if it is right and newer than ``last_step`` (a code is
    good once); None otherwise."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    now = time.time() if now is None else now
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None
