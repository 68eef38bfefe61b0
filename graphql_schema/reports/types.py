"""GraphQL types of the reports area: a province's letterhead and the labels it may say its
own way."""

from __future__ import annotations

from datetime import datetime

import strawberry

from scoring.reports import letterhead as letterheads

from ..core.context import Info
from ..core.enums import Language
from ..tenants.types import User


@strawberry.type(description="A report label said the province's way.")
class ReportWording:
    language: Language = strawberry.field(description="The language it is said in.")
    key: str = strawberry.field(description="The label's name, e.g. scorecard_title.")
    text: str = strawberry.field(description="What the province's reports print for it.")


@strawberry.type(description="A report label: what Redline prints by default.")
class ReportLabel:
    language: Language = strawberry.field(description="The language of the text.")
    key: str = strawberry.field(
        description="The label's name: a letterhead's wording names it (ReportWordingInput.key)."
    )
    default_text: str = strawberry.field(
        description="Redline's text; {names} in braces are filled in and must be kept."
    )


@strawberry.type(
    name="ReportLetterhead",
    description="One saved version of a province's letterhead: printed atop and below every "
    "report of the province from then on.",
)
class ReportLetterhead:
    version: int = strawberry.field(description="1, 2, ... per province.")
    issuer: str = strawberry.field(description="The issuing office, printed above the title.")
    footer: str = strawberry.field(description="A line printed at the foot of every page.")
    wording: list[ReportWording] = strawberry.field(
        description="The labels said the province's way, by language then key; the others "
        "print Redline's text."
    )
    note: str = strawberry.field(description="What changed, as its author said.")
    saved_at: datetime = strawberry.field(description="When this version was saved.")
    logo_type: str | None = strawberry.field(description="image/png or image/jpeg; null: none.")
    saved_by_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: letterheads.Letterhead) -> ReportLetterhead:
        return cls(
            version=row.version,
            issuer=row.issuer,
            footer=row.footer,
            wording=[
                ReportWording(language=Language(lang), key=key, text=text)
                for lang, said in sorted((row.wording or {}).items())
                for key, text in sorted(said.items())
            ],
            note=row.note,
            saved_at=row.saved_at,
            logo_type=row.logo_type if row.sha256 else None,
            saved_by_id=row.saved_by_id,
        )

    @strawberry.field(description="The logo (GET, same sign-in as /graphql); null: none.")
    def logo_url(self) -> str | None:
        if self.logo_type is None:
            return None
        return f"/files/report-letterhead/{self.version}/logo"

    @strawberry.field(description="Who saved it; null when out of your sight.")
    async def saved_by(self, info: Info) -> User | None:
        return await User.load(info, self.saved_by_id)
