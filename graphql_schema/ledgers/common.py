"""What the ledgers share: periods, who may read a unit's ledgers, a row's history with its
files, and the evidence files a step uploads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import overload

import strawberry
from strawberry.file_uploads import Upload

from redline.errors import ErrorCode, fail
from scoring.ledgers.access import readable_unit
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import LedgerAttachment, LedgerEvent, LedgerSubject
from tenants.models import TenantNode

from ..core.context import Info
from ..core.errors import query_error
from ..core.mutations import upload_limit
from ..evidence.types import EvidenceFileType
from ..tenants.types import User
from .dataloaders import FILES_OF_STEP, history

# --- periods ---------------------------------------------------------------------------------


@strawberry.input(description="A span of days, both ends included (China Standard Time).")
class PeriodInput:
    start: date = strawberry.field(description="The first day.")
    end: date = strawberry.field(description="The last day (not before start).")


def period_of(period: PeriodInput, field: str) -> tuple[date, date]:
    """The period's days; a query error naming ``field`` if it ends before it starts."""
    if period.start > period.end:
        raise query_error(fail(f"{field}.end", "the period ends before it starts"))
    return period.start, period.end


# --- who may read a unit's ledgers -----------------------------------------------------------


@overload
def ledger_unit(info: Info, node_id: int, *, or_refuse: str) -> TenantNode: ...
@overload
def ledger_unit(info: Info, node_id: int) -> TenantNode | None: ...
def ledger_unit(info: Info, node_id: int, *, or_refuse: str | None = None) -> TenantNode | None:
    """The unit, if the signed-in actor reads its ledgers (its own units and the units of
    its subtrees: an ancestor's name is visible, its ledgers are not). Otherwise None, or
    with ``or_refuse`` a NOT_FOUND error naming that argument."""
    node = readable_unit(info.context.db, info.context.scope, node_id)
    if node is None and or_refuse is not None:
        message = "no unit with this id whose ledgers you can read"
        raise query_error(fail(or_refuse, message, ErrorCode.NOT_FOUND))
    return node


# --- a row's history -------------------------------------------------------------------------


@strawberry.type(
    name="LedgerFile",
    description="An evidence file of a ledger step (a rectification photo, a completion report).",
)
class LedgerFile(EvidenceFileType):
    model = LedgerAttachment
    download_folder = "ledger-evidence"


@strawberry.type(
    name="LedgerEvent",
    description="One recorded change or step of a ledger row: who, when, what, from what to "
    "what, the note (the step's evidence statement or the correction's reason) and its files.",
)
class LedgerEventType:
    at: datetime = strawberry.field(description="When it happened.")
    action: str = strawberry.field(
        description="recorded, state, correction, listed, delisted, completed, reopened, signed"
    )
    field: str | None = strawberry.field(
        description="The field it changed (state, deaths, ...); null for a step that changes "
        "no one field (recorded)."
    )
    old: str | None = strawberry.field(description="The field's value before, as text.")
    new: str | None = strawberry.field(description="The field's value after, as text.")
    note: str | None = strawberry.field(
        description="The step's evidence statement or the correction's reason; null for none."
    )
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
        return await User.load(info, self.actor_id)

    @strawberry.field(description="The evidence files of this step.")
    async def files(self, info: Info) -> list[LedgerFile]:
        rows = await info.context.loaders.get(FILES_OF_STEP).load(self.id_)
        return [LedgerFile.from_model(r) for r in rows]


async def ledger_history(
    info: Info, subject: LedgerSubject, subject_id: int
) -> list[LedgerEventType]:
    """A ledger row's whole history, oldest first (batched across the rows of a page)."""
    rows = await info.context.loaders.get(history).load((subject, subject_id))
    return [LedgerEventType.from_model(r) for r in rows]


# --- evidence uploads ------------------------------------------------------------------------


def read_files(info: Info, uploads: Sequence[Upload] | None) -> list[EvidenceFile]:
    """The uploaded files of a step, each read one byte past the limit (see ``upload_limit``)."""
    limit = upload_limit(info)
    return [
        EvidenceFile(
            filename=upload.filename or "",
            content_type=upload.content_type or "",
            data=upload.read(limit),
        )
        for upload in uploads or ()
    ]
