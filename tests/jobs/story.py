"""A township cycle of Nanhu district to run jobs on: every unit's entries saved, and helpers to
submit them and read what the jobs published."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from redline.db import unit_of_work
from scoring.assessments.entries import EntryInput, save_entries, submit
from scoring.assessments.models import Assessment, Cycle
from scoring.rankings.models import RankingRow, RankingSnapshot, RankingStatus
from tests.scoring_factories import full_entries, open_sample_cycle


def filled_cycle(session: Session) -> tuple[Cycle, list[Assessment]]:
    """Nanhu's townships in a fresh cycle, each with a full self-assessment (drafts), their
    scores apart (1.1 scores 0..9 points, so some tie)."""
    with unit_of_work(session):
        cycle = open_sample_cycle(session)
    assessments = list(
        session.scalars(
            select(Assessment).where(Assessment.cycle_id == cycle.id).order_by(Assessment.id)
        )
    )
    for index, assessment in enumerate(assessments):
        entries = full_entries(e1_1=EntryInput("1.1", points=Decimal(index % 10)))
        with unit_of_work(session):
            save_entries(session, None, assessment, entries, expected_version=assessment.version)
    return cycle, assessments


def submit_all(session: Session, assessments: list[Assessment]) -> None:
    """Every assessment submitted, each in its own transaction (as clerks do)."""
    for assessment in assessments:
        with unit_of_work(session):
            submit(session, None, assessment, expected_version=assessment.version)


def snapshots(session: Session, cycle: Cycle) -> int:
    """How many snapshots of the cycle's rankings were published."""
    session.rollback()
    return session.scalar(
        select(func.count())
        .select_from(RankingSnapshot)
        .where(RankingSnapshot.cycle_id == cycle.id)
    )


def current_ranking(session: Session, cycle: Cycle) -> list[tuple[int, int, Decimal | None]]:
    """The current snapshot's ranking of the cycle's units among their siblings:
    (node id, rank, score) in the listed order."""
    session.rollback()
    status = session.scalar(select(RankingStatus).where(RankingStatus.cycle_id == cycle.id))
    assert status is not None and status.snapshot_id is not None
    return [
        (row.node_id, row.rank, row.score)
        for row in session.scalars(
            select(RankingRow)
            .where(
                RankingRow.snapshot_id == status.snapshot_id,
                RankingRow.scope_node_id == cycle.owner_node_id,
                RankingRow.level == cycle.level,
            )
            .order_by(RankingRow.position)
        )
    ]
