"""The consequences register (奖惩登记) as Excel and as a printed PDF, on both backends: every
unit and consequence with its grounds in Chinese (a commendation's rank and total, a veto's rule
and reason, a yellow card, a total below the qualified line with the overdue hazards), a barred
unit's last day, the policy; a preview before the cycle closes; none of it for another
province."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from strawberry.relay import GlobalID

from redline.db import writer_sessions
from scoring.evidence import FolderStore
from scoring.jobs.printing import run_report
from scoring.rankings.consequence_workbook import consequence_workbook
from scoring.rankings.consequences import consequence_register
from tests.factories.api import ERRORS, GraphQLClient, gid, ok, signed_in
from tests.factories.consequences import (
    BARRED_UNTIL,
    FENGQIAO,
    JIANSHE,
    JIEFANG,
    QIXING,
    XJD,
    RegisterWorld,
    register_world,
)
from tests.factories.tenants import actor

VETO = "一票否决：较大事故 A larger accident in the period：8月较大事故一起"
YELLOW = "黄牌警告：通报批评 Criticised by the province：台账造假"
PRINT = f"""
mutation($input: PrintConsequenceRegisterInput!) {{
  printConsequenceRegister(input: $input) {{
    report {{ id kind language filename downloadUrl jobRun {{ id state }} }} {ERRORS}
  }}
}}
"""
REPORT = """
query($id: ID!) { node(id: $id) { ... on Report { id kind filename downloadUrl
                                                  jobRun { state error } } } }
"""


@pytest.fixture
def closed(world: Session, sessions) -> RegisterWorld:
    return register_world(world, sessions)


def _sheet_rows(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_the_workbook_has_a_row_per_unit_and_consequence_with_chinese_grounds(
    world: Session, closed: RegisterWorld
):
    register = consequence_register(
        world, actor(world, "nanhu-office"), closed.cycle.id, closed.owner_id
    )
    sheets = _sheet_rows(consequence_workbook(world, register))
    assert list(sheets) == ["奖惩登记", "奖惩规则"]
    rows = sheets["奖惩登记"]
    assert rows[0][0] == "2026 township assessment 奖惩登记"
    assert rows[1][0] == (
        "范围：330402 南湖区 · 排名版本：v1 · 最终（周期于 2026-12-01 关闭） · 决定日期：2026-12-01"
    )
    assert rows[3] == ("名次", "单位编码", "单位", "总分", "等次", "奖惩", "依据", "期限至", "组别")
    lines = [row for row in rows[4:] if row[0] is not None]
    assert [(row[1], row[5]) for row in lines] == [
        (JIANSHE, "通报表扬"),  # the quota of one: 解放街道 (91, excellent) is not commended
        (QIXING, "约谈主要负责人"),  # a yellow card: interviewed, neither criticised nor commended
        (FENGQIAO, "通报批评"),
        (XJD, "通报批评"),
        (XJD, "约谈主要负责人"),
        (XJD, "取消评优评先及提拔资格"),
    ]
    assert JIEFANG not in {row[1] for row in lines}
    commended, yellow, unqualified, *vetoed = lines
    assert commended[:5] == (1, JIANSHE, "建设街道", 95, "优秀")
    assert commended[6] == "在南湖区内排名第 1 名（共 14 名）；95.00 分，优秀"
    assert commended[7] is None
    assert yellow[6] == YELLOW and yellow[4] == "优秀"
    assert unqualified[6] == "55.00 分，低于合格线 60.00 分；重大隐患逾期未整改 1 项"
    assert [row[6] for row in vetoed] == [VETO] * 3
    assert vetoed[0][4] == "不合格"
    assert [row[7] for row in vetoed][:2] == [None, None]
    barred = vetoed[2][7]
    assert barred.date() == BARRED_UNTIL == date(2027, 11, 30)
    policy = {row[0]: row[1] for row in sheets["奖惩规则"][2:]}
    assert policy == {
        "通报表扬": "按名次前 1 个优秀且未被一票否决、未受黄牌警告的单位",
        "通报批评": "一票否决、考核不合格、挂牌重大隐患逾期未整改",
        "约谈主要负责人": "一票否决、黄牌警告",
        "取消评优评先及提拔资格": "一票否决单位的主要负责人，自周期关闭之日起 12 个月",
        "事后追溯否决": "无",
    }


def test_an_open_cycle_s_workbook_is_a_preview_without_a_last_day(world: Session, sessions):
    opened = register_world(world, sessions, close=False)
    register = consequence_register(
        world, actor(world, "jx-office"), opened.cycle.id, opened.owner_id
    )
    rows = _sheet_rows(consequence_workbook(world, register))["奖惩登记"]
    assert "预览（周期未关闭）" in rows[1][0] and "决定日期：—" in rows[1][0]
    barred = [row for row in rows[4:] if row[5] == "取消评优评先及提拔资格"]
    assert [(row[1], row[7]) for row in barred] == [(XJD, None)]


# --- the printed register --------------------------------------------------------------------


def _print(client: GraphQLClient, cycle: int, scope: int, language: str = "ZH") -> dict:
    answer = client.execute(
        PRINT,
        {
            "input": {
                "cycleId": gid("Cycle", cycle),
                "scopeId": gid("Tenant", scope),
                "language": language,
            }
        },
    )
    return ok(answer)["printConsequenceRegister"]


def _printed(client: GraphQLClient, payload: dict, sessions, runtime):
    """Run the payload's REPORT job as the worker would and GET the file."""
    assert payload["errors"] == [], payload
    report = payload["report"]
    store = FolderStore(runtime.settings.attachment_dir)
    run_report(
        writer_sessions(sessions), int(GlobalID.from_id(report["jobRun"]["id"]).node_id), store
    )
    node = ok(client.execute(REPORT, {"id": report["id"]}))["node"]
    assert node["jobRun"]["state"] == "SUCCEEDED", node
    return client.http.get(node["downloadUrl"])


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


def test_the_register_prints_every_consequence_with_its_grounds_in_chinese(
    world: Session, closed: RegisterWorld, make_gql, sessions, runtime
):
    client = signed_in(make_gql, "nanhu-office")
    payload = _print(client, closed.cycle.id, closed.owner_id)
    assert payload["report"]["kind"] == "CONSEQUENCES"
    response = _printed(client, payload, sessions, runtime)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf" and response.data[:5] == b"%PDF-"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=consequences-{closed.cycle.id}-330402-zh.pdf"
    )
    text = _text(response.data)
    assert "安全生产工作考核奖惩登记" in text
    assert "南湖区（330402）" in text and "2026townshipassessment" in text
    assert "最终（周期于2026-12-01关闭）" in text
    assert "奖惩规则" in text and "按名次前1个优秀且未被一票否决、未受黄牌警告的单位" in text
    for heading in ("通报表扬（1个单位）", "通报批评（2个单位）", "约谈主要负责人（2个单位）"):
        assert heading in text
    assert "取消评优评先及提拔资格（1个单位）" in text
    for name in ("建设街道", "七星街道", "凤桥镇", "湘家荡区域"):
        assert name in text
    assert "解放街道" not in text
    assert "在南湖区内排名第1名（共14名）" in text
    assert "55.00分，低于合格线60.00分" in text and "重大隐患逾期未整改1项" in text
    assert re.sub(r"\s+", "", YELLOW) in text
    assert text.count("8月较大事故一起") == 3
    assert "2027-11-30" in text
    assert "预览" not in text


def test_the_register_prints_in_english_and_as_a_preview_while_the_cycle_is_open(
    world: Session, sessions, make_gql, runtime
):
    opened = register_world(world, sessions, close=False)
    client = signed_in(make_gql, "jx-office")
    payload = _print(client, opened.cycle.id, opened.owner_id, "EN")
    text = _text(_printed(client, payload, sessions, runtime).data)
    assert "Work-safetyassessment:consequencesregister" in text
    assert "preview(thecycleisopen)" in text
    assert "Commendation(1)" in text and "Criticism(2)" in text
    assert "JiansheSubdistrict" in text and "rank1of14inNanhuDistrict" in text
    assert "55.00points,belowthequalified60.00" in text


def test_another_province_neither_prints_nor_fetches_the_register(
    world: Session, closed: RegisterWorld, make_gql, sessions, runtime
):
    sichuan = signed_in(make_gql, "sc-office")
    refused = _print(sichuan, closed.cycle.id, closed.owner_id)
    assert refused["report"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("cycleId", "NOT_FOUND")]
    # Nanhu's own print is not Sichuan's to fetch, by its URL or its id.
    nanhu = signed_in(make_gql, "nanhu-office")
    printed = _printed(nanhu, _print(nanhu, closed.cycle.id, closed.owner_id), sessions, runtime)
    assert printed.status_code == 200
    url = printed.request.path
    assert sichuan.http.get(url).status_code == 404
    assert ok(sichuan.execute(REPORT, {"id": url.rsplit("/", 1)[1]}))["node"] is None
