"""The demo's ledgers: accidents, hidden hazards, responsibility statements and task lists of
2025 and 2026 for the seeded places, recorded through the ledger services by the demo's people
and dated before the assessment story, whose ledger-fed indicators and vetoes read them.

What the assessments get from them (the 2026 county and township cycles):

- 桐乡市 330483: a larger accident (3 dead) in August 2026, so V1 fires;
- 海盐县 330424: a building-site accident of December 2025 concealed until June 2026, so V2;
- 嘉善县 330421: a major hazard listed for supervision and left past its deadline, so V3;
- every county and Nanhu's townships: rectification rates, overdue major hazards, task
  completion and statement coverage that differ from one unit to the next.

The units with a demo account keep their own ledgers (xjd-clerk, qixing-clerk, nanhu-office,
zhuanghe-office, gy-office); the units of the assessment story use the story's clerk; the others
are kept by the office above. The look-back is always someone other than the rectifier.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.calendar import LOCAL_TZ
from redline.config import Settings
from redline.db import unit_of_work
from redline.demo.assessments import COUNTY_STORIES, TOWNSHIP_STORIES, unit_clerk
from scoring.evidence import EvidenceStore
from scoring.ledgers.accidents import AccidentInput, correct_accident, record_accident
from scoring.ledgers.hazards import (
    HazardInput,
    delist_hazard,
    list_hazard,
    move_hazard,
    record_hazard,
)
from scoring.ledgers.history import EvidenceFile
from scoring.ledgers.models import (
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    ReportStatus,
    ResponsibilityStatement,
    Sector,
    TaskElement,
)
from scoring.ledgers.statements import EnterpriseInput, issue_statements, sign_statement
from scoring.ledgers.tasks import (
    ElementInput,
    PlanInput,
    SectionInput,
    complete_element,
    create_plan,
)
from tenants.access import Actor, load_actor
from tenants.models import TenantNode, User

# The ledgers stop before the assessment story starts (its first entries: 2026-11-05).
LAST_DAY = date(2026, 11, 4)

# The offices that keep and supervise ledgers below them, by unit.
OFFICES = {
    "330000": "zj-office",
    "330400": "jx-office",
    "330402": "nanhu-office",
    "510800": "gy-office",
    "210000": "ln-office",
    "210283": "zhuanghe-office",
}
# Units with a demo account of their own that keeps their ledgers.
OWN_ACCOUNTS = {
    "330402901": "xjd-clerk",
    "330402015": "qixing-clerk",
    "330402": "nanhu-office",
    "210283": "zhuanghe-office",
    "510800": "gy-office",
}
STORY_UNITS = frozenset(COUNTY_STORIES) | frozenset(TOWNSHIP_STORIES)


def _png() -> bytes:
    """A one-pixel PNG: the demo's stand-in for a site photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


SITE_PHOTO = _png()


def _at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in China on ``day``."""
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


def _day(text: str) -> date:
    return date.fromisoformat(text)


class _People:
    """The demo's people as actors, and who keeps and supervises each unit's ledgers."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = {u.username: u for u in session.scalars(select(User))}
        self.nodes = {n.code: n for n in session.scalars(select(TenantNode))}
        self._actors: dict[str, Actor] = {}
        self._clerks: dict[str, Actor] = {}

    def node(self, code: str) -> TenantNode:
        return self.nodes[code]

    def account(self, username: str) -> Actor:
        if username not in self._actors:
            self._actors[username] = load_actor(self.session, self.users[username])
        return self._actors[username]

    def keeper(self, code: str) -> Actor:
        """Who records and rectifies in the unit's ledgers."""
        if code in OWN_ACCOUNTS:
            return self.account(OWN_ACCOUNTS[code])
        if code in STORY_UNITS:
            if code not in self._clerks:
                self._clerks[code] = unit_clerk(self.session, self.users, self.nodes[code])
            return self._clerks[code]
        return self._offices(code, above=False)[0]

    def supervisor(self, code: str, rectifier: Actor | None = None) -> Actor:
        """The closest office above the unit, other than the rectifier (the look-back)."""
        return next(
            office
            for office in self._offices(code, above=True)
            if rectifier is None or office.user_id != rectifier.user_id
        )

    def _offices(self, code: str, *, above: bool) -> list[Actor]:
        """The offices of the unit (unless ``above``) and of its ancestors, closest first."""
        path = self.nodes[code].path.strip("/").split("/")
        codes = reversed(path[:-1] if above else path)
        return [self.account(OFFICES[c]) for c in codes if c in OFFICES]


# --- accidents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Accident:
    code: str
    occurred: str
    title: str
    sector: Sector
    deaths: int
    injuries: int
    loss_wan: int  # 万元, as reports print it
    status: ReportStatus = ReportStatus.ON_TIME
    discovered: str | None = None


R, B, F = Sector.ROAD_TRANSPORT, Sector.BUILDING_CONSTRUCTION, Sector.FIRE
LATE, CONCEALED = ReportStatus.LATE, ReportStatus.CONCEALED

ACCIDENTS = (
    # 2025
    _Accident("330402100", "2025-03-14", "凤桥镇三星村货车与电动自行车碰撞事故", R, 1, 0, 45),
    _Accident("330402009", "2025-05-22", "新嘉街道某商住楼项目高处坠落事故", B, 1, 0, 120),
    _Accident("330402101", "2025-08-07", "余新镇某纺织企业仓库火灾事故", F, 0, 2, 260),
    _Accident("330402901", "2025-10-19", "湘家荡区域某建设工地物体打击事故", B, 1, 1, 110),
    _Accident("330411101", "2025-02-26", "王江泾镇某物流公司货车侧翻事故", R, 1, 1, 60),
    _Accident("330411", "2025-06-30", "秀洲区某工业厂房改建项目坍塌事故", B, 2, 1, 300),
    _Accident("330411104", "2025-11-12", "新塍镇某家具企业火灾事故", F, 0, 0, 85),
    _Accident("330421", "2025-04-09", "嘉善县某危货运输车辆追尾事故", R, 1, 0, 70),
    _Accident("330421", "2025-09-03", "嘉善县某电子企业车间火灾事故", F, 1, 2, 410),
    _Accident("330424", "2025-03-28", "海盐县某核电配套项目起重伤害事故", B, 1, 0, 130),
    _Accident("330424", "2025-07-16", "海盐县某水产码头货车碾压事故", R, 1, 0, 50),
    _Accident(
        "330424",
        "2025-12-20",
        "海盐县某住宅项目脚手架坍塌事故",
        B,
        1,
        2,
        160,
        CONCEALED,
        "2026-06-18",
    ),
    _Accident("330481", "2025-01-18", "海宁市某皮革企业火灾事故", F, 0, 3, 520),
    _Accident("330481", "2025-05-11", "海宁市某经编企业运输车辆撞人事故", R, 1, 0, 55),
    _Accident("330481", "2025-08-25", "海宁市某商业综合体项目高处坠落事故", B, 1, 0, 115),
    _Accident("330481", "2025-10-30", "海宁市某渣土车侧翻事故", R, 2, 1, 140),
    _Accident("330482", "2025-04-21", "平湖市某重型货车与客车碰撞事故", R, 1, 3, 90),
    _Accident("330482", "2025-09-14", "平湖市某光伏项目触电事故", B, 1, 0, 100),
    _Accident("330483", "2025-02-08", "桐乡市某化纤企业仓库火灾事故", F, 0, 1, 380),
    _Accident("330483", "2025-06-17", "桐乡市某安置房项目坍塌事故", B, 1, 2, 140),
    _Accident("330483", "2025-11-05", "桐乡市某快递货车碾压事故", R, 1, 0, 48),
    # 2026
    _Accident("330402100", "2026-04-03", "凤桥镇某混凝土搅拌车侧翻事故", R, 1, 0, 52),
    _Accident("330402009", "2026-06-12", "新嘉街道某城中村改造项目高处坠落事故", B, 1, 0, 118),
    _Accident("330402013", "2026-09-21", "东栅街道某餐饮店火灾事故", F, 0, 2, 36),
    _Accident("330411101", "2026-03-19", "王江泾镇某货车与电动三轮车碰撞事故", R, 1, 0, 40),
    _Accident("330411", "2026-07-08", "秀洲区某厂房项目起重伤害事故", B, 1, 0, 125),
    _Accident("330421", "2026-05-15", "嘉善县某木业企业火灾事故", F, 1, 1, 280),
    _Accident("330421", "2026-10-09", "嘉善县某渣土车碾压事故", R, 1, 0, 45),
    _Accident("330424", "2026-02-24", "海盐县某物流园货车倒车碾压事故", R, 1, 0, 38),
    _Accident("330481", "2026-03-30", "海宁市某经编园区货车追尾事故", R, 1, 1, 66),
    _Accident("330481", "2026-05-27", "海宁市某安置房项目高处坠落事故", B, 1, 0, 112, LATE),
    _Accident("330481", "2026-09-02", "海宁市某纺织企业火灾事故", F, 0, 2, 340),
    _Accident("330482", "2026-06-23", "平湖市某货车与小客车碰撞事故", R, 1, 0, 58),
    _Accident("330483", "2026-01-27", "桐乡市某渣土车侧翻事故", R, 1, 0, 42),
    _Accident("330483", "2026-08-14", "桐乡市某在建厂房钢结构坍塌较大事故", B, 3, 4, 860),
)
# An injured worker died later: the accident is corrected, on record.
CORRECTED = ("海宁市某经编园区货车追尾事故", "2026-04-06", "伤者经抢救无效于4月5日死亡")


def _record_accidents(session: Session, people: _People) -> None:
    for accident in ACCIDENTS:
        occurred = _day(accident.occurred)
        if accident.status is ReportStatus.CONCEALED:
            assert accident.discovered is not None
            reported, recorded = None, _at(_day(accident.discovered), 16)
        elif accident.status is ReportStatus.LATE:
            reported = recorded = _at(occurred + timedelta(days=2), 11)
        else:
            reported = _at(occurred, 11)
            recorded = _at(occurred, 15)
        data = AccidentInput(
            occurred_on=occurred,
            title=accident.title,
            sector=accident.sector.value,
            deaths=accident.deaths,
            serious_injuries=accident.injuries,
            direct_loss=Decimal(accident.loss_wan * 10_000),
            report_status=accident.status.value,
            reported_at=reported,
            discovered_on=_day(accident.discovered) if accident.discovered else None,
        )
        clerk = people.keeper(accident.code)
        row = record_accident(session, clerk, people.node(accident.code), data, now=recorded)
        title, day, reason = CORRECTED
        if accident.title == title:
            correct_accident(
                session,
                clerk,
                row,
                replace(data, deaths=data.deaths + 1, serious_injuries=0),
                expected_version=row.version,
                reason=reason,
                now=_at(_day(day)),
            )


# --- hidden hazards --------------------------------------------------------------------------

# How each general hazard of a unit ends up (one letter each, oldest first):
#   C closed (rectified on the spot, looked back, closed)   V verified   R rectified, awaiting
#   the look-back   L rectified late, then verified and closed   B sent back by the look-back,
#   rectified again, verified   O rectifying past its deadline (overdue)   W rectifying, due at
#   the end of the year   P open, due at the end of the year
GENERAL_HAZARDS = (
    ("330402901", 2025, "CC"),
    ("330402901", 2026, "CCCCVVLBR"),
    ("330402015", 2025, "C"),
    ("330402015", 2026, "CCCVVRR"),
    ("330402007", 2026, "CCCVRR"),
    ("330402008", 2026, "CCVLOR"),
    ("330402009", 2025, "CC"),
    ("330402009", 2026, "CCVVLR"),
    ("330402010", 2026, "CCCVVLOR"),
    ("330402011", 2026, "CCCVR"),
    ("330402100", 2025, "CC"),
    ("330402100", 2026, "CCCCCVVVVLBRR"),
    ("330402012", 2026, "CVR"),
    ("330402013", 2026, "CCO"),
    ("330402014", 2026, "CVRP"),
    ("330402101", 2026, "CCV"),
    ("330402103", 2026, "CVW"),
    ("330402105", 2026, "CR"),
    ("330402", 2026, "CV"),
    ("330411", 2026, "CCCVVRL"),
    ("330411101", 2026, "CV"),
    ("330421", 2026, "CCVRLO"),
    ("330424", 2026, "CCVVR"),
    ("330481", 2025, "CC"),
    ("330481", 2026, "CCCVVRLB"),
    ("330482", 2025, "CC"),
    ("330482", 2026, "CCCVVR"),
    ("330483", 2026, "CCVRRO"),
    ("210283101", 2026, "CVB"),
    ("210283105", 2026, "CRO"),
)

# What self-inspections and checks typically find: sector, hazard, the kind of place.
GENERAL_FINDINGS = (
    (Sector.FIRE, "消防通道被杂物堵塞", "商贸综合体"),
    (Sector.BUILDING_CONSTRUCTION, "脚手架连墙件设置不足", "安置房项目工地"),
    (Sector.ROAD_TRANSPORT, "货运车辆动态监控装置不在线", "物流公司"),
    (Sector.FIRE, "安全出口疏散指示标志损坏", "宾馆"),
    (Sector.GAS, "燃气连接软管老化未更换", "餐饮店"),
    (Sector.BUILDING_CONSTRUCTION, "楼层临边防护栏杆缺失", "商住楼项目工地"),
    (Sector.FIRE, "电动自行车在楼道内违规充电", "出租房"),
    (Sector.CONFINED_SPACE, "有限空间作业未设置警示标识", "污水处理站"),
    (Sector.SPECIAL_EQUIPMENT, "叉车司机无证驾驶", "仓储企业"),
    (Sector.FIRE, "灭火器压力不足未及时更换", "纺织企业"),
    (Sector.ROAD_TRANSPORT, "驾驶员安全教育培训记录缺失", "客运公司"),
    (Sector.BUILDING_CONSTRUCTION, "施工用电未做到“一机一闸一漏”", "厂房改建工地"),
    (Sector.GAS, "未安装可燃气体泄漏报警装置", "农贸市场"),
    (Sector.HAZARDOUS_CHEMICALS, "危险化学品仓库物品混存", "化工经营企业"),
)


@dataclass(frozen=True)
class _Major:
    code: str
    found: str
    deadline: str
    sector: Sector
    title: str
    place: str
    fate: str  # C closed in time, L closed late, O rectifying past the deadline, W rectifying
    listed: bool  # listed for supervision (delisted once closed)


MAJOR_HAZARDS = (
    _Major(
        "330402009",
        "2025-07-03",
        "2025-10-31",
        Sector.BUILDING_CONSTRUCTION,
        "高支模工程未按专项施工方案搭设",
        "商住楼项目工地",
        "L",
        True,
    ),
    _Major(
        "330482",
        "2026-01-20",
        "2026-04-30",
        Sector.HAZARDOUS_CHEMICALS,
        "危险化学品码头装卸设施安全联锁未投用",
        "港区危化品码头",
        "C",
        True,
    ),
    _Major(
        "330402101",
        "2026-02-26",
        "2026-05-31",
        Sector.OTHER,
        "涉爆粉尘作业场所除尘系统未按规定设置",
        "纺织企业",
        "C",
        True,
    ),
    _Major(
        "330481",
        "2026-03-05",
        "2026-06-30",
        Sector.CONFINED_SPACE,
        "有限空间作业未落实审批和通风检测制度",
        "皮革企业",
        "O",
        False,
    ),
    _Major(
        "330402015",
        "2026-03-10",
        "2026-06-30",
        Sector.HAZARDOUS_CHEMICALS,
        "冷库液氨制冷系统未设置泄漏报警和紧急切断装置",
        "冷链物流企业",
        "C",
        True,
    ),
    _Major(
        "330421",
        "2026-04-08",
        "2026-07-31",
        Sector.HAZARDOUS_CHEMICALS,
        "储罐区可燃气体检测报警装置失效",
        "化工企业",
        "O",
        True,
    ),
    _Major(
        "210283101",
        "2026-04-11",
        "2026-07-31",
        Sector.HAZARDOUS_CHEMICALS,
        "液氨制冷车间未设置泄漏报警装置",
        "海产品加工企业",
        "C",
        True,
    ),
    _Major(
        "330402100",
        "2026-05-20",
        "2026-08-31",
        Sector.FIRE,
        "人员密集场所疏散通道被占用、安全出口封闭",
        "仓储企业",
        "O",
        False,
    ),
    _Major(
        "330402",
        "2026-06-02",
        "2026-12-31",
        Sector.GAS,
        "燃气储配站与周边建筑安全间距不足",
        "燃气储配站",
        "W",
        False,
    ),
    _Major(
        "330402901",
        "2026-09-18",
        "2027-03-31",
        Sector.HAZARDOUS_CHEMICALS,
        "游艇码头燃油储罐区未设置紧急切断装置",
        "游艇俱乐部",
        "W",
        True,
    ),
    _Major(
        "330424",
        "2026-10-12",
        "2027-02-28",
        Sector.BUILDING_CONSTRUCTION,
        "深基坑工程未按专项施工方案施工",
        "隧道工程项目",
        "W",
        False,
    ),
)

PLAN_NOTE = "制定整改方案，落实整改责任人、措施、资金、时限和应急预案"
RECTIFIED_NOTE = "已按要求整改到位，附整改后现场照片"
LOOKED_BACK_NOTE = "“回头看”复查：整改到位，同意销号"
SENT_BACK_NOTE = "“回头看”复查：整改不彻底，退回重新整改"
CLOSED_NOTE = "整改闭环，资料归档"
LISTED_NOTE = "重大事故隐患，挂牌督办，限期整改"
DELISTED_NOTE = "整改经验收合格，予以摘牌销号"

# A step of a hazard's rectification: days after it was found (or after its deadline, for
# late ones), the state it moves to, and who moves it ("keeper" or "supervisor").
Step = tuple[int, HazardState, str]
GENERAL_STEPS: dict[str, tuple[Step, ...]] = {
    "C": (
        (7, HazardState.RECTIFIED, "keeper"),
        (10, HazardState.VERIFIED, "supervisor"),
        (12, HazardState.CLOSED, "supervisor"),
    ),
    "V": ((7, HazardState.RECTIFIED, "keeper"), (10, HazardState.VERIFIED, "supervisor")),
    "R": ((7, HazardState.RECTIFIED, "keeper"),),
    "B": (
        (6, HazardState.RECTIFIED, "keeper"),
        (9, HazardState.RECTIFYING, "supervisor"),
        (15, HazardState.RECTIFIED, "keeper"),
        (18, HazardState.VERIFIED, "supervisor"),
    ),
    "O": ((3, HazardState.RECTIFYING, "keeper"),),
    "W": ((3, HazardState.RECTIFYING, "keeper"),),
    "P": (),
}
# Late ones count from the deadline once rectifying has started.
LATE_STEPS: tuple[Step, ...] = (
    (5, HazardState.RECTIFIED, "keeper"),
    (8, HazardState.VERIFIED, "supervisor"),
    (10, HazardState.CLOSED, "supervisor"),
)
GENERAL_DAYS = 20  # a general hazard's time to rectify
FIRST_FOUND, LAST_FOUND = (1, 8), (9, 30)  # found over the year, due before the story
LATE_FOUND = (10, 12)  # found in autumn, due at the end of the year


@dataclass(frozen=True)
class _HazardPlan:
    """One hazard to record and the steps it goes through."""

    code: str
    data: HazardInput
    steps: tuple[tuple[date, HazardState, str], ...]
    listed: bool = False


def _general_plans(people: _People) -> Iterator[_HazardPlan]:
    for code, year, fates in GENERAL_HAZARDS:
        node = people.node(code)
        spread = [f for f in fates if f not in "WP"]  # found over the year
        first, last = date(year, *FIRST_FOUND), date(year, *LAST_FOUND)
        spacing = (last - first).days // max(len(spread) - 1, 1)
        placed = later = 0
        for index, fate in enumerate(fates):
            if fate in "WP":
                found = date(year, *LATE_FOUND) + timedelta(days=3 * later)
                deadline = date(year, 12, 31)
                later += 1
            else:
                found = first + timedelta(days=spacing * placed)
                deadline = found + timedelta(days=GENERAL_DAYS)
                placed += 1
            sector, title, place = GENERAL_FINDINGS[
                (index + int(code[-3:])) % len(GENERAL_FINDINGS)
            ]
            source = (
                HazardSource.DEPARTMENT_INSPECTION
                if index % 5 == 3
                else HazardSource.SPOT_CHECK
                if index % 7 == 5
                else HazardSource.SELF_INSPECTION
            )
            if fate == "L":
                steps = (
                    (found + timedelta(days=3), HazardState.RECTIFYING, "keeper"),
                    *((deadline + timedelta(days=days), to, who) for days, to, who in LATE_STEPS),
                )
            else:
                steps = tuple(
                    (found + timedelta(days=days), to, who) for days, to, who in GENERAL_STEPS[fate]
                )
            yield _HazardPlan(
                code,
                HazardInput(
                    title=title,
                    sector=sector.value,
                    source=source.value,
                    severity=HazardSeverity.GENERAL.value,
                    found_on=found,
                    deadline=deadline,
                    place=f"{node.name_zh}某{place}",
                ),
                steps,
            )


def _major_plans(people: _People) -> Iterator[_HazardPlan]:
    for major in MAJOR_HAZARDS:
        found, deadline = _day(major.found), _day(major.deadline)
        steps: list[tuple[date, HazardState, str]] = [
            (found + timedelta(days=5), HazardState.RECTIFYING, "keeper")
        ]
        done = {"C": deadline - timedelta(days=12), "L": deadline + timedelta(days=20)}
        if major.fate in done:
            rectified = done[major.fate]
            steps += [
                (rectified, HazardState.RECTIFIED, "keeper"),
                (rectified + timedelta(days=5), HazardState.VERIFIED, "supervisor"),
                (rectified + timedelta(days=7), HazardState.CLOSED, "supervisor"),
            ]
        yield _HazardPlan(
            major.code,
            HazardInput(
                title=major.title,
                sector=major.sector.value,
                source=HazardSource.DEPARTMENT_INSPECTION.value,
                severity=HazardSeverity.MAJOR.value,
                found_on=found,
                deadline=deadline,
                place=f"{people.node(major.code).name_zh}某{major.place}",
                description="经专家论证判定为重大事故隐患",
            ),
            tuple(steps),
            listed=major.listed,
        )


def _evidence(hazard: Hazard, to: HazardState) -> list[EvidenceFile]:
    """A site photo when rectified; a major hazard's acceptance report beside it."""
    if to is not HazardState.RECTIFIED:
        return []
    files = [EvidenceFile("整改后现场照片.png", "image/png", SITE_PHOTO)]
    if hazard.severity is HazardSeverity.MAJOR:
        report = f"重大事故隐患整改验收报告\n隐患：{hazard.title}\n地点：{hazard.place}\n"
        files.append(EvidenceFile("整改验收报告.txt", "text/plain", report.encode()))
    return files


NOTES = {
    HazardState.RECTIFYING: PLAN_NOTE,
    HazardState.RECTIFIED: RECTIFIED_NOTE,
    HazardState.VERIFIED: LOOKED_BACK_NOTE,
    HazardState.CLOSED: CLOSED_NOTE,
}


def _record_hazards(session: Session, people: _People, settings: Settings) -> None:
    store = EvidenceStore(settings.attachment_dir)
    plans = sorted(
        (*_general_plans(people), *_major_plans(people)),
        key=lambda p: (p.data.found_on, p.code),
    )
    for plan in plans:
        keeper = people.keeper(plan.code)
        found = plan.data.found_on
        assert found is not None
        hazard = record_hazard(session, keeper, people.node(plan.code), plan.data, now=_at(found))
        if plan.listed:
            list_hazard(
                session,
                people.supervisor(plan.code),
                hazard,
                note=LISTED_NOTE,
                expected_version=hazard.version,
                now=_at(found + timedelta(days=3)),
            )
        for day, to, who in plan.steps:
            assert day <= LAST_DAY, (plan.data.title, day)
            actor = keeper if who == "keeper" else people.supervisor(plan.code, keeper)
            sent_back = hazard.state is HazardState.RECTIFIED and to is HazardState.RECTIFYING
            move_hazard(
                session,
                actor,
                hazard,
                to,
                note=SENT_BACK_NOTE if sent_back else NOTES[to],
                files=_evidence(hazard, to),
                expected_version=hazard.version,
                store=store,
                settings=settings,
                now=_at(day, 15),
            )
        if plan.listed and hazard.state is HazardState.CLOSED:
            delist_hazard(
                session,
                people.supervisor(plan.code),
                hazard,
                note=DELISTED_NOTE,
                expected_version=hazard.version,
                now=_at(plan.steps[-1][0], 16),
            )


# --- responsibility statements ---------------------------------------------------------------


@dataclass(frozen=True)
class _Statements:
    """The 2026 statements one unit issues: to units directly below it and to enterprises of
    its territory; the ones still unsigned are named."""

    issuer: str
    issued: str
    units: tuple[str, ...] = ()
    enterprises: int = 0
    unsigned_units: tuple[str, ...] = ()
    unsigned_enterprises: int = 0  # the last ones issued
    all_units: bool = False  # to every unit directly below it


STATEMENT_YEAR = 2026
UNIT_TITLE = f"{STATEMENT_YEAR}年度安全生产目标管理责任书"
ENTERPRISE_TITLE = f"{STATEMENT_YEAR}年度企业安全生产主体责任书"
JIAXING_COUNTIES = ("330402", "330411", "330421", "330424", "330481", "330482", "330483")
STATEMENTS = (
    _Statements("330000", "2026-01-16", ("330100", "330400", "330500", "330600"), 2),
    _Statements("330400", "2026-02-10", JIAXING_COUNTIES, 2),
    _Statements(
        "330402",
        "2026-02-25",
        all_units=True,
        enterprises=3,
        unsigned_units=("330402013", "330402105"),
        unsigned_enterprises=1,
    ),
    _Statements("330411", "2026-02-27", ("330411101", "330411104", "330411105"), 2),
    _Statements("330421", "2026-03-02", enterprises=4, unsigned_enterprises=1),
    _Statements("330424", "2026-03-02", enterprises=4),
    _Statements("330481", "2026-02-28", enterprises=5, unsigned_enterprises=1),
    _Statements("330482", "2026-02-26", enterprises=4),
    _Statements("330483", "2026-03-03", enterprises=5, unsigned_enterprises=1),
    _Statements("330402901", "2026-03-06", enterprises=4),
    _Statements("330402015", "2026-03-09", enterprises=3, unsigned_enterprises=1),
    _Statements("330402007", "2026-03-10", enterprises=2),
    _Statements("330402008", "2026-03-10", enterprises=3, unsigned_enterprises=1),
    _Statements("330402009", "2026-03-11", enterprises=2),
    _Statements("330402010", "2026-03-11", enterprises=3),
    _Statements("330402011", "2026-03-12", enterprises=2),
    _Statements("330402100", "2026-03-12", enterprises=4),
)
# The enterprises a unit signs with, by kind of business (named "<unit>某<kind>").
ENTERPRISE_KINDS = (
    ("建筑工程有限公司", Sector.BUILDING_CONSTRUCTION),
    ("物流有限公司", Sector.ROAD_TRANSPORT),
    ("化工有限公司", Sector.HAZARDOUS_CHEMICALS),
    ("燃气有限公司", Sector.GAS),
    ("酒店管理有限公司", Sector.FIRE),
    ("纺织科技有限公司", Sector.OTHER),
)


def _issue_statements(session: Session, people: _People) -> None:
    for plan in STATEMENTS:
        node = people.node(plan.issuer)
        issued = _day(plan.issued)
        keeper = people.keeper(plan.issuer)
        statements: list[ResponsibilityStatement] = []
        if plan.units or plan.all_units:
            statements += issue_statements(
                session,
                keeper,
                node,
                year=STATEMENT_YEAR,
                title=UNIT_TITLE,
                units=plan.units,
                all_units=plan.all_units,
                now=_at(issued),
            )
        enterprises = [
            EnterpriseInput(f"{node.name_zh}某{kind}", sector.value)
            for kind, sector in ENTERPRISE_KINDS[: plan.enterprises]
        ]
        if enterprises:
            statements += issue_statements(
                session,
                keeper,
                node,
                year=STATEMENT_YEAR,
                title=ENTERPRISE_TITLE,
                enterprises=enterprises,
                now=_at(issued, 11),
            )
        unsigned_enterprises = {
            e.name for e in enterprises[len(enterprises) - plan.unsigned_enterprises :]
        }
        unsigned_units = {people.node(code).id for code in plan.unsigned_units}
        for number, statement in enumerate(statements):
            if (
                statement.counterparty_node_id in unsigned_units
                or statement.enterprise in unsigned_enterprises
            ):
                continue
            signed = issued + timedelta(days=5 + number % 10)
            sign_statement(
                session,
                keeper,
                statement,
                signed_on=signed,
                expected_version=statement.version,
                now=_at(signed, 16),
            )


# --- task lists ------------------------------------------------------------------------------

# A task: its wording, its deadline, and the units responsible for it, each "code:fate" (one task
# element each). Fates: D done in time, L done late, O overdue (still pending past the deadline),
# P pending (not due yet).
Task = tuple[str, str, tuple[str, ...]]
Project = tuple[str, tuple[Task, ...]]
Topic = tuple[str, tuple[Task, ...], tuple[Project, ...]]

JIAXING_TOPICS: tuple[Topic, ...] = (
    (
        "压实安全生产责任",
        (),
        (
            (
                "安全生产责任体系建设",
                (
                    (
                        "修订党政领导干部安全生产职责清单并印发",
                        "2026-03-31",
                        ("330402:D", "330411:D", "330421:L"),
                    ),
                    (
                        "落实乡镇（街道）安全生产“五有”规范化建设",
                        "2026-06-30",
                        ("330402901:D", "330402015:D", "330402010:O"),
                    ),
                ),
            ),
            (
                "重大事故隐患动态清零",
                (
                    (
                        "建立重大事故隐患动态清零台账并按月报送",
                        "2026-04-30",
                        ("330424:D", "330481:D", "330482:D", "330483:D"),
                    ),
                    (
                        "开展已整改隐患“回头看”复查",
                        "2026-09-30",
                        ("330402100:D", "330402008:O"),
                    ),
                ),
            ),
        ),
    ),
    (
        "重点行业领域专项整治",
        (),
        (
            (
                "道路交通安全整治",
                (
                    (
                        "重点货运企业车辆动态监控接入率达到100%",
                        "2026-06-30",
                        ("330411:D", "330421:O"),
                    ),
                    (
                        "完善农村公路临水临崖路段安全防护设施",
                        "2026-09-30",
                        ("330424:D", "330483:D"),
                    ),
                ),
            ),
            (
                "建筑施工安全整治",
                (
                    (
                        "深基坑、高支模等危大工程专项检查全覆盖",
                        "2026-05-31",
                        ("330481:L", "330482:D", "330402009:D"),
                    ),
                    (
                        "老旧小区改造工地安全巡查每月不少于一次",
                        "2026-08-31",
                        ("330402007:D", "330402011:D"),
                    ),
                ),
            ),
            (
                "消防安全整治",
                (
                    ("“九小场所”消防安全检查全覆盖", "2026-10-31", ("330402901:D", "330402015:O")),
                    ("高层建筑消防设施维护保养检测", "2026-10-31", ("330481:D", "330483:O")),
                ),
            ),
            (
                "危险化学品和燃气安全整治",
                (
                    (
                        "餐饮场所燃气泄漏报警装置安装全覆盖",
                        "2026-12-31",
                        ("330482:D", "330402:P"),
                    ),
                    (
                        "危化品企业安全风险分级管控“一企一策”",
                        "2026-12-31",
                        ("330421:D", "330424:P"),
                    ),
                    ("城镇燃气老旧管网更新改造", "2026-12-31", ("330411:D", "330402009:D")),
                ),
            ),
        ),
    ),
)

# Guangyuan's three-year plan, shaped like the seed report: 1 general plan, 2 special topics,
# 13 special projects; each task element with a responsible unit and a time limit.
GUANGYUAN_PHASES = (
    ("排查整治：建立问题隐患和制度措施“两个清单”", "2025-12-31"),
    ("集中攻坚：重点难点问题整治到位", "2026-12-31"),
    ("巩固提升：形成长效工作机制", "2027-12-31"),
)
GUANGYUAN_PROJECTS = (
    ("危险化学品安全专项整治", "510800-YJJ", "510802"),
    ("煤矿安全专项整治", "510821", "510812"),
    ("非煤矿山安全专项整治", "510822", "510811"),
    ("消防安全专项整治", "510802", "510824"),
    ("道路运输安全专项整治", "510823", "510821"),
    ("交通运输（民航、铁路、水上）安全专项整治", "510812", "510802"),
    ("工业园区等功能区安全专项整治", "510824", "510811"),
    ("城市建设安全专项整治", "510802", "510823"),
    ("危险废物等安全专项整治", "510800-YJJ", "510822"),
    ("建筑施工安全专项整治", "510811", "510824"),
    ("燃气安全专项整治", "510802", "510821"),
    ("旅游安全专项整治", "510823", "510812"),
    ("特种设备安全专项整治", "510800-YJJ", "510822"),
)
GUANGYUAN_COUNTIES = ("510802", "510811", "510812", "510821", "510822", "510823", "510824")


def _guangyuan_topics() -> tuple[Topic, ...]:
    """The two topics; the second holds the 13 projects, each taken through the phases: the
    first phase done (two late), the second half done, the third pending."""
    projects: list[Project] = []
    for number, (title, lead, county) in enumerate(GUANGYUAN_PROJECTS):
        (first, first_due), (second, second_due), (third, third_due) = GUANGYUAN_PHASES
        tasks: list[Task] = [
            (first, first_due, (f"{lead}:{'L' if number in (2, 9) else 'D'}",)),
            (second, second_due, (f"{county}:{'D' if number % 2 else 'P'}",)),
        ]
        if number < 6:
            tasks.append((third, third_due, (f"{lead}:P",)))
        projects.append((title, tuple(tasks)))
    return (
        (
            "学习宣传贯彻习近平总书记关于安全生产重要论述",
            (
                ("组织党委（党组）理论学习中心组专题学习", "2025-09-30", ("510800-YJJ:D",)),
                (
                    "将安全生产纳入党校（行政学院）干部培训主体班次",
                    "2025-12-31",
                    ("510802:D", "510823:D"),
                ),
            ),
            (),
        ),
        (
            "落实安全生产责任",
            (
                (
                    "制定县（区）安全生产权力和责任清单",
                    "2026-06-30",
                    tuple(
                        f"{code}:{'O' if code == '510812' else 'D'}" for code in GUANGYUAN_COUNTIES
                    ),
                ),
            ),
            tuple(projects),
        ),
    )


NUMERALS = "一二三四五六七八九十"


def _chinese(number: int) -> str:
    """1..19 as written in section titles."""
    if number <= 10:
        return NUMERALS[number - 1]
    return "十" + NUMERALS[number - 11]


def _elements(
    prefix: str, tasks: tuple[Task, ...], fates: dict[str, str]
) -> tuple[ElementInput, ...]:
    elements = []
    for task_number, (title, deadline, units) in enumerate(tasks, start=1):
        for unit_number, unit in enumerate(units, start=1):
            code, fate = unit.split(":")
            element_code = f"{prefix}.{task_number}.{unit_number}"
            fates[element_code] = fate
            elements.append(ElementInput(element_code, title, code, _day(deadline)))
    return tuple(elements)


def _plan_input(
    title: str, start: date, end: date, topics: tuple[Topic, ...]
) -> tuple[PlanInput, dict[str, str]]:
    """A plan of numbered topics (专题) and projects (专项, numbered through the plan), and each
    element's fate by its code."""
    fates: dict[str, str] = {}
    sections = []
    project_number = 0
    for topic_number, (topic, tasks, projects) in enumerate(topics, start=1):
        children = []
        for project, project_tasks in projects:
            project_number += 1
            children.append(
                SectionInput(
                    f"P{project_number}",
                    f"专项{_chinese(project_number)}：{project}",
                    "project",
                    elements=_elements(f"P{project_number}", project_tasks, fates),
                )
            )
        sections.append(
            SectionInput(
                f"T{topic_number}",
                f"专题{_chinese(topic_number)}：{topic}",
                "topic",
                sections=tuple(children),
                elements=_elements(f"T{topic_number}", tasks, fates),
            )
        )
    return PlanInput(title, start, end, sections=tuple(sections)), fates


PLANS = (
    (
        "330400",
        "2026-02-15",
        "嘉兴市2026年安全生产治本攻坚重点任务清单",
        ("2026-01-01", "2026-12-31"),
        JIAXING_TOPICS,
    ),
    (
        "510800",
        "2025-07-14",
        "广元市安全生产专项整治三年行动重点任务清单（2025—2027年）",
        ("2025-01-01", "2027-12-31"),
        _guangyuan_topics(),
    ),
)
DONE_NOTE = "已按时限完成，附工作总结"
LATE_NOTE = "逾期完成，已说明原因并附工作总结"


def _issue_plans(session: Session, people: _People, settings: Settings) -> None:
    store = EvidenceStore(settings.attachment_dir)
    for owner, issued, title, (start, end), topics in PLANS:
        data, fates = _plan_input(title, _day(start), _day(end), topics)
        plan = create_plan(
            session, people.keeper(owner), people.node(owner), data, now=_at(_day(issued))
        )
        elements = session.scalars(
            select(TaskElement).where(TaskElement.plan_id == plan.id).order_by(TaskElement.position)
        ).all()
        codes = {n.id: n.code for n in people.nodes.values()}
        for element in elements:
            fate = fates[element.code]
            if fate not in "DL":
                continue
            day = element.deadline + timedelta(days=12 if fate == "L" else -9)
            day = min(day, LAST_DAY)
            keeper = people.keeper(codes[element.node_id])
            report = f"{element.title}\n责任单位：{codes[element.node_id]}\n完成日期：{day}\n"
            complete_element(
                session,
                keeper,
                element,
                note=LATE_NOTE if fate == "L" else DONE_NOTE,
                files=[EvidenceFile("工作总结.txt", "text/plain", report.encode())],
                expected_version=element.version,
                store=store,
                settings=settings,
                now=_at(day, 16),
            )


def load_demo_ledgers(session: Session, *, settings: Settings | None = None) -> None:
    """Record the demo's ledgers (after the places and demo users, before the assessments).
    ``settings`` says where evidence files go (default: from the environment)."""
    settings = settings or Settings.from_env()
    people = _People(session)
    for code in sorted(STORY_UNITS):
        people.keeper(code)  # the story's clerks exist before anything is recorded
    with unit_of_work(session):
        _record_accidents(session, people)
    with unit_of_work(session):
        _record_hazards(session, people, settings)
    with unit_of_work(session):
        _issue_statements(session, people)
    with unit_of_work(session):
        _issue_plans(session, people, settings)
