"""The consequences register (奖惩登记) as an Excel workbook: one row per unit and consequence."""

from __future__ import annotations

from sqlalchemy.orm import Session

from redline.workbook_writer import (
    BOLD,
    HEADER_WRAPPED,
    NOTE,
    NUMBER,
    TITLE,
    WRAP,
    Book,
    SheetWriter,
    Style,
)
from scoring.rankings import reasons
from scoring.rankings.consequences import Register
from scoring.rankings.register_lines import (
    CONSEQUENCES,
    policy_said,
    register_lines,
    register_state,
)

NUMBERED = Style(number_format=NUMBER)
REGISTER_SHEET = "奖惩登记"
POLICY_SHEET = "奖惩规则"
LANG = "zh"
# (header, width, wraps) of the register's columns.
COLUMNS = (
    ("名次", 7, False),
    ("单位编码", 13, False),
    ("单位", 22, True),
    ("总分", 9, False),
    ("等次", 9, False),
    ("奖惩", 22, True),
    ("依据", 60, True),
    ("期限至", 12, False),
    ("组别", 14, True),  # the assessment group (分类考核) the rank is within
)


def consequence_workbook(session: Session, register: Register) -> bytes:
    """The register as an .xlsx workbook: its units and consequences with their grounds in
    Chinese, then the template's policy on a sheet of its own."""
    book = Book()
    _register_sheet(book.sheet(REGISTER_SHEET), session, register)
    _policy_sheet(book.sheet(POLICY_SHEET), register)
    return book.close()


def heading(register: Register) -> str:
    """What the register is of: scope, ranking version, final or preview."""
    scope = register.scope
    snapshot = register.snapshot
    version = "尚未发布排名" if snapshot is None else f"v{snapshot.version}"
    if snapshot is not None and snapshot.provisional:
        version += "（临时排名）"
    decided = register.decided_on.isoformat() if register.decided_on else "—"
    return " · ".join(
        (
            f"范围：{scope.code} {scope.name_zh}",
            f"排名版本：{version}",
            register_state(register, LANG),
            f"决定日期：{decided}",
        )
    )


def _register_sheet(rows: SheetWriter, session: Session, register: Register) -> None:
    rows.write([f"{register.cycle.name} 奖惩登记"], TITLE)
    rows.write([heading(register)], NOTE)
    rows.skip()
    header = rows.header(
        [label for label, _, _ in COLUMNS], [w for _, w, _ in COLUMNS], HEADER_WRAPPED
    )
    rows.freeze(header, 3)
    styles = [WRAP if wrap else None for _, _, wrap in COLUMNS]
    styles[3] = NUMBERED
    labels = reasons.LABELS[LANG]
    lines = register_lines(session, register, LANG)
    for line in lines:
        rows.write(
            [
                line.rank,
                line.code,
                line.name,
                line.total,
                line.grade,
                CONSEQUENCES[LANG][line.consequence],
                labels["sep"].join(line.grounds),
                line.until,
                line.group or None,
            ],
            styles,
        )
    if not lines:
        rows.write(["本周期尚未发布排名" if register.snapshot is None else "无奖惩事项"])


def _policy_sheet(rows: SheetWriter, register: Register) -> None:
    rows.widths([26, 70])
    rows.write(["奖惩规则（考核模板）"], TITLE)
    rows.skip()
    for label, text in policy_said(register.policy, LANG):
        rows.write([label, text], [BOLD, WRAP])
