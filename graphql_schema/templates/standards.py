"""The types of importing a grading standard in an office's own layout: the layout given, the
preview read back (columns, tree, clauses, what is left for a person)."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from redline.errors import ErrorCode, fail
from scoring.templates import criteria_text, office_layout
from scoring.templates.criteria_text import UnreadReason
from scoring.templates.office_layout import Column, Layout, Standard

from ..core.enum_values import describe_values
from ..core.enums import ItemKind, Method
from ..core.errors import UserError, user_errors
from .types import Clause, clause_of

StandardColumn = strawberry.enum(
    Column,
    name="StandardColumn",
    description="What a column of an office's standard holds: ELEMENT (一级要素), SUBELEMENT "
    "(二级要素), ITEM (the item's short title), CODE (序号), REQUIREMENT (考评内容), POINTS "
    "(标准分值), CRITERIA (评分标准, read into clauses), IGNORE (考评方法, 备注, 实得分).",
)
strawberry.enum(
    UnreadReason,
    name="UnreadReason",
    description="Why a piece of criteria was left for a person: NO_DEDUCTION (查相关文件), "
    "SHARED_FACT (其他考评内容中已有的不重复扣分: name the fact on the clauses it joins), "
    "CAP_BELOW_MAX (最多扣N分 below the item's points, on no per-occurrence deduction), "
    "REPEAT_NOT_EACH (加倍扣分 on no per-occurrence deduction), COUNT_WITHOUT_EACH (缺一处扣0.5分:"
    " per occurrence or once?), EXTRA_WITHOUT_ZERO (加扣 without 不得分), and the rarer ones.",
)
describe_values(
    Column,
    {
        "ELEMENT": "A top category (一级要素).",
        "SUBELEMENT": "A category within an element (二级要素).",
        "ITEM": "The item's short title (三级要素, 考评项目).",
        "CODE": "The item's code (序号, 编号).",
        "REQUIREMENT": "What the item requires (考评内容).",
        "POINTS": "The item's points (标准分值).",
        "CRITERIA": "The scoring criteria (评分标准), read into clauses.",
        "IGNORE": "Not part of the template (考评方法, 备注, 实得分).",
    },
)


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}."


# Each reason's description is the sentence the reader gives for it (UnreadCriteria.reason).
describe_values(
    UnreadReason,
    {reason.name: _sentence(getattr(criteria_text, reason.name)) for reason in UnreadReason},
)
MAX_COLUMNS = 200


@strawberry.input(description="A column of the table and the role it plays.")
class StandardColumnInput:
    column: int = strawberry.field(description="The column's number, 1 for A.")
    role: Column = strawberry.field(description="What the column holds.")


@strawberry.input(
    description="How to read an office's standard (.xlsx or .csv, multipart upload). Left "
    "out, each is found: the first sheet, the row with the most known headings, the role each "
    "heading names."
)
class StandardLayoutInput:
    file: Upload = strawberry.field(description="The standard's file (.xlsx or .csv).")
    sheet: str | None = strawberry.field(
        default=None, description="The sheet's name; left out, the first sheet (.xlsx only)."
    )
    header_row: int | None = strawberry.field(default=None, description="1-based row number.")
    columns: list[StandardColumnInput] | None = strawberry.field(
        default=None, description="Every column's role; columns left out are IGNORE."
    )


@strawberry.input(
    description="Import an office's standard as a draft template: the layout as previewed, the "
    "template's title and year, and where it goes (as importTemplate: a draft's id with "
    "expectedVersion, an existing familyCode, or a new family's ownerNodeId, familyCode and "
    "familyName)."
)
class ImportStandardInput:
    file: Upload = strawberry.field(description="The standard's file (.xlsx or .csv).")
    title: str = strawberry.field(
        description="The template's title; blank, the sheet's name (or 导入的考评标准)."
    )
    year: int = strawberry.field(description="The template's year.")
    sheet: str | None = strawberry.field(
        default=None, description="As in previewStandard: the sheet; left out, the first."
    )
    header_row: int | None = strawberry.field(
        default=None, description="As in previewStandard: the 1-based heading row; left out, found."
    )
    columns: list[StandardColumnInput] | None = strawberry.field(
        default=None, description="As in previewStandard: every column's role; left out, found."
    )
    id: relay.GlobalID | None = strawberry.field(
        default=None, description="A draft template to replace the content of."
    )
    expected_version: int | None = strawberry.field(
        default=None, description="With id: the draft's version as you read it."
    )
    family_code: str | None = strawberry.field(
        default=None,
        description="The template family: an existing one's code, or a new family's code.",
    )
    family_name: str | None = strawberry.field(
        default=None, description="A new family's name (with ownerNodeId)."
    )
    owner_node_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The unit that owns a new family."
    )


def layout_of(input: StandardLayoutInput | ImportStandardInput) -> Layout:
    """The layout the input gives; a column named twice is refused."""
    columns = None
    if input.columns is not None:
        if len(input.columns) > MAX_COLUMNS:
            raise fail("columns", f"at most {MAX_COLUMNS} columns", ErrorCode.TOO_LARGE)
        columns = {}
        for given in input.columns:
            if given.column in columns:
                raise fail("columns", f"column {given.column} is given twice", ErrorCode.DUPLICATE)
            columns[given.column] = Column(given.role)
    return Layout(sheet=input.sheet, header_row=input.header_row, columns=columns)


@strawberry.type(description="A column of the table: its heading, role and first value.")
class StandardColumnGuess:
    column: int = strawberry.field(description="The column's number, 1 for A.")
    letter: str = strawberry.field(description='The column as Excel names it ("C").')
    heading: str = strawberry.field(description="The heading as the sheet writes it.")
    role: Column = strawberry.field(description="The role given, or the one its heading names.")
    sample: str = strawberry.field(description="The first value below the heading, shortened.")


@strawberry.type(description="A piece of an item's criteria the reader left for a person.")
class UnreadCriteria:
    code: str = strawberry.field(description="The item's code in the imported template.")
    cell: str = strawberry.field(description='Where its criteria are ("标准!E12").')
    text: str = strawberry.field(description="The piece of criteria text left unread.")
    reason: str = strawberry.field(description="Why, in English.")
    reason_code: UnreadReason = strawberry.field(description="Why, as a code to word.")


@strawberry.type(description="An item of the standard as read; depth 0 is an element.")
class StandardItem:
    code: str = strawberry.field(
        description="The item's code: the standard's own, or made from its place (\"1.2\")."
    )
    title: str = strawberry.field(description="The item's title as read.")
    depth: int = strawberry.field(description="0 for an element, 1 for the level below, ...")
    kind: ItemKind = strawberry.field(description="CATEGORY or INDICATOR.")
    max_points: Decimal = strawberry.field(description="An item's points; a category's sum.")
    stated_points: Decimal | None = strawberry.field(
        description='What an element\'s own cell says ("目标（30分）"), when it says so.'
    )
    cell: str = strawberry.field(description='Where the item was read ("标准!C12").')
    method: Method | None = strawberry.field(
        description="DEDUCTION when clauses were read, MANUAL (a person scores) otherwise."
    )
    clauses: list[Clause] = strawberry.field(
        description="The deduction clauses read from its criteria."
    )
    unread: list[UnreadCriteria] = strawberry.field(
        description="The pieces of its criteria left for a person."
    )


@strawberry.type(description="An office's standard as it would be imported.")
class StandardPreview:
    format: str = strawberry.field(description='"xlsx" or "csv".')
    sheets: list[str] = strawberry.field(description="The workbook's sheets, in order.")
    sheet: str | None = strawberry.field(description="The sheet read; null for a .csv file.")
    header_row: int = strawberry.field(description="The heading row read, 1-based.")
    columns: list[StandardColumnGuess] = strawberry.field(
        description="The table's columns with their roles."
    )
    items: list[StandardItem] = strawberry.field(description="The tree in order, by depth.")
    total_points: Decimal = strawberry.field(
        description="The template's total: its elements' points added up."
    )
    fragments: int = strawberry.field(description="Pieces of criteria text in the standard.")
    fragments_read: int = strawberry.field(
        description="Of them, read into clauses (or the engine's own floor, 扣完为止)."
    )
    unread: list[UnreadCriteria] = strawberry.field(
        description="Every piece of criteria left for a person, in the tree's order."
    )
    warnings: list[UserError] = strawberry.field(
        description="What a person should check but does not stop the import (an element "
        "stating other points than its items add up to)."
    )

    @classmethod
    def of(cls, standard: Standard) -> StandardPreview:
        return cls(
            format=standard.format,
            sheets=list(standard.sheets),
            sheet=standard.sheet,
            header_row=standard.header_row,
            columns=[
                StandardColumnGuess(
                    column=c.column,
                    letter=c.letter,
                    heading=c.heading,
                    role=c.role,
                    sample=c.sample,
                )
                for c in standard.columns
            ],
            items=[
                StandardItem(
                    code=i.code,
                    title=i.title,
                    depth=i.depth,
                    kind=i.kind,
                    max_points=i.max_points,
                    stated_points=i.stated_points,
                    cell=i.cell,
                    method=i.method,
                    clauses=[clause_of(c) for c in i.clauses],
                    unread=[_unread(u) for u in i.unread],
                )
                for i in standard.items
            ],
            total_points=standard.content.total_points,
            fragments=standard.fragments,
            fragments_read=standard.fragments_read,
            unread=[_unread(u) for u in standard.unread],
            warnings=user_errors(standard.warnings),
        )


def _unread(unread: office_layout.UnreadCriteria) -> UnreadCriteria:
    return UnreadCriteria(
        code=unread.code,
        cell=unread.cell,
        text=unread.text,
        reason=unread.reason,
        reason_code=unread.reason_code,
    )


@strawberry.type(description="The result of previewStandard.")
class StandardPreviewPayload:
    preview: StandardPreview | None = strawberry.field(
        default=None, description="The standard as read; null when refused."
    )
    errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why the file could not be read; empty when read."
    )
