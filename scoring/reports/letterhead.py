"""A province's letterhead for its printed reports: the issuing office, a logo, a footer line
and its own wording of the reports' labels; every save is a new version, kept."""

from __future__ import annotations

import base64
import io
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, UnidentifiedImageError
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from redline.db import Base, Document, UtcDateTime, utcnow
from redline.errors import DomainError, ErrorCode, Problem, fail
from redline.versions import writing
from scoring.evidence import EvidenceStore, RefersToEvidence
from scoring.inputs import text_problem
from scoring.reports.words import LANGUAGES, default_words
from tenants.access import Actor
from tenants.models import ProvinceSharded, Role
from tenants.reading import province_of

ISSUER_MAX = 200
FOOTER_MAX = 200
NOTE_MAX = 500
WORDING_MAX = 200
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000  # either side
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


class Letterhead(Base, ProvinceSharded, RefersToEvidence):
    """One saved version of a province's letterhead. The newest version is the one printed;
    a report records the version it was printed with. ``sha256`` names the stored logo."""

    __tablename__ = "report_letterhead"
    __table_args__ = (UniqueConstraint("customer_id", "version"),)

    version: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str] = mapped_column(String(ISSUER_MAX), default="")
    footer: Mapped[str] = mapped_column(String(FOOTER_MAX), default="")
    # {"zh": {"scorecard_title": "..."}, "en": {...}}: labels said otherwise than by default.
    wording: Mapped[dict[str, dict[str, str]]] = mapped_column(Document, default=dict)
    sha256: Mapped[str | None] = mapped_column(String(64))
    logo_type: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


@dataclass(frozen=True)
class Wording:
    """One label said the province's way."""

    language: str
    key: str
    text: str


@dataclass(frozen=True)
class Printed:
    """What a report prints of a letterhead (the logo inline: nothing is fetched to print)."""

    version: int
    issuer: str
    footer: str
    logo_uri: str | None
    wording: Mapping[str, Mapping[str, str]]


def current(session: Session, customer_id: int) -> Letterhead | None:
    """The province's newest letterhead; None while it prints the defaults."""
    return session.scalar(
        select(Letterhead)
        .where(Letterhead.customer_id == customer_id)
        .order_by(Letterhead.version.desc())
        .limit(1)
    )


def version_of(session: Session, customer_id: int, version: int) -> Letterhead | None:
    """One saved version of the province's letterhead; None if there is no such version."""
    return session.scalar(
        select(Letterhead).where(
            Letterhead.customer_id == customer_id, Letterhead.version == version
        )
    )


def versions(session: Session, customer_id: int) -> list[Letterhead]:
    """Every saved version, newest first."""
    return list(
        session.scalars(
            select(Letterhead)
            .where(Letterhead.customer_id == customer_id)
            .order_by(Letterhead.version.desc())
        )
    )


def printed(letterhead: Letterhead | None, store: EvidenceStore) -> Printed | None:
    """The letterhead as a report prints it (None: the defaults)."""
    if letterhead is None:
        return None
    logo_uri = None
    if letterhead.sha256 is not None and store.exists(letterhead.sha256):
        with store.open(letterhead.sha256) as file:
            encoded = base64.b64encode(file.read()).decode("ascii")
        logo_uri = f"data:{letterhead.logo_type};base64,{encoded}"
    return Printed(
        version=letterhead.version,
        issuer=letterhead.issuer,
        footer=letterhead.footer,
        logo_uri=logo_uri,
        wording=letterhead.wording or {},
    )


_PLACEHOLDER = string.Formatter()


def _placeholders(text: str) -> set[str] | None:
    """The ``{names}`` a label fills in; None when its braces do not parse."""
    try:
        return {name for _, name, _, _ in _PLACEHOLDER.parse(text) if name is not None}
    except ValueError:
        return None


def _wording_problems(
    wording: Iterable[Wording],
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    said: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for index, item in enumerate(wording):
        field = f"wording[{index}]"
        if item.language not in LANGUAGES:
            problems.append(Problem(f"{field}.language", "must be zh or en", ErrorCode.INVALID))
            continue
        defaults = default_words(item.language)
        if item.key not in defaults:
            problems.append(
                Problem(f"{field}.key", f"no report label is named {item.key!r}", ErrorCode.INVALID)
            )
            continue
        text = item.text.strip()
        if not text:
            problems.append(
                Problem(
                    f"{field}.text",
                    "must not be empty (leave the label out to print the default)",
                    ErrorCode.REQUIRED,
                )
            )
        elif too_long := text_problem(text, f"{field}.text", WORDING_MAX):
            problems.append(too_long)
        elif _placeholders(text) != _placeholders(defaults[item.key]):
            wanted = sorted(_placeholders(defaults[item.key]) or ())
            problems.append(
                Problem(
                    f"{field}.text",
                    "must fill in exactly "
                    + (", ".join("{" + name + "}" for name in wanted) if wanted else "no {names}")
                    + " as the default does",
                    ErrorCode.INVALID,
                )
            )
        elif item.key in said.get(item.language, {}):
            problems.append(
                Problem(
                    f"{field}.key",
                    f"{item.key!r} is given twice in {item.language}",
                    ErrorCode.DUPLICATE,
                )
            )
        else:
            said.setdefault(item.language, {})[item.key] = text
    return said, problems


def _control_problem(text: str, field: str) -> Problem | None:
    """A problem if a text the letterhead prints holds a control character other than a tab or
    a newline (a carriage return among them, which the API lets through as a line end)."""
    if re.search(r"[\x00-\x08\x0b-\x1f]", text):
        return Problem(field, "must not hold control characters", ErrorCode.INVALID)
    return None


def logo_type_of(data: bytes, field: str = "logo") -> str:
    """The logo's content type (PNG or JPEG, checked by reading it), or a field error."""
    if len(data) > LOGO_MAX_BYTES:
        raise fail(
            field, f"is {len(data):,} bytes; at most {LOGO_MAX_BYTES:,}", ErrorCode.TOO_LARGE
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise fail(field, "is not a PNG or JPEG image", ErrorCode.INVALID) from None
    if kind not in LOGO_TYPES:
        raise fail(field, f"is a {kind} image; a PNG or JPEG is needed", ErrorCode.INVALID)
    if max(width, height) > LOGO_MAX_PIXELS:
        raise fail(
            field,
            f"is {width}x{height} pixels; at most {LOGO_MAX_PIXELS} on either side",
            ErrorCode.INVALID,
        )
    return LOGO_TYPES[kind]


def save_letterhead(
    session: Session,
    actor: Actor,
    *,
    expected_version: int,
    issuer: str,
    footer: str,
    wording: Iterable[Wording],
    note: str = "",
    logo: bytes | None = None,
    keep_logo: bool = True,
    store: EvidenceStore,
) -> Letterhead:
    """Save the province's letterhead as its next version (province ADMIN only).

    ``expected_version`` is the version the writer read (0 before the first save): another
    save since is a CONFLICT. ``logo`` replaces the logo; without it the logo is kept, or
    removed when not ``keep_logo``.
    """
    province = province_of(session, actor.customer_id)
    if province is None:
        raise fail(None, "your province has no units yet", ErrorCode.NOT_FOUND)
    actor.require(province, Role.ADMIN)
    issuer, footer, note = issuer.strip(), footer.strip(), note.strip()
    said, problems = _wording_problems(wording)
    problems += [
        p
        for p in (
            text_problem(issuer, "issuer", ISSUER_MAX) or _control_problem(issuer, "issuer"),
            text_problem(footer, "footer", FOOTER_MAX) or _control_problem(footer, "footer"),
            text_problem(note, "note", NOTE_MAX) or _control_problem(note, "note"),
        )
        if p is not None
    ]
    logo_type = None
    if logo is not None:
        try:
            logo_type = logo_type_of(logo)
        except DomainError as refused:
            problems += refused.problems
    if problems:
        raise DomainError(problems)
    before = current(session, actor.customer_id)
    now_version = before.version if before is not None else 0
    if now_version != expected_version:
        raise fail(
            "expectedVersion",
            f"the letterhead was saved as version {now_version} since you read version "
            f"{expected_version}: reload it and make your change again",
            ErrorCode.CONFLICT,
        )
    if logo is not None:
        sha256: str | None = store.put(logo)
    elif keep_logo and before is not None:
        sha256, logo_type = before.sha256, before.logo_type
    else:
        sha256 = None
    letterhead = Letterhead(
        customer_id=actor.customer_id,
        version=now_version + 1,
        issuer=issuer,
        footer=footer,
        wording=said,
        sha256=sha256,
        logo_type=logo_type if sha256 is not None else None,
        note=note,
        saved_by_id=actor.user_id,
        saved_at=utcnow(),
    )
    # Two admins saving on the same version: the second meets the (customer, version) key.
    with writing(session, expected_version, "the letterhead"):
        session.add(letterhead)
    return letterhead
