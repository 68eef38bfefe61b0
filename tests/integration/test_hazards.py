"""The hidden-hazard ledger on both backends: recording and its checks, every move of the
rectification workflow (legal and not), evidence, the look-back by someone other than the
rectifier, listing and delisting, the overdue flag and the tally definitions, statistics,
permissions by role and node."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.config import Settings
from redline.errors import DomainError, ErrorCode
from scoring.assessments.review import add_spot_check, finding_ref
from scoring.evidence import EvidenceStore
from scoring.ledgers.figures.hazards import (
    hazard_statistics,
    hazard_tally,
    is_overdue,
    overdue_condition,
)
from scoring.ledgers.hazards import (
    MOVES,
    HazardInput,
    delist_hazard,
    list_hazard,
    move_hazard,
    record_hazard,
)
from scoring.ledgers.history import EvidenceFile, history
from scoring.ledgers.models import (
    Hazard,
    HazardSeverity,
    HazardSource,
    HazardState,
    LedgerAttachment,
    LedgerEvent,
    LedgerSubject,
    Sector,
)
from tenants.access import Actor
from tenants.models import TenantNode
from tests.factories.assessments import assessment_of, open_sample_cycle
from tests.factories.checks import count, problems_of
from tests.factories.tenants import actor, node, scoped_session

D = Decimal
XJD = "330402901"
QIXING = "330402015"
NANHU = "330402"
# 10:00 on 2026-06-15 in China.
NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)
PDF = EvidenceFile("整改验收报告.pdf", "application/pdf", b"%PDF-1.4\n% rectified\n%%EOF\n")
PHOTO = EvidenceFile(
    "现场照片.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
)
S, R, RD, V, C = (
    HazardState.OPEN,
    HazardState.RECTIFYING,
    HazardState.RECTIFIED,
    HazardState.VERIFIED,
    HazardState.CLOSED,
)


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of a day in China, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def who(session: Session, username: str | None) -> Actor | None:
    return actor(session, username) if username else None


def data(
    severity: str = "general",
    *,
    found_on: date | None = date(2026, 6, 1),
    deadline: date | None = date(2026, 6, 30),
    sector: str = "hazardous_chemicals",
    source: str = "self_inspection",
    title: str = "储罐区可燃气体报警器失效",
    **changes: str,
) -> HazardInput:
    return HazardInput(
        title=title,
        sector=sector,
        source=source,
        severity=severity,
        found_on=found_on,
        deadline=deadline,
        place=changes.get("place", "嘉兴某化工有限公司"),
        description=changes.get("description", "2号储罐区报警器未联动"),
    )


def record(
    session: Session,
    severity: str = "general",
    *,
    by: str | None = "xjd-clerk",
    code: str = XJD,
    now: datetime = NOW,
    **fields,
) -> Hazard:
    hazard = record_hazard(
        session, who(session, by), node(session, code), data(severity, **fields), now=now
    )
    session.commit()
    return hazard


def move(
    session: Session,
    hazard: Hazard,
    to: HazardState,
    by: str | None,
    store: EvidenceStore,
    settings: Settings,
    *,
    files: Sequence[EvidenceFile] | None = None,
    note: str = "按方案整改",
    now: datetime = NOW,
) -> Hazard:
    if files is None:
        files = [PDF] if to is RD else []
    moved = move_hazard(
        session,
        who(session, by),
        hazard,
        to,
        note=note,
        files=files,
        expected_version=hazard.version,
        store=store,
        settings=settings,
        now=now,
    )
    session.commit()
    return moved


def events(session: Session, hazard: Hazard) -> list[LedgerEvent]:
    return history(session, LedgerSubject.HAZARD, hazard.id)


def snapshot(session: Session, hazard: Hazard) -> tuple:
    """What a refused call must leave as it was."""
    session.rollback()
    return (
        hazard.state,
        hazard.version,
        hazard.listed,
        hazard.rectified_at,
        count(session, LedgerEvent),
        count(session, LedgerAttachment),
    )


def at_state(
    session: Session,
    state: HazardState,
    store: EvidenceStore,
    settings: Settings,
    severity: str = "major",
) -> Hazard:
    """A hazard of Xiangjiadang taken to ``state`` by the system."""
    hazard = record(session, severity)
    path = {S: [], R: [R], RD: [R, RD], V: [R, RD, V], C: [R, RD, V, C]}[state]
    for step in path:
        move(session, hazard, step, None, store, settings)
    return hazard


# --- recording -------------------------------------------------------------------------------


def test_a_keeper_records_a_hazard(world: Session):
    hazard = record(world, "major", source="department_inspection", sector="fire")
    assert (hazard.state, hazard.severity, hazard.source, hazard.sector) == (
        HazardState.OPEN,
        HazardSeverity.MAJOR,
        HazardSource.DEPARTMENT_INSPECTION,
        Sector.FIRE,
    )
    assert (hazard.found_on, hazard.deadline, hazard.version) == (
        date(2026, 6, 1),
        date(2026, 6, 30),
        1,
    )
    assert hazard.place == "嘉兴某化工有限公司"
    assert hazard.node_id == node(world, XJD).id
    clerk = actor(world, "xjd-clerk")
    assert hazard.recorded_by_id == clerk.user_id
    [event] = events(world, hazard)
    assert (event.action, event.actor_id, event.at, event.node_id) == (
        "recorded",
        clerk.user_id,
        NOW,
        hazard.node_id,
    )


def test_recording_names_every_bad_field(world: Session):
    bad = HazardInput(
        title="  ",
        sector="lava",
        source="gossip",
        severity="huge",
        found_on=date(2026, 6, 16),  # tomorrow in China
        deadline=None,
        place="x" * 301,
        description="y" * 4001,
    )
    with pytest.raises(DomainError) as error:
        record_hazard(world, None, node(world, XJD), bad, now=NOW)
    assert problems_of(error) == [
        ("title", ErrorCode.REQUIRED),
        ("sector", ErrorCode.INVALID),
        ("source", ErrorCode.INVALID),
        ("severity", ErrorCode.INVALID),
        ("foundOn", ErrorCode.INVALID),
        ("deadline", ErrorCode.REQUIRED),
        ("place", ErrorCode.INVALID),
        ("description", ErrorCode.INVALID),
    ]
    assert "known: hazardous_chemicals" in error.value.problems[1].message
    with pytest.raises(DomainError) as error:
        record_hazard(
            world,
            None,
            node(world, XJD),
            data(found_on=date(2026, 6, 10), deadline=date(2026, 6, 9), title="t" * 301),
            now=NOW,
        )
    assert problems_of(error) == [("title", ErrorCode.INVALID), ("deadline", ErrorCode.INVALID)]
    with pytest.raises(DomainError) as error:
        record_hazard(world, None, node(world, XJD), data(found_on=None, sector=""), now=NOW)
    assert problems_of(error) == [("sector", ErrorCode.REQUIRED), ("foundOn", ErrorCode.REQUIRED)]
    assert count(world, Hazard) == 0 and count(world, LedgerEvent) == 0


def test_today_is_the_day_in_china(world: Session):
    # 20:00 UTC on June 15 is already June 16 in China: a hazard found "today" is accepted.
    late_evening = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)
    hazard = record(world, found_on=date(2026, 6, 16), deadline=date(2026, 6, 16), now=late_evening)
    assert hazard.found_on == date(2026, 6, 16)


@pytest.mark.parametrize("username", ["xjd-clerk", "nanhu-office", "jx-office", "zj-office"])
def test_the_unit_and_the_offices_above_keep_its_ledger(world: Session, username: str):
    hazard = record(world, by=username)
    assert hazard.recorded_by_id == actor(world, username).user_id


@pytest.mark.parametrize("username", ["qixing-clerk", "zj-leader", "sc-office"])
def test_nobody_else_records_in_it(world: Session, username: str):
    with pytest.raises(DomainError) as error:
        record(world, by=username)
    assert problems_of(error) == [("nodeId", ErrorCode.PERMISSION_DENIED)]


def test_a_spot_check_hazard_comes_from_a_finding_about_the_unit(world: Session):
    cycle = open_sample_cycle(world)
    finding = add_spot_check(
        world,
        None,
        assessment_of(world, cycle, XJD),
        item_code="2.1",
        points=D(2),
        finding="暗查发现储罐区报警器失效",
        checked_on=date(2026, 6, 1),
        now=NOW,
    )
    world.commit()
    clerk = actor(world, "xjd-clerk")
    hazard = record_hazard(
        world,
        clerk,
        node(world, XJD),
        data(source="spot_check"),
        finding=finding_ref(world, finding.id),
        now=NOW,
    )
    world.commit()
    assert hazard.spot_check_finding_id == finding.id
    for source, code, finding_id, problem in (
        ("self_inspection", XJD, finding.id, ErrorCode.INVALID),
        ("spot_check", QIXING, finding.id, ErrorCode.INVALID),
        ("spot_check", XJD, finding.id + 1000, ErrorCode.NOT_FOUND),
    ):
        with pytest.raises(DomainError) as error:
            record_hazard(
                world,
                None,
                node(world, code),
                data(source=source),
                finding=finding_ref(world, finding_id),
                now=NOW,
            )
        assert problems_of(error) == [("spotCheckFindingId", problem)]


# --- the workflow ----------------------------------------------------------------------------


def test_a_major_hazard_goes_the_whole_way_with_notes_and_evidence(
    world: Session, store: EvidenceStore, settings: Settings
):
    hazard = record(world, "major")
    clerk, office = actor(world, "xjd-clerk"), actor(world, "nanhu-office")
    steps = [
        (R, "xjd-clerk", [], "停用2号储罐，6月25日前更换报警器", local(date(2026, 6, 16))),
        (RD, "xjd-clerk", [PDF, PHOTO], "报警器已更换并联动测试", local(date(2026, 6, 20))),
        (V, "nanhu-office", [PHOTO], "现场复查合格", local(date(2026, 6, 22))),
        (C, "nanhu-office", [], "销号", local(date(2026, 6, 23))),
    ]
    for to, by, files, note, at in steps:
        version = hazard.version
        move(world, hazard, to, by, store, settings, files=files, note=note, now=at)
        assert (hazard.state, hazard.version) == (to, version + 1)
    assert (hazard.rectified_at, hazard.rectified_by_id) == (
        local(date(2026, 6, 20)),
        clerk.user_id,
    )
    assert (hazard.verified_at, hazard.verified_by_id) == (
        local(date(2026, 6, 22)),
        office.user_id,
    )
    assert hazard.closed_at == local(date(2026, 6, 23))

    recorded, *moves = events(world, hazard)
    assert recorded.action == "recorded"
    assert [(e.action, e.field, e.old, e.new, e.note, e.at) for e in moves] == [
        ("state", "state", old.value, to.value, note, at)
        for old, (to, _, _, note, at) in zip([S, R, RD, V], steps, strict=True)
    ]
    assert [e.actor_id for e in moves] == [clerk.user_id] * 2 + [office.user_id] * 2
    files = world.scalars(select(LedgerAttachment).order_by(LedgerAttachment.id)).all()
    assert [(f.event_id, f.filename, f.content_type, f.size) for f in files] == [
        (moves[1].id, "整改验收报告.pdf", "application/pdf", len(PDF.data)),
        (moves[1].id, "现场照片.png", "image/png", len(PHOTO.data)),
        (moves[2].id, "现场照片.png", "image/png", len(PHOTO.data)),
    ]
    assert files[0].uploaded_by_id == clerk.user_id and files[2].uploaded_by_id == office.user_id
    with store.open(files[0].sha256) as stored:
        assert stored.read() == PDF.data
    assert files[1].sha256 == files[2].sha256  # one copy per content


def test_a_general_hazard_is_rectified_on_the_spot_a_major_one_is_not(
    world: Session, store: EvidenceStore, settings: Settings
):
    general = record(world, "general")
    move(world, general, RD, "xjd-clerk", store, settings, note="立查立改：已复位报警器")
    assert general.state is RD
    assert general.rectified_by_id == actor(world, "xjd-clerk").user_id

    major = record(world, "major")
    before = snapshot(world, major)
    with pytest.raises(DomainError) as error:
        move(world, major, RD, "xjd-clerk", store, settings)
    assert problems_of(error) == [("to", ErrorCode.INVALID_STATE)]
    assert "only a general hazard is rectified on the spot" in str(error.value)
    assert snapshot(world, major) == before


def test_every_move_the_workflow_does_not_have_is_refused(
    world: Session, store: EvidenceStore, settings: Settings
):
    for state in HazardState:
        hazard = at_state(world, state, store, settings, severity="general")
        before = snapshot(world, hazard)
        for to in HazardState:
            if to in MOVES[state]:
                continue
            with pytest.raises(DomainError) as error:
                move(world, hazard, to, None, store, settings)
            assert problems_of(error) == [("to", ErrorCode.INVALID_STATE)], (state, to)
            allowed = " or ".join(s.value for s in MOVES[state]) or "no further"
            assert allowed in error.value.problems[0].message
            assert snapshot(world, hazard) == before


def test_rectified_needs_evidence_and_every_step_a_note(
    world: Session, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, R, store, settings)
    before = snapshot(world, hazard)
    with pytest.raises(DomainError) as error:
        move(world, hazard, RD, "xjd-clerk", store, settings, files=[], note="  ")
    assert problems_of(error) == [("note", ErrorCode.REQUIRED), ("files", ErrorCode.REQUIRED)]
    fake = EvidenceFile("report.pdf", "application/pdf", PHOTO.data)
    big = EvidenceFile("big.pdf", "application/pdf", b"%PDF-" + bytes(5000))
    with pytest.raises(DomainError) as error:
        move(world, hazard, RD, "xjd-clerk", store, settings, files=[PDF, fake, big])
    assert problems_of(error) == [("files.1", ErrorCode.INVALID), ("files.2", ErrorCode.TOO_LARGE)]
    with pytest.raises(DomainError) as error:
        move(world, hazard, RD, "xjd-clerk", store, settings, files=[PDF] * 21)
    assert problems_of(error) == [("files", ErrorCode.TOO_LARGE)]
    assert snapshot(world, hazard) == before
    assert not store.root.exists()  # nothing stored for a refused step

    start = at_state(world, S, store, settings)
    with pytest.raises(DomainError) as error:
        move(world, start, R, "xjd-clerk", store, settings, note="")
    assert problems_of(error) == [("note", ErrorCode.REQUIRED)]


def test_the_look_back_is_never_by_the_rectifier(
    world: Session, store: EvidenceStore, settings: Settings
):
    # The Nanhu office keeps Xiangjiadang's ledger too: when it rectifies, another office
    # looks back.
    hazard = at_state(world, R, store, settings)
    move(world, hazard, RD, "nanhu-office", store, settings)
    before = snapshot(world, hazard)
    for to in (V, R):
        with pytest.raises(DomainError) as error:
            move(world, hazard, to, "nanhu-office", store, settings, note="复查")
        assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]
        message = error.value.problems[0].message
        assert message == "the look-back must be done by someone other than the rectifier"
        assert snapshot(world, hazard) == before
    # Nor by the unit's clerk, who is no supervisor.
    with pytest.raises(DomainError) as error:
        move(world, hazard, V, "xjd-clerk", store, settings)
    assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]

    move(world, hazard, V, "jx-office", store, settings, note="市安委办复查合格")
    assert hazard.verified_by_id == actor(world, "jx-office").user_id
    with pytest.raises(DomainError) as error:
        move(world, hazard, C, "xjd-clerk", store, settings)
    assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]
    move(world, hazard, C, "nanhu-office", store, settings, note="销号")  # the rectifier may close
    assert hazard.state is C


def test_a_failed_look_back_sends_it_back_to_rectifying(
    world: Session, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, R, store, settings)
    move(world, hazard, RD, "xjd-clerk", store, settings, now=local(date(2026, 6, 20)))
    move(world, hazard, R, "nanhu-office", store, settings, note="复查不合格：报警器未联动")
    assert (hazard.state, hazard.rectified_at, hazard.rectified_by_id) == (R, None, None)
    assert events(world, hazard)[-1].note == "复查不合格：报警器未联动"
    # Rectified again, by the clerk: the Nanhu office may look back now.
    move(world, hazard, RD, "xjd-clerk", store, settings, now=local(date(2026, 6, 25)))
    move(world, hazard, V, "nanhu-office", store, settings)
    assert hazard.rectified_at == local(date(2026, 6, 25))


@pytest.mark.parametrize("username", ["qixing-clerk", "zj-leader", "sc-office"])
def test_others_cannot_touch_the_units_hazards(
    world: Session, store: EvidenceStore, settings: Settings, username: str
):
    hazard = at_state(world, S, store, settings)
    before = snapshot(world, hazard)
    someone = actor(world, username)
    attempts = [
        lambda: move_hazard(
            world, someone, hazard, R, note="x", expected_version=1, store=store, settings=settings
        ),
        lambda: list_hazard(world, someone, hazard, note="x", expected_version=1),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as error:
            attempt()
        assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]
    assert snapshot(world, hazard) == before


def test_a_sibling_does_not_even_see_them(
    world: Session, sessions, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, S, store, settings)
    record(world, code=QIXING, by="qixing-clerk")
    qixing = scoped_session(sessions, actor(world, "qixing-clerk"))
    assert qixing.get(Hazard, hazard.id) is None
    assert [h.node_id for h in qixing.scalars(select(Hazard))] == [node(world, QIXING).id]
    nanhu = node(qixing, NANHU)  # an ancestor: a name, no ledger
    assert (
        hazard_tally(qixing, [nanhu], date(2026, 1, 1), date(2026, 12, 31), as_of=NOW)[
            nanhu.id
        ].found
        == 1
    )
    qixing.close()

    office = actor(world, "nanhu-office")
    with scoped_session(sessions, office) as nanhu_session:
        seen = nanhu_session.get_one(Hazard, hazard.id)
        move_hazard(
            nanhu_session,
            office,
            seen,
            R,
            note="区安委办督促整改",
            expected_version=1,
            store=store,
            settings=settings,
            now=NOW,
        )
        nanhu_session.commit()
    world.rollback()
    assert world.get_one(Hazard, hazard.id).state is R


def test_versions_keep_two_writers_apart(
    world: Session, sessions, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, S, store, settings)
    with pytest.raises(DomainError) as error:
        move_hazard(
            world, None, hazard, R, note="x", expected_version=2, store=store, settings=settings
        )
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
    with pytest.raises(DomainError) as error:
        list_hazard(world, None, hazard, note="x", expected_version=7)
    assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]

    # Two people read version 1; the first one's step wins, the second gets a conflict.
    with sessions() as first, sessions() as second:
        mine, theirs = first.get_one(Hazard, hazard.id), second.get_one(Hazard, hazard.id)
        # End the read, keeping what it loaded: SQLite refuses to write from a stale snapshot.
        second.commit()
        move_hazard(first, None, mine, R, note="a", expected_version=1, settings=settings)
        first.commit()
        with pytest.raises(DomainError) as error:
            list_hazard(second, None, theirs, note="b", expected_version=1)
        assert problems_of(error) == [("expectedVersion", ErrorCode.CONFLICT)]
        second.rollback()
    world.rollback()
    assert (hazard.state, hazard.version, hazard.listed) == (R, 2, False)
    assert [e.action for e in events(world, hazard)] == ["recorded", "state"]


# --- listing for supervision -----------------------------------------------------------------


def test_major_hazards_are_listed_and_delisted_after_verified_rectification(
    world: Session, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, R, store, settings)
    office = actor(world, "nanhu-office")
    with pytest.raises(DomainError) as error:
        list_hazard(world, actor(world, "xjd-clerk"), hazard, note="x", expected_version=2)
    assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]
    with pytest.raises(DomainError) as error:
        list_hazard(world, office, hazard, note=" ", expected_version=2)
    assert problems_of(error) == [("note", ErrorCode.REQUIRED)]
    with pytest.raises(DomainError) as error:
        delist_hazard(world, office, hazard, note="x", expected_version=2)
    assert problems_of(error) == [("hazardId", ErrorCode.INVALID_STATE)]
    assert "not listed" in str(error.value)

    listed_at = local(date(2026, 6, 16))
    list_hazard(world, office, hazard, note="区级挂牌督办", expected_version=2, now=listed_at)
    world.commit()
    assert (hazard.listed, hazard.listed_at, hazard.listed_by_node_id, hazard.version) == (
        True,
        listed_at,
        node(world, NANHU).id,
        3,
    )
    with pytest.raises(DomainError) as error:
        list_hazard(world, office, hazard, note="again", expected_version=3)
    assert problems_of(error) == [("hazardId", ErrorCode.INVALID_STATE)]

    def refused_delisting() -> None:
        with pytest.raises(DomainError) as error:
            delist_hazard(world, office, hazard, note="销号", expected_version=hazard.version)
        assert problems_of(error) == [("hazardId", ErrorCode.INVALID_STATE)]
        message = error.value.problems[0].message
        assert message.startswith("delisted only after verified rectification")

    refused_delisting()  # rectifying
    move(world, hazard, RD, "xjd-clerk", store, settings)
    refused_delisting()  # rectified, not looked back yet
    move(world, hazard, V, "nanhu-office", store, settings)
    delisted_at = local(date(2026, 6, 28))
    delist_hazard(world, office, hazard, note="验收合格，摘牌", expected_version=5, now=delisted_at)
    world.commit()
    assert (hazard.listed, hazard.listed_at, hazard.delisted_at) == (False, listed_at, delisted_at)
    listed, delisted = [e for e in events(world, hazard) if e.action in ("listed", "delisted")]
    assert (listed.field, listed.old, listed.new, listed.note, listed.at) == (
        "listed",
        "false",
        "true",
        "区级挂牌督办",
        listed_at,
    )
    assert (delisted.old, delisted.new, delisted.note, delisted.actor_id) == (
        "true",
        "false",
        "验收合格，摘牌",
        office.user_id,
    )


def test_what_cannot_be_listed(world: Session, store: EvidenceStore, settings: Settings):
    general = at_state(world, S, store, settings, severity="general")
    verified = at_state(world, V, store, settings)
    closed = at_state(world, C, store, settings)
    for hazard, why in (
        (general, "only major hazards"),
        (verified, "verified already"),
        (closed, "verified already"),
    ):
        with pytest.raises(DomainError) as error:
            list_hazard(world, None, hazard, note="x", expected_version=hazard.version)
        assert problems_of(error) == [("hazardId", ErrorCode.INVALID_STATE)]
        assert why in error.value.problems[0].message


def test_the_listing_office_is_the_actors_closest_supervising_grant(
    world: Session, store: EvidenceStore, settings: Settings
):
    listed_by = {}
    for by in ("jx-office", "zj-office", None):
        hazard = at_state(world, S, store, settings)
        list_hazard(world, who(world, by), hazard, note="挂牌督办", expected_version=1)
        world.commit()
        listed_by[by] = world.get_one(TenantNode, hazard.listed_by_node_id).code
    # The system lists for the unit above.
    assert listed_by == {"jx-office": "330400", "zj-office": "330000", None: NANHU}


# --- overdue and the figures -----------------------------------------------------------------


def test_the_overdue_flag_and_its_sql_twin_agree(
    world: Session, store: EvidenceStore, settings: Settings
):
    today = date(2026, 6, 15)
    rows = {
        "open, due yesterday": record(world, deadline=date(2026, 6, 14)),
        "open, due today": record(world, deadline=today),
        "rectifying, overdue": at_state(world, R, store, settings),
        "rectified late": at_state(world, RD, store, settings),
        "closed": at_state(world, C, store, settings),
    }
    for name in ("rectifying, overdue", "rectified late", "closed"):
        rows[name].deadline = date(2026, 6, 2)
    world.commit()
    flagged = {name for name, h in rows.items() if is_overdue(h, today)}
    assert flagged == {"open, due yesterday", "rectifying, overdue"}
    ids = set(world.scalars(select(Hazard.id).where(overdue_condition(today))))
    assert ids == {rows[name].id for name in flagged}


@pytest.fixture
def ledger(world: Session, store: EvidenceStore, settings: Settings) -> dict[str, Hazard]:
    """Hazards of Nanhu and its townships around the second quarter of 2026, with dated steps
    (a state, or "list"/"delist"; each at a local day and hour)."""
    rows: dict[str, Hazard] = {}

    def hazard(name, severity, found, due, code=XJD, steps=()):
        row = record(
            world, severity, by=None, code=code, found_on=found, deadline=due, now=local(found)
        )
        for step, day, hour in steps:
            at = local(day, hour)
            if step == "list":
                list_hazard(world, None, row, note="挂牌", expected_version=row.version, now=at)
            elif step == "delist":
                delist_hazard(world, None, row, note="摘牌", expected_version=row.version, now=at)
            else:
                move(world, row, step, None, store, settings, now=at)
            world.commit()
        rows[name] = row

    # Rectified at 23:00 on its deadline day: in time.
    hazard(
        "in time",
        "general",
        date(2026, 4, 10),
        date(2026, 4, 20),
        steps=[(RD, date(2026, 4, 20), 23)],
    )
    # Rectified at midnight after the deadline (still the deadline day in UTC): late.
    hazard(
        "just late",
        "general",
        date(2026, 4, 10),
        date(2026, 4, 20),
        steps=[(RD, date(2026, 4, 21), 0)],
    )
    hazard(
        "late major",
        "major",
        date(2026, 4, 5),
        date(2026, 4, 30),
        steps=[(R, date(2026, 4, 6), 9), (RD, date(2026, 5, 10), 9)],
    )
    hazard(
        "listed open",
        "major",
        date(2026, 5, 1),
        date(2026, 5, 20),
        steps=[("list", date(2026, 5, 5), 10)],
    )
    hazard(
        "listed, delisted",
        "major",
        date(2026, 4, 2),
        date(2026, 4, 12),
        steps=[
            (R, date(2026, 4, 3), 9),
            ("list", date(2026, 4, 3), 12),
            (RD, date(2026, 4, 25), 9),
            (V, date(2026, 4, 28), 9),
            ("delist", date(2026, 4, 29), 9),
        ],
    )
    hazard("found before, due in", "general", date(2026, 3, 20), date(2026, 4, 15))
    hazard("found in, due after", "general", date(2026, 6, 10), date(2026, 7, 10))
    hazard("before the period", "general", date(2026, 3, 1), date(2026, 3, 31))
    hazard("first day", "general", date(2026, 4, 1), date(2026, 4, 1), code=QIXING)
    hazard("last day", "major", date(2026, 6, 30), date(2026, 6, 30), code=QIXING)
    hazard("after the period", "general", date(2026, 7, 1), date(2026, 7, 2), code=QIXING)
    hazard(
        "district's own",
        "general",
        date(2026, 6, 1),
        date(2026, 6, 5),
        code=NANHU,
        steps=[(RD, date(2026, 6, 3), 9)],
    )
    return rows


Q2 = (date(2026, 4, 1), date(2026, 6, 30))


def names(ledger: dict[str, Hazard], rows: Sequence[Hazard]) -> list[str]:
    by_id = {h.id: name for name, h in ledger.items()}
    return [by_id[h.id] for h in rows]


def test_the_tally_after_the_period(world: Session, ledger: dict[str, Hazard]):
    nodes = [node(world, c) for c in (NANHU, XJD, QIXING, "330400", "330000", "510000")]
    tallies = hazard_tally(world, nodes, *Q2, as_of=local(date(2026, 7, 5)))
    nanhu = tallies[nodes[0].id]
    assert sorted(names(ledger, nanhu.hazards_found)) == sorted(
        [
            "in time",
            "just late",
            "late major",
            "listed open",
            "listed, delisted",
            "found in, due after",
            "first day",
            "last day",
            "district's own",
        ]
    )
    # Rectified by now: in time, just late, late major, listed-delisted, district's own.
    assert (nanhu.found, nanhu.rectified, nanhu.rectification_rate) == (9, 5, D("55.6"))
    assert (nanhu.major_found, nanhu.major_rectified, nanhu.major_rectification_rate) == (
        4,
        2,
        D("50.0"),
    )
    # Due in the period, past, not rectified by the end of the deadline day; by deadline.
    assert names(ledger, nanhu.hazards_overdue) == [
        "first day",
        "listed, delisted",
        "found before, due in",
        "just late",
        "late major",
        "listed open",
        "last day",
    ]
    assert (nanhu.overdue, nanhu.overdue_major) == (7, 4)
    # Delisted by now: only the open one is a listed overdue major hazard.
    assert names(ledger, nanhu.listed_overdue) == ["listed open"]

    xjd, qixing = tallies[nodes[1].id], tallies[nodes[2].id]
    assert (xjd.found, xjd.rectified, xjd.overdue) == (6, 4, 5)
    assert (qixing.found, qixing.rectified, qixing.overdue) == (2, 0, 2)
    assert qixing.rectification_rate == D("0.0")
    for above in nodes[3:5]:  # the city and the province see the same rows
        assert tallies[above.id] == nanhu
    sichuan = tallies[nodes[5].id]
    assert (sichuan.found, sichuan.overdue, sichuan.hazards_found) == (0, 0, ())
    assert sichuan.rectification_rate == sichuan.major_rectification_rate == D("100.0")


def test_the_tally_as_of_a_moment_in_the_period(world: Session, ledger: dict[str, Hazard]):
    nanhu = node(world, NANHU)
    # 10:00 on May 5: the late major hazard is not rectified yet (May 10), the listed one
    # not due yet (May 20).
    tally = hazard_tally(world, [nanhu], *Q2, as_of=local(date(2026, 5, 5)))[nanhu.id]
    assert {"late major", "listed open"} <= set(names(ledger, tally.hazards_found))
    assert tally.rectified == 3  # in time, just late, listed-delisted (April 25)
    assert names(ledger, tally.hazards_overdue) == [
        "first day",
        "listed, delisted",
        "found before, due in",
        "just late",
        "late major",
    ]
    assert names(ledger, tally.listed_overdue) == []  # delisted on April 29

    # April 20 at noon: the listed one's deadline (April 12) has passed, it is listed and open.
    tally = hazard_tally(world, [nanhu], *Q2, as_of=local(date(2026, 4, 20), 12))[nanhu.id]
    assert names(ledger, tally.hazards_overdue) == [
        "first day",
        "listed, delisted",
        "found before, due in",
    ]
    assert names(ledger, tally.listed_overdue) == ["listed, delisted"]
    # On its deadline day itself a hazard is not overdue yet.
    assert "in time" not in names(ledger, tally.hazards_overdue)


def test_a_period_boundary_cuts_both_ways(world: Session, ledger: dict[str, Hazard]):
    nanhu = node(world, NANHU)
    april = hazard_tally(
        world, [nanhu], date(2026, 4, 1), date(2026, 4, 30), as_of=local(date(2026, 7, 5))
    )[nanhu.id]
    assert "first day" in names(ledger, april.hazards_found)
    assert "late major" in names(ledger, april.hazards_overdue)  # due April 30
    may = hazard_tally(
        world, [nanhu], date(2026, 5, 1), date(2026, 5, 31), as_of=local(date(2026, 7, 5))
    )[nanhu.id]
    assert names(ledger, may.hazards_found) == ["listed open"]
    assert names(ledger, may.hazards_overdue) == ["listed open"]
    empty = hazard_tally(
        world, [nanhu], date(2025, 1, 1), date(2025, 12, 31), as_of=local(date(2026, 7, 5))
    )[nanhu.id]
    assert (empty.found, empty.overdue, empty.rectification_rate) == (0, 0, D("100.0"))
    assert hazard_tally(world, [], *Q2, as_of=NOW) == {}


def test_statistics_for_a_district(world: Session, ledger: dict[str, Hazard]):
    nanhu = node(world, NANHU)
    now = local(date(2026, 7, 5))
    stats = hazard_statistics(world, nanhu, *Q2, now=now)
    assert stats.tally == hazard_tally(world, [nanhu], *Q2, as_of=now)[nanhu.id]
    assert (stats.start, stats.end, stats.as_of, stats.node.code) == (*Q2, now, NANHU)
    assert dict(stats.by_state) == {S: 4, R: 0, RD: 4, V: 1, C: 0}
    assert [s for s, _ in stats.by_state] == list(HazardState)
    assert dict(stats.by_severity) == {HazardSeverity.GENERAL: 5, HazardSeverity.MAJOR: 4}
    # Found in the period, open and past the deadline on July 5: listed open, first day, last day.
    assert stats.open_overdue == 3
    assert stats.listed == 1
    assert [s for s, _ in stats.by_sector] == [Sector.HAZARDOUS_CHEMICALS]
    units = [
        (n.code, t.found, t.rectified, t.rectification_rate, t.overdue, t.overdue_major)
        for n, t in stats.by_unit
    ]
    codes = sorted(world.scalars(select(TenantNode.code).where(TenantNode.parent_id == nanhu.id)))
    assert [u[0] for u in units] == codes
    assert dict((u[0], u[1:]) for u in units)[XJD] == (6, 4, D("66.7"), 5, 3)
    assert dict((u[0], u[1:]) for u in units)[QIXING] == (2, 0, D("0.0"), 2, 1)
    assert dict((u[0], u[1:]) for u in units)["330402007"] == (0, 0, D("100.0"), 0, 0)


def test_statistics_by_sector(world: Session):
    for sector, severity, found in (
        ("fire", "general", date(2026, 5, 1)),
        ("fire", "major", date(2026, 5, 2)),
        ("gas", "general", date(2026, 5, 3)),
        ("hazardous_chemicals", "general", date(2026, 3, 3)),  # only due in the period
    ):
        record(world, severity, sector=sector, found_on=found, deadline=date(2026, 5, 10))
    stats = hazard_statistics(world, node(world, XJD), *Q2, now=NOW)
    by_sector = {
        s: (t.found, t.rectified, t.rectification_rate, t.overdue, t.overdue_major)
        for s, t in stats.by_sector
    }
    assert list(by_sector) == [Sector.HAZARDOUS_CHEMICALS, Sector.FIRE, Sector.GAS]
    assert by_sector == {
        Sector.HAZARDOUS_CHEMICALS: (0, 0, D("100.0"), 1, 0),
        Sector.FIRE: (2, 0, D("0.0"), 2, 1),
        Sector.GAS: (1, 0, D("0.0"), 1, 0),
    }
    assert stats.by_unit == ()  # a township has no units below
    with pytest.raises(DomainError) as error:
        hazard_statistics(world, node(world, XJD), date(2026, 2, 1), date(2026, 1, 1), now=NOW)
    assert problems_of(error) == [("period.end", ErrorCode.INVALID)]


def test_only_the_listing_office_or_one_above_it_delists(
    world: Session, store: EvidenceStore, settings: Settings
):
    hazard = at_state(world, R, store, settings)
    list_hazard(world, actor(world, "jx-office"), hazard, note="市级挂牌督办", expected_version=2)
    move(world, hazard, RD, "xjd-clerk", store, settings)
    move(world, hazard, V, "nanhu-office", store, settings)
    world.commit()
    with pytest.raises(DomainError) as error:
        delist_hazard(
            world, actor(world, "nanhu-office"), hazard, note="x", expected_version=hazard.version
        )
    assert problems_of(error) == [("hazardId", ErrorCode.PERMISSION_DENIED)]
    delist_hazard(
        world,
        actor(world, "zj-office"),
        hazard,
        note="省级复核摘牌",
        expected_version=hazard.version,
    )
    assert not hazard.listed
