"""What every evidence file shows, whichever row it backs (an entry's attachment, a ledger
step's file): a base the node types of both extend, each with its own table and download."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self

import strawberry
from strawberry import relay
from strawberry.types import get_object_definition

from ..core.context import Info
from ..core.nodes import ModelNode
from ..tenants.types import User


@strawberry.type(description="An evidence file, stored outside the database by its checksum.")
class EvidenceFileType(ModelNode):
    # Where /files serves the node type's files (redline.downloads).
    download_folder: ClassVar[str]
    id: relay.NodeID[int]
    filename: str = strawberry.field(description="The file's name as uploaded.")
    content_type: str = strawberry.field(
        description='Its media type as uploaded ("image/jpeg", "application/pdf").'
    )
    size: int = strawberry.field(description="Bytes.")
    sha256: str = strawberry.field(
        description="The SHA-256 checksum of its bytes, in hex (it is stored by it)."
    )
    uploaded_at: datetime = strawberry.field(description="When it was uploaded.")
    uploaded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: Any) -> Self:
        return cls(
            id=row.id,
            filename=row.filename,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_at=row.created_at,
            uploaded_by_id=row.uploaded_by_id,
        )

    @strawberry.field(description="Who uploaded it; null when out of your sight.")
    async def uploaded_by(self, info: Info) -> User | None:
        return await User.load(info, self.uploaded_by_id)

    @strawberry.field(description="Download it (GET, same sign-in as /graphql).")
    def download_url(self) -> str:
        type_name = get_object_definition(type(self), strict=True).name
        return f"/files/{self.download_folder}/{relay.to_base64(type_name, self.id)}"
