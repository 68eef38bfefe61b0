"""What the ledger APIs share: sectors, periods, year-on-year figures, history and its files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import ErrorCode, Problem
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import LedgerAttachment, LedgerEvent, LedgerSubject, Sector
from scoring.ledgers.year_on_year import Change

from ..context import Info
from ..tenants.types import User, user_of

SectorEnum = strawberry.enum(
    Sector,
    name="Sector",
    description="Industry sector (the seeds' list; OTHER for the rest).",
)


@strawberry.input(description="A span of days, both ends included (China Standard Time).")
class PeriodInput:
    start: date
    end: date


def period_problems(period: PeriodInput, field: str = "period") -> list[Problem]:
    """The problem with a period, if any."""
    if period.start > period.end:
        return [Problem(f"{field}.end", "the period ends before it starts", ErrorCode.INVALID)]
    return []


@strawberry.type(description="A figure against the same period of the previous year.")
class YearOnYear:
    current: Decimal
    previous: Decimal
    change: Decimal = strawberry.field(description="current - previous.")
    percent: Decimal | None = strawberry.field(
        description="Percent change, rounded half up to one decimal; null when previous is 0."
    )

    @classmethod
    def from_change(cls, change: Change) -> YearOnYear:
        return cls(
            current=change.current,
            previous=change.previous,
            change=change.change,
            percent=change.percent,
        )


@strawberry.type(
    name="LedgerFile",
    description="An evidence file of a ledger step (a rectification photo, a completion report).",
)
class LedgerFile(relay.Node):
    id: relay.NodeID[int]
    filename: str
    content_type: str
    size: int = strawberry.field(description="Bytes.")
    sha256: str
    uploaded_at: datetime
    uploaded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: LedgerAttachment) -> LedgerFile:
        return cls(
            id=row.id,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_at=row.created_at,
            uploaded_by_id=row.uploaded_by_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        rows = await info.context.loaders.ledger_file.load_many([int(i) for i in node_ids])
        return [cls.from_model(r) if r else None for r in rows]

    @strawberry.field(description="Who uploaded it; null when out of your sight.")
    async def uploaded_by(self, info: Info) -> User | None:
        return await user_of(info, self.uploaded_by_id)

    @strawberry.field(description="Download it (GET, same sign-in as /graphql).")
    def download_url(self) -> str:
        return f"/files/ledger-evidence/{relay.to_base64('LedgerFile', self.id)}"


@strawberry.type(
    name="LedgerEvent",
    description="One recorded change or step of a ledger row: who, when, what, from what to "
    "what, the note (the step's evidence statement or the correction's reason) and its files.",
)
class LedgerEventType:
    at: datetime
    action: str = strawberry.field(
        description="recorded, state, correction, listed, delisted, completed, reopened, signed"
    )
    field: str | None
    old: str | None
    new: str | None
    note: str | None
    id_: strawberry.Private[int]
    actor_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: LedgerEvent) -> LedgerEventType:
        return cls(
            at=row.at,
            action=row.action,
            field=row.field,
            old=row.old,
            new=row.new,
            note=row.note,
            id_=row.id,
            actor_id=row.actor_id,
        )

    @strawberry.field(description="Who did it; null when out of your sight.")
    async def actor(self, info: Info) -> User | None:
        return await user_of(info, self.actor_id)

    @strawberry.field(description="The evidence files of this step.")
    async def files(self, info: Info) -> list[LedgerFile]:
        rows = await info.context.loaders.ledger_files.load(self.id_)
        return [LedgerFile.from_model(r) for r in rows]


async def ledger_history(
    info: Info, subject: LedgerSubject, subject_id: int
) -> list[LedgerEventType]:
    """A ledger row's whole history, oldest first (batched across the rows of a page)."""
    rows = await info.context.loaders.ledger_events.load((subject, subject_id))
    return [LedgerEventType.from_model(r) for r in rows]


def read_files(info: Info, uploads: Sequence[Upload] | None) -> list[EvidenceFile]:
    """The uploaded files of a step; each read one byte past the limit, so an oversized one is
    refused as too large by the service."""
    limit = info.context.settings.attachment_max_bytes + 1
    return [
        EvidenceFile(
            filename=upload.filename or "",
            content_type=upload.content_type or "",
            data=upload.read(limit),
        )
        for upload in uploads or ()
    ]
