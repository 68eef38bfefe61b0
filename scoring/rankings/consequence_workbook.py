"""The consequences register (奖惩登记) as an Excel workbook: one row per unit and consequence."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from redline.workbooks import RowWriter
from scoring.rankings import reasons
from scoring.rankings.consequences import Register
from scoring.rankings.register_lines import (
    CONSEQUENCES,
    policy_said,
    register_lines,
    register_state,
)
from scoring.rankings.workbook import (
    HEADER_ALIGNMENT,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    NUMBER,
    TITLE_FONT,
)

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
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = REGISTER_SHEET
    _register_sheet(sheet, session, register)
    _policy_sheet(workbook.create_sheet(POLICY_SHEET), register)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def _register_sheet(sheet: Worksheet, session: Session, register: Register) -> None:
    rows = RowWriter(sheet)
    rows.write([f"{register.cycle.name} 奖惩登记"])
    sheet.cell(row=rows.count, column=1).font = TITLE_FONT
    rows.write([heading(register)])
    sheet.cell(row=rows.count, column=1).font = NOTE_FONT
    rows.skip()
    header = rows.write([label for label, _, _ in COLUMNS])
    for index, (_, width, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header, column=index)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"D{header + 1}"
    wraps = [wrap for _, _, wrap in COLUMNS]
    labels = reasons.LABELS[LANG]
    lines = register_lines(session, register, LANG)
    for line in lines:
        number = rows.write(
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
            wraps,
        )
        sheet.cell(row=number, column=4).number_format = NUMBER
    if not lines:
        rows.write(["本周期尚未发布排名" if register.snapshot is None else "无奖惩事项"])


def _policy_sheet(sheet: Worksheet, register: Register) -> None:
    rows = RowWriter(sheet)
    rows.write(["奖惩规则（考核模板）"])
    sheet.cell(row=rows.count, column=1).font = TITLE_FONT
    rows.skip()
    for label, text in policy_said(register.policy, LANG):
        number = rows.write([label, text], [False, True])
        sheet.cell(row=number, column=1).font = HEADER_FONT
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 70
